"""Coaches and their athletes: links and invitations, prescriptions,
notes, flags reviewed, the audit.
"""

from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode

from coaches.roles import can_coach
from coaching.models import Variation
from coaching.tempo import NOTATION_PATTERN, Tempo, TempoError
from training import sides
from training.balance import pain_covered_by
from training.models import (
    MAX_HOLD_SECONDS,
    MAX_LOAD_KG,
    MAX_REPS,
    MAX_SESSIONS_PER_WEEK,
    MAX_SETS,
    SIDE_ORDERS,
    Set,
    TrainingSession,
)
from training.units import from_kg


def invitation_cutoff():
    """Invitations made before this moment have expired."""
    return timezone.now() - timedelta(days=settings.INVITATION_DAYS)


# Our choice: how long a coach is told that an athlete ended their coaching.
LEFT_RECENTLY_DAYS = 30


class CoachLinkQuerySet(models.QuerySet["CoachLink"]):
    """Who may see another's log: the one definition, `athletes_of`, under the coach panel,
    the admin, videos and the review queue (`SetVideoQuerySet.visible_to`). One's own rows
    are `LogQuerySet.for_user`, which the views' `_get_..._for_user` lookups and sync use."""

    def active(self) -> CoachLinkQuerySet:
        """Accepted and not ended: the link as the two people see it on their pages."""
        return self.filter(athlete__isnull=False, accepted_at__isnull=False, ended_at__isnull=True)

    def current(self) -> CoachLinkQuerySet:
        """Active links whose coach and athlete are both still active accounts: only these
        let a coach see anything (a deactivated person's link shows nobody's log)."""
        return self.active().filter(coach__is_active=True, athlete__is_active=True)

    def current_at(self, moment: datetime.datetime) -> CoachLinkQuerySet:
        """The links current() was at `moment`: accepted by then and not ended by then
        (whether ended since or not), between accounts active now."""
        ended_later = Q(ended_at__isnull=True) | Q(ended_at__gt=moment)
        links = self.filter(athlete__isnull=False, accepted_at__lte=moment).filter(ended_later)
        return links.filter(coach__is_active=True, athlete__is_active=True)

    def athletes_of(self, coach) -> models.QuerySet:
        """The users whose log `coach` may see, as a coach.

        A coach (the coach permission, an active account) sees the athletes of their
        current links. A superuser coaches every active athlete, linked or not (the
        permission matrix's rule, the same in the coach panel, the admin and videos): every
        active user with a log or a current link. Anyone else coaches nobody. One's own log
        is not in it (no one is linked to themselves), unless a superuser has a log.
        """
        users = get_user_model().objects
        if not can_coach(coach):
            return users.none()
        current = self.current()
        if coach.is_superuser:
            athlete = Exists(current.filter(athlete=OuterRef("pk"))) | Exists(
                TrainingSession.objects.filter(user=OuterRef("pk"))
            )
        else:
            athlete = Exists(current.filter(coach=coach, athlete=OuterRef("pk")))
        return users.filter(athlete, is_active=True)

    def open_invitations(self) -> CoachLinkQuerySet:
        """Invitations not yet accepted, declined, withdrawn or expired."""
        return self.filter(
            athlete__isnull=True, ended_at__isnull=True, created_at__gt=invitation_cutoff()
        )

    def declined_invitations(self) -> CoachLinkQuerySet:
        """Invitations declined that would still be open: the coach sees which, for as long."""
        return self.filter(declined=True, created_at__gt=invitation_cutoff())

    def left_recently(self) -> CoachLinkQuerySet:
        """Links either of the two ended in the last LEFT_RECENTLY_DAYS, the newest of each
        pair, unless its coach coaches the athlete again since, and those ended by an athlete
        closing their account: the coach is told who is no longer in the queue, rather than
        seeing them just gone."""
        since = timezone.now() - timedelta(days=LEFT_RECENTLY_DAYS)
        pair = CoachLink.objects.filter(coach=OuterRef("coach"), athlete=OuterRef("athlete"))
        return (
            self.filter(Q(athlete__isnull=False) | Q(closed_account=True), ended_at__gte=since)
            .exclude(Exists(pair.active()))
            .exclude(Exists(pair.filter(ended_at__gt=OuterRef("ended_at"))))
        )

    def current_or_left_recently(self) -> CoachLinkQuerySet:
        """An athlete's links as their profile lists them: their coaches, and the coaching
        that ended lately."""
        return self.active() | self.left_recently()

    def on_the_coachs_page(self) -> CoachLinkQuerySet:
        """The three above in one query, as the coach's page lists them."""
        listed = self.open_invitations() | self.declined_invitations() | self.left_recently()
        return listed.select_related("athlete")

    def named_by(self, next_url: str) -> CoachLink | None:
        """The coach's invitation a checked `next` address leads to, if it is one: the login
        and sign-up pages say who invited the person and to what."""
        try:
            match = resolve(urlsplit(next_url).path) if next_url else None
        except Resolver404:
            return None
        if match is None or match.view_name != "coaches:join":
            return None
        links = self.select_related("coach").filter(coach__isnull=False)
        return links.filter(code=match.kwargs["code"]).first()


class CoachLink(models.Model):
    """A coach's invitation, and once the athlete accepts it, their link until either ends it."""

    # Empty only on a link its coach ended by closing their account (closed_account).
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coach_links",
    )
    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="athlete_links",
    )
    code = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The coach's own name for an invitation (whom it is for), shown to them alone.
    label = models.CharField(max_length=60, blank=True)
    # Ended by the person it reached saying no (who it was is not kept): the coach sees it.
    declined = models.BooleanField(default=False)
    # Ended by its athlete, or its coach, closing their account: the row outlives the account,
    # that side emptied (who it was is not kept), so the other is told for LEFT_RECENTLY_DAYS.
    closed_account = models.BooleanField(default=False)

    objects = CoachLinkQuerySet.as_manager()

    class Meta:
        db_table = "training_coachlink"  # the table made before the split: nothing renamed
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "athlete"],
                condition=Q(athlete__isnull=False, ended_at__isnull=True),
                name="coachlink_one_open_link_per_pair",
            ),
            models.CheckConstraint(condition=~Q(coach=F("athlete")), name="coachlink_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.coach or '(a closed account)'} coaching {self.athlete or '(invitation)'}"

    @property
    def is_active(self) -> bool:
        return bool(self.athlete_id and self.accepted_at and not self.ended_at)

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=settings.INVITATION_DAYS)

    @property
    def is_open_invitation(self) -> bool:
        return not (self.athlete_id or self.ended_at) and self.expires_at > timezone.now()


class PrescriptionQuerySet(models.QuerySet["Prescription"]):
    def in_force(self) -> PrescriptionQuerySet:
        """The plan each athlete follows now, the one definition every reader uses (Today,
        the session page and its entry, the timer and the offline queue, the coach's pages;
        the video analysis reads it as of a session's day, in_force_on): the athlete's newest
        prescription, whatever its rung, while its coach still coaches them under the link
        the plan was written under (a current link accepted before it), or as an active
        superuser (who coaches everyone). A newer plan replaces it for good; a link ended, or
        a coach's account deactivated, takes it out of force, and linking again does not
        bring it back. Either way it stays in the history only: an older plan never comes
        back in its place, not even when the newer one is deleted (replaced_at; the
        newer-plan test covers two plans written at once)."""
        return self._in_force_at(None)

    def in_force_on(self, day: datetime.date) -> PrescriptionQuerySet:
        """The plan each athlete followed on `day` (a session's day, counted in the current
        time zone): in_force's rule at that day's end, so a plan written that day counts,
        and neither one written since nor a link ended since takes it back. An account's
        deactivation is not dated: it takes the plans out of force on every day. For today,
        it is the plan in force now."""
        end = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
        return self._in_force_at(end)

    def _in_force_at(self, moment: datetime.datetime | None) -> PrescriptionQuerySet:
        """in_force's rule, now (None) or as it stood at `moment`."""
        newer = Prescription.objects.filter(athlete=OuterRef("athlete")).filter(
            Q(created_at__gt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
        plans, links = self.filter(replaced_at__isnull=True), CoachLink.objects.current()
        if moment is not None:
            newer = newer.filter(created_at__lte=moment)
            plans = self.filter(created_at__lte=moment).exclude(replaced_at__lte=moment)
            links = CoachLink.objects.current_at(moment)
        linked = Exists(
            links.filter(
                coach=OuterRef("coach"),
                athlete=OuterRef("athlete"),
                accepted_at__lte=OuterRef("created_at"),
            )
        )
        coaching = linked | Q(coach__is_superuser=True, coach__is_active=True)
        return plans.filter(~Exists(newer)).filter(coaching)

    def in_force_for(
        self, athlete_id: int, variation_id: int, on: datetime.date | None = None
    ) -> Prescription | None:
        """The plan in force (now, or on the day `on`: in_force_on) when it is for that rung,
        else none (a plan for another rung says nothing of this one): the load of the sets
        the timer logs; on a session's day, the tempo a video of it is held to."""
        plans = self.in_force() if on is None else self.in_force_on(on)
        return plans.filter(athlete_id=athlete_id, variation_id=variation_id).first()

    def load_kg_for(self, athlete_id: int, variation_id: int) -> Decimal:
        """The coach's load of that rung, which each set the timer logs of it takes; 0 when
        none is prescribed (training.services.timer_loads_kg then looks further)."""
        prescription = self.in_force_for(athlete_id, variation_id)
        return prescription.load_kg if prescription else Decimal(0)


class Prescription(models.Model):
    """What a coach asks an athlete to do; the newest one is the one in force (in_force)."""

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prescriptions"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prescribed"
    )
    variation = models.ForeignKey(Variation, on_delete=models.PROTECT, related_name="+")
    sets = models.PositiveSmallIntegerField()
    reps_per_side = models.PositiveSmallIntegerField()
    load_kg = models.DecimalField(max_digits=16, decimal_places=10, default=Decimal(0))
    tempo = models.CharField(max_length=11)
    # Held at the top of every rep, as a set's hold and a rung's advance hold are.
    hold_seconds = models.PositiveSmallIntegerField(default=0)
    side_order = models.CharField(max_length=12, choices=SIDE_ORDERS, default="left-right")
    sessions_per_week = models.PositiveSmallIntegerField(default=2)
    notes = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The form's, so the same post twice saves one (core.submissions.create_once); none
    # for a prescription made in the admin or the shell.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # When a newer plan for the athlete was written (save): kept on the row, so the plan
    # stays replaced when the newer one goes, deleted with its coach's account.
    replaced_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        db_table = "training_prescription"  # the table made before the split: nothing renamed
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["athlete", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(sets__gte=1, sets__lte=MAX_SETS), name="prescription_sets_in_range"
            ),
            models.CheckConstraint(
                condition=Q(reps_per_side__gte=1, reps_per_side__lte=MAX_REPS),
                name="prescription_reps_in_range",
            ),
            models.CheckConstraint(
                condition=Q(load_kg__gte=0, load_kg__lte=MAX_LOAD_KG),
                name="prescription_load_in_range",
            ),
            models.CheckConstraint(
                condition=Q(hold_seconds__lte=MAX_HOLD_SECONDS),
                name="prescription_hold_in_range",
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__gte=1, sessions_per_week__lte=MAX_SESSIONS_PER_WEEK),
                name="prescription_frequency_in_range",
            ),
            models.CheckConstraint(
                condition=Q(tempo__regex=NOTATION_PATTERN), name="prescription_tempo_notation"
            ),
            models.CheckConstraint(
                condition=Q(side_order__in=[value for value, _ in SIDE_ORDERS]),
                name="prescription_side_order_is_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variation.name}: {self.sets} × {self.reps_per_side}"

    def save(self, *args, **kwargs) -> None:
        """A new plan replaces the athlete's others, in the same transaction (services,
        the admin and the shell alike)."""
        if not self._state.adding:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            earlier = Prescription.objects.filter(athlete_id=self.athlete_id, replaced_at=None)
            earlier.exclude(pk=self.pk).update(replaced_at=self.created_at)

    def off_level(self, level: Variation | None) -> Variation | None:
        """The athlete's `level` when it moved away from this plan's rung (a move up or
        down since the plan was written), else None: the coach's page and Today say so."""
        return level if level is not None and level.pk != self.variation_id else None

    @property
    def rep_tempo(self) -> Tempo:
        """Each rep's tempo: the prescribed hold, when longer, is its hold at the top.

        TempoError when the hold is longer than a tempo's hold can be (the prescription
        form refuses that; rows from before it may have one).
        """
        return Tempo.parse(self.tempo).held_for(self.hold_seconds)

    def form_values(self, unit: str) -> dict:
        """The prescription form's values, its load in `unit`: every stored field, so
        replacing it changes only what the coach changes (its note included)."""
        return {
            "variation": self.variation_id,
            "sets": self.sets,
            "reps_per_side": self.reps_per_side,
            "load": from_kg(self.load_kg, unit) if self.load_kg else None,
            "tempo": self.tempo,
            "hold_seconds": self.hold_seconds,
            "side_order": self.side_order,
            "sessions_per_week": self.sessions_per_week,
            "notes": self.notes,
        }

    def first_set_values(self, unit: str, *, side: str) -> dict:
        """The set form's values for a set done as prescribed, on `side`."""
        values = self.form_values(unit)
        return {
            "side": side,
            "reps": values["reps_per_side"],
            "load": values["load"],
            "hold_seconds": values["hold_seconds"] or None,
            "tempo": values["tempo"],
        }

    def timer_query(self) -> dict[str, str]:
        """The tempo timer's plan for this prescription (coaching.forms.TIMER_FIELDS): the
        hold on every rep, no long hold on the last, the legs in the prescribed order and
        the timer's own rests."""
        plan = {
            "variation": self.variation.slug,
            "tempo": self.rep_tempo.notation,
            "sets": self.sets,
            "reps": self.reps_per_side,
            "sides": sides.plan_order(self.side_order, self.variation.one_side_at_a_time),
            "last_hold": 0,
        }
        return {key: str(value) for key, value in plan.items()}

    def timer_url(self) -> str:
        """The tempo timer set up with this prescription's plan; "" for one it cannot time."""
        try:
            return f"{reverse('coaching:timer')}?{urlencode(self.timer_query())}"
        except TempoError:
            return ""


class CoachNoteQuerySet(models.QuerySet["CoachNote"]):
    def on_session(self, session: TrainingSession, numbered: list[Set]) -> list[CoachNote]:
        """The session's coach notes, each about one of the `numbered` sets (or none)."""
        notes = list(self.filter(session=session).select_related("coach"))
        by_pk = {done.pk: done for done in numbered}
        for note in notes:
            if note.set_id in by_pk:
                note.set = by_pk[note.set_id]
        return notes


class CoachNote(models.Model):
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes_written"
    )
    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_notes"
    )
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="coach_notes"
    )
    set = models.ForeignKey(
        Set, on_delete=models.CASCADE, null=True, blank=True, related_name="coach_notes"
    )
    text = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    # The form's, so the same post twice saves one (core.submissions.create_once); none
    # for a note made in the admin or the shell.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = CoachNoteQuerySet.as_manager()

    class Meta:
        db_table = "training_coachnote"  # the table made before the split: nothing renamed
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class FlagReviewQuerySet(models.QuerySet["FlagReview"]):
    def covering(
        self, flags_by_athlete: dict, coach
    ) -> dict[int, dict[tuple[str, str], FlagReview]]:
        """`coach`'s reviews of the flags given ({athlete id: [review.Flag]}), per athlete id
        and (kind, subject): one query, however many athletes. Another coach's review covers
        nothing here: each coach answers a flag for themself."""
        subjects = {flag.subject for flags in flags_by_athlete.values() for flag in flags}
        found: dict[int, dict[tuple[str, str], FlagReview]] = {}
        if not subjects:
            return found
        in_pain = [
            athlete
            for athlete, flags in flags_by_athlete.items()
            if any(flag.kind == "pain" for flag in flags)
        ]
        # A pain flag is covered by any review of it that knew of every painful set now
        # (balance.pain_covered_by): the newest such review, as the rows come newest first.
        reviews = self.filter(athlete__in=list(flags_by_athlete), reviewed_by=coach).filter(
            Q(subject__in=subjects) | Q(kind="pain", athlete__in=in_pain)
        )
        for review in reviews.select_related("reviewed_by"):
            covered = found.setdefault(review.athlete_id, {})
            if review.kind != "pain":
                covered[(review.kind, review.subject)] = review
                continue
            for flag in flags_by_athlete[review.athlete_id]:
                if flag.kind == "pain" and pain_covered_by(flag.subject, review.subject):
                    covered.setdefault((flag.kind, flag.subject), review)
        return found


class FlagReview(models.Model):
    """A coach marked one review-queue flag as seen: who, when, and what raised it.

    Flags are worked out from the log each time (review.py); this keeps the coach's
    answer to one of them, for that coach alone: an athlete's other coaches still see it
    open. `subject` is the flag's (review.Flag.subject), so a newer cause raises the flag
    again, open, even after an older one was reviewed.
    """

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flag_reviews"
    )
    kind = models.CharField(max_length=20)
    subject = models.CharField(max_length=40)
    # The coach whose review it is (their account gone, it covers nobody's queue).
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    objects = FlagReviewQuerySet.as_manager()

    class Meta:
        db_table = "training_flagreview"  # the table made before the split: nothing renamed
        ordering = ["-reviewed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "kind", "subject", "reviewed_by"],
                name="flagreview_once_per_flag_and_coach",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.subject}) reviewed by {self.reviewed_by}"


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def visible_to(self, coach) -> AuditEntryQuerySet:
        """The entries `coach` may read: of the athletes they coach now
        (CoachLinkQuerySet.athletes_of), those they wrote and those written while they
        coached that athlete, from a link's acceptance to its end. What a previous coach
        wrote, or the athlete did before, is not theirs to read. A superuser, who coaches
        every athlete, reads all of it."""
        athletes = CoachLink.objects.athletes_of(coach)
        if coach.is_superuser:
            return self.filter(athlete__in=athletes)
        coached = CoachLink.objects.filter(
            Q(ended_at__isnull=True) | Q(ended_at__gte=OuterRef("created_at")),
            coach=coach,
            athlete=OuterRef("athlete"),
            accepted_at__lte=OuterRef("created_at"),
        )
        return self.filter(Q(actor=coach) | Exists(coached), athlete__in=athletes)


class AuditEntry(models.Model):
    """Who changed what for an athlete, and when: kept for every coach action, and deleted
    with the account of the one who did it (hipthrust/accounts.py), as closing promises."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_entries"
    )
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        db_table = "training_auditentry"  # the table made before the split: nothing renamed
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["athlete", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor}: {self.action}"
