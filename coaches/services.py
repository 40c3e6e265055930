"""Writes of the coaching relationship: invitations, links,
prescriptions, level moves, flags, notes, each audited.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import dateformat, timezone

from coaches.models import AuditEntry, CoachLink, CoachNote, FlagReview, Prescription
from core.submissions import create_once
from training.models import (
    LevelSource,
    Profile,
)
from training.services import change_level
from training.units import format_load


def audit(actor, athlete, action: str, detail: str) -> None:
    AuditEntry.objects.create(actor=actor, athlete=athlete, action=action, detail=detail[:1000])


def create_invitation(coach, label: str = ""):
    return CoachLink.objects.create(coach=coach, code=secrets.token_urlsafe(16), label=label)


def decline_invitation(link) -> bool:
    """End an open invitation as declined; False when it was no longer open."""
    with transaction.atomic():
        link = CoachLink.objects.select_for_update().get(pk=link.pk)
        if not link.is_open_invitation:
            return False
        link.ended_at = timezone.now()
        link.declined = True
        link.save(update_fields=["ended_at", "declined"])
    return True


def accept_invitation(link, athlete) -> None:
    with transaction.atomic():
        link = CoachLink.objects.select_for_update().get(pk=link.pk)
        if link.athlete_id == athlete.pk and link.is_active:
            raise ValueError(f"You accepted this invitation already: {link.coach} coaches you.")
        if link.declined:
            raise ValueError("This invitation was declined. Ask your coach for a new link.")
        if link.athlete_id or link.ended_at:
            raise ValueError(
                "This invitation has already been used or withdrawn. Ask your coach for a new link."
            )
        if not link.is_open_invitation:
            raise ValueError("This invitation has expired. Ask your coach for a new link.")
        if link.coach_id == athlete.pk:
            raise ValueError("You cannot coach yourself.")
        if CoachLink.objects.active().filter(coach=link.coach, athlete=athlete).exists():
            raise ValueError("This coach already coaches you.")
        link.athlete = athlete
        link.accepted_at = timezone.now()
        link.save(update_fields=["athlete", "accepted_at"])
        audit(athlete, athlete, "link-accepted", f"Accepted {link.coach} as coach.")


def end_link(link, by) -> None:
    with transaction.atomic():
        link.ended_at = timezone.now()
        link.ended_by = by
        link.save(update_fields=["ended_at", "ended_by"])
        if link.athlete_id:
            audit(by, link.athlete, "link-ended", f"{by} ended the link with {link.coach}.")


def prescribe(coach, athlete, fields: dict, *, submission_id=None) -> Prescription:
    """A new prescription with its audit entry, together; the same submission id again gives
    back the one it made (core.submissions.create_once)."""

    def create() -> Prescription:
        prescription = Prescription.objects.create(
            coach=coach, athlete=athlete, submission_id=submission_id, **fields
        )
        # In the unit the coach entered it in, spelled as every page spells a load.
        load = format_load(prescription.load_kg, Profile.objects.unit_of(coach))
        variation = prescription.variation
        # A both-legs rung has no side order to follow.
        order = (
            f"{prescription.get_side_order_display().lower()}, "
            if variation.one_side_at_a_time
            else ""
        )
        audit(
            coach,
            athlete,
            "prescription",
            f"Prescribed {variation.name}: {prescription.sets} × "
            f"{prescription.reps_per_side} {variation.reps_wording}, {load}, "
            f"tempo {prescription.tempo}, hold {prescription.hold_seconds} s, {order}"
            f"{prescription.sessions_per_week} session{pluralize(prescription.sessions_per_week)}"
            " a week.",
        )
        return prescription

    prescription, _ = create_once(
        Prescription, submission_id, create, coach_id=coach.pk, athlete_id=athlete.pk
    )
    return prescription


def coach_change_level(coach, athlete, variation, *, reason: str, approved: bool = False):
    with transaction.atomic():
        change = change_level(
            athlete,
            variation,
            reason=reason,
            source=LevelSource.APPROVED if approved else LevelSource.COACH,
            changed_by=coach,
        )
        if change is not None:
            verb = "Approved the promotion to" if approved else "Moved the level to"
            audit(coach, athlete, "level", f"{verb} {variation.name}: {reason}")
    return change


def review_flag(coach, athlete, flag) -> FlagReview:
    """Mark one review-queue flag seen by `coach`; marking it again keeps their first review."""
    with transaction.atomic():
        review, created = FlagReview.objects.get_or_create(
            athlete=athlete, kind=flag.kind, subject=flag.subject, reviewed_by=coach
        )
        if created:
            audit(coach, athlete, "flag-reviewed", f"Reviewed the flag “{flag.text}”.")
    return review


def add_coach_note(coach, athlete, session, text: str, set_=None, *, submission_id=None):
    """A note with its audit entry, together; the same submission id again gives back the
    note it made (core.submissions.create_once)."""

    def create() -> CoachNote:
        note = CoachNote.objects.create(
            coach=coach,
            athlete=athlete,
            session=session,
            set=set_,
            text=text,
            submission_id=submission_id,
        )
        where = f"{set_.name} in " if set_ else ""
        day = dateformat.format(session.date, "j M Y")
        audit(coach, athlete, "note", f"Note on {where}the session of {day}: {text}")
        return note

    note, _ = create_once(
        CoachNote, submission_id, create, coach_id=coach.pk, session_id=session.pk
    )
    return note
