"""The tempo timer's plan: read from the query string, checked on a form, sent as JSON.

The page's script (static/js/tempo-plan.mjs) turns the plan into timed steps; this
module decides what the plan is. A missing parameter takes the variation's default,
a bad one gets a message on its field, and only a valid plan reaches the page's
timer, so bad input can never start a broken count. The total-time sum here is
the one the script's schedule adds up to (a browser test holds them together).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from coaching.figures import BENCH_LENGTH, BODY, BUILDERS, figure, keyframes
from coaching.models import Cue, Phase, TempoPreset, Variation, VariationKind
from coaching.tempo import MAX_PHASE_SECONDS, Tempo, TempoError

CUSTOM = "custom"
SIDES = [
    ("left-right", "Left leg, then right"),
    ("right-left", "Right leg, then left"),
    ("alternating", "Alternate legs every rep"),
    ("both", "Both legs together"),
]
SIDE_NAMES = {"left": "Left leg", "right": "Right leg", "both": "Both legs"}

# Past two hours a plan is a typing mistake, not a workout.
MAX_PLAN_SECONDS = 2 * 60 * 60
# Used only when the ladder is empty, so the page still has something to count.
FALLBACK_TEMPO = Tempo(lowering=3, bottom_pause=0, lifting=1, top_hold=1)
FIELDS = (
    "variation",
    "preset",
    "tempo",
    "sets",
    "reps",
    "sides",
    "side_rest",
    "set_rest",
    "lead_in",
    "last_hold",
)
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,120}$")


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


class TimerPlanForm(forms.Form):
    """Everything the timer needs, each field bounded so no value can break the count."""

    variation = forms.CharField(required=False, widget=forms.HiddenInput)
    preset = forms.ChoiceField(
        label="Tempo",
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
            "Used when Tempo is Custom: seconds to lower, pause at the bottom, lift, hold at "
            "the top, like 3-0-1-2."
        ),
        error_messages={"max_length": "That is too long for a tempo: write it like 3-0-1-2."},
    )
    sets = _count("Sets", 1, 10, "sets", "3")
    reps = _count("Reps per side", 1, 50, "reps", "12", "With both legs together: reps per set.")
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
        "Seconds. With alternating legs it comes after every rep.",
    )
    set_rest = _count("Rest between sets", 0, 600, "seconds", "60", "Seconds.")
    lead_in = _count("Countdown before the first rep", 0, 30, "seconds", "5", "Seconds.")
    last_hold = _count(
        "Long hold on the last rep",
        0,
        120,
        "seconds",
        "20",
        "Seconds at the top of the last rep of each side, 0 for none.",
    )

    def __init__(self, *args, presets: Iterable[TempoPreset] = (), **kwargs) -> None:
        self.unknown_variation: str | None = kwargs.pop("unknown_variation", None)
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.presets = {preset.slug: preset for preset in presets}
        self.fields["preset"].choices = [
            (slug, f"{preset.name} ({preset.tempo.notation})")
            for slug, preset in self.presets.items()
        ] + [(CUSTOM, "Custom")]

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
        if preset == CUSTOM:
            try:
                tempo = Tempo.parse(cleaned.get("tempo") or "")
            except TempoError as error:
                if "tempo" not in self.errors:
                    self.add_error("tempo", str(error))
        elif preset in self.presets:
            tempo = self.presets[preset].tempo
        cleaned["tempo_value"] = tempo
        cleaned["preset_name"] = self.presets[preset].name if preset in self.presets else ""

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


def plan_seconds(
    tempo: Tempo,
    *,
    sets: int,
    reps: int,
    sides: str,
    side_rest: int,
    set_rest: int,
    lead_in: int,
    last_hold: int,
) -> int:
    """How long the whole plan runs, rests included: the script's schedule adds up to this."""
    per_side = reps * tempo.rep_seconds + (last_hold - tempo.top_hold if last_hold else 0)
    if sides == "both":
        sides_per_set, changes_per_set = 1, 0
    elif sides == "alternating":
        sides_per_set, changes_per_set = 2, 2 * reps - 1
    else:
        sides_per_set, changes_per_set = 2, 1
    per_set = sides_per_set * per_side + changes_per_set * side_rest
    return lead_in + sets * per_set + (sets - 1) * set_rest


def format_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs} s")
    return " ".join(parts)


# Reading the query string.


def find_variation(slug: str) -> tuple[Variation | None, bool]:
    """The variation a query names (or the ladder's standard rung when it names none),
    and whether the name was unknown. One query."""
    variations = Variation.objects.select_related("tempo")
    if not slug:
        standard = variations.filter(kind=VariationKind.STANDARD).order_by("exercise_id", "level")
        return standard.first(), False
    if not _SLUG.match(slug):
        return None, True
    variation = variations.filter(slug=slug).first()
    return variation, variation is None


def default_tempo(variation: Variation | None) -> Tempo:
    """The variation's tempo, with its own hold at the top when it asks for one."""
    if variation is None:
        return FALLBACK_TEMPO
    tempo = variation.tempo.tempo
    if variation.advance_hold_seconds and variation.advance_hold_seconds != tempo.top_hold:
        # A tempo's hold tops out at MAX_PHASE_SECONDS; a longer target hold is rare
        # enough that the timer holds that long and says so in the plan.
        hold = min(variation.advance_hold_seconds, MAX_PHASE_SECONDS)
        tempo = Tempo(tempo.lowering, tempo.bottom_pause, tempo.lifting, hold)
    return tempo


def default_side_rest(sides: str) -> int:
    # Alternating changes leg every rep, where a ten-second rest would be too much.
    return 0 if sides in {"alternating", "both"} else 10


def defaults(variation: Variation | None, presets: Iterable[TempoPreset]) -> dict[str, str]:
    """The form's values when the query gives none: the variation's own targets."""
    tempo = default_tempo(variation)
    preset = CUSTOM
    if variation is not None and variation.tempo.tempo == tempo:
        preset = variation.tempo.slug
    elif variation is None:
        preset = next((p.slug for p in presets if p.tempo == tempo), CUSTOM)
    sides = "both" if variation is not None and not variation.one_side_at_a_time else "left-right"
    return {
        "variation": variation.slug if variation else "",
        "preset": preset,
        "tempo": tempo.notation,
        "sets": str(variation.advance_sets if variation else 3),
        "reps": str(variation.advance_reps_per_side if variation else 10),
        "sides": sides,
        "side_rest": str(default_side_rest(sides)),
        "set_rest": "60",
        "lead_in": "5",
        "last_hold": "0",
    }


def plan_form(
    query: Mapping[str, str],
    *,
    variation: Variation | None,
    presets: list[TempoPreset],
    unknown_variation: bool = False,
) -> TimerPlanForm:
    """The plan form bound to the query, with the variation's defaults for what it leaves out."""
    given = {key: query[key] for key in FIELDS if key in query}
    data = defaults(variation, presets)
    if "sides" in given and "side_rest" not in given:
        data["side_rest"] = str(default_side_rest(given["sides"]))
    if "tempo" in given and "preset" not in given:
        data["preset"] = CUSTOM  # a link with only a tempo means that tempo
    if "preset" in given and "tempo" not in given:
        chosen = next((p for p in presets if p.slug == given["preset"]), None)
        if chosen is not None:
            data["tempo"] = chosen.tempo.notation  # shown ready to edit under Custom
    data.update(given)
    return TimerPlanForm(
        data,
        presets=presets,
        unknown_variation=given.get("variation", "") if unknown_variation else None,
    )


# The plan the page shows and the script runs.


@dataclass(frozen=True)
class PhaseRow:
    kind: str
    name: str
    seconds: int
    breath: str
    cues: list[str]


PHASE_NAMES = {
    "lift": "Drive up",
    "hold": "Squeeze at the top",
    "lower": "Lower",
    "pause": "Pause at the bottom",
}


def phase_cues(cues: Iterable[Cue]) -> dict[str, list[str]]:
    """The guide's short cues for each phase of a rep, in the guide's order."""
    by_phase: dict[str, list[str]] = {phase: [] for phase in Phase.values}
    for cue in sorted(cues, key=lambda c: (c.phase, c.order)):
        by_phase[cue.phase].append(cue.cue)
    descent = by_phase[Phase.DESCENT]
    return {
        "lift": by_phase[Phase.EXECUTION],
        "hold": by_phase[Phase.TOP],
        "lower": descent,
        # The pause starts the next rep, so it leads with the next descent cue.
        "pause": descent[1:] + descent[:1],
    }


def breathing_cues(cues: Iterable[Cue]) -> dict[str, str]:
    """Which of the guide's breathing cues goes with the drive and which with the lowering.

    Matched on the words, not the order, so a coach can reorder or reword them.
    """
    lift = lower = ""
    for cue in sorted(cues, key=lambda c: c.order):
        if cue.phase != Phase.BREATHING:
            continue
        words = set(re.findall(r"[a-z]+", cue.cue.lower()))
        if not lift and words & {"out", "exhale", "drive", "up"}:
            lift = cue.cue
        elif not lower and words & {"in", "inhale", "down", "lower", "lowering"}:
            lower = cue.cue
    return {"lift": lift or "Breathe out", "lower": lower or "Breathe in"}


def phase_rows(tempo: Tempo, cues: Iterable[Cue]) -> list[PhaseRow]:
    """One row per phase of a rep that takes any time, in the order a rep is done."""
    cues = list(cues)
    by_phase = phase_cues(cues)
    breath = breathing_cues(cues)
    seconds = {
        "lift": tempo.lifting,
        "hold": tempo.top_hold,
        "lower": tempo.lowering,
        "pause": tempo.bottom_pause,
    }
    return [
        PhaseRow(kind, PHASE_NAMES[kind], seconds[kind], breath.get(kind, ""), by_phase[kind])
        for kind in ("lift", "hold", "lower", "pause")
        if seconds[kind]
    ]


def keyframes_for(variation: Variation | None) -> dict:
    """The variation's figure poses, as `coaching:variation-keyframes` serves them."""
    drawn = figure(variation.figure) if variation and variation.figure in BUILDERS else None
    return (drawn.keyframes if drawn and drawn.keyframes else None) or keyframes()


# What the animated figure draws: (element id, colour role, joints, stroke width),
# back to front, as the guide's figures layer them.
FIGURE_PARTS = (
    ("far-leg", "far", ("hip", "free_knee", "free_ankle"), 10),
    ("far-foot", "far", ("free_ankle", "free_toe"), 5),
    ("arm", "far", ("shoulder", "elbow", "hand"), 6),
    ("neck", "body", ("shoulder", "head"), 7),
    ("torso", "body", ("shoulder", "waist", "hip"), 17),
    ("leg", "working", ("hip", "knee", "ankle"), 11),
    ("foot", "working", ("heel", "ankle", "toe"), 5),
)


def _n(value: float) -> str:
    """A coordinate to one decimal, without a trailing ".0" (and never "-0")."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def figure_scene(frames_data: dict, pose: str = "bottom") -> dict:
    """The SVG the page draws first, at `pose`, in the frame that fits every pose."""
    frames = frames_data["frames"]
    bench = float(frames_data.get("bench_height") or 0)
    support = float(frames_data.get("support_height") or 0)
    xs = [x for frame in frames.values() for x, _ in frame.values()]
    ys = [y for frame in frames.values() for _, y in frame.values()]
    margin = 12.0  # the widest stroke and the head's radius
    left = min([*xs, -BENCH_LENGTH if bench else min(xs)]) - margin
    right = max(xs) + margin
    top = max([*ys, bench]) + BODY.head_radius + 4
    bottom = -3.0
    width, height = right - left, top - bottom
    joints = frames[pose]
    parts = [
        {
            "id": part_id,
            "role": role,
            "joints": " ".join(names),
            "width": width_cm,
            "points": " ".join(f"{_n(joints[j][0])},{_n(-joints[j][1])}" for j in names),
        }
        for part_id, role, names, width_cm in FIGURE_PARTS
    ]
    bench_items = []
    if bench:
        bench_items = [
            {"x": _n(-BENCH_LENGTH), "y": _n(-bench), "width": _n(BENCH_LENGTH), "height": "7"},
            {
                "x": _n(-BENCH_LENGTH + 3),
                "y": _n(-(bench - 7)),
                "width": "4",
                "height": _n(bench - 7),
            },
            {"x": "-7", "y": _n(-(bench - 7)), "width": "4", "height": _n(bench - 7)},
        ]
    support_item = None
    if support:
        heel_x = min(frame["heel"][0] for frame in frames.values())
        toe_x = max(frame["toe"][0] for frame in frames.values())
        support_item = {
            "x": _n(heel_x - 4),
            "y": _n(-support),
            "width": _n(toe_x - heel_x + 8),
            "height": _n(support),
        }
    centre_x = left + width / 2
    return {
        "view_box": f"{_n(left)} {_n(-top)} {_n(width)} {_n(height)}",
        "floor": {"x1": _n(left), "x2": _n(right)},
        "bench": bench_items,
        "support": support_item,
        "parts": parts,
        "head": {
            "cx": _n(joints["head"][0]),
            "cy": _n(-joints["head"][1]),
            "r": _n(BODY.head_radius),
        },
        # Mirrored about its middle, the same drawing shows the right leg working.
        "mirror": f"matrix(-1 0 0 1 {_n(2 * centre_x)} 0)",
    }


def build_plan(cleaned: dict, *, variation: Variation | None, cues: Iterable[Cue]) -> dict:
    """The plan as the page's script reads it (json_script): durations in seconds."""
    tempo: Tempo = cleaned["tempo_value"]
    cues = list(cues)
    frames = keyframes_for(variation)
    hips = {name: frame["hip"][1] for name, frame in frames["frames"].items()}
    span = hips["top"] - hips["bottom"]
    return {
        "tempo": {
            "lowering": tempo.lowering,
            "bottomPause": tempo.bottom_pause,
            "lifting": tempo.lifting,
            "topHold": tempo.top_hold,
            "notation": tempo.notation,
        },
        "sets": cleaned["sets"],
        "reps": cleaned["reps"],
        "sides": cleaned["sides"],
        "sideRest": cleaned["side_rest"],
        "setRest": cleaned["set_rest"],
        "leadIn": cleaned["lead_in"],
        "lastHold": cleaned["last_hold"],
        "totalSeconds": cleaned["total_seconds"],
        "variation": variation.slug if variation else None,
        "cues": phase_cues(cues),
        "breathing": breathing_cues(cues),
        "figure": {
            "frames": frames["frames"],
            # How far up the hips are in the middle frame, to interpolate through it.
            "midAt": round((hips["mid-drive"] - hips["bottom"]) / span, 4) if span else 0.5,
        },
    }


def page_context(cleaned: dict, *, variation: Variation | None, cues: Iterable[Cue]) -> dict:
    """What the timer page shows for a valid plan: the plan itself, as HTML and as JSON."""
    cues = list(cues)
    plan = build_plan(cleaned, variation=variation, cues=cues)
    return {
        "plan": plan,
        "plan_values": cleaned,
        "rows": phase_rows(cleaned["tempo_value"], cues),
        "scene": figure_scene(keyframes_for(variation)),
        "side_order": describe_sides(cleaned["sides"], cleaned["reps"]),
        "total": format_duration(plan["totalSeconds"]),
    }


def describe_sides(sides: str, reps: int) -> str:
    per = f"{reps} rep{'s' if reps != 1 else ''}"
    return {
        "left-right": f"{per} on the left leg, then {per} on the right",
        "right-left": f"{per} on the right leg, then {per} on the left",
        "alternating": f"{per} on each leg, changing leg every rep",
        "both": f"{per} with both legs together",
    }[sides]
