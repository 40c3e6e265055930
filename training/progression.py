"""Suggest whether to advance, stay, step back or stop on the exercise ladder.

Nothing is applied here: `suggest` only returns a `Suggestion` the trainee can
accept or ignore. Plain Python (no Django) so the rules can be tested as a table.
Advice that could hurt errs on the safe side: when in doubt, no added load. Advice that
adds no load for pain (rules 1, 2 and 4), a long break (3a) or form errors (3) says so in
`Suggestion.no_added_load`: a coach's plan heavier than the athlete lifts now is asked about
against it (coaches/forms.py), and Today puts it before that plan.

History is newest first (at most a few sessions) and may hold sessions at other
levels. A session *counts* at this level when it was done at this level and, if the
level changed, was logged after the change and dated on or after its day: sessions
from before a change decide nothing at the new level.

The rules, first match wins
---------------------------
== ============================================ =========================================
#  When                                         Suggestion
== ============================================ =========================================
1  Pain in 2 of the last 3 sessions (any        stop: stop this exercise and see a
   level), or pain in a session that counts     physiotherapist or doctor; no move up, no
   on the lowest level, not yet followed by     load, no hold until it trains pain-free
   two pain-free sessions that count
2  Pain in a session that counts, not yet       step back one level, "stop any set that
   followed by two pain-free sessions that      hurts", and see a physiotherapist or
   count                                        doctor if the pain persists
3  Form errors in each of the two latest        step back a level (on the lowest level:
   sessions that count, the newest of all       stay, practise the fix, no increase)
   being one of them
3a The newest session (any level) more than     stay: restart at what was last done or
   `LONG_GAP_WEEKS` (4) weeks before today      less; no added load, no longer hold, no
   (our choice, OUR_DEFAULT)                    move up, and it says how long it has been
4  Pain before the latest level change (or at   stay, no load or hold increase, until two
   another level), not yet followed by two      pain-free sessions that count
   pain-free sessions that count
5  The two newest sessions both count, both     advance (the top level stays, and keeps
   meet the target, are of different days       progressing within it)
   (our choice: a second session the same day
   shows nothing of how the body recovered)
   and no more than `LONG_GAP_WEEKS` apart,
   unless over the two the weaker side lags
   (`balance.lags`, more than `LAG_PERCENT`,
   10 %, behind: our choice): then rule 6, the
   advice naming that side to bring up first
6  Otherwise                                    stay; from the newest session that counts:
                                                the next load (`next_load`) only when it
                                                meets the target, else the same load;
                                                hold + 1 s
== ============================================ =========================================

Two pain-free sessions that count (`_trains_again`; our own rule, on the safe side)
    Sessions that count at this level, dated after the day of the pain, each with a set
    on every side that hurt (a both-legs set trains either leg; pain on a set of unknown
    side asks only for a set). A session the same day, or one that left the painful side
    out, shows nothing of how it trains and clears nothing.

Meeting the target (one session, `session_meets_target`)
    For each required side ("left" and "right" on a per-side level, "both" on a
    bilateral one) the session has at least `criteria.sets` sets on that side, and
    every set on that side has reps >= `reps_per_side`, a hold >= `hold_seconds`,
    the prescribed tempo (a blank tempo is not the prescribed one; spaces are
    ignored; a level with no prescribed tempo accepts any), no form error, no
    pain, and was not at maximal effort (`all_out`: RPE 10 or no rep in reserve, when
    the trainee logged an effort). Sets on a side that is not required are ignored for
    the target, but their pain, form errors and maximal efforts still count against it.

Maximal effort (our own rule, on the safe side)
    A target reached only at the limit, a set at RPE 10 or with no rep in reserve, is
    not yet done with control: the guide warns that the knee caves in under fatigue and
    heavier loads. Such a session neither moves the trainee up nor adds load until the
    target is met with a rep or more to spare. A set with no effort logged is not judged.

Adding load needs the whole target on both sides, not the weaker side alone: every
prescribed set logged on both sides, both at the top of the rep range at the
prescribed tempo, no form error and no pain on any set. Only levels that take
external load suggest a load (a band is not a load). The weaker side's heaviest
load is the one that goes up, by `next_load`:

== ========================================== ==========================================
#  Owned weights                              Next load
== ========================================== ==========================================
a  none listed                                the load + one step (`LOAD_STEP_KG`: 2.5 kg,
                                              or 5 lb for a trainee in pounds)
b  one or more above the load, within a step  the lightest of them: no owned weight is
                                              skipped, the smaller jump is the safer one
c  none within a step, some above             the lightest above; the advice gives the
                                              jump in percent when it is over 10 %
                                              (`jump_to_mention`)
d  none above                                 the same load ("you own nothing heavier")
== ========================================== ==========================================

The next hold (levels with a hold) is the weaker side's shortest hold + 1 second,
capped at the target, and + 0 while rule 3 or 4 holds.

Sets of unknown side (imported from apps that record none) never count for a side:
not for the target, the weaker side, the next load or the next hold. Nothing is
guessed from their order. Their pain and form errors still count, as they happened
whatever the leg.

The weaker side (`weaker_side`) is the side with less total work — the sum of
reps times load when any set is loaded, otherwise the sum of reps — and then the
shorter total hold. A side with no sets did no work. None when the session has no
left or right sets, or both sides are equal.

A set's form errors (`SetRecord.form_errors`) are the trainee's own flags on it and, once
they have seen them, the other form errors their coach tagged in comments on the set's
video: seen means the trainee opened the video page after the comment was made
(`VideoComment.seen_at`; training/level.py builds the records). A tag they have not seen
changes no advice, so the advice never steps back for a reason they were never shown. The
coach's review queue counts the tag at once.

Every suggestion has `why`: one line naming the sessions and numbers that decided it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal
from typing import Literal

from coaching.ours import OUR_DEFAULT
from coaching.tempo import Tempo, TempoError
from training import balance, sides
from training.units import format_load, to_kg

Side = Literal["left", "right", "both", "unknown"]
Kind = Literal["advance", "stay", "step_back", "stop"]

_SIDE_ORDER: tuple[Side, ...] = (*sides.NAMED, sides.UNKNOWN)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PAIN_WINDOW = 3  # sessions, at any level
PAIN_FREE_NEEDED = 2  # sessions that count, after the newest pain
# What lifts advice given for pain (rules 1, 2 and 4), as Today says it beside a coach's plan:
# `_trains_again` in plain words; nothing else (a coach's review included) lifts it.
PAIN_LIFTED_BY = (
    f"you have logged {PAIN_FREE_NEEDED} pain-free sessions at your level, on days after the "
    "pain, that train the side that hurt"
)
# Our own choice: the effort at which a set had nothing left (RPE's top; no rep in reserve).
ALL_OUT_RPE = Decimal(10)
SEE_SOMEONE = "see a physiotherapist or doctor"
# Our own choice, not the guide's: the smallest plate step in each unit.
LOAD_STEP_KG = {"kg": Decimal("2.5"), "lb": to_kg(Decimal(5), "lb")}
# A jump to an owned weight beyond one step is spelled out in percent above this share.
MENTIONED_JUMP = Decimal("0.10")
# Our own choice (OUR_DEFAULT), on the safe side: after more than this many weeks without a
# session, what the body built has faded, so nothing is added and nobody moves up from the
# sessions before the break until a session back shows how it goes.
LONG_GAP_WEEKS = 4
# What advice adds no load for, besides pain (Suggestion.no_added_load).
BREAK, FORM_ERRORS = "the break", "the form errors"


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
    all_out: bool = False  # at maximal effort (`all_out`), as the trainee logged it


def all_out(rpe: Decimal | None, rir: int | None) -> bool:
    """Whether a set's logged effort says it had nothing left: RPE 10, or 0 reps in reserve
    (neither logged: not judged)."""
    return (rpe is not None and rpe >= ALL_OUT_RPE) or rir == 0


@dataclass(frozen=True)
class SessionRecord:
    day: date
    level: int
    sets: tuple[SetRecord, ...]
    logged_at: datetime | None = None  # when it was entered; None when not known


@dataclass(frozen=True)
class LevelChangeRecord:
    """A change of level (the latest, or the latest to a harder rung): when it was made, and
    its day where it was made."""

    at: datetime
    day: date


@dataclass(frozen=True)
class Suggestion:
    kind: Kind
    reasons: tuple[str, ...]
    weaker_side: Side | None
    next_load_kg: Decimal | None
    next_hold_seconds: int | None
    why: str  # one line: the sessions and numbers that decided it
    # Pain decided it (rules 1, 2 and 4): no added load until it trains pain-free.
    for_pain: bool = False
    # Another reason the advice adds no load, named as a coach's confirmation says it: "the
    # break" (rule 3a), "the form errors" (rule 3). Read through `no_added_load`.
    held_for: str = ""

    @property
    def no_added_load(self) -> str:
        """What the advice adds no load for ("the pain", "the break", "the form errors"), or
        "" when it does not say so: the one place a coach's plan heavier than now is asked
        about against (coaches/forms.py) and Today puts the advice before that plan."""
        return "the pain" if self.for_pain else self.held_for

    @property
    def reasons_beyond_why(self) -> tuple[str, ...]:
        """The reasons a page lists under the why: not one the why already says word for
        word ("No session logged at this level yet"), and none for a move up or a step
        back, whose one reason is the why in other words."""
        if self.kind in ("advance", "step_back"):
            return ()
        return tuple(reason for reason in self.reasons if reason.rstrip(".") not in self.why)


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
        for number, record in _numbered(session, side):
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


def _changed_after(change: LevelChangeRecord | None, session: SessionRecord) -> bool:
    """Whether a change of level came after the session: on a later day, or on its day
    after it was logged."""
    if change is None:
        return False
    if change.day != session.day:
        return change.day > session.day
    return session.logged_at is not None and change.at > session.logged_at


def long_gap(before: date, after: date) -> bool:
    """Whether more than `LONG_GAP_WEEKS` lie between two days: a break, after which nothing
    is added, and which the balance note of the sessions before it names (records.py)."""
    return (after - before).days > LONG_GAP_WEEKS * 7


def counts_after(session: SessionRecord, change: LevelChangeRecord | None) -> bool:
    """Whether a session was logged after the level change (always, without one)."""
    if change is None:
        return True
    return (
        session.logged_at is not None
        and session.logged_at > change.at
        and session.day >= change.day
    )


def suggest(
    criteria: Criteria,
    history: Sequence[SessionRecord],
    *,
    level: int,
    is_top_level: bool,
    is_bottom_level: bool,
    owned_weights_kg: Sequence[Decimal] = (),
    load_step_kg: Decimal | None = None,
    changed: LevelChangeRecord | None = None,
    unit: str = "kg",
    today: date | None = None,
    moved_up: LevelChangeRecord | None = None,
) -> Suggestion:
    """Stop, step back, advance or stay, with the next load and hold when staying.

    `load_step_kg` defaults to the step of the trainee's unit (`LOAD_STEP_KG`); `today` is
    the trainee's day, which a long gap since the newest session is counted to (none is
    counted without it); `changed` is the latest change of level, `moved_up` the latest to
    a harder rung."""
    step = LOAD_STEP_KG[unit] if load_step_kg is None else load_step_kg
    here = [s.level == level and counts_after(s, changed) for s in history]
    current = [s for s, counts in zip(history, here, strict=True) if counts]
    latest = current[0] if current else None
    newest_is_here = bool(here) and here[0]
    weak = weaker_side(latest) if latest is not None and criteria.per_side else None

    # Rules 1, 2 and 4: pain, newest first, until two pain-free sessions that count.
    hurt_at = next((i for i, s in enumerate(history) if _has_pain(s)), None)
    pain_free = 0
    if hurt_at is not None:
        hurt = history[hurt_at]
        pain_free = sum(
            1
            for s, counts in zip(history[:hurt_at], here[:hurt_at], strict=True)
            if counts and _trains_again(s, hurt)
        )
    gated = hurt_at is not None and pain_free < PAIN_FREE_NEEDED
    window = [s for s in history[:PAIN_WINDOW] if _has_pain(s)]
    if len(window) >= 2 or (gated and here[hurt_at] and is_bottom_level):
        return _stop(window if len(window) >= 2 else [history[hurt_at]], len(window) >= 2)
    if gated and here[hurt_at]:
        hurt = history[hurt_at]
        where = _join(_pain_places(hurt))
        return Suggestion(
            "step_back",
            (f"Pain was reported on {where} on {_day(hurt.day)}.",),
            weak,
            None,
            None,
            f"Pain on {where} on {_day(hurt.day)}: step back one level until it trains "
            f"pain-free, and stop any set that hurts. If the pain persists, {SEE_SOMEONE}.",
            for_pain=True,
        )

    # Rule 3: form errors in the two latest sessions that count.
    warnings: list[str] = []
    why = ""
    if newest_is_here and len(current) >= 2 and all(map(_has_form_errors, current[:2])):
        days = f"{_day(current[0].day)} and {_day(current[1].day)}"
        if not is_bottom_level:
            return Suggestion(
                "step_back",
                (
                    f"Form errors in each of your last two sessions at this level ({days}). "
                    "Step back a level and rebuild the movement.",
                ),
                weak,
                None,
                None,
                f"Form errors on {_day(current[1].day)} and {_day(current[0].day)}, both "
                "sessions in a row: step back a level and rebuild the movement.",
                held_for=FORM_ERRORS,
            )
        warnings.append(
            f"Form errors in each of your last two sessions at this level ({days}). "
            "Practise the fix slowly, with fewer reps, until the sets are clean."
        )
        why = (
            f"Form errors on {_day(current[1].day)} and {_day(current[0].day)}, at the "
            "easiest level: practise the fix slowly, with fewer reps, until the sets are clean."
        )
    # Rule 3 at the easiest level adds no load until the sets are clean.
    held_for = FORM_ERRORS if warnings else ""
    pain_gate = ""
    if not warnings and gated:
        # Rule 4: the pain came before the change, or at another level.
        hurt = history[hurt_at]
        hurt_day = _day(hurt.day)
        # Pain on an easier rung, even once it trained pain-free there, counts again here:
        # said, as "ready to move up" read as the pain being behind them. "You moved up" only
        # when a change to a harder rung came after the painful session.
        harder = ""
        if hurt.level < level and _changed_after(moved_up, hurt):
            harder = " You moved up since"
        elif hurt.level < level:
            harder = (
                f" The painful session on {hurt_day} was on an easier rung (level {hurt.level}) "
                f"than your level ({level})"
            )
        if harder:
            harder += (
                ": a harder level asks more of that side, so it trains pain-free here before "
                "anything is added."
            )
        # The why says the pain's day and the count; this, which sessions count.
        warnings.append(
            f"Only sessions at this level on days after the pain, that train the side that "
            f"hurt, count toward the {PAIN_FREE_NEEDED}.{harder}"
        )
        pain_gate = (
            f"Pain on {hurt_day}, and {pain_free} of {PAIN_FREE_NEEDED} pain-free sessions "
            "at this level since"
        )

    # The long gap: back after a break, nothing is added until a session shows how it goes.
    if history and today is not None and long_gap(history[0].day, today):
        away = (today - history[0].day).days
        return _back_after_a_break(
            criteria, history[0], latest, away, weak, warnings, pain_gate, gated, unit
        )

    if latest is None:
        since = f" since your level change on {_day(changed.day)}" if changed else " yet"
        missing = f"No session logged at this level{since}."
        return Suggestion(
            "stay",
            (*warnings, missing),
            None,
            None,
            None,
            f"{pain_gate}: no added load or longer hold yet."
            if pain_gate
            else f"{missing[:-1]}: log one to get a suggestion.",
            for_pain=gated,
        )

    met, missing = session_meets_target(criteria, latest)
    met_days = [latest.day]
    met_before = (
        met
        and newest_is_here
        and len(history) >= 2
        and here[1]
        and not long_gap(history[1].day, latest.day)
        and session_meets_target(criteria, history[1])[0]
    )
    same_day = met_before and history[1].day == latest.day
    if met_before and not same_day:
        met_days.append(history[1].day)
    # Rule 5, unless the weaker side lags over the two sessions (balance.lags).
    lag = _lag(criteria, history[:2]) if len(met_days) == 2 else None
    if lag is not None:
        weak = lag.weaker
    if len(met_days) == 2 and not is_top_level and not warnings and lag is None:
        return Suggestion(
            "advance",
            (
                f"Target met in your last two sessions, on {_day(met_days[0])} and "
                f"{_day(met_days[1])}: move up a level.",
            ),
            weak,
            None,
            None,
            f"{_made(criteria)} on {_days(met_days)}, clean: move up a level.",
        )

    # Rule 6 (and the numbers for rules 3 and 4).
    reasons: list[str] = list(warnings)
    if not warnings:
        if met:
            if is_top_level:
                onward = "This is the top of the ladder, so keep progressing within it."
            elif lag is not None:
                onward = (
                    f"Your {lag.weaker} side lags: a harder level would ask more of it than it "
                    "does now, so bring it up first."
                )
            elif same_day:
                onward = "Met twice that day; meet it again on another day to move up."
            else:
                onward = "Meet it in two sessions in a row, on different days, to move up."
            days = " and ".join(_day(day) for day in met_days)
            reasons.append(f"Target met on {days}. {onward}")
        else:
            reasons.extend(missing)
    used, load, hold, notes = _within_level(
        criteria,
        latest,
        weak,
        add_load=met and not warnings,
        lengthen_hold=not warnings,
        owned_weights_kg=owned_weights_kg,
        load_step_kg=step,
        # A lag's why adds load on the weaker side alone, and says so.
        say_add_load=lag is None,
    )
    why = why or _stay_why(
        criteria,
        latest,
        met_days=met_days if met else [],
        missing=missing,
        used=used,
        load=load,
        hold=hold,
        is_top_level=is_top_level,
        pain_gate=pain_gate,
        owned=bool(owned_weights_kg),
        load_step_kg=step,
        unit=unit,
        lag=lag,
    )
    return Suggestion(
        "stay", (*reasons, *notes), weak, load, hold, why, for_pain=gated, held_for=held_for
    )


def _lag(criteria: Criteria, sessions: Sequence[SessionRecord]) -> balance.Balance | None:
    """The left and right work over `sessions` when the weaker side lags (balance.lags, the
    rule of the progress page and the coach's flag), else None."""
    if not criteria.per_side:
        return None
    each = [
        balance.between(*(_work(session, side) for side in (sides.LEFT, sides.RIGHT)))
        for session in sessions
    ]
    total = balance.combined(b for b in each if b is not None)
    return total if balance.lags(total.asymmetry) else None


def _work(session: SessionRecord, side: Side) -> Decimal:
    return sum(
        (balance.set_work(record.reps, record.load_kg) for record in _on(session, side)),
        Decimal(0),
    )


def _back_after_a_break(
    criteria: Criteria,
    newest: SessionRecord,
    latest: SessionRecord | None,
    away: int,
    weak: Side | None,
    warnings: list[str],
    pain_gate: str,
    gated: bool,
    unit: str,
) -> Suggestion:
    """Stay after a long gap (`LONG_GAP_WEEKS`): no added load, no longer hold, no move up;
    restart at what was last done or less."""
    used = None
    if latest is not None and criteria.takes_load:
        used = _within_level(
            criteria,
            latest,
            weak,
            add_load=False,
            lengthen_hold=False,
            owned_weights_kg=(),
            load_step_kg=Decimal(0),
        )[0]
    if used:
        restart = f"a load you control, {format_load(used, unit)} as last time or less"
    else:
        restart = "what you control, the reps and hold of last time or fewer"
    reasons = [*warnings]
    if pain_gate:
        reasons.append(f"{pain_gate}.")
    reasons.append(
        "Over a break strength and the body's tolerance fade, so the load you stopped at "
        "may now be too much."
    )
    return Suggestion(
        "stay",
        tuple(reasons),
        weak,
        None,
        None,
        f"Your last session was {_how_long(away)} ago, on {_day(newest.day)}: after more "
        f"than {LONG_GAP_WEEKS} weeks away ({OUR_DEFAULT}), restart at {restart}, with no "
        "added load, no longer hold and no move up until a session back shows how it goes.",
        for_pain=gated,
        held_for=BREAK,
    )


def _how_long(days: int) -> str:
    """Days said in the unit a person would: "40 days", "12 weeks", "more than 5 years"."""
    if days < 8 * 7:
        return _counted(days, "day")
    if days < 365:
        return _counted(days // 7, "week")
    years = days // 365
    return f"{'more than ' if days % 365 else ''}{_counted(years, 'year')}"


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _stop(hurt: list[SessionRecord], in_window: bool) -> Suggestion:
    reasons = tuple(
        f"Pain was reported on {_join(_pain_places(s))} on {_day(s.day)}." for s in hurt
    )
    if in_window:
        decided = f"Pain in {len(hurt)} of your last {PAIN_WINDOW} sessions"
    else:
        decided = "Pain at the easiest level"
    return Suggestion(
        "stop",
        reasons,
        None,
        None,
        None,
        f"{decided} (on {_days([s.day for s in hurt])}): stop this exercise and "
        f"{SEE_SOMEONE}; no move up and no added load until it trains pain-free.",
        for_pain=True,
    )


def _within_level(
    criteria: Criteria,
    latest: SessionRecord,
    weak: Side | None,
    *,
    add_load: bool,
    lengthen_hold: bool,
    owned_weights_kg: Sequence[Decimal],
    load_step_kg: Decimal,
    say_add_load: bool = True,
) -> tuple[Decimal | None, Decimal | None, int | None, list[str]]:
    """Load used, next load and next hold from the deciding side of the newest counting session.

    `add_load` is the whole target met on both sides: the weaker side alone never adds load.
    `say_add_load` False leaves out the note that adds load, for a why that says on which
    side (a lag's: the weaker side's load goes up, not both).
    """
    required = _required_sides(criteria)
    deciding_sides = (weak,) if weak is not None else required
    deciding = [record for record in latest.sets if record.side in deciding_sides]
    # A side that logged nothing cannot set the load; repeat what the other side did.
    pool = deciding or [record for record in latest.sets if record.side in required]
    if not pool:
        return None, None, None, []

    notes: list[str] = []
    if weak is not None and (criteria.takes_load or criteria.hold_seconds):
        notes.append(f"Your {weak} side did less work, so it sets the next target.")
    used = max(record.load_kg for record in pool) if criteria.takes_load else None
    load = used
    if used is not None and add_load:
        target = next_load(used, load_step_kg, owned_weights_kg)
        if target is not None:
            load = target
            both = " on both sides" if criteria.per_side else ""
            if say_add_load:
                notes.append(
                    f"Every set{both} reached {criteria.reps_per_side} reps: add load next session."
                )
        else:
            notes.append(
                "None of your weights is heavier than the one you used: keep it, "
                "and slow the tempo or add a hold."
            )

    hold: int | None = None
    if criteria.hold_seconds > 0:
        shortest = min(record.hold_seconds for record in pool)
        step = 1 if lengthen_hold and deciding else 0
        hold = min(shortest + step, criteria.hold_seconds)
    return used, load, hold, notes


def next_load(
    used_kg: Decimal, step_kg: Decimal, owned_kg: Sequence[Decimal] = ()
) -> Decimal | None:
    """The load after `used_kg` (rows a-d of the table above); None when nothing owned is heavier.

    The lightest owned weight above the load is both the one within a step when any is
    (never skipping a weight the trainee owns) and the nearest above when none is.
    """
    if not owned_kg:
        return used_kg + step_kg
    heavier = [weight for weight in owned_kg if weight > used_kg]
    return min(heavier) if heavier else None


def jump_to_mention(used_kg: Decimal, next_kg: Decimal, step_kg: Decimal) -> int | None:
    """The jump in whole percent, rounded up, when it is beyond one step and over 10 %."""
    jump = next_kg - used_kg
    if used_kg <= 0 or jump <= step_kg or jump <= used_kg * MENTIONED_JUMP:
        return None
    return int((jump * 100 / used_kg).to_integral_value(rounding=ROUND_CEILING))


def _stay_why(
    criteria: Criteria,
    latest: SessionRecord,
    *,
    met_days: list[date],
    missing: tuple[str, ...],
    used: Decimal | None,
    load: Decimal | None,
    hold: int | None,
    is_top_level: bool,
    pain_gate: str,
    owned: bool,
    load_step_kg: Decimal,
    unit: str,
    lag: balance.Balance | None = None,
) -> str:
    """The one line that says why the trainee stays, with the numbers for next session."""
    keep = []
    if load is not None and load == used:
        keep.append(f"keep {format_load(load, unit)}")
    if hold is not None:
        keep.append(f"hold the top {hold} s")
    then = " and ".join(keep) or "stay on this level"
    if pain_gate:
        return f"{pain_gate}: {then}, with no added load or longer hold yet."
    if not met_days:
        more = f", and {len(missing) - 1} more" if len(missing) > 1 else ""
        first = missing[0][0].lower() + missing[0][1:].rstrip(".")
        where = " on both sides" if criteria.per_side else ""
        return f"Not yet {_target(criteria)}{where} on {_day(latest.day)} ({first}{more}): {then}."
    made = f"{_made(criteria)} on {_days(met_days)}, clean"
    if lag is not None:
        stronger = sides.mirror(lag.weaker)
        more = ""
        if used is not None and load is not None and load > used:
            more = (
                f", add {format_load(load - used, unit)} on it "
                f"({format_load(used, unit)} → {format_load(load, unit)})"
            )
        return (
            f"{made}, but your {lag.weaker} side did {lag.asymmetry}% less work than your "
            f"{stronger}, more than the {balance.LAG_PERCENT}% a side may lag ({OUR_DEFAULT}): "
            f"bring the {lag.weaker} side up first{more}, then move up."
        )
    if used is not None and load is not None and load > used:
        mine = ", the next weight you own" if owned else ""
        percent = jump_to_mention(used, load, load_step_kg)
        if percent is not None:
            mine += f": {percent}% heavier, more than one {format_load(load_step_kg, unit)} step"
        return (
            f"{made}: add {format_load(load - used, unit)} "
            f"({format_load(used, unit)} → {format_load(load, unit)}{mine})."
        )
    if used is not None and load == used:
        return f"{made}, but you own nothing heavier: {then}, and slow the tempo or add a hold."
    if is_top_level:
        return f"{made}: this is the top of the ladder, so keep progressing within it."
    return f"{made}: meet it again on another day to move up a level."


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
    if criteria.tempo and not _at_tempo(record, criteria):
        where = set_name(side, number).capitalize()
        if record.tempo.strip():
            found.append(f"{where} was done at {record.tempo.strip()}, not {criteria.tempo}.")
        else:
            found.append(f"{where} has no tempo recorded; the target is {criteria.tempo}.")
    return found


def _safety_notes(record: SetRecord, side: Side, number: int) -> list[str]:
    found: list[str] = []
    where = set_name(side, number).capitalize()
    if record.form_errors:
        plural = "s" if record.form_errors != 1 else ""
        found.append(f"{where} had {record.form_errors} form error{plural}.")
    if record.pain:
        found.append(f"Pain was reported on {set_name(side, number)}.")
    if record.all_out:
        found.append(
            f"{where} was at maximal effort: meet the target with a rep or more to spare first."
        )
    return found


def _required_sides(criteria: Criteria) -> tuple[Side, ...]:
    return sides.worked(criteria.per_side)


def _on(session: SessionRecord, side: Side) -> list[SetRecord]:
    return [record for record in session.sets if record.side == side]


def _has_form_errors(session: SessionRecord) -> bool:
    return any(record.form_errors for record in session.sets)


def _has_pain(session: SessionRecord) -> bool:
    return any(record.pain for record in session.sets)


def _trains_again(later: SessionRecord, hurt: SessionRecord) -> bool:
    """Whether a pain-free session shows what hurt trains pain-free: dated after the pain,
    with a set on each side that hurt (a both-legs set trains either leg; pain on a set of
    unknown side asks only for a set)."""
    if later.day <= hurt.day:
        return False
    trained = {record.side for record in later.sets}
    for side in {record.side for record in hurt.sets if record.pain}:
        if side == sides.UNKNOWN:
            fine = bool(trained)
        elif side == sides.BOTH:
            fine = sides.BOTH in trained or {sides.LEFT, sides.RIGHT} <= trained
        else:
            fine = side in trained or sides.BOTH in trained
        if not fine:
            return False
    return True


def _pain_places(session: SessionRecord) -> list[str]:
    return [
        set_name(side, number)
        for side in _SIDE_ORDER
        for number, record in _numbered(session, side)
        if record.pain
    ]


def _target(criteria: Criteria) -> str:
    text = f"{criteria.sets} × {criteria.reps_per_side}"
    if criteria.hold_seconds:
        text += f" with a {criteria.hold_seconds} s hold"
    return f"{text} at {criteria.tempo}" if criteria.tempo else text


def _made(criteria: Criteria) -> str:
    return f"{'Both sides' if criteria.per_side else 'You'} made {_target(criteria)}"


def _days(days: Iterable[date]) -> str:
    """Days in the order they happened."""
    return _join([_day(day) for day in sorted(days)])


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


def _at_tempo(record: SetRecord, criteria: Criteria) -> bool:
    """Whether the set was done at the target's tempo: as written, or as each rep was done,
    the hold on every rep being the tempo's hold at the top (3-0-1-1 held 5 s is 3-0-1-5, as
    a coach's prescription of it is: Prescription.rep_tempo), where holding the top longer
    than a target that asks for a hold is no miss (3-0-1-1 held 6 s meets 3-0-1-5)."""
    if _tempo_key(record.tempo) == _tempo_key(criteria.tempo):
        return True
    try:
        done = Tempo.parse(record.tempo).held_for(record.hold_seconds)
        target = Tempo.parse(criteria.tempo).held_for(criteria.hold_seconds)
    except TempoError:  # no tempo recorded, or a hold longer than a tempo's
        return False
    if criteria.hold_seconds and done.top_hold > target.top_hold:
        done = done.with_top_hold(target.top_hold)
    return done == target


def _side_name(side: Side) -> str:
    return "Both sides" if side == "both" else f"{side.capitalize()} side"


def side_numbers(set_sides: Iterable[str]) -> list[int]:
    """Each set's number on its own side, counting in the session's order (left 1, right 1,
    left 2...): the one numbering of sets, in the advice and on the session pages."""
    seen: dict[str, int] = {}
    numbers = []
    for side in set_sides:
        seen[side] = seen.get(side, 0) + 1
        numbers.append(seen[side])
    return numbers


def _numbered(session: SessionRecord, side: Side) -> list[tuple[int, SetRecord]]:
    """The session's sets on `side`, each with its number (side_numbers)."""
    numbers = side_numbers(record.side for record in session.sets)
    return [
        (number, record)
        for number, record in zip(numbers, session.sets, strict=True)
        if record.side == side
    ]


def set_name(side: Side, number: int) -> str:
    """A set as the advice and the pages name it: "set 2 on the left"."""
    return f"set {number} {on_side(side)}"


def on_side(side: Side) -> str:
    """Where a set is, as set_name says it: "on the left", "on both sides"."""
    if side == "unknown":
        return "of unknown side"
    return "on both sides" if side == "both" else f"on the {side}"


def joined(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return _join(items)


def on_days(days: Iterable[date]) -> str:
    """Days as the advice says them, in the order they happened: "on 28 Oct 2026", "on 28 Oct
    2026 and 30 Oct 2026", and for more than two "from 2 Oct 2026 to 30 Oct 2026"."""
    days = sorted(days)
    if len(days) > 2:
        return f"from {_day(days[0])} to {_day(days[-1])}"
    return f"on {_days(days)}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _day(day: date) -> str:
    # Month names written out here rather than strftime("%b"), which follows the locale.
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
