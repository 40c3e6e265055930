"""Keeping a finished timer plan's sets (`views.log_from_timer`, `sync_views`): the loads
they were lifted with, read once, the page that offers them to check, and what the saved
message says of them."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coaches.models import Prescription
from training import services
from training.forms import TimerLogForm
from training.models import Side
from training.units import format_load, from_kg, plain


class TimerLoads:
    """What is known of the load a plan's sets were lifted with, each part read when first
    needed and once: the coach's load for the rung, then each side's last load on it."""

    def __init__(self, user, form: TimerLogForm) -> None:
        self.user, self.form = user, form
        self.variation = form.cleaned_data["variation"]

    @cached_property
    def prescribed_kg(self) -> Decimal:
        return Prescription.objects.load_kg_for(self.user.pk, self.variation.pk)

    @cached_property
    def kept_kg(self) -> dict[str, Decimal] | None:
        """Each side's load when none is typed (services.timer_loads_kg); None if unknown."""
        sides_done = self.form.set_sides()
        return services.timer_loads_kg(self.user, self.variation, sides_done, self.prescribed_kg)

    def whose(self) -> str:
        """Whose load the saved sets took, for the message that says they were logged."""
        if self.variation.takes_external_load and self.form.typed_load_kg() is not None:
            return "the load you entered"
        if self.prescribed_kg:
            return "your coach's load for this rung"
        return "your last load on this rung"


def loads_said(loads: dict[str, Decimal], unit: str) -> str:
    """ "each set with 15 lb", or each side's load when they differ."""

    def said(kg: Decimal) -> str:
        return f"with {format_load(kg, unit)}" if kg else "at body weight"

    if len(set(loads.values())) == 1:
        return f"each set {said(next(iter(loads.values())))}"
    return " and ".join(
        f"the {Side(side).label.lower()} sets {said(kg)}" for side, kg in sorted(loads.items())
    )


def keep_page(
    request: HttpRequest, form: TimerLogForm, unit: str, known: TimerLoads, *, status: int = 200
) -> HttpResponse:
    """The sets of a timer plan to keep; on a rung that takes a weight, the load to check:
    filled in with the one every set would be logged with, if there is one."""
    variation, prescribed_kg = known.variation, known.prescribed_kg
    prescribed = format_load(prescribed_kg, unit) if prescribed_kg else ""
    if variation.takes_external_load:
        _offer_load(form, unit, known)
    return render(
        request,
        "training/timer_keep.html",
        {
            "form": form,
            "log": form.plan(),
            "load_field": form["load"] if variation.takes_external_load else None,
            "load": prescribed,  # the coach's load, said in the page's lead
            "title": "Keep the timer's sets",
        },
        status=status,
    )


def _offer_load(form: TimerLogForm, unit: str, known: TimerLoads) -> None:
    loads = known.kept_kg
    one_load = next(iter(loads.values())) if loads and len(set(loads.values())) == 1 else None
    if one_load is not None and "load" not in form.data:
        shown = {"load": plain(from_kg(one_load, unit)), "load_kg_shown": plain(one_load)}
        form.data = {**form.data, **shown}
    if known.prescribed_kg:
        helps = ["Your coach's load for this rung: change it if you lifted another"]
    elif loads and one_load is None:
        helps = [f"Empty keeps each side's last load: {loads_said(loads, unit)}"]
    else:
        helps = ["Your last load on this rung"] if loads else []
    if known.variation.load_is_optional:
        helps.append("0 for body weight")
    elif loads is None:
        # Asked before sending, so a form kept on the device offline is not sent without one.
        form.fields["load"].widget.attrs["required"] = True
    # On the bound field, which validating the form made with the field's help text then.
    form["load"].help_text = "; ".join(helps)
