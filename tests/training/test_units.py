from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from training.units import (
    KG_PER_LB,
    STORAGE_PLACES,
    UnitError,
    as_shown,
    format_load,
    format_number,
    from_kg,
    plain,
    to_kg,
)

D = Decimal

# Every value a trainee can type: 0 to 1100 with at most two decimals.
entered = st.integers(min_value=0, max_value=110_000).map(lambda cents: D(cents) / 100)


def test_a_pound_is_exactly_0_45359237_kilograms():
    assert D("0.45359237") == KG_PER_LB
    assert to_kg(D(1), "lb") == D("0.4535923700")


@pytest.mark.parametrize(
    ("value", "unit", "kg"),
    [
        (D("45"), "lb", D("20.41165665")),
        (D("2.5"), "lb", D("1.133980925")),
        (D("0.01"), "lb", D("0.0045359237")),
        (D("1100"), "lb", D("498.951607")),
        (D("22.5"), "kg", D("22.5")),
        (D("0"), "lb", D("0")),
    ],
)
def test_entered_loads_are_stored_exactly_in_kilograms(value, unit, kg):
    assert to_kg(value, unit) == kg


def test_stored_loads_have_ten_decimal_places():
    assert to_kg(D("45"), "lb").as_tuple().exponent == STORAGE_PLACES.as_tuple().exponent
    assert str(to_kg(D("20"), "kg")) == "20.0000000000"


def test_finer_than_storage_is_rounded_half_up():
    assert to_kg(D("0.00000000005"), "kg") == D("0.0000000001")
    assert to_kg(D("0.00000000004"), "kg") == D("0")


@given(entered)
def test_a_pound_value_comes_back_unchanged(value):
    assert from_kg(to_kg(value, "lb"), "lb") == value


@given(entered)
def test_a_kilogram_value_comes_back_unchanged(value):
    assert from_kg(to_kg(value, "kg"), "kg") == value


@given(entered)
def test_pound_values_convert_without_rounding(value):
    assert to_kg(value, "lb") == value * KG_PER_LB


@given(entered, st.sampled_from(["kg", "lb"]))
def test_displayed_values_never_carry_trailing_zeros_or_exponents(value, unit):
    shown = str(from_kg(to_kg(value, unit), unit))
    assert "E" not in shown
    assert not ("." in shown and shown.endswith("0"))


@pytest.mark.parametrize(
    ("kg", "unit", "shown"),
    [
        (D("100"), "lb", "220.46"),
        (D("20.41165665"), "lb", "45"),
        (D("22.5000000000"), "kg", "22.5"),
        (D("100.0000000000"), "kg", "100"),
        (D("0.005"), "kg", "0.01"),  # half-up, not banker's rounding
        (D("0.0049999999"), "kg", "0"),
        (D("1.1339809250"), "lb", "2.5"),
        (D("0E-10"), "kg", "0"),
    ],
)
def test_stored_loads_are_shown_to_two_decimals_half_up(kg, unit, shown):
    assert str(from_kg(kg, unit)) == shown


@pytest.mark.parametrize(
    ("kg", "unit", "text"),
    [
        (D("0"), "kg", "Body weight"),
        (D("0E-10"), "lb", "Body weight"),
        (D("0.001"), "kg", "Body weight"),  # too light to show as a number
        (D("20.41165665"), "lb", "45 lb"),
        (D("22.5"), "kg", "22.5 kg"),
        (D("1000"), "kg", "1,000 kg"),
        (D("453.59237"), "lb", "1,000 lb"),
        (D("1234.56"), "kg", "1,234.56 kg"),
        (D("100"), "lb", "220.46 lb"),
    ],
)
def test_loads_read_as_plain_text(kg, unit, text):
    assert format_load(kg, unit) == text


@pytest.mark.parametrize("unit", ["", "KG", "lbs", "stone", "g"])
def test_an_unknown_unit_is_refused(unit):
    with pytest.raises(UnitError, match="Unknown unit"):
        to_kg(D(1), unit)
    with pytest.raises(UnitError, match="Unknown unit"):
        from_kg(D(1), unit)
    with pytest.raises(UnitError, match="Unknown unit"):
        format_load(D(1), unit)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (D("-1"), "negative"),
        (D("NaN"), "finite"),
        (D("Infinity"), "finite"),
        (2.5, "Decimal"),
        ("2.5", "Decimal"),
    ],
)
def test_impossible_loads_are_refused(value, message):
    with pytest.raises(UnitError, match=message):
        to_kg(value, "kg")


def test_unit_errors_are_value_errors_for_callers_that_catch_those():
    assert issubclass(UnitError, ValueError)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("100"), "100"),
        (D("1E+2"), "100"),
        (D("12.50"), "12.5"),
        (D("0"), "0"),
        (D("0E-10"), "0"),
        (D("60.0000000000"), "60"),
        (D("28.3495231250"), "28.349523125"),
        (D("7.5"), "7.5"),
    ],
)
def test_a_decimal_reads_plainly_without_trailing_zeros_or_an_exponent(value, text):
    assert plain(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("112.5"), "112.5"),
        (D("112.50"), "112.5"),
        (D("1125"), "1,125"),
        (D("2314.853752941"), "2,314.85"),
        (D("0.005"), "0.01"),  # half-up, as loads are
        (D("12.5000000000"), "12.5"),
        (D("0"), "0"),
    ],
)
def test_loads_and_totals_are_shown_by_one_rule(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("sent", "unit", "shown_kg", "kg"),
    [
        # 30 kg shows as 66.14 lb: sent back as shown it is 30 kg, not 30.0005993518.
        (D("66.14"), "lb", D("30"), D("30")),
        # An imported 22.5 lb shows as 10.21 kg: left as shown, it keeps its kilograms.
        (D("10.21"), "kg", D("10.205828325"), D("10.205828325")),
        # Changed, it is what was typed, exactly.
        (D("66.15"), "lb", D("30"), to_kg(D("66.15"), "lb")),
        (D("45"), "lb", None, to_kg(D("45"), "lb")),
        # Emptied, it is body weight, whatever the box showed.
        (D("0"), "lb", D("0.001"), D("0")),
    ],
)
def test_a_load_sent_back_as_shown_keeps_the_kilograms_it_was_shown_from(sent, unit, shown_kg, kg):
    assert as_shown(to_kg(sent, unit), unit, shown_kg) == kg


@given(entered, st.sampled_from(["kg", "lb"]), st.sampled_from(["kg", "lb"]))
def test_a_load_converted_to_the_other_unit_and_sent_back_as_shown_round_trips(value, was, unit):
    kg = to_kg(value, was)
    shown = from_kg(kg, unit)
    assert as_shown(to_kg(shown, unit), unit, kg) == kg
