"""Suggest whether to advance, stay or step back on the exercise ladder.

Nothing is applied here: `suggest` only returns a `Suggestion` the trainee can
accept or ignore. Plain Python (no Django) so the rules can be tested as a table.

The rules
---------
History is newest first and may hold sessions at other levels.

Meeting the target (one session, `session_meets_target`)
    For each required side ("left" and "right" on a per-side level, "both" on a
    bilateral one) the session has at least `criteria.sets` sets on that side, and
    every set on that side has reps >= `reps_per_side`, a hold >= `hold_seconds`,
    the prescribed tempo (a blank tempo is not the prescribed one; spaces are
    ignored; a level with no prescribed tempo accepts any), no form error and no
    pain. Sets on a side that is not required are ignored for the target, but their
    pain and form errors still count against it.

Sets of unknown side (imported from apps that record none) never count for a side:
not for the target, the weaker side, the next load or the next hold. Nothing is
guessed from their order. Their pain and form errors still count, as they happened
whatever the leg.

Only a session at the current level triggers a decision
    When the newest session is at another level (the trainee just changed level),
    nothing old can push them on again: the answer is "stay". This stops a pain
    flag that already caused a step back from causing a second one.

1. Step back (before everything else) when the newest session, at this level,
   has pain on any set, or when each of the two most recent sessions at this
   level has a form error. On the bottom level there is nowhere to step back to:
   the answer is "stay", advising rest or a professional for pain and practising
   the fix for form errors, and no load or hold increase is suggested.
2. Advance when the two newest sessions (history[0] and history[1]) are both at
   this level and both meet the target, unless this is the top level.
3. Otherwise stay, with suggestions from the most recent session at this level
   where **the weaker side decides** (on a per-side level only the weaker side's
   sets are used; on a tie, both sides' sets):
   - next load (levels that take load): when the deciding side logged at least
     the prescribed sets and every one reached the top of the rep range cleanly
     (no form error, no pain) — double progression — the heaviest load it used
     plus `load_step_kg`, rounded up to an owned weight when a list is given (never
     below the load already used); otherwise that heaviest load again.
   - next hold (levels with a hold): the deciding side's shortest hold + 1 second,
     capped at the target.
   - reasons say what is missing, in sentences the trainee reads.

The weaker side (`weaker_side`) is the side with less total work — the sum of
reps times load when any set is loaded, otherwise the sum of reps — and then the
shorter total hold. A side with no sets did no work. None when the session has no
left or right sets, or both sides are equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from training.units import round_to_owned

Side = Literal["left", "right", "both", "unknown"]
Kind = Literal["advance", "stay", "step_back"]

_SIDE_ORDER: tuple[Side, ...] = ("left", "right", "both", "unknown")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Criteria:
    """The current ladder level's advance criteria."""

    sets: int
    reps_per_side: int  # the top of the rep range
    hold_seconds: int  # 0 = no hold required
    tempo: str  # "" = no tempo prescribed
    per_side: bool  # False for a bilateral level, whose sets are side "both"
    takes_load: bool


@dataclass(frozen=True)
class SetRecord:
    side: Side
    reps: int
    load_kg: Decimal
    hold_seconds: int
    tempo: str  # "" when not recorded
    form_errors: int
    pain: bool


@dataclass(frozen=True)
class SessionRecord:
    day: date
    level: int
    sets: tuple[SetRecord, ...]


@dataclass(frozen=True)
class Suggestion:
    kind: Kind
    reasons: tuple[str, ...]
    weaker_side: Side | None
    next_load_kg: Decimal | None
    next_hold_seconds: int | None


def session_meets_target(
    criteria: Criteria, session: SessionRecord
) -> tuple[bool, tuple[str, ...]]:
    """Whether one session meets the level's target, and what is missing if not."""
    required = _required_sides(criteria)
    reasons: list[str] = []
    for side in _SIDE_ORDER:
        sets = _on(session, side)
        if side in required and len(sets) < criteria.sets:
            reasons.append(f"{_side_name(side)}: {len(sets)} of {criteria.sets} sets logged.")
        for number, record in enumerate(sets, start=1):
            if side in required:
                reasons.extend(_shortfalls(criteria, record, side, number))
            reasons.extend(_safety_notes(record, side, number))
    return not reasons, tuple(reasons)


def weaker_side(session: SessionRecord) -> Side | None:
    """The side that did less work (then held less); None without left/right sets or on a tie."""
    left, right = _on(session, "left"), _on(session, "right")
    if not left and not right:
        return None
    loaded = any(record.load_kg > 0 for record in (*left, *right))
    left_score, right_score = _score(left, loaded), _score(right, loaded)
    if left_score < right_score:
        return "left"
    if right_score < left_score:
        return "right"
    return None


def suggest(
    criteria: Criteria,
    history: Sequence[SessionRecord],
    *,
    level: int,
    is_top_level: bool,
    is_bottom_level: bool,
    owned_weights_kg: Sequence[Decimal] = (),
    load_step_kg: Decimal = Decimal("2.5"),
) -> Suggestion:
    """Advance, stay or step back, with the next load and hold when staying."""
    at_level = [session for session in history if session.level == level]
    latest = at_level[0] if at_level else None
    newest_is_here = bool(history) and history[0].level == level
    weak = weaker_side(latest) if latest is not None and criteria.per_side else None

    warnings = _warnings(at_level, is_bottom_level) if newest_is_here else []
    if warnings and not is_bottom_level:
        return Suggestion("step_back", tuple(warnings), weak, None, None)

    reasons: list[str] = list(warnings)
    allow_increase = not warnings
    if not warnings and latest is not None:
        met, missing = session_meets_target(criteria, latest)
        both_met = (
            met
            and len(history) >= 2
            and history[1].level == level
            and session_meets_target(criteria, history[1])[0]
        )
        if both_met and newest_is_here:
            days = f"{_day(history[0].day)} and {_day(history[1].day)}"
            if not is_top_level:
                return Suggestion(
                    "advance",
                    (f"Target met in your last two sessions, on {days}: move up a level.",),
                    weak,
                    None,
                    None,
                )
            reasons.append(
                f"Target met on {days}. This is the top of the ladder, so keep progressing "
                "within it."
            )
        elif met:
            onward = (
                "This is the top of the ladder, so keep progressing within it."
                if is_top_level
                else "Meet it in two sessions in a row at this level to move up."
            )
            reasons.append(f"Target met on {_day(latest.day)}. {onward}")
        else:
            reasons.extend(missing)
    elif latest is None:
        reasons.append("No session logged at this level yet.")

    if latest is None:
        return Suggestion("stay", tuple(reasons), None, None, None)
    load, hold, notes = _within_level(
        criteria, latest, weak, allow_increase, owned_weights_kg, load_step_kg
    )
    return Suggestion("stay", (*reasons, *notes), weak, load, hold)


def _within_level(
    criteria: Criteria,
    latest: SessionRecord,
    weak: Side | None,
    allow_increase: bool,
    owned_weights_kg: Sequence[Decimal],
    load_step_kg: Decimal,
) -> tuple[Decimal | None, int | None, list[str]]:
    """Next load and hold from the deciding side of the latest session at this level."""
    required = _required_sides(criteria)
    deciding_sides = (weak,) if weak is not None else required
    deciding = [record for record in latest.sets if record.side in deciding_sides]
    # A side that logged nothing cannot set the load; repeat what the other side did.
    pool = deciding or [record for record in latest.sets if record.side in required]
    if not pool:
        return None, None, []

    notes: list[str] = []
    if weak is not None and (criteria.takes_load or criteria.hold_seconds):
        notes.append(f"Your {weak} side did less work, so it sets the next target.")
    top_of_range = (
        allow_increase
        and bool(deciding)
        and all(len(_on(latest, side)) >= criteria.sets for side in deciding_sides)
        and all(
            record.reps >= criteria.reps_per_side and not record.form_errors and not record.pain
            for record in deciding
        )
    )

    load: Decimal | None = None
    if criteria.takes_load:
        heaviest = max(record.load_kg for record in pool)
        load = heaviest
        if top_of_range:
            target = heaviest + load_step_kg
            if owned_weights_kg:
                owned = round_to_owned(target, owned_weights_kg, "up")
                target = owned if owned is not None else target
            if target > heaviest:
                load = target
                where = f" on the {weak} side" if weak is not None else ""
                notes.append(
                    f"Every set{where} reached {criteria.reps_per_side} reps: "
                    "add load next session."
                )
            else:
                notes.append(
                    "None of your weights is heavier than the one you used: keep it, "
                    "and slow the tempo or add a hold."
                )

    hold: int | None = None
    if criteria.hold_seconds > 0:
        shortest = min(record.hold_seconds for record in pool)
        step = 1 if allow_increase and deciding else 0
        hold = min(shortest + step, criteria.hold_seconds)
    return load, hold, notes


def _warnings(at_level: list[SessionRecord], is_bottom_level: bool) -> list[str]:
    """Pain in the newest session and form errors in the last two, as sentences."""
    warnings: list[str] = []
    newest = at_level[0]
    hurt = [
        _where(side, number)
        for side in _SIDE_ORDER
        for number, record in enumerate(_on(newest, side), start=1)
        if record.pain
    ]
    if hurt:
        advice = (
            "Rest until it settles, and if it comes back see a physiotherapist or doctor "
            "before training on."
            if is_bottom_level
            else "Step back to an easier level until it trains pain-free."
        )
        warnings.append(f"Pain was reported on {_join(hurt)} on {_day(newest.day)}. {advice}")
    if len(at_level) >= 2 and all(_has_form_errors(session) for session in at_level[:2]):
        advice = (
            "Practise the fix slowly, with fewer reps, until the sets are clean."
            if is_bottom_level
            else "Step back a level and rebuild the movement."
        )
        warnings.append(
            f"Form errors in each of your last two sessions at this level "
            f"({_day(at_level[0].day)} and {_day(at_level[1].day)}). {advice}"
        )
    return warnings


def _shortfalls(criteria: Criteria, record: SetRecord, side: Side, number: int) -> list[str]:
    found: list[str] = []
    name = _side_name(side)
    if record.reps < criteria.reps_per_side:
        found.append(f"{name}: {record.reps} of {criteria.reps_per_side} reps on set {number}.")
    if record.hold_seconds < criteria.hold_seconds:
        found.append(
            f"{name}: held {record.hold_seconds} of {criteria.hold_seconds} seconds "
            f"on set {number}."
        )
    if criteria.tempo and _tempo_key(record.tempo) != _tempo_key(criteria.tempo):
        where = _where(side, number).capitalize()
        if record.tempo.strip():
            found.append(f"{where} was done at {record.tempo.strip()}, not {criteria.tempo}.")
        else:
            found.append(f"{where} has no tempo recorded; the target is {criteria.tempo}.")
    return found


def _safety_notes(record: SetRecord, side: Side, number: int) -> list[str]:
    found: list[str] = []
    where = _where(side, number).capitalize()
    if record.form_errors:
        plural = "s" if record.form_errors != 1 else ""
        found.append(f"{where} had {record.form_errors} form error{plural}.")
    if record.pain:
        found.append(f"Pain was reported on {_where(side, number)}.")
    return found


def _required_sides(criteria: Criteria) -> tuple[Side, ...]:
    return ("left", "right") if criteria.per_side else ("both",)


def _on(session: SessionRecord, side: Side) -> list[SetRecord]:
    return [record for record in session.sets if record.side == side]


def _has_form_errors(session: SessionRecord) -> bool:
    return any(record.form_errors for record in session.sets)


def _score(sets: Iterable[SetRecord], loaded: bool) -> tuple[Decimal, int]:
    sets = list(sets)
    if loaded:
        work = sum((record.reps * record.load_kg for record in sets), Decimal(0))
    else:
        work = Decimal(sum(record.reps for record in sets))
    return work, sum(record.hold_seconds for record in sets)


def _tempo_key(tempo: str) -> str:
    # "3 - 0 - 1 - 1" is the same prescription as "3-0-1-1".
    return "".join(tempo.split())


def _side_name(side: Side) -> str:
    return "Both sides" if side == "both" else f"{side.capitalize()} side"


def _where(side: Side, number: int) -> str:
    if side == "unknown":
        return f"set {number} of unknown side"
    return f"set {number} on both sides" if side == "both" else f"set {number} on the {side}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _day(day: date) -> str:
    # Month names written out here rather than strftime("%b"), which follows the locale.
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
