"""The session page's reading: its sets and the earlier session's in one compiled query,
their rows' links, the entry form filled with what comes next, the coach's notes. The log's
views and the video page ("log this set from the video") both draw it."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import (
    CharField,
    Exists,
    F,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, JSONObject
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coaches.models import CoachNote, Prescription
from coaching.models import Variation
from core.prepared import Prepared
from training import sides
from training.forms import AssignSidesForm, SetForm
from training.lookups import HAD, had_mark
from training.models import Profile, Set, Side, TrainingSession, carried_tempo
from videos.models import SetVideo, outcome_words, with_video_marks

UNDO_KEY = "training_undo_set"


def unit_of_request(request: HttpRequest, session: TrainingSession | None = None) -> str:
    """The trainee's unit of weight. Read once a request: a set's POST and the fragment it
    answers both need it; a session from get_session_for_user brings it (owner_unit), so
    no query of its own."""
    if not hasattr(request, "training_unit"):
        unit = getattr(session, "owner_unit", None)
        request.training_unit = unit or Profile.objects.unit_of(request.user)
    return request.training_unit


# A pk no row has, reversed once and replaced by each row's: reversing a URL costs more
# than the rest of a set's row, and a session page has five links a set.
_PK_SLOT = 2_147_483_647


def _url_for_pk(name: str) -> Callable[[int], str]:
    head, tail = reverse(name, args=[_PK_SLOT]).split(str(_PK_SLOT))
    return lambda pk: f"{head}{pk}{tail}"


def _link_set_rows(sets: list[Set], session: TrainingSession) -> None:
    """Each set's row links on the session page: edit (with the mark that the trainee had
    it, so an edit of it deleted meanwhile says so: lookups.had_mark), delete, add a video,
    its video (with what the camera made of it)."""
    edit, delete, add_video, video = map(
        _url_for_pk,
        ("training:set-edit", "training:set-delete", "videos:set-video", "videos:detail"),
    )
    for s in sets:
        had = had_mark("set", session.user_id, s.pk, session.pk)
        s.edit_url = f"{edit(s.pk)}?{HAD}={had}"
        s.delete_url, s.add_video_url = delete(s.pk), add_video(s.pk)
        s.video_url = video(s.video_pk) if s.video_pk else None
        s.video_said = outcome_words(s.video_outcome) if s.video_pk else ""
        s.unread_video_url = video(s.unread_video_pk) if s.unread_comments else None


def _sides_initial(unknown: list[Set]) -> dict:
    return {"sets": ",".join(str(s.pk) for s in unknown)}


def session_context(
    request: HttpRequest,
    session: TrainingSession,
    form: SetForm | None = None,
    sides_form: AssignSidesForm | None = None,
) -> dict:
    """What the session page shows: its sets, the earlier session's, the entry form (filled
    with what comes next unless `form` is one already posted), the coach's notes."""
    unit = unit_of_request(request, session)
    sets, previous_sets = _session_sets(session)
    previous = previous_sets[0].session if previous_sets else None
    in_force = _plan_in_force(session)
    # A plan for another rung says nothing of this session's sets: named, never filled in.
    plan = in_force if in_force and in_force.variation_id == session.variation_id else None
    if form is None:
        initial = _next_set_initial(sets, previous_sets, session, unit, plan)
        form = SetForm(session=session, unit=unit, initial=initial)
    undo = request.session.get(UNDO_KEY)
    unknown = [s for s in sets if s.side == Side.UNKNOWN]
    # A session looked up for its page says whether a coach wrote on it (SESSION_PAGE).
    noted = getattr(session, "has_coach_notes", True)
    return {
        "title": f"Session of {session.day}",
        "description": "Sets of one session.",
        "session": session,
        "sets": sets,
        "previous": previous,
        "previous_sets": previous_sets,
        "form": form,
        "unit": unit,
        "undo": undo if undo and undo.get("session") == session.pk else None,
        "last_set": sets[-1] if sets else None,
        # "Repeat last set" and "Same for the other side", each with its own submission id
        # (CopySetForm reads it back): plain hidden inputs, as two forms drawn through the
        # form renderer cost every session page and added set a millisecond.
        "repeat_submission_id": uuid.uuid4(),
        "mirror_submission_id": uuid.uuid4(),
        # The newest set that hurt, which the entry answers before the next set is typed.
        "painful_set": next((s for s in reversed(sets) if s.pain), None),
        # Only a session of the trainee's today is answered with "add no load today".
        "dated_today": session.date == timezone.localdate(),
        "unknown_sets": unknown,
        "sides_form": sides_form or (AssignSidesForm(initial=_sides_initial(unknown))),
        "notes": CoachNote.objects.on_session(session, sets) if noted else [],
        "coach_plan": plan,
        "plan_elsewhere": in_force if in_force and plan is None else None,
        "side_clips": (
            SetVideo.objects.side_clips_of(session)
            if getattr(session, "has_side_clips", True)
            else []
        ),
    }


# What the session page needs to know of its session besides its row, asked in the query
# that finds it (get_session_for_user) rather than in queries of their own.
SESSION_PAGE = {
    "has_coach_notes": Exists(CoachNote.objects.filter(session=OuterRef("pk"))),
    "has_side_clips": Exists(SetVideo.objects.filter(session=OuterRef("pk"), set__isnull=True)),
    # The coach's plan in force, whatever its rung, which the page's header shows above the
    # ladder's target: its numbers as one JSON object (None without one).
    "coach_plan": Subquery(
        Prescription.objects.in_force()
        .filter(athlete=OuterRef("user"))
        .values(
            plan=JSONObject(
                coach="coach__username",
                variation="variation_id",
                rung="variation__name",
                sets="sets",
                reps_per_side="reps_per_side",
                load_kg=Cast("load_kg", CharField()),
                tempo="tempo",
                hold_seconds="hold_seconds",
                side_order="side_order",
                notes="notes",
            )
        )[:1],
        output_field=JSONField(),
    ),
}


def _plan_in_force(session: TrainingSession) -> Prescription | None:
    """The coach's plan in force: read with the session (SESSION_PAGE), or else here, for a
    session not looked up for its page (a set's deletion, a video's "log this set")."""
    if hasattr(session, "coach_plan"):
        return coach_plan(session)
    return (
        Prescription.objects.in_force()
        .filter(athlete_id=session.user_id)
        .select_related("coach", "variation")
        .first()
    )


def coach_plan(session: TrainingSession) -> Prescription | None:
    """The coach's plan read with the session (SESSION_PAGE), as a prescription to show; of
    another rung than the session's, only its rung's name is read."""
    plan = dict(getattr(session, "coach_plan", None) or {})
    if not plan:
        return None
    coach = get_user_model()(username=plan.pop("coach"))
    variation_id, rung = plan.pop("variation"), plan.pop("rung")
    variation = session.variation
    if variation_id != session.variation_id:
        variation = Variation(pk=variation_id, name=rung)
    load_kg = Decimal(plan.pop("load_kg"))
    return Prescription(coach=coach, variation=variation, load_kg=load_kg, **plan)


def _session_sets(session: TrainingSession) -> tuple[list[Set], list[Set]]:
    """The session's sets, numbered and linked for their rows, and the sets of the last
    session of the same variation before it (each with that session: its id and day), in
    one query: the earlier session is chosen in a subquery. A set's form errors are read
    only for the sets that have some (form_errors_shown), so a session without any reads
    none."""
    rows = list(_SESSION_SETS.raw(session.pk, session.user_id, session.variation_id, session.date))
    sets = Set.number_by_side([s for s in rows if s.session_id == session.pk])
    flagged = [s for s in sets if s.has_form_errors]
    prefetch_related_objects(flagged, "form_errors")
    for s in sets:
        s.session = session
        s.form_errors_shown = list(s.form_errors.all()) if s.has_form_errors else []
    _link_set_rows(sets, session)
    previous_sets = [s for s in rows if s.session_id != session.pk]
    if previous_sets:
        # What the page shows of the earlier session: its day and its link.
        day = TrainingSession._meta.get_field("date").to_python(previous_sets[0].session_date)
        previous = TrainingSession(
            pk=previous_sets[0].session_id,
            user_id=session.user_id,
            variation=session.variation,
            date=day,
        )
        for s in previous_sets:
            s.session = previous
    return sets, previous_sets


def _session_sets_query(session_id: int, user_id: int, variation_id: int, day: datetime.date):
    previous = (
        TrainingSession.objects.filter(user_id=user_id, variation_id=variation_id)
        .with_sets()
        .filter(Q(date__lt=day) | Q(date=day, pk__lt=session_id))
        .order_by("-date", "-pk")
        .values("pk")[:1]
    )
    tagged = Set.form_errors.through.objects.filter(set_id=OuterRef("pk"))
    return (
        with_video_marks(
            Set.objects.filter(Q(session_id=session_id) | Q(session=Subquery(previous)))
        )
        .annotate(has_form_errors=Exists(tagged), session_date=F("session__date"))
        .order_by("position")
    )


# The session page's one query of sets, compiled once: Django took longer to build it
# (its video marks, form errors and the earlier session are subqueries) than to run it.
_SESSION_SETS = Prepared(_session_sets_query)


def _next_set_initial(sets, previous_sets, session, unit: str, prescription=None) -> dict:
    """Prefill the entry with what comes next: the other side of the last set (with legs
    level, the first of the coach's order), same numbers; for a session's first set, the
    coach's prescription if there is one."""
    one_side = session.variation.one_side_at_a_time
    if not sets and prescription is not None:
        # The prescribed order's first leg.
        (side, *_) = sides.ORDERS[sides.plan_order(prescription.side_order, one_side)]
        return prescription.first_set_values(unit, side=side)
    source = sets[-1] if sets else (previous_sets[0] if previous_sets else None)
    if source is None:
        return {"side": sides.worked(one_side)[0], "tempo": carried_tempo("", session.variation)}
    initial = SetForm.initial_from_set(source, unit)
    initial["tempo"] = carried_tempo(initial.get("tempo", ""), session.variation)
    # Each set's effort is its own: one carried over unchosen (an RPE 10) would be saved as
    # felt, and a set at maximal effort keeps the trainee from moving up.
    initial.pop("effort")
    if source.side == Side.UNKNOWN:
        initial["side"] = Side.LEFT  # a set typed by hand says its side
    if sets and source.side in (Side.LEFT, Side.RIGHT):
        left = sum(1 for s in sets if s.side == Side.LEFT)
        right = sum(1 for s in sets if s.side == Side.RIGHT)
        initial["side"] = sides.next_leg(left, right, prescription and prescription.side_order)
    elif not sets and one_side:
        initial["side"] = Side.LEFT
    if not one_side:
        initial["side"] = Side.BOTH
    return initial
