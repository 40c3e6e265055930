from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from coaching.figures import BUILDERS
from coaching.tempo import LEAST_SECONDS, MAX_PHASE_SECONDS, Tempo
from coaching.timer import MAX_REPS_PER_SIDE


def figure_choices() -> list[tuple[str, str]]:
    return [(key, key.replace("-", " ").capitalize()) for key in BUILDERS]


class ExerciseQuerySet(models.QuerySet["Exercise"]):
    def featured(self) -> Exercise | None:
        """The exercise the site teaches; the product is built around one."""
        return self.order_by("pk").first()


class Exercise(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    tagline = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences; also the search-result description."
    )
    purpose = models.TextField(help_text="What the exercise trains and why it is worth doing.")
    suited_to = models.TextField(help_text="Who it suits, one point per line.")
    muscles = models.CharField(max_length=200)

    objects = ExerciseQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coaching:guide")

    def suited_to_points(self) -> list[str]:
        return _lines(self.suited_to)


class Phase(models.TextChoices):
    SETUP = "setup", "Setup"
    EXECUTION = "execution", "Execution"
    TOP = "top", "Top position"
    DESCENT = "descent", "Descent"
    BREATHING = "breathing", "Breathing"


class Cue(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="cues")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    order = models.PositiveSmallIntegerField()
    cue = models.CharField(max_length=80, help_text="The short cue a coach would call out.")
    explanation = models.TextField()

    class Meta:
        ordering = ["exercise", "phase", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "phase", "order"], name="cue_unique_order_per_phase"
            ),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="cue_phase_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.cue}"


class FormError(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="form_errors")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    what_you_see = models.TextField()
    why_it_matters = models.TextField()
    how_to_fix = models.TextField()
    fix_cue = models.CharField(max_length=80, help_text="The fix in a few words.")
    figure = models.CharField(
        max_length=80,
        choices=figure_choices,
        blank=True,
        help_text="The drawn figure shown with it.",
    )

    class Meta:
        ordering = ["exercise", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "order"], name="formerror_unique_order_per_exercise"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coaching:form-error-detail", kwargs={"slug": self.slug})

    @property
    def guide_anchor(self) -> str:
        return f"error-{self.slug}"


# Each phase's seconds, as coaching.tempo.Tempo allows them: lowering and lifting take time.
PHASE_MINIMUM_SECONDS = {f"{name}_seconds": least for name, least in LEAST_SECONDS.items()}


def _tempo_phase_constraints(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__gte": minimum, f"{field}__lte": MAX_PHASE_SECONDS}),
            name=f"{prefix}_{field}_in_range",
        )
        for field, minimum in PHASE_MINIMUM_SECONDS.items()
    ]


def _phase_seconds(field: str) -> models.PositiveSmallIntegerField:
    """A phase's seconds, checked on the field (forms show why) and by the constraint."""
    validators = [MaxValueValidator(MAX_PHASE_SECONDS, f"At most {MAX_PHASE_SECONDS} seconds.")]
    if minimum := PHASE_MINIMUM_SECONDS[field]:  # below 0, the field's own message says why
        validators.insert(0, MinValueValidator(minimum, f"At least {minimum} second."))
    return models.PositiveSmallIntegerField(validators=validators)


class TempoPreset(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=200, blank=True)
    lowering_seconds = _phase_seconds("lowering_seconds")
    bottom_pause_seconds = _phase_seconds("bottom_pause_seconds")
    lifting_seconds = _phase_seconds("lifting_seconds")
    top_hold_seconds = _phase_seconds("top_hold_seconds")

    class Meta:
        ordering = ["order", "name"]
        constraints = _tempo_phase_constraints("tempopreset")

    def __str__(self) -> str:
        # Not self.tempo: an admin form redrawn with out-of-range seconds names the object
        # too, and Tempo refuses those.
        return (
            f"{self.name} ({self.lowering_seconds}-{self.bottom_pause_seconds}-"
            f"{self.lifting_seconds}-{self.top_hold_seconds})"
        )

    @property
    def tempo(self) -> Tempo:
        return Tempo(
            lowering=self.lowering_seconds,
            bottom_pause=self.bottom_pause_seconds,
            lifting=self.lifting_seconds,
            top_hold=self.top_hold_seconds,
        )


class VariationKind(models.TextChoices):
    REGRESSION = "regression", "Regression"
    STANDARD = "standard", "Standard"
    PROGRESSION = "progression", "Progression"


class VariationQuerySet(models.QuerySet["Variation"]):
    def ladder(self) -> VariationQuerySet:
        """Every rung in order, with what the ladder pages show alongside."""
        return self.select_related("tempo").order_by("exercise_id", "level")


# What a rung may ask to move up: the database's checks and the editor's messages read these.
ADVANCE_RANGES = {
    "advance_sets": (1, 10, "variation_advance_sets_in_range", "Sets to move up: from 1 to 10."),
    "advance_reps_per_side": (
        1,
        MAX_REPS_PER_SIDE,
        "variation_advance_reps_in_range",
        f"Reps per side to move up: from 1 to {MAX_REPS_PER_SIDE}.",
    ),
    "advance_hold_seconds": (
        0,
        600,
        "variation_advance_hold_in_range",
        "The hold to move up: from 0 to 600 seconds.",
    ),
}


class Variation(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="variations")
    level = models.PositiveSmallIntegerField(help_text="Position on the ladder, 1 is the easiest.")
    kind = models.CharField(max_length=20, choices=VariationKind.choices)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=300)
    how_to = models.TextField(help_text="The steps, one per line.")
    how_to_notes = models.TextField(
        blank=True,
        help_text="Notes shown under the steps, not numbered as one (hipthrust's own "
        "planning, say), one per line.",
    )
    why = models.TextField(help_text="What this rung changes and what it teaches.")
    equipment = models.CharField(max_length=200)
    takes_external_load = models.BooleanField(default=False)
    load_is_optional = models.BooleanField(
        default=False,
        help_text="With external load taken: the rung is also done without a weight.",
    )
    one_side_at_a_time = models.BooleanField(
        default=True, help_text="Off for rungs done on both legs, such as the floor bridge."
    )
    advance_sets = models.PositiveSmallIntegerField(help_text="Sets needed to move up.")
    advance_reps_per_side = models.PositiveSmallIntegerField(help_text="Reps per side, each set.")
    advance_hold_seconds = models.PositiveSmallIntegerField(
        default=0, help_text="Hold at the top of each rep, in seconds (0 for none)."
    )
    tempo = models.ForeignKey(
        TempoPreset,
        on_delete=models.PROTECT,
        related_name="variations",
        help_text="The tempo the advance criteria must be met at.",
    )
    figure = models.CharField(
        max_length=80,
        choices=figure_choices,
        blank=True,
        help_text="The drawn figure shown with it.",
    )

    objects = VariationQuerySet.as_manager()

    class Meta:
        ordering = ["exercise", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "level"], name="variation_unique_level_per_exercise"
            ),
            models.CheckConstraint(condition=Q(level__gte=1), name="variation_level_from_one"),
            models.CheckConstraint(
                condition=Q(kind__in=VariationKind.values), name="variation_kind_is_known"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": low, f"{field}__lte": high}), name=name
                )
                for field, (low, high, name, _) in ADVANCE_RANGES.items()
            ),
            # A weight is optional only where a rung takes one (clean says so in words).
            models.CheckConstraint(
                condition=Q(takes_external_load=True) | Q(load_is_optional=False),
                name="variation_optional_load_takes_load",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}. {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("coaching:variation-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        """The checks above said on their fields, in words, for the content editor (a load
        optional only where one is taken among them); and a level within the ladder: levels
        run from 1 without a gap (a rung at 99 would read "Level 1, 2, 4 … 99" on the ladder)."""
        errors = {}
        for field, (low, high, _, message) in ADVANCE_RANGES.items():
            value = getattr(self, field)
            if value is not None and not low <= value <= high:
                errors[field] = message
        if self.load_is_optional and not self.takes_external_load:
            # The rung page would offer a dumbbell or kettlebell on a body-weight rung.
            errors["load_is_optional"] = (
                "A load can be optional only on a rung that takes external load: tick "
                "“Takes external load” too, or leave this unticked."
            )
        rungs = Variation.objects.filter(exercise_id=self.exercise_id).exclude(pk=self.pk).count()
        if self.level is not None and not 1 <= self.level <= rungs + 1:
            errors["level"] = (
                f"With this rung the ladder has {rungs + 1}: its level is from 1 to {rungs + 1}, "
                "the levels running without a gap."
            )
        if errors:
            raise ValidationError(errors)

    def how_to_steps(self) -> list[str]:
        return _lines(self.how_to)

    def how_to_note_lines(self) -> list[str]:
        return _lines(self.how_to_notes)

    @property
    def reps_wording(self) -> str:
        """What follows a count of reps on this rung: each leg's own, or both legs' together."""
        return "per side" if self.one_side_at_a_time else "reps"

    @property
    def advance_target(self) -> str:
        target = f"{self.advance_sets} × {self.advance_reps_per_side} {self.reps_wording}"
        if self.advance_hold_seconds:
            target += f", holding the top {self.advance_hold_seconds} s each rep"
        return target


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class Placement(models.TextChoices):
    SETUP = "guide-setup", "Guide: setup"
    EXECUTION = "guide-execution", "Guide: execution"
    TOP = "guide-top", "Guide: top position"
    DESCENT = "guide-descent", "Guide: descent and breathing"
    VARIATION = "variation", "A ladder variation"
    FORM_ERROR = "form-error", "A form error"


class IllustrationQuerySet(models.QuerySet["Illustration"]):
    def for_guide(self) -> dict[str, list[Illustration]]:
        """Guide illustrations grouped by the section they belong to."""
        grouped: dict[str, list[Illustration]] = {}
        for illustration in self.filter(placement__startswith="guide-"):
            grouped.setdefault(illustration.placement, []).append(illustration)
        return grouped


class Illustration(models.Model):
    """A photo a coach uploads; stored without metadata, with renditions made once."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="illustrations")
    placement = models.CharField(max_length=20, choices=Placement.choices)
    variation = models.ForeignKey(
        Variation, on_delete=models.CASCADE, null=True, blank=True, related_name="illustrations"
    )
    form_error = models.ForeignKey(
        FormError, on_delete=models.CASCADE, null=True, blank=True, related_name="illustrations"
    )
    order = models.PositiveSmallIntegerField(default=0)
    alt_text = models.CharField(
        max_length=250, help_text="What the photo shows, for people who cannot see it."
    )
    caption = models.CharField(max_length=250, blank=True)
    # Written by coaching.services.save_illustration, never straight from an upload.
    image = models.ImageField(upload_to="illustrations/", editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    # [{"name": storage path, "width": int, "height": int, "content_type": str}, ...]
    renditions = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IllustrationQuerySet.as_manager()

    class Meta:
        ordering = ["placement", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text=""), name="illustration_alt_text_required"
            ),
            models.CheckConstraint(
                condition=Q(placement__in=Placement.values), name="illustration_placement_is_known"
            ),
            # A photo belongs to exactly the thing its placement names.
            models.CheckConstraint(
                condition=(
                    Q(placement="variation", variation__isnull=False, form_error__isnull=True)
                    | Q(placement="form-error", form_error__isnull=False, variation__isnull=True)
                    | (
                        Q(placement__startswith="guide-")
                        & Q(variation__isnull=True, form_error__isnull=True)
                    )
                ),
                name="illustration_target_matches_placement",
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text

    def stored_names(self) -> list[str]:
        names = [self.image.name] if self.image else []
        return names + [rendition["name"] for rendition in self.renditions]

    @property
    def fallback(self) -> list[dict]:
        return [r for r in self.renditions if r["content_type"] != "image/webp"]

    @property
    def webp(self) -> list[dict]:
        return [r for r in self.renditions if r["content_type"] == "image/webp"]
