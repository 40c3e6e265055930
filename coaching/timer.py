"""The tempo timer's plan, apart from Django: its total time, its cues, what the page shows.

The page's script (static/js/tempo-plan.mjs) turns the plan into timed steps; this
module says what the plan is once coaching.forms.TimerPlanForm has checked it. The
total-time sum here is the one the script's schedule adds up to (a browser test
holds them together).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from coaching.figures import keyframes_for, moving_figure
from coaching.tempo import Tempo

# Past two hours a plan is a typing mistake, not a workout.
MAX_PLAN_SECONDS = 2 * 60 * 60
# Our choice: the most reps a side the timer counts in a set, and so the most a rung asks to
# move up or a coach prescribes (every prescription can be timed).
MAX_REPS_PER_SIDE = 50

# The guide's phase (coaching.models.Phase) whose cues each step of a rep calls out.
CUE_PHASES = {"lift": "execution", "hold": "top", "lower": "descent"}
BREATHING_PHASE = "breathing"

PHASE_NAMES = {
    "lift": "Drive up",
    "hold": "Squeeze at the top",
    "lower": "Lower",
    "pause": "Pause at the bottom",
}


class GuideCue(Protocol):
    """What the timer reads of a coaching.models.Cue."""

    phase: str
    order: int
    cue: str


class Rung(Protocol):
    """What the timer reads of a coaching.models.Variation."""

    slug: str
    figure: str


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


def describe_sides(sides: str, reps: int) -> str:
    per = f"{reps} rep{'s' if reps != 1 else ''}"
    return {
        "left-right": f"{per} on the left leg, then {per} on the right",
        "right-left": f"{per} on the right leg, then {per} on the left",
        "alternating": f"{per} on each leg, changing leg every rep",
        "both": f"{per} with both legs together",
    }[sides]


# The guide's cues, matched to the steps of a rep.


@dataclass(frozen=True)
class PhaseRow:
    kind: str
    name: str
    seconds: int
    breath: str
    cues: list[str]


# A cue with one of these words is about the one leg working alone: not for a step done on
# both feet (the bridge, the drive of two up, one down). Matched on the words, as the
# breathing cues are, so a coach's reworded cue is still read right.
ONE_LEG_WORDS = {"working"}


def _one_leg(cue: str) -> bool:
    return bool(ONE_LEG_WORDS & set(re.findall(r"[a-z]+", cue.lower())))


def phase_cues(cues: Iterable[GuideCue], both_feet: Iterable[str] = ()) -> dict[str, list[str]]:
    """The guide's short cues for each phase of a rep, in the guide's order; a step of
    `both_feet` leaves out the cues of one working leg."""
    ordered = sorted(cues, key=lambda c: c.order)
    by_step = {
        step: [cue.cue for cue in ordered if cue.phase == phase]
        for step, phase in CUE_PHASES.items()
    }
    descent = by_step["lower"]
    # The pause starts the next rep, so it leads with the next descent cue.
    by_step["pause"] = descent[1:] + descent[:1]
    both_feet = set(both_feet)
    return {
        step: [cue for cue in step_cues if step not in both_feet or not _one_leg(cue)]
        for step, step_cues in by_step.items()
    }


def breathing_cues(cues: Iterable[GuideCue]) -> dict[str, str]:
    """Which of the guide's breathing cues goes with the drive and which with the lowering.

    Matched on the words, not the order, so a coach can reorder or reword them.
    """
    lift = lower = ""
    for cue in sorted(cues, key=lambda c: c.order):
        if cue.phase != BREATHING_PHASE:
            continue
        words = set(re.findall(r"[a-z]+", cue.cue.lower()))
        if not lift and words & {"out", "exhale", "drive", "up"}:
            lift = cue.cue
        elif not lower and words & {"in", "inhale", "down", "lower", "lowering"}:
            lower = cue.cue
    return {"lift": lift or "Breathe out", "lower": lower or "Breathe in"}


def phase_rows(
    tempo: Tempo, cues: Iterable[GuideCue], frames: dict | None = None
) -> list[PhaseRow]:
    """One row per phase of a rep that takes any time, in the order a rep is done: the
    rung's own cue for it (`frames`, its keyframes), then the guide's."""
    cues = list(cues)
    frames = frames or {}
    by_phase = phase_cues(cues, frames.get("both_feet", ()))
    own = frames.get("cues", {})
    breath = breathing_cues(cues)
    seconds = {
        "lift": tempo.lifting,
        "hold": tempo.top_hold,
        "lower": tempo.lowering,
        "pause": tempo.bottom_pause,
    }
    return [
        PhaseRow(
            kind,
            PHASE_NAMES[kind],
            seconds[kind],
            breath.get(kind, ""),
            [own[kind], *by_phase[kind]] if kind in own else by_phase[kind],
        )
        for kind in ("lift", "hold", "lower", "pause")
        if seconds[kind]
    ]


# The plan the page shows and the script runs.


def build_plan(
    cleaned: dict, *, variation: Rung | None, cues: Iterable[GuideCue], frames: dict
) -> dict:
    """The plan as the page's script reads it (json_script): durations in seconds."""
    tempo: Tempo = cleaned["tempo_value"]
    cues = list(cues)
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
        "cues": phase_cues(cues, frames.get("both_feet", ())),
        # The rung's own cue for a step, said on every rep before the guide's.
        "rungCues": frames.get("cues", {}),
        # The steps of a rep done on both feet, whatever leg the plan has on.
        "bothFeet": frames.get("both_feet", []),
        "breathing": breathing_cues(cues),
        "figure": {
            "frames": frames["frames"],
            # The top and middle frames of the hold and the lowering, when they differ.
            "lowering": frames.get("lowering"),
            # How far up the hips are in the middle frame, to interpolate through it.
            "midAt": round((hips["mid-drive"] - hips["bottom"]) / span, 4) if span else 0.5,
        },
    }


def page_context(
    cleaned: dict, *, variation: Rung | None, cues: Iterable[GuideCue]
) -> dict[str, object]:
    """What the timer page shows for a valid plan: the plan itself, as HTML and as JSON."""
    cues = list(cues)
    frames = keyframes_for(variation.figure if variation else "")
    plan = build_plan(cleaned, variation=variation, cues=cues, frames=frames)
    return {
        "plan": plan,
        "plan_values": cleaned,
        "rows": phase_rows(cleaned["tempo_value"], cues, frames),
        "figure_scene": moving_figure(frames),
        "side_order": describe_sides(cleaned["sides"], cleaned["reps"]),
        "total": format_duration(plan["totalSeconds"]),
    }
