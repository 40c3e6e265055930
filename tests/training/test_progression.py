"""The ladder rules of training/progression.py, as a table: one row per rule, then the rest."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from training.progression import (
    LOAD_STEP_KG,
    Criteria,
    LevelChangeRecord,
    SessionRecord,
    SetRecord,
    Suggestion,
    all_out,
    jump_to_mention,
    next_load,
    on_days,
    session_meets_target,
    side_numbers,
    suggest,
    weaker_side,
)
from training.units import to_kg

D = Decimal
TEMPO = "3-0-1-1"
LOADED = Criteria(
    sets=3, reps_per_side=12, hold_seconds=0, tempo=TEMPO, per_side=True, takes_load=True
)
HOLDING = Criteria(
    sets=3, reps_per_side=10, hold_seconds=10, tempo=TEMPO, per_side=True, takes_load=False
)
BRIDGE = Criteria(
    sets=3, reps_per_side=15, hold_seconds=0, tempo="2-0-1-1", per_side=False, takes_load=False
)
BANDED = Criteria(
    sets=3, reps_per_side=12, hold_seconds=0, tempo=TEMPO, per_side=True, takes_load=False
)

MON, WED, FRI, SAT, SUN = (date(2025, 3, day) for day in (3, 5, 7, 8, 9))
TUE = date(2025, 3, 11)
# A step back accepted on Saturday morning, after Friday's session.
STEPPED_BACK = LevelChangeRecord(at=datetime(2025, 3, 8, 9, tzinfo=UTC), day=SAT)
# A move up accepted on Saturday morning, after Friday's session.
MOVED_UP = STEPPED_BACK
LB_20, LB_25, LB_30, LB_35 = (to_kg(D(pounds), "lb") for pounds in (20, 25, 30, 35))


def a_set(
    side="left", reps=12, load="10", hold=0, tempo=TEMPO, errors=0, pain=False, all_out=False
):
    return SetRecord(
        side=side,
        reps=reps,
        load_kg=D(load),
        hold_seconds=hold,
        tempo=tempo,
        form_errors=errors,
        pain=pain,
        all_out=all_out,
    )


def sets(side, *reps, **fields):
    """One set per rep count given, or three sets of 12."""
    return tuple(a_set(side, count, **fields) for count in reps or (12, 12, 12))


def session(day, *groups, level=4, logged=None):
    """A session logged on its own day at 8 pm unless `logged` says when."""
    return SessionRecord(
        day=day,
        level=level,
        sets=tuple(s for group in groups for s in group),
        logged_at=logged or datetime.combine(day, time(20), tzinfo=UTC),
    )


def clean(day, level=4, **fields):
    """Both sides: three sets of 12 at 10 kg, the prescribed tempo, no errors, no pain."""
    return session(day, sets("left", **fields), sets("right", **fields), level=level)


# The isometric rung's target: 3 x 8 with a 5 s hold at the top, 3-0-1-5.
HELD_5 = Criteria(3, 8, 5, "3-0-1-5", per_side=True, takes_load=False)


def held(day, left: tuple[int, str], right: tuple[int, str]):
    """Three sets of 8 on each side, each side's (hold, tempo) as given."""
    (left_hold, left_tempo), (right_hold, right_tempo) = left, right
    return session(
        day,
        sets("left", 8, 8, 8, hold=left_hold, tempo=left_tempo),
        sets("right", 8, 8, 8, hold=right_hold, tempo=right_tempo),
    )


def one_bad(day, side, number, level=4, **change):
    """A clean session except set `number` on `side`, which has `change` applied."""
    groups = []
    for each in ("left", "right"):
        group = [a_set(each) for _ in range(3)]
        if each == side:
            group[number - 1] = a_set(each, **change)
        groups.append(group)
    return session(day, *groups, level=level)


MET_FRI = (
    "Target met on 7 Mar 2025. Meet it in two sessions in a row, on different days, to move up."
)
MET_WED = (
    "Target met on 5 Mar 2025. Meet it in two sessions in a row, on different days, to move up."
)
ADVANCE_FRI_WED = (
    "Target met in your last two sessions, on 7 Mar 2025 and 5 Mar 2025: move up a level."
)
ADD_LOAD = "Every set on both sides reached 12 reps: add load next session."
RIGHT_DECIDES = "Your right side did less work, so it sets the next target."
MADE_FRI = "Both sides made 3 × 12 at 3-0-1-1 on 7 Mar 2025, clean"
PLUS_STEP = f"{MADE_FRI}: add 2.5 kg (10 kg → 12.5 kg)."
STOP = (
    "stop this exercise and see a physiotherapist or doctor; no move up and no added load "
    "until it trains pain-free."
)


def stay(*reasons, weak=None, load=None, hold=None, why, for_pain=False, held_for=""):
    load = None if load is None else D(load)
    return Suggestion("stay", reasons, weak, load, hold, why, for_pain=for_pain, held_for=held_for)


both = (sets("left"), sets("right"))


def knee_caving(side, load):
    """Three sets of 12 at the tempo, every one flagged with a form error."""
    return sets(side, load=load, errors=1)


def stepped_back_for_pain(day: str, weak=None) -> Suggestion:
    """Rule 2 for the pain on set 2 on the right on `day`."""
    return Suggestion(
        "step_back",
        (f"Pain was reported on set 2 on the right on {day}.",),
        weak,
        None,
        None,
        f"Pain on set 2 on the right on {day}: step back one level until it trains "
        "pain-free, and stop any set that hurts. If the pain persists, see a "
        "physiotherapist or doctor.",
        for_pain=True,
    )


# One row per rule of the module's docstring, as issue 14 asked for them; each failed
# before the rule (the stronger side, the tempo, the level change and the pain window).
RULES = [
    pytest.param(
        LOADED,
        [session(FRI, knee_caving("left", "12.5"), sets("right", load="10"))],
        {},
        stay(
            "Set 1 on the left had 1 form error.",
            "Set 2 on the left had 1 form error.",
            "Set 3 on the left had 1 form error.",
            RIGHT_DECIDES,
            weak="right",
            load="10",
            why=(
                "Not yet 3 × 12 at 3-0-1-1 on both sides on 7 Mar 2025 (set 1 on the left had 1 "
                "form error, and 2 more): keep 10 kg."
            ),
        ),
        id="form errors on the stronger side add no load",
    ),
    pytest.param(
        LOADED,
        [session(FRI, sets("left", 12, 12, load="20"), sets("right", load="10"))],
        {},
        stay(
            "Left side: 2 of 3 sets logged.",
            RIGHT_DECIDES,
            weak="right",
            load="10",
            why=(
                "Not yet 3 × 12 at 3-0-1-1 on both sides on 7 Mar 2025 (left side: 2 of 3 sets "
                "logged): keep 10 kg."
            ),
        ),
        id="two of three sets on the stronger side add no load",
    ),
    pytest.param(
        LOADED,
        [one_bad(FRI, "right", 3, tempo="2-0-1-1"), clean(WED)],
        {},
        stay(
            "Set 3 on the right was done at 2-0-1-1, not 3-0-1-1.",
            load="10",
            why=(
                "Not yet 3 × 12 at 3-0-1-1 on both sides on 7 Mar 2025 (set 3 on the right was "
                "done at 2-0-1-1, not 3-0-1-1): keep 10 kg."
            ),
        ),
        id="a set at the wrong tempo adds no load",
    ),
    pytest.param(
        LOADED,
        [one_bad(FRI, "left", 1, tempo=""), clean(WED)],
        {},
        stay(
            "Set 1 on the left has no tempo recorded; the target is 3-0-1-1.",
            load="10",
            why=(
                "Not yet 3 × 12 at 3-0-1-1 on both sides on 7 Mar 2025 (set 1 on the left has no "
                "tempo recorded; the target is 3-0-1-1): keep 10 kg."
            ),
        ),
        id="a set with no tempo recorded adds no load",
    ),
    pytest.param(
        LOADED,
        [one_bad(FRI, "left", 2, all_out=True), clean(WED)],
        {},
        stay(
            "Set 2 on the left was at maximal effort: meet the target with a rep or more to "
            "spare first.",
            load="10",
            why=(
                "Not yet 3 × 12 at 3-0-1-1 on both sides on 7 Mar 2025 (set 2 on the left was "
                "at maximal effort: meet the target with a rep or more to spare first): keep "
                "10 kg."
            ),
        ),
        id="a target met only at maximal effort adds no load",
    ),
    pytest.param(
        LOADED,
        [one_bad(FRI, "right", 2, level=5, pain=True), clean(WED)],
        {"changed": STEPPED_BACK},
        stay(
            "Only sessions at this level on days after the pain, that train the side that hurt, "
            "count toward the 2.",
            "No session logged at this level since your level change on 8 Mar 2025.",
            why=(
                "Pain on 7 Mar 2025, and 0 of 2 pain-free sessions at this level since: no added "
                "load or longer hold yet."
            ),
            for_pain=True,
        ),
        id="after a step back for pain an older session at the lower level adds nothing",
    ),
    pytest.param(
        LOADED,
        [one_bad(FRI, "right", 2, level=5, pain=True), clean(WED)],
        {},
        stay(
            "Only sessions at this level on days after the pain, that train the side that hurt, "
            "count toward the 2.",
            load="10",
            why=(
                "Pain on 7 Mar 2025, and 0 of 2 pain-free sessions at this level since: keep 10 "
                "kg, with no added load or longer hold yet."
            ),
            for_pain=True,
        ),
        id="a pain flag at the old level does not step back again and adds no load",
    ),
    pytest.param(
        LOADED,
        [clean(SUN), one_bad(FRI, "right", 2, level=5, pain=True), clean(WED)],
        {"changed": STEPPED_BACK},
        stay(
            "Only sessions at this level on days after the pain, that train the side that hurt, "
            "count toward the 2.",
            load="10",
            why=(
                "Pain on 7 Mar 2025, and 1 of 2 pain-free sessions at this level since: keep 10 "
                "kg, with no added load or longer hold yet."
            ),
            for_pain=True,
        ),
        id="one pain-free session after a step back for pain adds no load",
    ),
    pytest.param(
        LOADED,
        [
            clean(SUN),
            clean(FRI, level=3),
            clean(WED, level=3),
            one_bad(MON, "right", 2, level=3, pain=True),
        ],
        {"changed": MOVED_UP, "moved_up": MOVED_UP},
        stay(
            "Only sessions at this level on days after the pain, that train the side that hurt, "
            "count toward the 2. "
            "You moved up since: a harder level asks more of that side, so it trains pain-free "
            "here before anything is added.",
            load="10",
            why=(
                "Pain on 3 Mar 2025, and 1 of 2 pain-free sessions at this level since: keep 10 "
                "kg, with no added load or longer hold yet."
            ),
            for_pain=True,
        ),
        id="pain cleared below still asks two pain-free sessions after moving up, and says why",
    ),
    pytest.param(
        HOLDING,
        [
            session(SUN, sets("left", 10, 10, 10, hold=6), sets("right", 10, 10, 10, hold=6)),
            session(FRI, sets("left", 8, 8, 8, hold=5, pain=True), level=5),
        ],
        {"changed": STEPPED_BACK},
        stay(
            "Only sessions at this level on days after the pain, that train the side that hurt, "
            "count toward the 2.",
            hold=6,
            why=(
                "Pain on 7 Mar 2025, and 1 of 2 pain-free sessions at this level since: hold the "
                "top 6 s, with no added load or longer hold yet."
            ),
            for_pain=True,
        ),
        id="one pain-free session after a step back for pain adds no hold",
    ),
    pytest.param(
        LOADED,
        [one_bad(FRI, "right", 2, pain=True), clean(WED), one_bad(MON, "left", 1, pain=True)],
        {},
        Suggestion(
            "stop",
            (
                "Pain was reported on set 2 on the right on 7 Mar 2025.",
                "Pain was reported on set 1 on the left on 3 Mar 2025.",
            ),
            None,
            None,
            None,
            f"Pain in 2 of your last 3 sessions (on 3 Mar 2025 and 7 Mar 2025): {STOP}",
            for_pain=True,
        ),
        id="pain in two of the last three sessions stops the exercise",
    ),
    pytest.param(
        LOADED,
        [
            clean(SUN),
            one_bad(FRI, "right", 2, level=5, pain=True),
            one_bad(WED, "left", 1, pain=True),
        ],
        {"changed": STEPPED_BACK},
        Suggestion(
            "stop",
            (
                "Pain was reported on set 2 on the right on 7 Mar 2025.",
                "Pain was reported on set 1 on the left on 5 Mar 2025.",
            ),
            None,
            None,
            None,
            f"Pain in 2 of your last 3 sessions (on 5 Mar 2025 and 7 Mar 2025): {STOP}",
            for_pain=True,
        ),
        id="pain in two of the last three sessions at any level stops the exercise",
    ),
    pytest.param(
        LOADED,
        [one_bad(FRI, "right", 2, pain=True), clean(WED)],
        {"is_bottom_level": True},
        Suggestion(
            "stop",
            ("Pain was reported on set 2 on the right on 7 Mar 2025.",),
            None,
            None,
            None,
            f"Pain at the easiest level (on 7 Mar 2025): {STOP}",
            for_pain=True,
        ),
        id="pain on the lowest level stops the exercise",
    ),
    pytest.param(
        LOADED,
        [clean(FRI), one_bad(WED, "right", 2, pain=True)],
        {},
        stepped_back_for_pain("5 Mar 2025"),
        id="pain in an older session still steps back",
    ),
    pytest.param(
        LOADED,
        [one_bad(FRI, "right", 2, pain=True), clean(WED)],
        {},
        stepped_back_for_pain("7 Mar 2025"),
        id="one pain flag steps back one level and says to stop any set that hurts",
    ),
    pytest.param(
        LOADED,
        [
            session(SUN, sets("left")),
            session(SAT, sets("left")),
            one_bad(WED, "right", 2, pain=True),
        ],
        {},
        stepped_back_for_pain("5 Mar 2025", weak="right"),
        id="pain-free sessions that leave out the side that hurt clear nothing",
    ),
    pytest.param(
        LOADED,
        [
            session(WED, *both, logged=datetime(2025, 3, 5, 21, 30, tzinfo=UTC)),
            session(WED, *both, logged=datetime(2025, 3, 5, 21, tzinfo=UTC)),
            one_bad(WED, "right", 2, pain=True),
        ],
        {},
        stepped_back_for_pain("5 Mar 2025"),
        id="pain-free sessions on the day of the pain clear nothing",
    ),
]

# The cases that were already safe, kept as they were (the band's rule failed in the
# content, so its failing tests are in test_level_and_progress.py).
SAFE = [
    pytest.param(
        BANDED,
        [clean(FRI, load="0")],
        {"owned_weights_kg": [D("4"), D("6")]},
        stay(
            MET_FRI,
            why=(
                "Both sides made 3 × 12 at 3-0-1-1 on 7 Mar 2025, clean: meet it again on "
                "another day to move up a level."
            ),
        ),
        id="a level that takes no load suggests no load",
    ),
    pytest.param(
        LOADED,
        [clean(FRI), clean(WED)],
        {},
        Suggestion(
            "advance",
            (ADVANCE_FRI_WED,),
            None,
            None,
            None,
            "Both sides made 3 × 12 at 3-0-1-1 on 5 Mar 2025 and 7 Mar 2025, clean: move up a "
            "level.",
        ),
        id="two sessions in a row on target advance",
    ),
    pytest.param(
        LOADED,
        [clean(FRI)],
        {},
        stay(MET_FRI, ADD_LOAD, load="12.5", why=PLUS_STEP),
        id="one session only stays and adds load",
    ),
    pytest.param(
        LOADED,
        [
            clean(TUE),
            one_bad(SUN, "left", 1, reps=11),
            one_bad(FRI, "right", 2, level=5, pain=True),
        ],
        {"changed": STEPPED_BACK},
        stay(
            "Target met on 11 Mar 2025. Meet it in two sessions in a row, on different days, to "
            "move up.",
            ADD_LOAD,
            load="12.5",
            why=(
                "Both sides made 3 × 12 at 3-0-1-1 on 11 Mar 2025, clean: add 2.5 kg (10 kg → "
                "12.5 kg)."
            ),
        ),
        id="two pain-free sessions after a step back for pain may add load again",
    ),
    pytest.param(
        LOADED,
        [clean(FRI), clean(WED, level=3), clean(MON)],
        {},
        stay(MET_FRI, ADD_LOAD, load="12.5", why=PLUS_STEP),
        id="a session at another level in between breaks the run",
    ),
    pytest.param(
        LOADED,
        [clean(FRI), one_bad(WED, "left", 3, reps=11), clean(MON)],
        {},
        stay(MET_FRI, ADD_LOAD, load="12.5", why=PLUS_STEP),
        id="the two newest sessions must both meet the target",
    ),
    pytest.param(
        LOADED,
        [clean(FRI), clean(FRI), clean(WED)],
        {},
        stay(
            "Target met on 7 Mar 2025. Met twice that day; meet it again on another day to "
            "move up.",
            ADD_LOAD,
            load="12.5",
            why=PLUS_STEP,
        ),
        id="two sessions on target the same day do not advance",
    ),
    pytest.param(
        LOADED,
        [clean(FRI), clean(WED)],
        {"is_top_level": True},
        stay(
            "Target met on 7 Mar 2025 and 5 Mar 2025. This is the top of the ladder, "
            "so keep progressing within it.",
            ADD_LOAD,
            load="12.5",
            why=(
                "Both sides made 3 × 12 at 3-0-1-1 on 5 Mar 2025 and 7 Mar 2025, clean: add 2.5 "
                "kg (10 kg → 12.5 kg)."
            ),
        ),
        id="the top level never advances",
    ),
    pytest.param(
        LOADED,
        [
            one_bad(FRI, "left", 1, errors=1),
            clean(WED, level=3),
            one_bad(MON, "right", 3, errors=2),
        ],
        {},
        Suggestion(
            "step_back",
            (
                "Form errors in each of your last two sessions at this level "
                "(7 Mar 2025 and 3 Mar 2025). Step back a level and rebuild the movement.",
            ),
            None,
            None,
            None,
            "Form errors on 3 Mar 2025 and 7 Mar 2025, both sessions in a row: step back a "
            "level and rebuild the movement.",
            held_for="the form errors",
        ),
        id="form errors in the two latest sessions at this level step back",
    ),
    pytest.param(
        LOADED,
        [one_bad(FRI, "left", 1, errors=1), one_bad(WED, "right", 3, errors=2)],
        {"is_bottom_level": True},
        stay(
            "Form errors in each of your last two sessions at this level (7 Mar 2025 and "
            "5 Mar 2025). Practise the fix slowly, with fewer reps, until the sets are clean.",
            load="10",
            why=(
                "Form errors on 5 Mar 2025 and 7 Mar 2025, at the easiest level: practise the fix "
                "slowly, with fewer reps, until the sets are clean."
            ),
            held_for="the form errors",
        ),
        id="the bottom level never steps back for form errors",
    ),
    pytest.param(
        LOADED,
        [one_bad(FRI, "left", 1, errors=1), clean(WED)],
        {},
        stay(
            "Set 1 on the left had 1 form error.",
            load="10",
            why=(
                "Not yet 3 × 12 at 3-0-1-1 on both sides on 7 Mar 2025 (set 1 on the left had 1 "
                "form error): keep 10 kg."
            ),
        ),
        id="one session with a form error stays at the same load",
    ),
    pytest.param(
        LOADED,
        [session(FRI, sets("left"), sets("right", 12, 10, 9))],
        {},
        stay(
            "Right side: 10 of 12 reps on set 2.",
            "Right side: 9 of 12 reps on set 3.",
            RIGHT_DECIDES,
            weak="right",
            load="10",
            why=(
                "Not yet 3 × 12 at 3-0-1-1 on both sides on 7 Mar 2025 (right side: 10 of 12 reps "
                "on set 2, and 1 more): keep 10 kg."
            ),
        ),
        id="the weaker side decides",
    ),
    pytest.param(
        LOADED,
        [session(FRI, sets("left"), sets("right", 12, 12, 11))],
        {},
        stay(
            "Right side: 11 of 12 reps on set 3.",
            RIGHT_DECIDES,
            weak="right",
            load="10",
            why=(
                "Not yet 3 × 12 at 3-0-1-1 on both sides on 7 Mar 2025 (right side: 11 of 12 reps "
                "on set 3): keep 10 kg."
            ),
        ),
        id="double progression keeps the load when one set fell short",
    ),
    pytest.param(
        LOADED,
        [session(FRI, sets("left", load="12.5"), sets("right", load="10"))],
        {},
        stay(MET_FRI, RIGHT_DECIDES, ADD_LOAD, weak="right", load="12.5", why=PLUS_STEP),
        id="the weaker side's load is the one that goes up",
    ),
    pytest.param(
        LOADED,
        [session(FRI, sets("left")), clean(WED)],
        {},
        stay(
            "Right side: 0 of 3 sets logged.",
            RIGHT_DECIDES,
            weak="right",
            load="10",
            why=(
                "Not yet 3 × 12 at 3-0-1-1 on both sides on 7 Mar 2025 (right side: 0 of 3 sets "
                "logged): keep 10 kg."
            ),
        ),
        id="a missing side misses the target and adds nothing",
    ),
    pytest.param(
        LOADED,
        [session(FRI, sets("left", 12, 12), sets("right"))],
        {},
        stay(
            "Left side: 2 of 3 sets logged.",
            "Your left side did less work, so it sets the next target.",
            weak="left",
            load="10",
            why=(
                "Not yet 3 × 12 at 3-0-1-1 on both sides on 7 Mar 2025 (left side: 2 of 3 sets "
                "logged): keep 10 kg."
            ),
        ),
        id="too few sets add no load",
    ),
    pytest.param(
        LOADED,
        [clean(FRI)],
        {"owned_weights_kg": [D("8"), D("12"), D("16"), D("20")]},
        stay(
            MET_FRI,
            ADD_LOAD,
            load="12",
            why=(
                "Both sides made 3 × 12 at 3-0-1-1 on 7 Mar 2025, clean: add 2 kg (10 kg → 12 kg, "
                "the next weight you own)."
            ),
        ),
        id="the next load is the lightest owned weight above, skipping none",
    ),
    pytest.param(
        LOADED,
        [clean(FRI, load=str(LB_25))],
        {"owned_weights_kg": [LB_20, LB_25, LB_30, LB_35], "unit": "lb"},
        stay(
            MET_FRI,
            ADD_LOAD,
            load=str(LB_30),
            why=(
                "Both sides made 3 × 12 at 3-0-1-1 on 7 Mar 2025, clean: add 5 lb (25 lb → 30 lb, "
                "the next weight you own)."
            ),
        ),
        id="a pounds trainee goes to the next dumbbell they own, not past it",
    ),
    pytest.param(
        LOADED,
        [clean(FRI, load=str(LB_25))],
        {"owned_weights_kg": [LB_20, LB_25, LB_35], "unit": "lb"},
        stay(
            MET_FRI,
            ADD_LOAD,
            load=str(LB_35),
            why=(
                "Both sides made 3 × 12 at 3-0-1-1 on 7 Mar 2025, clean: add 10 lb (25 lb → 35 lb, "
                "the next weight you own: 40% heavier, more than one 5 lb step)."
            ),
        ),
        id="a jump past one step to the nearest owned weight is said in percent",
    ),
    pytest.param(
        LOADED,
        [clean(FRI)],
        {"owned_weights_kg": [D("6"), D("8")]},
        stay(
            MET_FRI,
            "None of your weights is heavier than the one you used: keep it, "
            "and slow the tempo or add a hold.",
            load="10",
            why=(
                "Both sides made 3 × 12 at 3-0-1-1 on 7 Mar 2025, clean, but you own nothing "
                "heavier: keep 10 kg, and slow the tempo or add a hold."
            ),
        ),
        id="with nothing heavier owned the load stays",
    ),
    pytest.param(
        LOADED,
        [clean(FRI)],
        {"load_step_kg": D("1.25")},
        stay(
            MET_FRI,
            ADD_LOAD,
            load="11.25",
            why=(
                "Both sides made 3 × 12 at 3-0-1-1 on 7 Mar 2025, clean: add 1.25 kg (10 kg → "
                "11.25 kg)."
            ),
        ),
        id="the load step is configurable",
    ),
    pytest.param(
        LOADED,
        [clean(FRI, load="0")],
        {"owned_weights_kg": [D("4"), D("6")]},
        stay(
            MET_FRI,
            ADD_LOAD,
            load="4",
            why=(
                "Both sides made 3 × 12 at 3-0-1-1 on 7 Mar 2025, clean: add 4 kg (Body weight → "
                "4 kg, the next weight you own)."
            ),
        ),
        id="from body weight to the lightest owned weight",
    ),
    pytest.param(
        LOADED,
        [clean(FRI)],
        {"unit": "lb"},
        stay(
            MET_FRI,
            ADD_LOAD,
            load="12.26796185",
            why=(
                "Both sides made 3 × 12 at 3-0-1-1 on 7 Mar 2025, clean: add 5 lb (22.05 lb → "
                "27.05 lb)."
            ),
        ),
        id="the reason and the step are in the trainee's unit",
    ),
    pytest.param(
        BRIDGE,
        [
            session(FRI, sets("both", 15, 15, 15, tempo="2-0-1-1")),
            session(WED, sets("both", 15, 15, 16, tempo="2-0-1-1")),
        ],
        {"is_bottom_level": True},
        Suggestion(
            "advance",
            (ADVANCE_FRI_WED,),
            None,
            None,
            None,
            "You made 3 × 15 at 2-0-1-1 on 5 Mar 2025 and 7 Mar 2025, clean: move up a level.",
        ),
        id="a bilateral level advances on both-sides sets",
    ),
    pytest.param(
        BRIDGE,
        [session(FRI, sets("both", 15, 13, 15, tempo="2-0-1-1"))],
        {"is_bottom_level": True},
        stay(
            "Both sides: 13 of 15 reps on set 2.",
            why=(
                "Not yet 3 × 15 at 2-0-1-1 on 7 Mar 2025 (both sides: 13 of 15 reps on set 2): "
                "stay on this level."
            ),
        ),
        id="a bilateral level reports both sides",
    ),
    pytest.param(
        HOLDING,
        [
            session(
                FRI,
                sets("left", 10, 10, 10, hold=10),
                (
                    a_set("right", 10, hold=8),
                    a_set("right", 10, hold=7),
                    a_set("right", 10, hold=9),
                ),
            )
        ],
        {},
        stay(
            "Right side: held 8 of 10 seconds on set 1.",
            "Right side: held 7 of 10 seconds on set 2.",
            "Right side: held 9 of 10 seconds on set 3.",
            RIGHT_DECIDES,
            weak="right",
            hold=8,
            why=(
                "Not yet 3 × 10 with a 10 s hold at 3-0-1-1 on both sides on 7 Mar 2025 (right "
                "side: held 8 of 10 seconds on set 1, and 2 more): hold the top 8 s."
            ),
        ),
        id="a hold level adds a second to the weaker side's shortest hold",
    ),
    pytest.param(
        HOLDING,
        [session(FRI, sets("left", 10, 10, 10, hold=12), sets("right", 10, 10, 10, hold=10))],
        {},
        stay(
            "Target met on 7 Mar 2025. Meet it in two sessions in a row, on different days, to "
            "move up.",
            RIGHT_DECIDES,
            weak="right",
            hold=10,
            why=(
                "Both sides made 3 × 10 with a 10 s hold at 3-0-1-1 on 7 Mar 2025, clean: meet it "
                "again on another day to move up a level."
            ),
        ),
        id="the next hold is capped at the target",
    ),
    pytest.param(
        LOADED,
        [clean(FRI, level=3)],
        {},
        stay(
            "No session logged at this level yet.",
            why="No session logged at this level yet: log one to get a suggestion.",
        ),
        id="no session at this level gives no numbers",
    ),
    pytest.param(
        LOADED,
        [],
        {},
        stay(
            "No session logged at this level yet.",
            why="No session logged at this level yet: log one to get a suggestion.",
        ),
        id="an empty history stays",
    ),
    pytest.param(
        LOADED,
        [clean(FRI, level=3), clean(WED)],
        {},
        stay(
            MET_WED,
            ADD_LOAD,
            load="12.5",
            why=(
                "Both sides made 3 × 12 at 3-0-1-1 on 5 Mar 2025, clean: add 2.5 kg (10 kg → 12.5 "
                "kg)."
            ),
        ),
        id="the newest session may sit at another level and the current one still reports",
    ),
]


@pytest.mark.parametrize(("criteria", "history", "options", "expected"), RULES + SAFE)
def test_the_ladder_rules(criteria, history, options, expected):
    arguments = {"level": 4, "is_top_level": False, "is_bottom_level": False, **options}
    assert suggest(criteria, history, **arguments) == expected


@pytest.mark.parametrize(("criteria", "history", "options", "expected"), RULES + SAFE)
def test_every_suggestion_says_why_in_one_line_with_its_dates(criteria, history, options, expected):
    arguments = {"level": 4, "is_top_level": False, "is_bottom_level": False, **options}
    result = suggest(criteria, history, **arguments)
    why = result.why
    assert why
    assert "\n" not in why
    assert why.endswith(".")
    if result.kind != "stay" or result.next_load_kg is not None:
        assert "Mar 2025" in why


def test_a_one_level_ladder_neither_advances_nor_steps_back_and_pain_there_stops():
    history = [one_bad(FRI, "left", 1, pain=True), clean(WED)]
    result = suggest(LOADED, history, level=4, is_top_level=True, is_bottom_level=True)
    assert result.kind == "stop"


def test_the_first_pain_step_back_says_to_see_a_professional_if_the_pain_persists():
    # Advice on pain errs on the safe side: the first flag as much as the repeated one.
    first = suggest(
        LOADED,
        [one_bad(FRI, "right", 2, pain=True), clean(WED)],
        level=4,
        is_top_level=False,
        is_bottom_level=False,
    )
    assert first.kind == "step_back"
    assert "stop any set that hurts" in first.why
    assert "If the pain persists, see a physiotherapist or doctor." in first.why


def test_a_session_logged_after_the_change_but_dated_before_it_does_not_count():
    backdated = session(
        FRI, sets("left"), sets("right"), logged=datetime(2025, 3, 8, 10, tzinfo=UTC)
    )
    result = suggest(
        LOADED,
        [backdated],
        level=4,
        is_top_level=False,
        is_bottom_level=False,
        changed=STEPPED_BACK,
    )
    assert (result.kind, result.next_load_kg) == ("stay", None)


@pytest.mark.parametrize(
    ("criteria", "record", "met", "reasons"),
    [
        pytest.param(LOADED, clean(FRI), True, (), id="clean"),
        pytest.param(
            LOADED,
            session(FRI, sets("left", 12, 12, 12, 12), sets("right")),
            True,
            (),
            id="extra sets are fine",
        ),
        pytest.param(
            LOADED,
            session(FRI, sets("left", 13, 14, 20), sets("right")),
            True,
            (),
            id="more reps than the top of the range are fine",
        ),
        pytest.param(
            LOADED,
            session(FRI, sets("left", 12, 12, 12, 9), sets("right")),
            False,
            ("Left side: 9 of 12 reps on set 4.",),
            id="every set counts, not just the best three",
        ),
        pytest.param(
            LOADED,
            session(FRI, sets("left"), sets("right"), (a_set("both", pain=True),)),
            False,
            ("Pain was reported on set 1 on both sides.",),
            id="pain on a side that is not required still counts",
        ),
        pytest.param(
            LOADED,
            session(FRI, sets("left"), sets("right"), (a_set("both", reps=1),)),
            True,
            (),
            id="a set on a side that is not required is otherwise ignored",
        ),
        pytest.param(
            LOADED,
            one_bad(FRI, "right", 2, errors=2, pain=True, reps=8, tempo="2-0-1-1"),
            False,
            (
                "Right side: 8 of 12 reps on set 2.",
                "Set 2 on the right was done at 2-0-1-1, not 3-0-1-1.",
                "Set 2 on the right had 2 form errors.",
                "Pain was reported on set 2 on the right.",
            ),
            id="every shortfall of a set is named",
        ),
        pytest.param(
            LOADED,
            one_bad(FRI, "left", 1, tempo=" 3 - 0 - 1 - 1 "),
            True,
            (),
            id="spaces in the tempo do not matter",
        ),
        pytest.param(
            HELD_5,
            held(FRI, (5, "3-0-1-1"), (5, "3-0-1-1")),
            True,
            (),
            id="a 5 s hold on every rep of 3-0-1-1 is 3-0-1-5",
        ),
        pytest.param(
            HELD_5,
            held(FRI, (6, "3-0-1-1"), (5, "3-0-1-1")),
            True,
            (),
            id="holding the top longer than a hold target asks is no miss",
        ),
        pytest.param(
            HELD_5,
            held(FRI, (3, "3-0-1-1"), (5, "3-0-1-5")),
            False,
            (
                "Left side: held 3 of 5 seconds on set 1.",
                "Set 1 on the left was done at 3-0-1-1, not 3-0-1-5.",
                "Left side: held 3 of 5 seconds on set 2.",
                "Set 2 on the left was done at 3-0-1-1, not 3-0-1-5.",
                "Left side: held 3 of 5 seconds on set 3.",
                "Set 3 on the left was done at 3-0-1-1, not 3-0-1-5.",
            ),
            id="a shorter hold is not the tempo's",
        ),
        pytest.param(
            BRIDGE,
            session(FRI, sets("left", 15, 15, 15, tempo="2-0-1-1")),
            False,
            ("Both sides: 0 of 3 sets logged.",),
            id="a bilateral level needs both-sides sets",
        ),
        pytest.param(
            Criteria(3, 12, 0, "", per_side=True, takes_load=False),
            session(FRI, sets("left", tempo=""), sets("right", tempo="2-0-1-1")),
            True,
            (),
            id="no prescribed tempo accepts any",
        ),
        pytest.param(
            LOADED,
            session(FRI),
            False,
            ("Left side: 0 of 3 sets logged.", "Right side: 0 of 3 sets logged."),
            id="an empty session",
        ),
    ],
)
def test_meeting_the_target(criteria, record, met, reasons):
    assert session_meets_target(criteria, record) == (met, reasons)


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        pytest.param((), None, id="no sets"),
        pytest.param((sets("both"),), None, id="only both-sides sets"),
        pytest.param((sets("left"), sets("right")), None, id="equal"),
        pytest.param((sets("left"), sets("right", 12, 12, 11)), "right", id="fewer reps"),
        pytest.param((sets("left", load="5"), sets("right")), "left", id="less load"),
        pytest.param(
            (sets("left", 15, 15, 15, load="5"), sets("right", 10, 10, 10, load="10")),
            "left",
            id="work is reps times load, not reps",
        ),
        pytest.param(
            (sets("left", load="0"), sets("right", 8, 8, 8, load="2")),
            "left",
            id="a body-weight side did no work against a loaded one",
        ),
        pytest.param(
            (sets("left", load="0"), sets("right", 12, 12, 11, load="0")),
            "right",
            id="body weight compares reps",
        ),
        pytest.param(
            (sets("left", hold=5), sets("right", hold=6)),
            "left",
            id="a tie on work goes to the shorter hold",
        ),
        pytest.param((sets("left"),), "right", id="a side with no sets did no work"),
        pytest.param((sets("left"), sets("right"), sets("both", 1, 1)), None, id="both ignored"),
    ],
)
def test_the_weaker_side(groups, expected):
    assert weaker_side(session(FRI, *groups)) == expected


set_records = st.builds(
    SetRecord,
    side=st.sampled_from(["left", "right", "both"]),
    reps=st.integers(min_value=0, max_value=20),
    load_kg=st.sampled_from([D("0"), D("5"), D("10"), D("12.5")]),
    hold_seconds=st.integers(min_value=0, max_value=15),
    tempo=st.sampled_from([TEMPO, "2-0-1-1", ""]),
    form_errors=st.integers(min_value=0, max_value=1),
    pain=st.booleans(),
    all_out=st.booleans(),
)
session_records = st.builds(
    SessionRecord,
    day=st.just(FRI),
    level=st.integers(min_value=3, max_value=5),
    sets=st.lists(set_records, max_size=8).map(tuple),
)
criteria_values = st.sampled_from([LOADED, HOLDING, BRIDGE])
MIRROR = {"left": "right", "right": "left", "both": "both", None: None}


@given(session_records)
def test_swapping_the_sides_swaps_the_weaker_side(record):
    mirrored = SessionRecord(
        record.day,
        record.level,
        tuple(
            SetRecord(
                MIRROR[s.side], s.reps, s.load_kg, s.hold_seconds, s.tempo, s.form_errors, s.pain
            )
            for s in record.sets
        ),
    )
    assert weaker_side(mirrored) == MIRROR[weaker_side(record)]


@pytest.mark.parametrize(
    ("reasons", "why", "listed"),
    [
        (
            ("No session logged at this level yet.",),
            "No session logged at this level yet: log one to get a suggestion.",
            (),
        ),
        (
            ("Pain was reported on 7 Mar 2025.", "No session logged at this level yet."),
            "Pain on 7 Mar 2025: no added load or longer hold yet.",
            ("Pain was reported on 7 Mar 2025.", "No session logged at this level yet."),
        ),
    ],
)
def test_a_reason_the_why_already_says_is_not_listed_again(reasons, why, listed):
    said = Suggestion("stay", reasons, None, None, None, why)
    assert said.reasons_beyond_why == listed


@pytest.mark.parametrize(
    "history",
    [
        pytest.param([clean(FRI), clean(WED)], id="a move up"),
        pytest.param([one_bad(FRI, "left", 1, pain=True)], id="a step back for pain"),
        pytest.param(
            [one_bad(FRI, "left", 1, errors=1), one_bad(WED, "left", 1, errors=1)],
            id="a step back for form errors",
        ),
    ],
)
def test_a_move_up_or_a_step_back_is_said_once_not_again_below_its_why(history):
    # "Both sides made 3 × 12 … clean: move up a level." then "Target met in your last two
    # sessions, on … : move up a level.": the card said one thing twice.
    said = suggest(LOADED, history, level=4, is_top_level=False, is_bottom_level=False)
    assert said.kind in ("advance", "step_back")
    assert said.reasons_beyond_why == ()


@given(criteria_values, st.lists(session_records, max_size=4), st.booleans(), st.booleans())
def test_the_ends_of_the_ladder_hold(criteria, history, top, bottom):
    result = suggest(criteria, history, level=4, is_top_level=top, is_bottom_level=bottom)
    assert not (top and result.kind == "advance")
    assert not (bottom and result.kind == "step_back")
    assert result.reasons
    if result.next_hold_seconds is not None:
        assert result.next_hold_seconds <= criteria.hold_seconds
    if result.kind != "stay":
        assert (result.next_load_kg, result.next_hold_seconds) == (None, None)


def test_two_sessions_on_target_move_up_unless_one_was_at_maximal_effort():
    arguments = {"level": 4, "is_top_level": False, "is_bottom_level": False}
    assert suggest(LOADED, [clean(FRI), clean(WED)], **arguments).kind == "advance"
    at_the_limit = [one_bad(FRI, "right", 3, all_out=True), clean(WED)]
    assert suggest(LOADED, at_the_limit, **arguments).kind == "stay"


@pytest.mark.parametrize(
    ("rpe", "rir", "expected"),
    [
        (None, None, False),  # no effort logged: not judged
        (D("10"), None, True),
        (D("9.5"), None, False),
        (None, 0, True),
        (None, 1, False),
    ],
)
def test_maximal_effort_is_rpe_10_or_no_rep_in_reserve(rpe, rir, expected):
    assert all_out(rpe, rir) is expected


@given(criteria_values, st.lists(session_records, min_size=2, max_size=4))
def test_advancing_needs_the_two_newest_sessions_on_target_at_this_level(criteria, history):
    result = suggest(criteria, history, level=4, is_top_level=False, is_bottom_level=False)
    if result.kind == "advance":
        assert history[0].level == history[1].level == 4
        assert session_meets_target(criteria, history[0])[0]
        assert session_meets_target(criteria, history[1])[0]


@given(criteria_values, st.lists(session_records, max_size=4), st.booleans())
def test_load_goes_up_only_from_a_clean_session_on_target_on_both_sides(criteria, history, top):
    result = suggest(criteria, history, level=4, is_top_level=top, is_bottom_level=False)
    if any("add load" in reason for reason in result.reasons):
        latest = next(s for s in history if s.level == 4)
        assert criteria.takes_load
        assert session_meets_target(criteria, latest)[0]
        assert not any(record.pain for s in history[:2] for record in s.sets)


@given(criteria_values, st.lists(session_records, max_size=4), st.booleans())
def test_a_suggestion_decided_by_pain_adds_no_load_and_moves_nobody_up(criteria, history, top):
    """What a coach's loaded plan is held to (coaches/forms.py): pain decided it."""
    result = suggest(criteria, history, level=4, is_top_level=top, is_bottom_level=False)
    if result.for_pain:
        assert result.kind != "advance"
        assert not any("add load" in reason for reason in result.reasons)
        assert any(record.pain for s in history for record in s.sets)
    if result.kind == "stop":
        assert result.for_pain


@pytest.mark.parametrize(
    ("history", "options", "held"),
    [
        pytest.param([clean(FRI)], {}, "", id="on track: nothing held back"),
        pytest.param([clean(FRI), clean(WED)], {}, "", id="moving up: nothing held back"),
        pytest.param(
            [one_bad(FRI, "right", 2, pain=True)], {}, "the pain", id="a step back for pain"
        ),
        pytest.param(
            [clean(FRI), clean(WED)],
            {"today": FRI + timedelta(weeks=5)},
            "the break",
            id="back after a long break",
        ),
        pytest.param(
            [one_bad(FRI, "right", 2, pain=True, level=3), clean(WED)],
            {"today": FRI + timedelta(weeks=5)},
            "the pain",
            id="pain before the break: pain first",
        ),
        pytest.param(
            [one_bad(FRI, "left", 1, errors=1), one_bad(WED, "right", 3, errors=2)],
            {},
            "the form errors",
            id="a step back for form errors",
        ),
        pytest.param(
            [one_bad(FRI, "left", 1, errors=1), one_bad(WED, "right", 3, errors=2)],
            {"is_bottom_level": True},
            "the form errors",
            id="form errors at the easiest level",
        ),
    ],
)
def test_advice_that_adds_no_load_says_what_for(history, options, held):
    """The one place a coach's heavier plan is asked about against (coaches/forms.py) and
    Today puts the advice before that plan."""
    result = suggest(LOADED, history, **{**BACK, **options})
    assert result.no_added_load == held


@given(criteria_values, st.lists(session_records, max_size=4), st.booleans(), st.booleans())
def test_advice_that_says_no_added_load_never_adds_load_nor_moves_up(criteria, history, top, away):
    today = date(2025, 6, 1) if away else None
    result = suggest(
        criteria, history, level=4, is_top_level=top, is_bottom_level=False, today=today
    )
    if result.no_added_load:
        assert result.kind != "advance"
        assert not any("add load" in reason for reason in result.reasons)
    if result.kind == "stop" or "no added load" in result.why:
        assert result.no_added_load


def _kg(text: str) -> Decimal:
    """A load such as "25 lb" or "12.5 kg" in kilograms, as stored."""
    value, unit = text.split()
    return to_kg(D(value), unit)


# The next load and whether its jump is said in percent (the table in progression.py).
NEXT_LOADS = [
    # unit, load used, owned weights, next load, jump said (percent)
    ("kg", "10 kg", [], "12.5 kg", None),
    ("lb", "25 lb", [], "30 lb", None),
    ("lb", "25 lb", ["20 lb", "25 lb", "30 lb", "35 lb"], "30 lb", None),
    ("lb", "25 lb", ["35 lb", "30 lb", "20 lb"], "30 lb", None),
    ("kg", "10 kg", ["8 kg", "11 kg", "12 kg", "12.5 kg"], "11 kg", None),
    ("kg", "10 kg", ["12.5 kg", "15 kg"], "12.5 kg", None),
    ("lb", "25 lb", ["20 lb", "25 lb", "35 lb"], "35 lb", 40),
    ("kg", "10 kg", ["8 kg", "16 kg"], "16 kg", 60),
    ("kg", "40 kg", ["40 kg", "43 kg"], "43 kg", None),  # 3 kg beyond a step, but 7.5 %
    ("kg", "20 kg", ["20 kg", "22.6 kg"], "22.6 kg", 13),  # 13 % rounded up, never down
    ("kg", "0 kg", ["4 kg", "6 kg"], "4 kg", None),  # from body weight: no percent of nothing
    ("lb", "35 lb", ["20 lb", "35 lb"], None, None),  # nothing heavier: keep the load
]


@pytest.mark.parametrize(("unit", "used", "owned", "expected", "percent"), NEXT_LOADS)
def test_the_next_load_never_skips_an_owned_weight(unit, used, owned, expected, percent):
    step = LOAD_STEP_KG[unit]
    found = next_load(_kg(used), step, [_kg(weight) for weight in owned])
    assert found == (_kg(expected) if expected else None)
    if found is not None:
        assert jump_to_mention(_kg(used), found, step) == percent


@pytest.mark.parametrize(
    ("sides", "numbers"),
    [
        (["left", "right", "left", "right"], [1, 1, 2, 2]),
        (["left", "left", "right", "left"], [1, 2, 1, 3]),
        (["both", "both"], [1, 2]),
        (["left", "unknown", "unknown", "left"], [1, 1, 2, 2]),
        ([], []),
    ],
)
def test_sets_are_numbered_on_their_own_side_in_the_sessions_order(sides, numbers):
    assert side_numbers(sides) == numbers


BACK = {"level": 4, "is_top_level": False, "is_bottom_level": False}
FADED = (
    "Over a break strength and the body's tolerance fade, so the load you stopped at may now "
    "be too much."
)


def test_after_more_than_four_weeks_away_nothing_is_added_and_nobody_moves_up():
    history = [clean(FRI), clean(WED)]
    assert suggest(LOADED, history, today=FRI + timedelta(weeks=4), **BACK).kind == "advance"
    assert suggest(LOADED, history, today=FRI + timedelta(weeks=4, days=1), **BACK) == stay(
        FADED,
        why=(
            "Your last session was 29 days ago, on 7 Mar 2025: after more than 4 weeks away "
            "(hipthrust's own choice, not the guide's), restart at a load you control, 10 kg as "
            "last time or less, with no added load, no longer hold and no move up until a "
            "session back shows how it goes."
        ),
        held_for="the break",
    )
    years = suggest(LOADED, [clean(FRI)], today=date(2026, 12, 7), **BACK)
    assert years.why.startswith("Your last session was more than 1 year ago, on 7 Mar 2025:")
    banded = suggest(BANDED, history, today=date(2025, 6, 9), **BACK)
    assert (banded.kind, banded.next_load_kg, banded.next_hold_seconds) == ("stay", None, None)
    assert banded.why.startswith(
        "Your last session was 13 weeks ago, on 7 Mar 2025: after more than 4 weeks away "
        "(hipthrust's own choice, not the guide's), restart at what you control, the reps and "
        "hold of last time or fewer,"
    )


def test_back_after_a_break_a_session_from_before_it_is_no_second_session_in_a_row():
    back_on = FRI + timedelta(weeks=5)
    result = suggest(LOADED, [clean(back_on), clean(FRI)], today=back_on, **BACK)
    assert (result.kind, result.next_load_kg) == ("stay", D("12.5"))


def test_no_move_up_while_the_weaker_side_lags_more_than_the_lag_rule_allows():
    lagging = [
        session(FRI, sets("left", load="12.5"), sets("right", load="10")),
        session(WED, sets("left", load="12.5"), sets("right", load="10")),
    ]
    assert suggest(LOADED, lagging, **BACK) == stay(
        "Target met on 7 Mar 2025 and 5 Mar 2025. Your right side lags: a harder level would "
        "ask more of it than it does now, so bring it up first.",
        RIGHT_DECIDES,
        weak="right",
        load="12.5",
        why=(
            "Both sides made 3 × 12 at 3-0-1-1 on 5 Mar 2025 and 7 Mar 2025, clean, but your "
            "right side did 20.0% less work than your left, more than the 10% a side may lag "
            "(hipthrust's own choice, not the guide's): bring the right side up first, add "
            "2.5 kg on it (10 kg → 12.5 kg), then move up."
        ),
    )
    # 10% behind is within the rule (balance.lags: more than LAG_PERCENT lags).
    within = [session(day, sets("left", load="10"), sets("right", load="9")) for day in (FRI, WED)]
    assert suggest(LOADED, within, **BACK).kind == "advance"


EASIER_RUNG = (
    "Only sessions at this level on days after the pain, that train the side that hurt, count "
    "toward the 2. The painful session on 7 Mar 2025 was on an easier rung (level 3) than your "
    "level (4): a harder level asks more of that side, so it trains pain-free here before "
    "anything is added."
)


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({}, id="never changed level"),
        pytest.param(
            {
                "changed": STEPPED_BACK,
                "moved_up": LevelChangeRecord(
                    at=datetime(2025, 3, 6, 9, tzinfo=UTC), day=date(2025, 3, 6)
                ),
            },
            id="moved up before the painful session",
        ),
        pytest.param(
            {"changed": STEPPED_BACK, "moved_up": None},
            id="stepped back since, never up",
        ),
    ],
)
def test_pain_on_an_easier_rung_says_moved_up_only_after_a_move_up_since(options):
    # On level 4 from the start: a level-3 session that hurt between two clean ones at 4.
    history = [
        clean(SUN),
        one_bad(FRI, "right", 2, level=3, pain=True),
        clean(WED),
    ]
    result = suggest(LOADED, history, **BACK, **options)
    assert result.kind == "stay"
    assert result.for_pain
    assert result.reasons[0] == EASIER_RUNG
    assert "moved up" not in " ".join((*result.reasons, result.why))
    # A move up on the painful session's day, made after it was logged, is one since.
    after = LevelChangeRecord(at=datetime(2025, 3, 7, 21, tzinfo=UTC), day=FRI)
    since = suggest(LOADED, history, **BACK, changed=after, moved_up=after)
    assert since.reasons[0].endswith(
        "count toward the 2. You moved up since: a harder level asks more of that side, so it "
        "trains pain-free here before anything is added."
    )


@pytest.mark.parametrize(
    ("days", "said"),
    [
        ([FRI], "on 7 Mar 2025"),
        ([FRI, WED], "on 5 Mar 2025 and 7 Mar 2025"),
        ([FRI, MON, WED], "from 3 Mar 2025 to 7 Mar 2025"),
    ],
)
def test_days_are_said_in_the_order_they_happened(days, said):
    assert on_days(days) == said
