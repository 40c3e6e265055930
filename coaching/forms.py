from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.core.exceptions import ValidationError

from coaching import images
from coaching.legs import SIDES, order_fits, orders_for
from coaching.models import Illustration, Placement, TempoPreset, Variation
from coaching.ours import OUR_DEFAULT
from coaching.services import save_illustration
from coaching.tempo import MAX_PHASE_SECONDS, Tempo, TempoError
from coaching.timer import (
    MAX_PLAN_SECONDS,
    MAX_REPS_PER_SIDE,
    format_duration,
    plan_seconds,
)
from core.fields import BoundedModelChoiceField


class IllustrationForm(forms.ModelForm):
    """Upload a photo: Pillow checks it, strips its metadata and makes the renditions here,
    so a bad file is refused on the field before anything touches storage."""

    photo = forms.FileField(
        help_text=(
            f"A JPEG, PNG or WebP photo, up to {images.MAX_UPLOAD_BYTES // (1024 * 1024)} MB and "
            f"{images.MAX_PIXELS // 1_000_000} megapixels, at least {images.MIN_WIDTH} pixels "
            "wide. Location and camera data are removed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp"}),
    )

    class Meta:
        model = Illustration
        fields = [
            "exercise",
            "placement",
            "variation",
            "form_error",
            "order",
            "alt_text",
            "caption",
        ]
        field_classes = {
            "exercise": BoundedModelChoiceField,
            "variation": BoundedModelChoiceField,
            "form_error": BoundedModelChoiceField,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cleaned_upload: images.CleanImage | None = None
        self.prepared_renditions: list[images.Rendition] = []
        if self.instance.pk:
            # Keeping the current photo is fine when editing only the words.
            self.fields["photo"].required = False

    def clean_alt_text(self) -> str:
        alt_text = " ".join(self.cleaned_data["alt_text"].split())
        if not alt_text:
            raise ValidationError("Describe what the photo shows, for people who cannot see it.")
        return alt_text

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return upload
        try:
            clean = images.refuse_too_small(images.clean_upload(upload, upload.name))
            renditions = images.make_renditions(clean)
        except images.ImageRejected as rejected:
            raise ValidationError(str(rejected), code="invalid_image") from None
        self.cleaned_upload = clean
        self.prepared_renditions = renditions
        return upload

    def clean(self) -> dict:
        data = super().clean()
        placement = data.get("placement")
        variation, form_error = data.get("variation"), data.get("form_error")
        if placement == Placement.VARIATION and not variation:
            self.add_error("variation", "Choose the variation this photo shows.")
        if placement == Placement.FORM_ERROR and not form_error:
            self.add_error("form_error", "Choose the form error this photo shows.")
        if placement != Placement.VARIATION and variation:
            self.add_error("variation", "Only photos placed on a variation name one.")
        if placement != Placement.FORM_ERROR and form_error:
            self.add_error("form_error", "Only photos placed on a form error name one.")
        return data

    def save(self, commit: bool = True) -> Illustration:
        illustration = super().save(commit=False)
        if self.cleaned_upload is not None:
            return save_illustration(
                illustration,
                self.cleaned_upload,
                self.prepared_renditions,
                original_name=self.cleaned_data["photo"].name,
            )
        if commit:
            illustration.save()
        return illustration

    def save_m2m(self) -> None:  # the model has no many-to-many fields
        pass


# The tempo timer's plan: read from the query string, checked here. A missing parameter
# takes the variation's default, a bad one gets a message on its field, and only a
# valid plan reaches the page's timer, so bad input can never start a broken count.

CUSTOM_TEMPO = "custom"
# Used only when the ladder is empty, so the page still has something to count.
FALLBACK_TEMPO = Tempo(lowering=3, bottom_pause=0, lifting=1, top_hold=1)
# The guide sets no rests nor countdown: these starting values are hipthrust's own
# (OUR_DEFAULT).
SIDE_REST = 10
SET_REST = 60
LEAD_IN = 5


def _count(label: str, low: int, high: int, unit: str, example: str, help_text: str = ""):
    """A whole-number field whose every error names the field and the allowed range."""
    range_message = f"{label} must be from {low} to {high} {unit}."
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}, from {low} to {high} {unit}.",
            "invalid": f"{label} must be a whole number, like {example}.",
            "min_value": range_message,
            "max_value": range_message,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class PresetSelect(forms.Select):
    """The tempo menu: each preset's option carries its notation, for static/js/plan-form.mjs
    to show it in the custom tempo field and to choose Custom when another is typed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.notations: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.notations:
            option["attrs"]["data-tempo"] = self.notations[value]
        return option


class TimerPlanForm(forms.Form):
    """Everything the timer needs, each field bounded so no value can break the count."""

    variation = forms.CharField(required=False, widget=forms.HiddenInput)
    preset = forms.ChoiceField(
        label="Tempo",
        widget=PresetSelect,
        help_text=f"Each preset's seconds: {OUR_DEFAULT}.",
        error_messages={
            "required": "Choose a tempo, or Custom and type your own.",
            "invalid_choice": "Choose one of the listed tempos, or Custom and type your own.",
        },
    )
    tempo = forms.CharField(
        label="Custom tempo",
        required=False,
        max_length=20,
        help_text=(
            "Seconds to lower, pause at the bottom, lift, hold at the top, like 3-0-1-2. "
            "A tempo typed here that differs from the chosen one is the one the timer runs."
        ),
        error_messages={"max_length": "That is too long for a tempo: write it like 3-0-1-2."},
    )
    sets = _count("Sets", 1, 10, "sets", "3")
    reps = _count(
        "Reps per side",
        1,
        MAX_REPS_PER_SIDE,
        "reps",
        "12",
        "With both legs together: reps per set.",
    )
    sides = forms.ChoiceField(
        label="Legs",
        choices=SIDES,
        error_messages={"invalid_choice": "Choose which leg goes first, or both together."},
    )
    side_rest = _count(
        "Rest to change legs",
        0,
        600,
        "seconds",
        "10",
        f"Seconds. With alternating legs it comes after every rep. The {SIDE_REST} it starts "
        f"at (0 with alternating legs or both together): {OUR_DEFAULT}.",
    )
    set_rest = _count(
        "Rest between sets",
        0,
        600,
        "seconds",
        "60",
        f"Seconds. The {SET_REST} it starts at: {OUR_DEFAULT}.",
    )
    lead_in = _count("Countdown before the first rep", 0, 30, "seconds", "5", "Seconds.")
    last_hold = _count(
        "Long hold on the last rep",
        0,
        120,
        "seconds",
        "20",
        "Seconds at the top of the last rep of each side, 0 for none.",
    )

    def __init__(
        self,
        *args,
        presets: Iterable[TempoPreset] = (),
        replaced_preset: str = "",
        variation: Variation | None = None,
        **kwargs,
    ) -> None:
        self.unknown_variation: str | None = kwargs.pop("unknown_variation", None)
        self.variation = variation
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.presets = {preset.slug: preset for preset in presets}
        # The preset the query chose whose tempo a typed one replaced (see plan_form).
        self.replaced_preset = self.presets.get(replaced_preset)
        self.fields["preset"].choices = [
            (slug, f"{preset.name} ({preset.tempo.notation})")
            for slug, preset in self.presets.items()
        ] + [(CUSTOM_TEMPO, "Custom")]
        self.fields["preset"].widget.notations = {
            slug: preset.tempo.notation for slug, preset in self.presets.items()
        }
        if variation is not None:
            # The menu offers the orders the rung is done in; the field still takes every
            # order, so one that does not fit (a link typed by hand) is told why in clean.
            self.fields["sides"].widget.choices = orders_for(variation.one_side_at_a_time)

    def clean_variation(self) -> str:
        if self.unknown_variation is not None:
            raise ValidationError(
                "No variation on the ladder has that name: open the timer from a variation's "
                "page, or start from the default plan.",
                code="unknown_variation",
            )
        return self.cleaned_data["variation"]

    def clean(self) -> dict:
        cleaned = super().clean()
        preset = cleaned.get("preset")
        tempo: Tempo | None = None
        if preset == CUSTOM_TEMPO:
            try:
                tempo = Tempo.parse(cleaned.get("tempo") or "")
            except TempoError as error:
                if "tempo" not in self.errors:
                    self.add_error("tempo", str(error))
        elif preset in self.presets:
            tempo = self.presets[preset].tempo
        cleaned["tempo_value"] = tempo
        cleaned["preset_name"] = self.presets[preset].name if preset in self.presets else ""
        cleaned["replaced_preset"] = self.replaced_preset
        cleaned["tempo_warning"] = tempo.lowering_warning() if tempo else ""
        # Which rests are still the site's own starting values, for the page to mark.
        sides = cleaned.get("sides")
        rung = self.variation
        if sides and rung is not None and not order_fits(sides, rung.one_side_at_a_time):
            self.add_error(
                "sides",
                f"The {rung.name.lower()} is done one leg at a time: choose which leg goes "
                "first, or alternate them."
                if rung.one_side_at_a_time
                else f"The {rung.name.lower()} is done with both legs together.",
            )
        cleaned["side_rest_is_ours"] = cleaned.get("side_rest") == default_side_rest(sides)
        cleaned["set_rest_is_ours"] = cleaned.get("set_rest") == SET_REST
        cleaned["lead_in_is_ours"] = cleaned.get("lead_in") == LEAD_IN
        cleaned["rests_are_ours"] = cleaned["set_rest_is_ours"] and (
            cleaned["side_rest_is_ours"] or sides == "both"
        )

        last_hold = cleaned.get("last_hold")
        if tempo and last_hold and last_hold <= tempo.top_hold:
            self.add_error(
                "last_hold",
                f"Make the long hold longer than the tempo's hold at the top "
                f"({tempo.top_hold} s), or 0 for none.",
            )
        if not self.errors and tempo is not None:
            total = plan_seconds(
                tempo,
                sets=cleaned["sets"],
                reps=cleaned["reps"],
                sides=cleaned["sides"],
                side_rest=cleaned["side_rest"],
                set_rest=cleaned["set_rest"],
                lead_in=cleaned["lead_in"],
                last_hold=cleaned["last_hold"],
            )
            if total > MAX_PLAN_SECONDS:
                raise ValidationError(
                    f"This plan would take {format_duration(total)}. Keep it under two hours: "
                    f"fewer sets or reps, or shorter rests.",
                    code="too_long",
                )
            cleaned["total_seconds"] = total
        return cleaned


# The query parameters the timer reads: its form's fields.
TIMER_FIELDS = tuple(TimerPlanForm.base_fields)


def default_tempo(variation: Variation | None) -> Tempo:
    """The variation's tempo, with its own hold at the top when it asks for one."""
    if variation is None:
        return FALLBACK_TEMPO
    tempo = variation.tempo.tempo
    if variation.advance_hold_seconds and variation.advance_hold_seconds != tempo.top_hold:
        # A tempo's hold tops out at MAX_PHASE_SECONDS; a longer target hold is rare
        # enough that the timer holds that long and says so in the plan.
        tempo = tempo.with_top_hold(min(variation.advance_hold_seconds, MAX_PHASE_SECONDS))
    return tempo


def default_side_rest(sides: str) -> int:
    # Alternating changes leg every rep, where a ten-second rest would be too much.
    return 0 if sides in {"alternating", "both"} else SIDE_REST


def timer_defaults(variation: Variation | None, presets: Iterable[TempoPreset]) -> dict[str, str]:
    """The form's values when the query gives none: the variation's own targets."""
    tempo = default_tempo(variation)
    preset = CUSTOM_TEMPO
    if variation is not None and variation.tempo.tempo == tempo:
        preset = variation.tempo.slug
    elif variation is None:
        preset = next((p.slug for p in presets if p.tempo == tempo), CUSTOM_TEMPO)
    sides = "both" if variation is not None and not variation.one_side_at_a_time else "left-right"
    return {
        "variation": variation.slug if variation else "",
        "preset": preset,
        "tempo": tempo.notation,
        "sets": str(variation.advance_sets if variation else 3),
        "reps": str(variation.advance_reps_per_side if variation else 10),
        "sides": sides,
        "side_rest": str(default_side_rest(sides)),
        "set_rest": str(SET_REST),
        "lead_in": str(LEAD_IN),
        "last_hold": "0",
    }


def plan_form(
    query: Mapping[str, str],
    *,
    variation: Variation | None,
    presets: list[TempoPreset],
    unknown_variation: bool = False,
) -> TimerPlanForm:
    """The plan form bound to the query, with the variation's defaults for what it leaves out.

    A typed tempo wins over the menu: one that differs from the chosen preset's runs as
    Custom, and the page says which preset it replaced. The page shows each preset's
    tempo in the field, so only typing makes them differ.
    """
    given = {key: query[key] for key in TIMER_FIELDS if key in query}
    data = timer_defaults(variation, presets)
    if "sides" in given and "side_rest" not in given:
        data["side_rest"] = str(default_side_rest(given["sides"]))
    if "tempo" in given and "preset" not in given:
        data["preset"] = CUSTOM_TEMPO  # a link with only a tempo means that tempo
    chosen = next((p for p in presets if p.slug == given.get("preset")), None)
    replaced = ""
    if chosen is not None and "tempo" not in given:
        data["tempo"] = chosen.tempo.notation  # shown ready to edit under Custom
    elif chosen is not None and given["tempo"].strip() and not _same_tempo(given["tempo"], chosen):
        given["preset"], replaced = CUSTOM_TEMPO, chosen.slug
    data.update(given)
    return TimerPlanForm(
        data,
        presets=presets,
        replaced_preset=replaced,
        variation=variation,
        unknown_variation=given.get("variation", "") if unknown_variation else None,
    )


def _same_tempo(typed: str, preset: TempoPreset) -> bool:
    try:
        return Tempo.parse(typed) == preset.tempo
    except TempoError:
        return False  # typed, so it is the one to check: its field says what is wrong
