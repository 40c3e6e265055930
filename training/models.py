from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Round
from django.db.transaction import TransactionManagementError
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode

from coaching.models import FormError, Variation
from coaching.tempo import NOTATION_PATTERN, Tempo, TempoError
from coaching.timer import SIDES
from training import sides
from training.progression import set_name, side_numbers
from training.roles import can_coach
from training.units import kg_per

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


# Trainees whose log version the running code bumped already, in this transaction and
# before its writes (see log_version_bumped).
_BUMPED: ContextVar[frozenset[int]] = ContextVar("log_version_bumped", default=frozenset())


@contextmanager
def log_version_bumped(user_id: int) -> Iterator[None]:
    """Writes to `user_id`'s log inside this block skip their own bump: the caller bumped
    the version in the same transaction, before them (the CSV import takes that bump as its
    lock), and readers see one bump or many alike, at the commit."""
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError("the bump and the writes must commit together")
    token = _BUMPED.set(_BUMPED.get() | {user_id})
    try:
        yield
    finally:
        _BUMPED.reset(token)


class ProfileQuerySet(models.QuerySet["Profile"]):
    def bump_log_version(self, users: int | Iterable[int] | models.QuerySet) -> int:
        """Mark these trainees' logs as changed (a user id, ids, or a query of ids), so
        pages computed from them are made afresh. Every LogQuerySet write calls it."""
        if not isinstance(users, models.QuerySet):
            users = ({users} if isinstance(users, int) else set(users)) - _BUMPED.get()
            if not users:
                return 0
        return self.filter(user_id__in=users).update(log_version=F("log_version") + 1)

    def unit_of(self, user) -> str:
        """The unit `user` reads weights in; a missing profile (a restored user) is made."""
        profile, _ = self.only("user_id", "unit").get_or_create(user=user)
        return profile.unit


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
    # Bumped by every write to the trainee's sessions, sets and level changes (LogQuerySet);
    # cached pages made from the log carry it.
    log_version = models.PositiveIntegerField(default=0, editable=False)

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


class OwnedWeight(models.Model):
    """A dumbbell or kettlebell the trainee has, so suggested loads are ones they can pick up."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_weights"
    )
    kind = models.CharField(max_length=12, choices=WeightKind.choices)
    load_kg = models.DecimalField(max_digits=16, decimal_places=10)

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


class LogQuerySet(models.QuerySet):
    """Rows of a trainee's log, which the cached log pages are made from (training/caching.py).

    Every write bumps the log version of the trainees whose rows it wrote, in the same
    transaction, so that no writer can forget to: update, bulk_create and bulk_update here
    (they send no signals); save and delete, cascades included, in training/signals.py.
    `owner` is the lookup from a row to its trainee.
    """

    owner = "user"

    def owners(self, rows: Iterable[models.Model]) -> set[int] | models.QuerySet:
        """The ids of the trainees `rows` belong to: a set, or a subquery (no query run)."""
        rows = list(rows)
        hop, _, rest = self.owner.partition("__")
        field = self.model._meta.get_field(hop)
        if not rest:
            return {getattr(row, field.attname) for row in rows}
        if all(field.is_cached(row) for row in rows):  # e.g. a set made as Set(session=...)
            attname = field.related_model._meta.get_field(rest).attname
            return {getattr(field.get_cached_value(row), attname) for row in rows}
        ids = {getattr(row, field.attname) for row in rows}
        return field.related_model._base_manager.filter(pk__in=ids).values(rest)

    def _owner_field(self) -> models.Field:
        return self.model._meta.get_field(self.owner.partition("__")[0])

    def for_user(self, user) -> LogQuerySet:
        """The rows of `user`'s own log."""
        return self.filter(**{self.owner: user})

    def coached_by(self, coach) -> LogQuerySet:
        """The rows of the athletes `coach` may see (CoachLinkQuerySet.athletes_of)."""
        return self.filter(**{f"{self.owner}__in": CoachLink.objects.athletes_of(coach)})

    def update(self, **kwargs) -> int:
        field = self._owner_field()
        with transaction.atomic(using=self.db, savepoint=False):
            # First, while the filter still finds the rows: readers see both at the commit.
            Profile.objects.bump_log_version(self.values(self.owner))
            rows = super().update(**kwargs)
            moved_to = {k: v for k, v in kwargs.items() if k in (field.name, field.attname)}
            if moved_to:
                Profile.objects.bump_log_version(self.owners([self.model(**moved_to)]))
        return rows

    def bulk_create(self, objs: Iterable[models.Model], *args, **kwargs) -> list:
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            Profile.objects.bump_log_version(self.owners(objs))
        return created

    def bulk_update(self, objs: Iterable[models.Model], fields, *args, **kwargs) -> int:
        objs = list(objs)
        field = self._owner_field()
        with transaction.atomic(using=self.db, savepoint=False):
            if {field.name, field.attname} & set(fields):
                moved = self.model._base_manager.filter(pk__in=[o.pk for o in objs])
                Profile.objects.bump_log_version(moved.values(self.owner))
            rows = super().bulk_update(objs, fields, *args, **kwargs)
            Profile.objects.bump_log_version(self.owners(objs))
        return rows


class LevelSource(models.TextChoices):
    START = "start", "Starting level"
    SUGGESTION = "suggestion", "Accepted suggestion"
    MANUAL = "manual", "Changed by the trainee"
    COACH = "coach", "Changed by a coach"


class LevelChange(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="level_changes"
    )
    from_variation = models.ForeignKey(
        Variation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_variation = models.ForeignKey(Variation, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
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


class SessionQuerySet(LogQuerySet):
    def with_sets(self) -> SessionQuerySet:
        """Sessions with at least one set: the ones that happened. "Start logging sets"
        makes a session before its first set, and one left empty is no training: it never
        counts for progression, compliance, balance, charts or history."""
        return self.filter(models.Exists(Set.objects.filter(session=models.OuterRef("pk"))))

    def on_day(self, day) -> SessionQuerySet:
        """The sessions dated `day`, that day's session first (in_day_order). A session
        back-dated to another day is not that day's session."""
        return self.filter(date=day).in_day_order()

    def in_day_order(self) -> SessionQuerySet:
        """A day's session before the others of its day: one with sets before an empty
        one, then the latest started; each with its `set_count`."""
        empty_last = models.Case(models.When(set_count=0, then=1), default=0)
        return self.annotate(set_count=Count("sets")).order_by(empty_last, "-created_at", "-pk")

    def without_sets(self) -> SessionQuerySet:
        """The sessions with_sets() leaves out: started, nothing logged yet."""
        return self.exclude(models.Exists(Set.objects.filter(session=models.OuterRef("pk"))))

    def with_totals(self, unit: str = "kg") -> SessionQuerySet:
        """Per-side work and hold totals, computed in the database; work is reps times load in
        `unit` (a pounds trainee reads reps times pounds), or reps alone for a body-weight set."""
        load = F("sets__load_kg")
        if unit != "kg":
            load = load / models.Value(kg_per(unit), output_field=models.DecimalField())
        work = models.Case(
            models.When(sets__load_kg__gt=0, then=F("sets__reps") * load),
            default=F("sets__reps"),
            output_field=models.DecimalField(max_digits=20, decimal_places=10),
        )
        totals = {}
        for side in sides.NAMED:
            on_side = Q(sets__side=side)
            totals[f"{side}_work"] = Coalesce(
                Sum(work, filter=on_side), Decimal(0), output_field=models.DecimalField()
            )
            if unit != "kg":
                # Divided, the engines differ in the last digits: both agree to the cent.
                totals[f"{side}_work"] = Round(
                    totals[f"{side}_work"],
                    2,
                    output_field=models.DecimalField(max_digits=20, decimal_places=2),
                )
            totals[f"{side}_hold"] = Coalesce(Sum("sets__hold_seconds", filter=on_side), 0)
            totals[f"{side}_sets"] = Count("sets", filter=on_side)
            totals[f"{side}_max_load"] = Max("sets__load_kg", filter=on_side)
        # Sets of unknown side are counted, never added to a side's totals.
        totals["unknown_sets"] = Count("sets", filter=Q(sets__side=Side.UNKNOWN))
        return self.annotate(**totals, set_count=Count("sets"))

    def page_with_totals(
        self, sessions: list[TrainingSession], unit: str = "kg"
    ) -> list[TrainingSession]:
        """Attach the per-side totals (work in `unit`) to an already fetched page of sessions.

        Aggregating only the page's rows keeps a long log cheap: ordering and slicing an
        annotated queryset would make the database total every session first.
        """
        totals = {
            row["pk"]: row
            for row in self.filter(pk__in=[s.pk for s in sessions])
            .with_totals(unit)
            .values("pk", *TOTAL_FIELDS)
        }
        for session in sessions:
            for name in TOTAL_FIELDS:
                setattr(session, name, totals[session.pk][name])
        return sessions


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

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["user", "-date", "-id"], name="session_user_date")]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y}: {self.variation.name}"

    def get_absolute_url(self) -> str:
        return reverse("training:session-detail", kwargs={"pk": self.pk})

    @property
    def video_sides(self) -> tuple[str, ...]:
        """The sides a clip of the session (not of one set) can be of."""
        return sides.worked(self.variation.one_side_at_a_time)


# What a set records, beside where it sits (session, position) and its form errors: the one
# list the form, copies, undo and the admin work from.
SET_FIELDS = ("side", "reps", "load_kg", "hold_seconds", "tempo", "rpe", "rir", "pain", "note")


class SetQuerySet(LogQuerySet):
    owner = "session__user"

    def with_error_count(self) -> SetQuerySet:
        """`error_count`: the trainee's own form-error flags on the set, and the other form
        errors their coach tagged on the set's video that they have seen (training/level.py)."""
        tagged = (
            VideoComment.objects.form_errors_on_sets(seen_only=True)
            .filter(video__set=OuterRef("pk"))
            .exclude(
                form_error__in=Set.form_errors.through.objects.filter(
                    set=OuterRef("video__set")
                ).values("formerror")
            )
            .order_by()
            .values("video__set")
            .annotate(count=Count("form_error", distinct=True))
            .values("count")
        )
        return self.annotate(
            error_count=Count("form_errors", distinct=True)
            + Coalesce(Subquery(tagged, output_field=IntegerField()), 0)
        )

    def with_video_marks(self) -> SetQuerySet:
        """What the set row shows of its videos, in the one query that lists the sets:
        `video_pk`, its newest video (None without one); `unread_comments`, the comments on
        its videos the owner has not opened yet, and `unread_video_pk`, the newest video
        holding some (where the badge leads)."""
        videos = SetVideo.objects.filter(set=OuterRef("pk")).order_by("-created_at", "-pk")
        unread = VideoComment.objects.filter(
            video__set=OuterRef("pk"), seen_at__isnull=True
        ).exclude(author=OuterRef("session__user"))
        counted = unread.order_by().values("video__set").annotate(count=Count("pk")).values("count")
        return self.annotate(
            video_pk=Subquery(videos.values("pk")[:1]),
            unread_comments=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
            unread_video_pk=Subquery(
                unread.order_by("-video__created_at", "-video_id").values("video_id")[:1]
            ),
        )

    def numbered_up_to(self, session, side: str, position) -> SetQuerySet:
        """The sets a set's number on its side counts: its session's, on its side, up to its
        position (progression.side_numbers counts the same in a list). The arguments may
        be OuterRefs, for the number of a set in a subquery."""
        return self.filter(session=session, side=side, position__lte=position)

    def recent_on_side(
        self, session: TrainingSession, side: str, limit: int, *, besides: Set | None = None
    ) -> SetQuerySet:
        """The trainee's newest sets on `side` of `session`'s variation, this session's too,
        leaving out `besides` (the set being edited)."""
        sets = self.filter(
            session__user_id=session.user_id, session__variation_id=session.variation_id, side=side
        )
        if besides is not None:
            sets = sets.exclude(pk=besides.pk)
        return sets.order_by("-session__date", "-session_id", "-position")[:limit]


class Set(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="sets")
    position = models.PositiveIntegerField()
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
    def number_by_side(sets: list[Set]) -> list[Set]:
        """A session's sets, in order, each given its side_number without a query."""
        for done, number in zip(sets, side_numbers(s.side for s in sets), strict=True):
            done.side_number = number
        return sets

    @staticmethod
    def notes_on(session: TrainingSession, numbered: list[Set]) -> list[CoachNote]:
        """The session's coach notes, each about one of the `numbered` sets (or none)."""
        notes = list(session.coach_notes.select_related("coach"))
        by_pk = {done.pk: done for done in numbered}
        for note in notes:
            if note.set_id in by_pk:
                note.set = by_pk[note.set_id]
        return notes

    @property
    def amount(self) -> str:
        """What the set did, in a few words: "10 reps", "1 rep", or "30 s hold" for a hold only."""
        if self.is_hold_only:
            return f"{self.hold_seconds} s hold"
        return f"{self.reps} rep{'' if self.reps == 1 else 's'}"

    @property
    def is_hold_only(self) -> bool:
        return self.reps == 0


def invitation_cutoff():
    """Invitations made before this moment have expired."""
    return timezone.now() - timedelta(days=settings.INVITATION_DAYS)


# The rows the cached log pages are made from: each model's writes bump the log version.
LOG_MODELS = (TrainingSession, Set, LevelChange)


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


class ImportStatus(models.TextChoices):
    READY = "ready", "Ready to save"
    CHECKING = "checking", "Being checked"  # by a background job (large files)
    SAVING = "saving", "Being saved"  # by a background job
    SAVED = "saved", "Saved"
    FAILED = "failed", "Failed"


class PendingImport(models.Model):
    """An uploaded file between its preview and the trainee's "save": kept on the server, so
    what is saved is the file previewed and nothing the browser sends back.

    A file of more than import_budget.SYNC_LINES lines is checked and saved by background
    jobs: the row says how far they got, keeps the preview they rendered, and what became of
    the save (training/csv_io/pending.py)."""

    KEEP_FOR = timedelta(hours=1)
    IN_PROGRESS = (ImportStatus.CHECKING, ImportStatus.SAVING)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_hash = models.CharField(max_length=64, help_text="SHA-256 of the text.")
    unit = models.CharField(max_length=2, choices=Unit.choices)  # the unit it was read in
    text = models.TextField()
    lines = models.PositiveIntegerField(default=0)  # as counted while it was uploaded
    status = models.CharField(max_length=10, choices=ImportStatus, default=ImportStatus.READY)
    rows_read = models.PositiveIntegerField(default=0)  # how far the running job has read
    job_started_at = models.DateTimeField(null=True, blank=True)  # the running job's start
    # A job's word for the trainee: why it failed, what it saved, or why the preview is new.
    job_message = models.TextField(blank=True)
    # The preview a job rendered (its pieces as preview pages show them), and its digest.
    source = models.CharField(max_length=20, blank=True)
    digest = models.CharField(max_length=64, blank=True)
    sessions_to_add = models.PositiveIntegerField(default=0)
    summary_html = models.TextField(blank=True)
    details_html = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name or 'CSV'}, uploaded {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def progress_percent(self) -> int:
        return min(100, self.rows_read * 100 // self.lines) if self.lines else 0

    @property
    def expires_at(self):
        return self.created_at + self.KEEP_FOR

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class CoachLinkQuerySet(models.QuerySet["CoachLink"]):
    """Who may see another's log: the one definition, `athletes_of`, under the coach panel,
    the admin, videos and the review queue (`LogQuerySet.coached_by`,
    `SetVideoQuerySet.visible_to`). One's own rows are `LogQuerySet.for_user`, which the
    views' `_get_..._for_user` lookups and sync use."""

    def active(self) -> CoachLinkQuerySet:
        """Accepted and not ended: the link as the two people see it on their pages."""
        return self.filter(athlete__isnull=False, accepted_at__isnull=False, ended_at__isnull=True)

    def current(self) -> CoachLinkQuerySet:
        """Active links whose coach and athlete are both still active accounts: only these
        let a coach see anything (a deactivated person's link shows nobody's log)."""
        return self.active().filter(coach__is_active=True, athlete__is_active=True)

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
        """Invitations not yet accepted, withdrawn or expired."""
        return self.filter(
            athlete__isnull=True, ended_at__isnull=True, created_at__gt=invitation_cutoff()
        )


class CoachLink(models.Model):
    """A coach's invitation, and once the athlete accepts it, their link until either ends it."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_links"
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

    objects = CoachLinkQuerySet.as_manager()

    class Meta:
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
        return f"{self.coach} coaching {self.athlete or '(invitation)'}"

    @property
    def is_active(self) -> bool:
        return bool(self.athlete_id and self.accepted_at and not self.ended_at)

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=settings.INVITATION_DAYS)

    @property
    def is_open_invitation(self) -> bool:
        return not (self.athlete_id or self.ended_at) and self.expires_at > timezone.now()


class Prescription(models.Model):
    """What a coach asks an athlete to do; the newest one is the one in force."""

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

    class Meta:
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

    @property
    def rep_tempo(self) -> Tempo:
        """Each rep's tempo: the prescribed hold, when longer, is its hold at the top.

        TempoError when the hold is longer than a tempo's hold can be (the prescription
        form refuses that; rows from before it may have one).
        """
        tempo = Tempo.parse(self.tempo)
        return (
            tempo.with_top_hold(self.hold_seconds) if self.hold_seconds > tempo.top_hold else tempo
        )

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

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class FlagReviewQuerySet(models.QuerySet["FlagReview"]):
    def covering(self, flags_by_athlete: dict) -> dict[int, dict[tuple[str, str], FlagReview]]:
        """The reviews of the flags given ({athlete id: [review.Flag]}), per athlete id and
        (kind, subject): one query, however many athletes."""
        subjects = {flag.subject for flags in flags_by_athlete.values() for flag in flags}
        found: dict[int, dict[tuple[str, str], FlagReview]] = {}
        if not subjects:
            return found
        for review in self.filter(
            athlete__in=list(flags_by_athlete), subject__in=subjects
        ).select_related("reviewed_by"):
            found.setdefault(review.athlete_id, {})[(review.kind, review.subject)] = review
        return found


class FlagReview(models.Model):
    """A coach marked one review-queue flag as seen: who, when, and what raised it.

    Flags are worked out from the log each time (review.py); this keeps the coach's
    answer to one of them. `subject` is the flag's (review.Flag.subject), so a newer
    cause raises the flag again, open, even after an older one was reviewed.
    """

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flag_reviews"
    )
    kind = models.CharField(max_length=20)
    subject = models.CharField(max_length=40)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)

    objects = FlagReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "kind", "subject"], name="flagreview_once_per_flag"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.subject}) reviewed by {self.reviewed_by}"


class AuditEntry(models.Model):
    """Who changed what for an athlete, and when: kept for every coach action."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_entries"
    )
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["athlete", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor}: {self.action}"


class VideoStatus(models.TextChoices):
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class SetVideoQuerySet(models.QuerySet["SetVideo"]):
    def visible_to(self, user) -> SetVideoQuerySet:
        """The videos `user` may watch: their own, and those of the athletes they coach
        (CoachLinkQuerySet.athletes_of) while the link is current."""
        return self.filter(Q(owner=user) | Q(owner__in=CoachLink.objects.athletes_of(user)))

    def to_review_by(self, coach) -> SetVideoQuerySet:
        return (
            self.filter(owner__in=CoachLink.objects.athletes_of(coach))
            .exclude(owner=coach)
            .filter(status=VideoStatus.READY, reviewed_at__isnull=True)
        )

    def with_unread_comments(self, owner) -> SetVideoQuerySet:
        """`owner`'s videos holding comments they have not opened yet, newest first, each
        with `unread_comments`: what Today lists (one query)."""
        unread = Count(
            "comments", filter=Q(comments__seen_at__isnull=True) & ~Q(comments__author=owner)
        )
        # The filmed set's number on its side, as the session page numbers it.
        side_number = (
            Set.objects.numbered_up_to(
                OuterRef("set__session"), OuterRef("set__side"), OuterRef("set__position")
            )
            .order_by()
            .values("session")
            .annotate(number=Count("pk"))
            .values("number")[:1]
        )
        return (
            self.filter(owner=owner)
            .annotate(unread_comments=unread, set_side_number=Subquery(side_number))
            .filter(unread_comments__gt=0)
            .select_related("set", "session__variation")
            .order_by("-created_at", "-pk")
        )

    def stored_bytes(self, user) -> int:
        return self.filter(owner=user).aggregate(total=Coalesce(Sum("size"), 0))["total"]


class SetVideo(models.Model):
    """A clip of one set (or of one side of a session) for the coach to review.

    `original` is the upload as received until the job has processed it, then the same
    streams with every tag and metadata track removed; `rendition` is the H.264/AAC copy
    made when the original will not play in every browser. Nothing is served until ready.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_videos"
    )
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="videos")
    set = models.ForeignKey(
        Set, on_delete=models.CASCADE, null=True, blank=True, related_name="videos"
    )
    # For a clip of one side of the session rather than of one set.
    side = models.CharField(max_length=7, choices=Side.choices, blank=True)
    original = models.FileField(max_length=200)
    original_type = models.CharField(max_length=20, blank=True)
    poster = models.FileField(max_length=200, blank=True)
    rendition = models.FileField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=VideoStatus.choices, default=VideoStatus.PROCESSING
    )
    failure = models.CharField(max_length=300, blank=True)
    # How many times the job has started on it, and when it last did: a job that a killed
    # worker never finished is found by its age and run again (training/tasks.py).
    attempts = models.PositiveSmallIntegerField(default=0)
    job_started_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(default=0)
    frame_rate = models.FloatField(default=30)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # Every stored byte of it (original, poster, rendition): what the quota counts.
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = SetVideoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VideoStatus.values), name="setvideo_status_is_known"
            ),
            # Either a set, or a side of the session: never both, never neither.
            models.CheckConstraint(
                condition=(Q(set__isnull=False) & Q(side=""))
                | (Q(set__isnull=True) & Q(side__in=sides.NAMED)),
                name="setvideo_set_or_side",
            ),
            models.CheckConstraint(
                condition=~Q(status=VideoStatus.FAILED) | ~Q(failure=""),
                name="setvideo_failure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Video of {self.set or self.get_side_display()} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("training:video-detail", kwargs={"pk": self.pk})

    def stored_names(self) -> list[str]:
        return [f.name for f in (self.original, self.poster, self.rendition) if f]

    @property
    def set_name(self) -> str:
        """The filmed set as the session page names it, "set 2 on the left" (the number from
        SetVideoQuerySet.with_unread_comments)."""
        return set_name(self.set.side, self.set_side_number)

    @property
    def side_title(self) -> str:
        """What a clip of a side (not of one set) is of, as a heading."""
        return "The whole session" if self.side == Side.BOTH else f"{self.get_side_display()} side"

    @property
    def playback_type(self) -> str:
        return "video/mp4" if self.rendition else self.original_type


class VideoCommentQuerySet(models.QuerySet["VideoComment"]):
    def form_errors_on_sets(self, *, seen_only: bool) -> VideoCommentQuerySet:
        """Comments naming a form error on a set's video: they count like the trainee's own
        flag on that set (a side's video has no set to count on). In the review queue at
        once; in the trainee's progression only once they have seen it."""
        tagged = self.filter(form_error__isnull=False, video__set__isnull=False)
        return tagged.filter(seen_at__isnull=False) if seen_only else tagged


class VideoComment(models.Model):
    """A coach's remark pinned to a moment of the clip, optionally naming a form error."""

    video = models.ForeignKey(SetVideo, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at_seconds = models.DecimalField(max_digits=6, decimal_places=2)
    text = models.CharField(max_length=1000, blank=True)
    form_error = models.ForeignKey(
        FormError, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the athlete first opened the video page with this comment on it: a tagged form
    # error counts in their progression from then on (training/level.py).
    seen_at = models.DateTimeField(null=True, blank=True)

    objects = VideoCommentQuerySet.as_manager()

    class Meta:
        ordering = ["at_seconds", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(at_seconds__gte=0, at_seconds__lte=600),
                name="videocomment_moment_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(text="") | Q(form_error__isnull=False),
                name="videocomment_says_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at_seconds} s: {self.text[:50] or self.form_error}"


class VideoUploadQuerySet(models.QuerySet["VideoUpload"]):
    def expired(self, now=None) -> VideoUploadQuerySet:
        return self.filter(expires_at__lte=now or timezone.now())

    def pending_bytes(self, user) -> int:
        """What the user's unfinished uploads will take: counted against the quota while open."""
        return self.filter(owner=user).aggregate(total=Coalesce(Sum("size"), 0))["total"]


class VideoUpload(models.Model):
    """A clip arriving in chunks, which a dropped connection does not start over.

    Each chunk is stored, through the storage API, under `chunk_folder` named by its offset;
    `received` counts the bytes kept so far, in order. The last chunk turns them into a
    SetVideo (training/videos.py, finish_upload) and this row and its chunks go. An upload
    left unfinished goes when it expires (a job queued for that moment, and requeue_videos).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_uploads"
    )
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="+")
    set = models.ForeignKey(Set, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    side = models.CharField(max_length=7, choices=Side.choices, blank=True)
    size = models.PositiveBigIntegerField()
    received = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = VideoUploadQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(received__lte=F("size")),
                name="videoupload_received_within_size",
            ),
            models.CheckConstraint(
                condition=(Q(set__isnull=False) & Q(side=""))
                | (Q(set__isnull=True) & Q(side__in=sides.NAMED)),
                name="videoupload_set_or_side",
            ),
        ]

    def __str__(self) -> str:
        return f"Upload {self.pk}: {self.received} of {self.size} bytes"

    def get_absolute_url(self) -> str:
        return reverse("training:video-upload", kwargs={"pk": self.pk})

    @property
    def chunk_folder(self) -> str:
        # Under videos/, which only the checked views serve (hipthrust/views.py).
        return f"videos/uploads/{self.owner_id}/{self.pk.hex}"

    def chunk_name(self, offset: int) -> str:
        return f"{self.chunk_folder}/{offset:012d}.part"


class AnalysisStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    DONE = "done", "Done"
    # The clip was read but the person was not seen well enough: `result["declined"]` says why.
    DECLINED = "declined", "Declined"
    # The analysis could not run (`failure` says why); the video itself is unaffected.
    FAILED = "failed", "Failed"


class SuggestionAnswer(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class VideoAnalysis(models.Model):
    """What the camera read in a ready set video, rep by rep (videos/form_analysis.py).

    `result` is `FormAnalysis.as_json()` without its guess of the working leg (the side is
    the app's: the video's set or side), plus `skeleton`, the few joints of each analysed
    frame that the page draws over the video. `answers` holds the coach's reply to each
    suggested form error, by its key (training/videos.py, suggestion_key).
    """

    video = models.OneToOneField(SetVideo, on_delete=models.CASCADE, related_name="analysis")
    status = models.CharField(
        max_length=10, choices=AnalysisStatus.choices, default=AnalysisStatus.WAITING
    )
    result = models.JSONField(default=dict, blank=True)
    failure = models.CharField(max_length=300, blank=True)
    model = models.CharField(max_length=100, blank=True)
    model_version = models.CharField(max_length=40, blank=True)
    # What the reps were read against: the prescription's tempo, else the set's.
    prescribed_tempo = models.CharField(max_length=11, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    # As SetVideo's: runs a killed worker never finished are found by their age.
    attempts = models.PositiveSmallIntegerField(default=0)
    job_started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "video analyses"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AnalysisStatus.values),
                name="videoanalysis_status_is_known",
            ),
            models.CheckConstraint(
                condition=~Q(status=AnalysisStatus.FAILED) | ~Q(failure=""),
                name="videoanalysis_failure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Analysis of video {self.video_id} ({self.get_status_display()})"
