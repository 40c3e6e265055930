"""The guide's content generation, bumped when a coach's edit commits (coaching/signals.py),
and what is kept under it: the public pages whole, and the ladder and the form errors the
log pages read."""

from collections.abc import Iterable
from functools import partial
from typing import TypeVar

from django.http import HttpRequest

from coaching.models import FormError, Variation
from core.caching import Generation, cached_page

CONTENT = Generation("coaching:content")
cached_public_page = partial(cached_page, CONTENT)


def ladder(request: HttpRequest | None = None) -> list[Variation]:
    """Every rung in order, with its tempo (Variation.objects.ladder()): the same for everyone,
    so kept under the content generation instead of read on every page of the log. Given the
    request, read once for it: Today drew rungs in six places, each a round trip."""
    if request is None:
        return CONTENT.remember(lambda: list(Variation.objects.ladder()), "coaching:ladder")
    if not hasattr(request, "kept_ladder"):
        request.kept_ladder = ladder()
    return request.kept_ladder


def form_errors_of(exercise_id: int) -> list[FormError]:
    """The exercise's form errors in the guide's order: the choices of every set form, the
    same for everyone, so kept under the content generation."""
    return CONTENT.remember(
        lambda: list(FormError.objects.filter(exercise_id=exercise_id)),
        "coaching:form-errors",
        exercise_id,
    )


Row = TypeVar("Row")


def with_rungs(rows: Iterable[Row], field="variation", *, rungs: list | None = None) -> list[Row]:
    """`rows`, each one's `field` (a rung) taken from `rungs` (the kept ladder unless given)
    instead of a join. A rung the ladder does not hold yet (added within its lifetime) is read
    as any relation is, when first used."""
    rungs = {rung.pk: rung for rung in (ladder() if rungs is None else rungs)}
    rows = list(rows)
    for row in rows:
        rung = rungs.get(getattr(row, f"{field}_id"))
        if rung is not None:
            setattr(row, field, rung)
    return rows
