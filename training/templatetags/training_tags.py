from decimal import Decimal

from django import template

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
    if value is None:
        return "0"
    return f"{value.quantize(Decimal('1')):,}"


@register.filter
def plain(value: Decimal | None) -> str:
    """A decimal without trailing zeros or exponent: 7.0 -> "7", 7.5 -> "7.5"."""
    if value is None:
        return ""
    return format(value.normalize(), "f")
