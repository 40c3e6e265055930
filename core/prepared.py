"""Querysets compiled once. A page's query of a fixed shape with annotations and subqueries
is built and compiled by Django again on every request, which can take longer than the
database takes to run it; a Prepared query is compiled once per engine, with stand-ins for
its values, and run with each call's values put in their place."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.query import RawQuerySet

# Stand-ins no row holds and no query writes as a constant: negative ids, days in the
# year 1000; within every engine's range, so Django compiles them as any other value.
_FIRST_ID = -1_000_001
_FIRST_DAY = datetime.date(1000, 1, 1)


def _stand_in(value, number: int):
    if isinstance(value, bool) or not isinstance(value, int | datetime.date):
        raise TypeError(f"a prepared query takes ids and days, not {value!r}")
    if isinstance(value, datetime.datetime):
        raise TypeError(f"a prepared query takes days, not times: {value!r}")
    if isinstance(value, int):
        return _FIRST_ID - number
    return _FIRST_DAY + datetime.timedelta(days=number)


class Prepared:
    """`build(*values)` makes the queryset, from ids (int) and days (date) alone."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, _Compiled] = {}

    def sql_with_params(self, *values) -> tuple[str, list]:
        compiled = self._compiled_for(values)
        params = list(compiled.params)
        for at, number, as_text in compiled.slots:
            params[at] = str(values[number]) if as_text else values[number]
        return compiled.sql, params

    def raw(self, *values) -> RawQuerySet:
        """The rows as the queryset's model, its annotations as attributes as the engine
        gives them (no conversion); select_related has no place here."""
        sql, params = self.sql_with_params(*values)
        return self._compiled_for(values).model.objects.raw(sql, params)

    def _compiled_for(self, values) -> _Compiled:
        key = (connection.vendor, *(type(value) for value in values))
        if key not in self._compiled:
            self._compiled[key] = self._compile(values)
        return self._compiled[key]

    def _compile(self, values) -> _Compiled:
        stand_ins = [_stand_in(value, number) for number, value in enumerate(values)]
        queryset = self.build(*stand_ins)
        sql, params = queryset.query.sql_with_params()
        slots = []
        for at, param in enumerate(params):
            for number, stand_in in enumerate(stand_ins):
                # A day may reach the engine as text (SQLite).
                if param == stand_in or (isinstance(param, str) and param == str(stand_in)):
                    slots.append((at, number, isinstance(param, str)))
        missing = set(range(len(values))) - {number for _, number, _ in slots}
        if missing:
            raise ValueError(f"values {sorted(missing)} are not parameters of the query")
        return _Compiled(queryset.model, sql, tuple(params), tuple(slots))


@dataclass(frozen=True)
class _Compiled:
    model: type[Model]
    sql: str
    params: tuple
    slots: tuple[tuple[int, int, bool], ...]  # (where in params, which value, as text)
