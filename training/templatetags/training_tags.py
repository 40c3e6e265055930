import datetime
from decimal import Decimal

from django import template

from training import units
from training.units import format_load, from_kg

register = template.Library()


@register.filter
def load(kg: Decimal | None, unit: str) -> str:
    """A load in the trainee's unit: "Body weight", "20 kg", "45 lb"."""
    if kg is None:
        return "—"
    return format_load(kg, unit)


@register.filter
def in_unit(kg: Decimal | None, unit: str) -> str:
    if kg is None:
        return "—"
    return format(from_kg(kg, unit), "f")


@register.filter
def work(value: Decimal | None) -> str:
    """A side's work (reps times load, or reps), as loads are shown: 112.5 stays "112.5"."""
    if value is None:
        return "0"
    return units.format_number(Decimal(value))


@register.filter
def plain(value: Decimal | None) -> str:
    """A decimal without trailing zeros or exponent: 7.0 -> "7", 7.5 -> "7.5"."""
    if value is None:
        return ""
    return units.plain(value)


@register.filter
def duration(value: datetime.timedelta | None) -> str:
    """A wait in words: "15 minutes", "1 hour 30 minutes", "2 days"."""
    if value is None:
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{count} {unit}{'' if count == 1 else 's'}"
        for count, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if count
    ]
    return " ".join(parts)
