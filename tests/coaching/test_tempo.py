import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.tempo import MAX_PHASE_SECONDS, NOTATION_PATTERN, Tempo, TempoError

phase = st.integers(min_value=0, max_value=MAX_PHASE_SECONDS)
moving_phase = st.integers(min_value=1, max_value=MAX_PHASE_SECONDS)


@pytest.mark.parametrize(
    ("notation", "expected"),
    [
        ("3-0-1-2", Tempo(lowering=3, bottom_pause=0, lifting=1, top_hold=2)),
        ("2-0-1-1", Tempo(2, 0, 1, 1)),
        (" 3 - 1 - 1 - 5 ", Tempo(3, 1, 1, 5)),
        ("30-30-30-30", Tempo(30, 30, 30, 30)),
        # Dashes as phones and copied text write them: en, em, minus sign.
        ("3\u20130\u20131\u20132", Tempo(3, 0, 1, 2)),
        ("3 \u2014 0 \u2014 1 \u2014 2", Tempo(3, 0, 1, 2)),
        ("3\u22120\u22121\u22122", Tempo(3, 0, 1, 2)),
        ("3\u20130-1\u20142", Tempo(3, 0, 1, 2)),
    ],
)
def test_it_reads_four_part_notation(notation, expected):
    assert Tempo.parse(notation) == expected


@pytest.mark.parametrize(
    "notation",
    [
        "",
        "3-0-1",
        "3-0-1-2-1",
        "3/0/1/2",
        "3\u20130\u20131",
        "\u20133-0-1-2",
        "3--0-1-2",
        "a-0-1-2",
        "-3-0-1-2",
        "3.5-0-1-2",
        "3-0-0-2",
        "0-0-1-2",
    ],
)
def test_it_refuses_malformed_or_motionless_tempos(notation):
    with pytest.raises(TempoError):
        Tempo.parse(notation)


def test_it_refuses_phases_longer_than_the_limit():
    with pytest.raises(TempoError, match="between 1 and 30"):
        Tempo(31, 0, 1, 0)


@pytest.mark.parametrize(
    ("notation", "message"),
    [
        ("99-0-1-1", "Lowering must be between 1 and 30 seconds."),
        ("3-0-99-1", "Lifting must be between 1 and 30 seconds."),
        ("3-99-1-1", "Bottom pause must be between 0 and 30 seconds."),
        ("3-0-1-99", "Top hold must be between 0 and 30 seconds."),
    ],
)
def test_it_refuses_a_phase_past_the_limit_with_the_range_that_phase_takes(notation, message):
    with pytest.raises(TempoError, match=f"^{re.escape(message)}$"):
        Tempo.parse(notation)
    # What the range says is allowed is: its least seconds parse.
    least = notation.replace("99", message.split()[-4])
    assert Tempo.parse(least)


def test_it_refuses_non_integer_seconds():
    with pytest.raises(TempoError):
        Tempo(2.5, 0, 1, 0)  # type: ignore[arg-type]
    with pytest.raises(TempoError):
        Tempo(True, 0, 1, 0)


@given(moving_phase, phase, moving_phase, phase)
def test_notation_round_trips(lowering, pause, lifting, hold):
    tempo = Tempo(lowering, pause, lifting, hold)
    assert Tempo.parse(tempo.notation) == tempo
    assert tempo.rep_seconds == lowering + pause + lifting + hold


@given(st.text(max_size=40))
def test_arbitrary_text_either_parses_within_limits_or_raises_tempo_error(text):
    try:
        tempo = Tempo.parse(text)
    except TempoError:
        return
    assert 1 <= tempo.lowering <= MAX_PHASE_SECONDS
    assert 1 <= tempo.lifting <= MAX_PHASE_SECONDS
    assert Tempo.parse(tempo.notation) == tempo


@pytest.mark.parametrize(
    ("tempo", "sentence"),
    [
        (Tempo(3, 0, 1, 2), "Lift in 1 second, hold the top for 2 seconds, lower over 3 seconds."),
        (
            Tempo(2, 1, 1, 0),
            "Lift in 1 second, lower over 2 seconds, pause 1 second at the bottom.",
        ),
    ],
)
def test_it_describes_a_rep_in_the_order_it_is_done_from_the_floor(tempo, sentence):
    assert tempo.describe() == sentence


@pytest.mark.parametrize("notation", ["1-0-1-0", "1-2-1-3"])
def test_a_lowering_under_two_seconds_warns_that_the_guide_asks_for_two_to_three(notation):
    warning = Tempo.parse(notation).lowering_warning()
    assert warning.startswith(f"{notation} lowers in 1 second; the guide asks for 2 to 3 seconds")


@pytest.mark.parametrize("notation", ["2-0-1-0", "3-0-1-1", "6-0-1-0"])
def test_a_lowering_of_two_seconds_or_more_brings_no_warning(notation):
    assert Tempo.parse(notation).lowering_warning() == ""


def _stored_by_tempo(notation: str) -> bool:
    """What Tempo would store: a notation it reads, written as it writes it."""
    try:
        return Tempo.parse(notation).notation == notation
    except TempoError:
        return False


@given(st.lists(st.integers(min_value=0, max_value=45), min_size=4, max_size=4))
def test_the_databases_pattern_takes_exactly_the_notations_tempo_stores(phases):
    notation = "-".join(str(seconds) for seconds in phases)
    assert bool(re.fullmatch(NOTATION_PATTERN, notation)) == _stored_by_tempo(notation)


@pytest.mark.parametrize(
    "notation", ["0-0-0-0", "0-0-1-0", "3-0-0-0", "31-0-1-0", "3-0-1-99", "03-0-1-1", "3-0-1", ""]
)
def test_the_databases_pattern_refuses_what_tempo_refuses(notation):
    assert not re.fullmatch(NOTATION_PATTERN, notation)
    assert not _stored_by_tempo(notation)
