"""Load units: stored once in kilograms, shown and entered in the trainee's unit.

Loads live in the database as kilograms with ten decimal places. That is enough to
hold any pound value with up to two decimals *exactly* (a pound is exactly
0.45359237 kg, eight decimals, so two more decimals fit in ten), which means a
value typed in pounds comes back out as the same number, never "44.99 lb".

Plain Python so forms, the progression rules and the charts share one definition
and it can be tested without a database.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

KG_PER_LB = Decimal("0.45359237")  # exact, by definition (international pound, 1959)
STORAGE_PLACES = Decimal("0.0000000001")
DISPLAY_PLACES = Decimal("0.01")
UNITS = ("kg", "lb")

# Wide enough that quantizing a very large load never raises InvalidOperation; the
# default context's 28 digits would already do for any real load, this is headroom.
_EXACT = Context(prec=60)


class UnitError(ValueError):
    pass


def _check(value: Decimal, unit: str) -> Decimal:
    if unit not in UNITS:
        raise UnitError(f"Unknown unit {unit!r}; use “kg” or “lb”.")
    # A float would carry its binary rounding error into storage (0.1 is not 0.1).
    if isinstance(value, (bool, float)) or not isinstance(value, (Decimal, int)):
        raise UnitError("Give the load as a Decimal.")
    value = Decimal(value)
    if not value.is_finite():
        raise UnitError("A load must be a finite number.")
    if value < 0:
        raise UnitError("A load cannot be negative.")
    return value if value else Decimal(0)  # folds -0 into 0, so "-0 kg" never shows


def to_kg(value: Decimal, unit: str) -> Decimal:
    """Convert a load entered in `unit` to kilograms for storage (10 decimal places).

    Exact for every pound value with at most two decimals; finer values are rounded
    half-up to the storage precision.
    """
    value = _check(value, unit)
    kg = value if unit == "kg" else _EXACT.multiply(value, KG_PER_LB)
    return kg.quantize(STORAGE_PLACES, rounding=ROUND_HALF_UP, context=_EXACT)


def from_kg(kg: Decimal, unit: str) -> Decimal:
    """A stored load in `unit`, rounded half-up to 2 decimals, without trailing zeros.

    `Decimal("45")` rather than `Decimal("45.00")`, so it reads well in a form field.
    """
    kg = _check(kg, unit)
    value = kg if unit == "kg" else _EXACT.divide(kg, KG_PER_LB)
    return _trimmed(value.quantize(DISPLAY_PLACES, rounding=ROUND_HALF_UP, context=_EXACT))


def as_shown(kg: Decimal, unit: str, shown_kg: Decimal | None) -> Decimal:
    """The kilograms of a load box that was filled with `shown_kg` in `unit` (from_kg) and
    sent back as `kg` (to_kg of what it held): left as it showed, `shown_kg` itself, which
    the number shown, rounded to show, would miss (30 kg shows as 66.14 lb, which is
    30.0005993518 kg); changed, or emptied, `kg`."""
    if shown_kg is None or not kg or from_kg(kg, unit) != from_kg(shown_kg, unit):
        return kg
    return shown_kg.quantize(STORAGE_PLACES, rounding=ROUND_HALF_UP, context=_EXACT)


def kg_per(unit: str) -> Decimal:
    """Kilograms in one `unit`: what a stored load is divided by to read in that unit."""
    _check(Decimal(1), unit)
    return KG_PER_LB if unit == "lb" else Decimal(1)


def format_load(kg: Decimal, unit: str) -> str:
    """Text such as "45 lb", "22.5 kg" or "1,000 kg"; "Body weight" when nothing is added."""
    value = from_kg(kg, unit)
    # Decided on the displayed value, so a load too small to show is not "0 kg".
    if value == 0:
        return "Body weight"
    return f"{format_number(value)} {unit}"


def format_number(value: Decimal) -> str:
    """A load or a total of reps times load as shown: rounded half-up to 2 decimals, without
    trailing zeros, thousands separated: "112.5", "1,125", "2,314.85"."""
    rounded = value.quantize(DISPLAY_PLACES, rounding=ROUND_HALF_UP, context=_EXACT)
    return f"{_trimmed(rounded):,}"


def plain(value: Decimal) -> str:
    """A decimal as text without trailing zeros or an exponent: 12.50 -> "12.5", 1E+2 -> "100".

    The one spelling of a number in the CSV export, the effort choices and the templates.
    """
    return format(value.normalize(), "f")


def _trimmed(value: Decimal) -> Decimal:
    # normalize() alone turns 100 into 1E+2, which str() shows in scientific notation.
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
