from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, Round
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property

from coaching.legs import SIDES
from coaching.models import FormError, Variation
from coaching.tempo import NOTATION_PATTERN
from core.text import counted
from training import sides, thinning
from training.progression import joined, on_side, set_name, side_numbers
from training.units import format_load, kg_per

MAX_LOAD_KG = Decimal("500")
MAX_REPS = 100
MAX_HOLD_SECONDS = 600
MAX_SETS = 10  # in one prescription or one timer plan
MAX_SESSIONS_PER_WEEK = 14
RPE_VALUES = [Decimal(v) / 2 for v in range(12, 21)]  # 6, 6.5, ... 10


class Unit(models.TextChoices):
    KG = "kg", "Kilograms (kg)"
    LB = "lb", "Pounds (lb)"


# The leg a prescription starts on: the timer's ways of taking the legs, but for "both",
# which a rung done on both legs together takes whatever this says.
SIDE_ORDERS = [(value, label) for value, label in SIDES if value != "both"]


class Side(models.TextChoices):
    """The sides of training.sides, which holds their rules."""

    LEFT = sides.LEFT, "Left"
    RIGHT = sides.RIGHT, "Right"
    BOTH = sides.BOTH, "Both legs"
    # Strong and Hevy record no side; an imported set keeps "not recorded" until the
    # trainee says which leg it was, rather than a guess from set order.
    UNKNOWN = sides.UNKNOWN, "Side not recorded"


class ProfileQuerySet(models.QuerySet["Profile"]):
    def unit_of(self, user) -> str:
        """The unit `user` reads weights in; a missing profile (a restored user) is made."""
        profile, _ = self.only("user_id", "unit").get_or_create(user=user)
        return profile.unit

    def unit_and_stale_points(self, user) -> tuple[str, bool]:
        """`user`'s unit, and whether weeks of theirs wait for their progress points to be
        made again (StaleProgressWeek), in one query."""
        stale = Exists(StaleProgressWeek.objects.filter(user=OuterRef("user")))
        only = self.only("user_id", "unit").annotate(points_stale=stale)
        profile, _ = only.get_or_create(user=user)
        # A profile made just now was not read with the annotation: then ask.
        return profile.unit, getattr(profile, "points_stale", True)


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    unit = models.CharField(max_length=2, choices=Unit.choices, default=Unit.KG)
    level = models.ForeignKey(
        Variation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The rung of the ladder the trainee works on now.",
    )
    dismissed_suggestion = models.CharField(
        max_length=64,
        blank=True,
        help_text="The fingerprint of the last suggestion the trainee dismissed.",
    )
    # When the trainee closed their account: signing in is refused from then on, and a job
    # deletes the account and everything in it (hipthrust/accounts.py).
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="profile_unit_is_known")
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class WeightKind(models.TextChoices):
    DUMBBELL = "dumbbell", "Dumbbell"
    KETTLEBELL = "kettlebell", "Kettlebell"


class CommaJoined(models.Aggregate):
    """A column's values as one text, separated by commas, in no set order (NULL for no row):
    STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), ',')"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


class OwnedWeightQuerySet(models.QuerySet["OwnedWeight"]):
    def joined_loads(self) -> OwnedWeightQuerySet:
        """The weights' loads in kg as one text (OwnedWeight.loads_from reads it back), for a
        subquery of the query that finds the profile: not a query of its own."""
        return self.order_by().values("user").annotate(loads=CommaJoined("load_kg")).values("loads")


class OwnedWeight(models.Model):
    """A dumbbell or kettlebell the trainee has, so suggested loads are ones they can pick up."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_weights"
    )
    kind = models.CharField(max_length=12, choices=WeightKind.choices)
    load_kg = models.DecimalField(max_digits=16, decimal_places=10)

    objects = OwnedWeightQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "load_kg"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "load_kg"], name="ownedweight_unique_per_user"
            ),
            models.CheckConstraint(
                condition=Q(load_kg__gt=0, load_kg__lte=MAX_LOAD_KG),
                name="ownedweight_load_in_range",
            ),
        ]

    def __str__(self) -> str:
        # ":f" keeps 100 kg from reading "1E+2 kg", which normalize() alone gives.
        return f"{self.get_kind_display()} {self.load_kg.normalize():f} kg"

    @classmethod
    def loads_from(cls, joined: str | None) -> list[Decimal]:
        """The loads OwnedWeightQuerySet.joined_loads gives, lightest first, each the Decimal
        the field reads."""
        if not joined:
            return []
        places = Decimal(1).scaleb(-cls._meta.get_field("load_kg").decimal_places)
        return sorted(Decimal(load).quantize(places) for load in joined.split(","))


# A coach's note or a video points at a session or a set by these relations: a tidy-up or
# an undo that took the row would take that work with it (coaches, videos).
_NO_NOTE_OR_VIDEO = {"coach_notes__isnull": True, "videos__isnull": True}


class LogQuerySet(models.QuerySet):
    """Rows of a trainee's log. `owner` is the lookup from a row to its trainee."""

    owner = "user"

    def for_user(self, user) -> LogQuerySet:
        """The rows of `user`'s own log."""
        return self.filter(**{self.owner: user})


class LevelSource(models.TextChoices):
    START = "start", "Starting level"
    SUGGESTION = "suggestion", "Accepted suggestion"
    MANUAL = "manual", "Changed by the trainee"
    COACH = "coach", "Changed by a coach"
    # The rules' move, approved by a coach: so it reads after the coach's account is gone.
    APPROVED = "approved", "Suggested move, approved by a coach"


class LevelChange(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="level_changes"
    )
    from_variation = models.ForeignKey(
        Variation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_variation = models.ForeignKey(Variation, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    # The day it was made in the time zone of whoever made it (the request's): sessions
    # dated from it on count at the new level, for every viewer in any zone. Computed from
    # `changed_at` in the viewer's zone it moved with the viewer, and the advice with it.
    day = models.DateField(default=timezone.localdate)
    reason = models.CharField(max_length=500)
    source = models.CharField(max_length=12, choices=LevelSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = LogQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["user", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.to_variation} ({self.get_source_display()})"

    @property
    def origin(self) -> str:
        """How the change came about, naming the coach who made one ("Changed by a coach by
        coachy" said it twice)."""
        coach = self.changed_by if self.changed_by_id not in (None, self.user_id) else None
        if self.source == LevelSource.COACH and coach is not None:
            return f"Changed by their coach, {coach.get_username()}"
        approved = self.source == LevelSource.APPROVED
        # Approvals saved before they had a source of their own read the same.
        if (approved or self.source == LevelSource.SUGGESTION) and coach is not None:
            # The coach approved the rules' promotion: the athlete accepted nothing.
            return f"Suggested move, approved by their coach, {coach.get_username()}"
        return self.get_source_display()


class SessionQuerySet(LogQuerySet):
    def with_sets(self) -> SessionQuerySet:
        """Sessions with at least one set: the ones that happened. "Start logging sets"
        makes a session before its first set, and one left empty is no training: it never
        counts for progression, compliance, balance, charts or history. Read off the kept
        `set_count`, in an index of the sessions with sets: no set is read."""
        return self.filter(set_count__gt=0)

    def on_day(self, day) -> SessionQuerySet:
        """The sessions dated `day`, that day's session first (in_day_order). A session
        back-dated to another day is not that day's session."""
        return self.filter(date=day).in_day_order()

    def in_day_order(self) -> SessionQuerySet:
        """A day's session before the others of its day: one with sets before an empty
        one, then the latest started."""
        empty_last = models.Case(models.When(set_count=0, then=1), default=0)
        return self.order_by(empty_last, "-created_at", "-pk")

    def of_today(self, day, start_of_day) -> SessionQuerySet:
        """The sessions dated `day` and those started since `start_of_day` still without sets
        (perhaps dated another day), in_day_order. Both sides of the "or" are an index's
        range (the trainee's day; their empty sessions by when they were started): a few
        rows, never the log."""
        started_empty = Q(created_at__gte=start_of_day, set_count=0)  # as without_sets()
        return self.filter(Q(date=day) | started_empty).in_day_order()

    def without_sets(self) -> SessionQuerySet:
        """The sessions with_sets() leaves out: started, nothing logged yet; in an index of
        the empty sessions alone, so neither the log nor anyone else's sets are read."""
        return self.filter(set_count=0)

    def without_notes_or_videos(self) -> SessionQuerySet:
        return self.filter(**_NO_NOTE_OR_VIDEO)

    def abandoned(self) -> SessionQuerySet:
        """Empty sessions that hold nothing else either: no video (a clip filmed before its
        set is logged) and no coach's note, so clearing them away takes nobody's work."""
        return self.without_sets().without_notes_or_videos()

    def with_totals(self, unit: str = "kg") -> SessionQuerySet:
        """Per-side work and hold totals, computed in the database; work is reps times load in
        `unit` (a pounds trainee reads reps times pounds), or reps alone for a body-weight set."""
        totals = {}
        for side in sides.NAMED:
            on_side = Q(sets__side=side)
            totals[f"{side}_work"] = work_total(side, unit)
            totals[f"{side}_hold"] = Coalesce(Sum(TIME_HELD, filter=on_side), 0)
            totals[f"{side}_sets"] = Count("sets", filter=on_side)
            totals[f"{side}_max_load"] = Max("sets__load_kg", filter=on_side)
        # Sets of unknown side are counted, never added to a side's totals.
        totals["unknown_sets"] = Count("sets", filter=Q(sets__side=Side.UNKNOWN))
        return self.annotate(**totals)


# A set's time held at the top: its hold on every rep, or the hold itself for a hold only.
# (Summing the holds as written made 3 sets of 8 reps with a 5 s hold "15 s".)
TIME_HELD = models.Case(
    models.When(sets__reps__gt=0, then=F("sets__reps") * F("sets__hold_seconds")),
    default=F("sets__hold_seconds"),
    output_field=models.PositiveIntegerField(),
)


def work_total(side: str, unit: str) -> models.Expression:
    """A session's work on `side` (SessionQuerySet.with_totals), in `unit`."""
    load = F("sets__load_kg")
    if unit != "kg":
        load = load / models.Value(kg_per(unit), output_field=models.DecimalField())
    work = models.Case(
        models.When(sets__load_kg__gt=0, then=F("sets__reps") * load),
        default=F("sets__reps"),
        output_field=models.DecimalField(max_digits=20, decimal_places=10),
    )
    total = Coalesce(
        Sum(work, filter=Q(sets__side=side)), Decimal(0), output_field=models.DecimalField()
    )
    if unit != "kg":
        # Divided, the engines differ in the last digits: both agree to the cent.
        total = Round(total, 2, output_field=models.DecimalField(max_digits=20, decimal_places=2))
    return total


TOTAL_FIELDS = [
    f"{side}_{measure}" for side in sides.NAMED for measure in ("work", "hold", "sets", "max_load")
] + ["unknown_sets", "set_count"]


class TrainingSession(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_sessions"
    )
    date = models.DateField()
    variation = models.ForeignKey(Variation, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The CSV import that added the session, while that import can still be undone.
    import_batch = models.ForeignKey(
        "ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="sessions",
    )
    # The workout of another app's export it was imported from (imports.csv_io), kept after
    # the import can no longer be undone: a later export of that workout is then left out
    # however its sets were edited here since.
    import_key = models.CharField(max_length=64, blank=True, editable=False)

    # How many sets it holds, kept by training.summaries with every write of its sets.
    set_count = models.PositiveIntegerField(default=0, editable=False)
    # Moves on every edit of its date, variation or notes, as a set's revision does: an edit
    # from a form opened before (another tab) is refused instead of overwriting the newer.
    revision = models.PositiveIntegerField(default=1, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["user", "-date", "-id"], name="session_user_date"),
            # Today reads the sessions started today: a few, whatever the history.
            models.Index(fields=["user", "created_at"], name="session_user_created"),
            # History and charts page through the sessions that happened, Today counts the
            # empty ones: each in its own index, so neither walks the other's rows.
            models.Index(
                fields=["user", "-date", "-id"],
                name="session_user_done",
                condition=Q(set_count__gt=0),
            ),
            models.Index(
                fields=["user", "created_at"], name="session_user_empty", condition=Q(set_count=0)
            ),
            models.Index(
                fields=["user", "import_key"],
                name="session_user_imported",
                condition=~Q(import_key=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.variation.name}"

    def save(self, *args, **kwargs) -> None:
        # set_count is training.summaries' to write: a session saved from a copy read
        # before its sets changed never writes back its older count.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "set_count"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("training:session-detail", kwargs={"pk": self.pk})

    @property
    def day(self) -> str:
        """Its date in the site's one format (the locale's DATE_FORMAT, as the pages'
        `|date:"j M Y"`): "8 Dec 2026"."""
        return date_format(self.date)

    def what_deleting_takes(self) -> str:
        """What deleting the session takes with it for good, counted, for its confirm: its
        sets by side, its videos and its coach's notes (reached by their relations' names
        alone), "6 sets (3 on the left, 3 on the right) and 1 video"; "" when it holds none."""
        by_side = dict(
            self.sets.order_by()
            .values_list("side")
            .annotate(count=Count("pk"))
            .values_list("side", "count")
        )
        taken = []
        if by_side:
            sets = counted(sum(by_side.values()), "set")
            if len(by_side) == 1:
                (side,) = by_side
                taken.append(f"{sets} {on_side(side)}")
            else:
                where = [f"{by_side[side]} {on_side(side)}" for side in Side if side in by_side]
                taken.append(f"{sets} ({', '.join(where)})")
        if videos := self.videos.count():
            taken.append(counted(videos, "video"))
        if notes := self.coach_notes.count():
            taken.append(counted(notes, "coach's note"))
        return joined(taken) if taken else ""

    @staticmethod
    def with_kept_totals(
        sessions: list[TrainingSession], unit: str = "kg"
    ) -> list[TrainingSession]:
        """Sessions with sets read with their SessionTotals (select_related("totals")), each
        given the totals SessionQuerySet.with_totals(unit) annotates, without a query."""
        for session in sessions:
            for name in TOTAL_FIELDS:
                if name != "set_count":  # the session's own
                    kept = f"{name}_{unit}" if name.endswith("_work") and unit != "kg" else name
                    setattr(session, name, getattr(session.totals, kept))
        return sessions

    @property
    def video_sides(self) -> tuple[str, ...]:
        """The sides a clip of the session (not of one set) can be of."""
        return sides.worked(self.variation.one_side_at_a_time)


# What a set records, beside where it sits (session, position) and its form errors: the one
# list the form, copies, undo and the admin work from.
SET_FIELDS = ("side", "reps", "load_kg", "hold_seconds", "tempo", "rpe", "rir", "pain", "note")


def carried_tempo(tempo: str, variation: Variation) -> str:
    """The tempo a set made from another starts with (the next set's form, "Repeat last
    set", "Same for the other side"): the other's, or its rung's when it has none (sets
    imported from an app that records none), so what is logged without a look can count
    for the level's target."""
    return tempo or variation.tempo.tempo.notation


class SetQuerySet(LogQuerySet):
    owner = "session__user"

    def without_notes_or_videos(self) -> SetQuerySet:
        return self.filter(**_NO_NOTE_OR_VIDEO)

    def numbered_up_to(self, session, side: str, position) -> SetQuerySet:
        """The sets a set's number on its side counts: its session's, on its side, up to its
        position (progression.side_numbers counts the same in a list). The arguments may
        be OuterRefs, for the number of a set in a subquery."""
        return self.filter(session=session, side=side, position__lte=position)

    def recent_on_side(
        self, user_id, variation_id, side: str, limit: int, *, besides: Set | None = None
    ) -> SetQuerySet:
        """The trainee's newest sets on `side` of the variation, leaving out `besides` (the
        set being edited). The ids may be OuterRefs, for these sets in a subquery."""
        sets = self.filter(session__user_id=user_id, session__variation_id=variation_id, side=side)
        if besides is not None:
            sets = sets.exclude(pk=besides.pk)
        return sets.order_by("-session__date", "-session_id", "-position")[:limit]


class PositionField(models.PositiveIntegerField):
    """A set's place in its session, given back by the INSERT that writes it: a new set's
    place is counted by the database in that INSERT (Set.after_last), not asked first."""

    db_returning = True

    def deconstruct(self):
        # The column is the plain one: migrations see no change (none to run on a live table).
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.PositiveIntegerField", args, kwargs


class Set(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="sets")
    position = PositionField()
    side = models.CharField(max_length=7, choices=Side.choices)
    reps = models.PositiveSmallIntegerField(help_text="0 only for a hold-only set.")
    load_kg = models.DecimalField(max_digits=16, decimal_places=10, default=Decimal(0))
    hold_seconds = models.PositiveSmallIntegerField(default=0)
    tempo = models.CharField(max_length=11, blank=True)
    rpe = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    rir = models.PositiveSmallIntegerField(null=True, blank=True)
    form_errors = models.ManyToManyField(FormError, blank=True, related_name="+")
    pain = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Moves on every edit; an edit made from an older revision (another tab, a coach's
    # change in between) is refused instead of silently overwriting the newer values.
    revision = models.PositiveIntegerField(default=1, editable=False)
    import_batch = models.ForeignKey(
        "ImportBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="sets",
    )

    objects = SetQuerySet.as_manager()

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="set_unique_position"),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="set_side_is_known"),
            # A timed hold from Strong or Hevy has seconds and no reps: 0 reps needs a hold.
            models.CheckConstraint(
                condition=Q(reps__lte=MAX_REPS) & (Q(reps__gte=1) | Q(hold_seconds__gte=1)),
                name="set_reps_in_range",
            ),
            models.CheckConstraint(
                condition=Q(load_kg__gte=0, load_kg__lte=MAX_LOAD_KG), name="set_load_in_range"
            ),
            models.CheckConstraint(
                condition=Q(hold_seconds__lte=MAX_HOLD_SECONDS), name="set_hold_in_range"
            ),
            models.CheckConstraint(
                condition=Q(rpe__isnull=True) | Q(rpe__in=RPE_VALUES), name="set_rpe_half_steps"
            ),
            models.CheckConstraint(
                condition=Q(rir__isnull=True) | Q(rir__lte=10), name="set_rir_in_range"
            ),
            models.CheckConstraint(
                condition=Q(rpe__isnull=True) | Q(rir__isnull=True), name="set_one_effort_scale"
            ),
            models.CheckConstraint(
                condition=Q(tempo="") | Q(tempo__regex=NOTATION_PATTERN), name="set_tempo_notation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()}: {self.amount}"

    @cached_property
    def side_number(self) -> int:
        """Its number on its side (SetQuerySet.numbered_up_to); a page listing the session's
        sets numbers them all at once with number_by_side instead."""
        return Set.objects.numbered_up_to(self.session_id, self.side, self.position).count()

    @property
    def name(self) -> str:
        """ "set 2 on the left", as the advice names it."""
        return set_name(self.side, self.side_number)

    @staticmethod
    def after_last(session_id: int, nth: int = 1):
        """The place of the `nth` set appended to the session, counted by the INSERT itself
        from the sets already there. Only for a writer holding the session's row
        (services._count_in_new_sets): PostgreSQL counts as of the statement's start."""
        last = Set.objects.filter(session_id=session_id).order_by().values("session_id")
        last = last.annotate(last=Max("position")).values("last")
        return Coalesce(models.Subquery(last), 0) + nth

    @staticmethod
    def number_by_side(sets: list[Set]) -> list[Set]:
        """A session's sets, in order, each given its side_number without a query."""
        for done, number in zip(sets, side_numbers(s.side for s in sets), strict=True):
            done.side_number = number
        return sets

    @property
    def amount(self) -> str:
        """What the set did, in a few words: "10 reps", "1 rep", or "30 s hold" for a hold only."""
        if self.is_hold_only:
            return f"{self.hold_seconds} s hold"
        return f"{self.reps} rep{'' if self.reps == 1 else 's'}"

    @property
    def is_hold_only(self) -> bool:
        return self.reps == 0


class SessionTotals(models.Model):
    """A session's per-side totals (SessionQuerySet.with_totals, work in kg), kept by
    training.summaries for each session with sets: the progress page's points
    (ProgressPoints) are counted from one row a session instead of every set."""

    session = models.OneToOneField(
        TrainingSession, on_delete=models.CASCADE, primary_key=True, related_name="totals"
    )
    # Work in kg and, rounded to the cent as with_totals("lb") gives it, in pounds.
    left_work = models.DecimalField(max_digits=20, decimal_places=10)
    left_work_lb = models.DecimalField(max_digits=20, decimal_places=2)
    left_hold = models.PositiveIntegerField()
    left_sets = models.PositiveIntegerField()
    left_max_load = models.DecimalField(max_digits=16, decimal_places=10, null=True)
    right_work = models.DecimalField(max_digits=20, decimal_places=10)
    right_work_lb = models.DecimalField(max_digits=20, decimal_places=2)
    right_hold = models.PositiveIntegerField()
    right_sets = models.PositiveIntegerField()
    right_max_load = models.DecimalField(max_digits=16, decimal_places=10, null=True)
    both_work = models.DecimalField(max_digits=20, decimal_places=10)
    both_work_lb = models.DecimalField(max_digits=20, decimal_places=2)
    both_hold = models.PositiveIntegerField()
    both_sets = models.PositiveIntegerField()
    both_max_load = models.DecimalField(max_digits=16, decimal_places=10, null=True)
    unknown_sets = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"Totals of session {self.session_id}"


class AlikeSets(models.Model):
    """The sets of one trainee alike in all a record is made of (variation, side, reps, load,
    hold): how many, and the first day one was done. Kept by training.summaries; the
    records page reads these groups, as many as distinct sets, never the sets."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    variation = models.ForeignKey(Variation, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=7, choices=Side.choices)
    reps = models.PositiveSmallIntegerField()
    load_kg = models.DecimalField(max_digits=16, decimal_places=10)
    hold_seconds = models.PositiveSmallIntegerField()
    first_day = models.DateField()
    set_count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "variation", "side", "reps", "load_kg", "hold_seconds"],
                name="alikesets_one_row_per_group",
            ),
            # A group with no set left is deleted, never kept at zero.
            models.CheckConstraint(condition=Q(set_count__gte=1), name="alikesets_not_empty"),
        ]

    def __str__(self) -> str:
        # As the log shows a load: the admin listed "@ 0E-10 kg" for a body-weight group.
        load = format_load(self.load_kg, Unit.KG)
        return f"{self.set_count} × {self.side} {self.reps} reps, {load}"


class ProgressPoints(models.Model):
    """What the progress page charts, per side, at the three levels training.thinning
    thins a series to: each session's totals, each ISO week's and each month's bests; of
    each series (heaviest load, work in kg and in pounds, hold) the value and its day. Kept
    by training.summaries, so the page reads a few rows a month, never every session.

    A session's row has its totals (`sessions` 1); a week's, the bests of its sessions; a
    month's, the bests of the weeks whose best day falls in it (None where none does), and
    the sessions and weeks of the weeks starting in it. The side ANY_SIDE has a row for
    every session with sets, whatever its sides, and no values.
    """

    SESSION = thinning.SESSION
    WEEK = thinning.WEEK
    MONTH = thinning.MONTH
    ANY_SIDE = "any"
    SIDES = (*sides.NAMED, ANY_SIDE)
    # The series, in thinning.Period.bests' order: (value, day) columns.
    SERIES = ("max_load", "work", "work_lb", "hold")

    # No index of its own: the unique one below starts with the user, and with a second the
    # planner scanned all of a trainee's rows by it (21 ms at 100,000 sets, against 3 ms).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    period = models.CharField(
        max_length=7, choices=[(SESSION, "Session"), (WEEK, "Week"), (MONTH, "Month")]
    )
    side = models.CharField(max_length=7)
    start = models.DateField(help_text="The session's day, the week's Monday, the month's first.")
    # Not a key: a week's or month's row has none (0), and one unique index takes them all,
    # as an upsert of sessions and weeks together needs.
    session_pk = models.PositiveIntegerField(default=0, help_text="The session's, or 0.")
    sessions = models.PositiveIntegerField()
    weeks = models.PositiveIntegerField()
    max_load = models.DecimalField(max_digits=16, decimal_places=10, null=True)
    max_load_on = models.DateField(null=True)
    work = models.DecimalField(max_digits=20, decimal_places=10, null=True)
    work_on = models.DateField(null=True)
    work_lb = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    work_lb_on = models.DateField(null=True)
    hold = models.PositiveIntegerField(null=True)
    hold_on = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "side", "start", "session_pk"],
                name="progresspoints_one_row_each",
            ),
            models.CheckConstraint(
                condition=Q(period__in=[thinning.SESSION, thinning.WEEK, thinning.MONTH]),
                name="progresspoints_period_is_known",
            ),
            models.CheckConstraint(
                condition=Q(side__in=[*sides.NAMED, "any"]), name="progresspoints_side_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side} {self.period} of {self.start}"


class StaleProgressWeek(models.Model):
    """A week of a trainee's log written since its progress points were last made: the
    writes of sets mark their weeks (training.summaries), and the points of those weeks
    and their months are made again when the progress page next reads them. A write then
    costs one row here, not the recount, which only the page needs."""

    # No index of its own: the unique one below starts with the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    week = models.DateField(help_text="The week's Monday.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="staleprogressweek_once")
        ]

    def __str__(self) -> str:
        return f"Week of {self.week}"


class ImportBatchQuerySet(models.QuerySet["ImportBatch"]):
    def beyond_undo(self, user) -> ImportBatchQuerySet:
        """The user's imports older than the last KEEP, which can no longer be undone."""
        newest = self.filter(owner=user).order_by("-created_at", "-pk")
        return self.filter(pk__in=newest.values("pk")[ImportBatch.KEEP :])


class ImportBatch(models.Model):
    """One saved CSV import, so the trainee can undo it whole: the sessions and sets it added
    point here. Only the last KEEP are kept (as Liftosaur does); their rows stay in the log."""

    KEEP = 5

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_batches"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_hash = models.CharField(max_length=64, help_text="SHA-256 of the file's text.")
    source = models.CharField(max_length=20)  # the adapter's: hipthrust, strong, hevy
    session_count = models.PositiveIntegerField()
    set_count = models.PositiveIntegerField()
    duplicate_sessions = models.PositiveIntegerField(default=0)
    skipped_rows = models.PositiveIntegerField(default=0)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="importbatch_owner_created")]

    def __str__(self) -> str:
        return f"{self.file_name or 'CSV'} ({self.created_at:%Y-%m-%d %H:%M})"
