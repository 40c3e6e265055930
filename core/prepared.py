"""Querysets compiled once. A page's query of a fixed shape with annotations and subqueries
is built and compiled by Django again on every request, which can take longer than the
database takes to run it; a Prepared query is compiled once per engine, with stand-ins for
its values, and run with each call's values put in their place."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Expression, Model, QuerySet
from django.db.models.query import NamedValuesListIterable
from django.db.models.utils import create_namedtuple_class
from django.utils import timezone

# Stand-ins no row holds and no query writes as a constant: negative ids, days and times in
# the year 1000; within every engine's range, so Django compiles them as any other value.
_FIRST_ID = -1_000_001
_FIRST_DAY = datetime.date(1000, 1, 1)
_FIRST_TIME = datetime.datetime(1000, 6, 1, tzinfo=datetime.UTC)


def _stand_in(value, number: int):
    if isinstance(value, bool) or not isinstance(value, int | datetime.date):
        raise TypeError(f"a prepared query takes ids, days and times, not {value!r}")
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            raise TypeError(f"a prepared query takes times with their zone, not {value!r}")
        return _FIRST_TIME + datetime.timedelta(minutes=number)
    if isinstance(value, int):
        return _FIRST_ID - number
    return _FIRST_DAY + datetime.timedelta(days=number)


# What a 64-bit column holds. An id beyond it is no row's: Django's pk lookup answers so,
# where an engine refuses the value (SQLite: OverflowError, a 500 for a session's URL).
_IDS = range(-(2**63), 2**63)


def _names_no_row(values) -> bool:
    return any(isinstance(value, int) and value not in _IDS for value in values)


def _as_is(value):
    return value


def _adapters(stand_in) -> tuple[Callable, ...]:
    """The forms a value may reach the engine in: as it is, a day as text (SQLite), a time as
    the engine's field value (text in UTC on SQLite)."""
    if isinstance(stand_in, datetime.datetime):
        return (_as_is, connection.ops.adapt_datetimefield_value)
    if isinstance(stand_in, datetime.date):
        return (_as_is, str)
    return (_as_is,)


def _converted(value, converters: tuple[Callable, ...], expression: Expression):
    """The value as the ORM gives it: through the engine's and the expression's converters."""
    for convert in converters:
        value = convert(value, expression, connection)
    return value


class Prepared:
    """`build(*values)` makes the queryset, from ids (int), days (date) and times with
    their zone (datetime) alone."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, _Compiled] = {}

    def sql_with_params(self, *values) -> tuple[str, list]:
        compiled = self._compiled_for(values)
        params = list(compiled.params)
        for at, number, adapt in compiled.slots:
            params[at] = adapt(values[number])
        return compiled.sql, params

    def rows(self, *values) -> list[tuple]:
        """The rows of a values_list() query as it gives them: tuples (named for
        `named=True`), their values converted as the ORM converts them (a day, a decimal on
        SQLite): for many rows, much faster to make than model instances."""
        if _names_no_row(values):
            return []
        compiled = self._compiled_for(values)
        with connection.cursor() as cursor:
            cursor.execute(*self.sql_with_params(*values))
            rows = cursor.fetchall()
        if compiled.column_converters:
            rows = [list(row) for row in rows]
            for at, (converters, expression) in compiled.column_converters:
                for row in rows:
                    row[at] = _converted(row[at], converters, expression)
        if compiled.row_class is not None:
            return [tuple.__new__(compiled.row_class, row) for row in rows]
        return [tuple(row) for row in rows]

    def raw(self, *values) -> list[Model]:
        """The rows as the queryset's model, its annotations as attributes converted as the
        ORM converts them (a time, a truth on SQLite); select_related has no place here."""
        if _names_no_row(values):
            return []
        sql, params = self.sql_with_params(*values)
        compiled = self._compiled_for(values)
        rows = list(compiled.model.objects.raw(sql, params))
        for name, expression, converters in compiled.converters:
            for row in rows:
                setattr(row, name, _converted(getattr(row, name), converters, expression))
        return rows

    def _compiled_for(self, values) -> _Compiled:
        key = (connection.vendor, *(type(value) for value in values))
        if key not in self._compiled:
            self._compiled[key] = self._compile(values)
        return self._compiled[key]

    def _compile(self, values) -> _Compiled:
        stand_ins = [_stand_in(value, number) for number, value in enumerate(values)]
        queryset = self.build(*stand_ins)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for at, param in enumerate(params):
            for number, stand_in in enumerate(stand_ins):
                adapt = next((a for a in _adapters(stand_in) if param == a(stand_in)), None)
                if adapt is not None:
                    slots.append((at, number, adapt))
        missing = set(range(len(values))) - {number for _, number, _ in slots}
        if missing:
            raise ValueError(f"values {sorted(missing)} are not parameters of the query")
        converters = []
        for name, expression in queryset.query.annotation_select.items():
            found = connection.ops.get_db_converters(expression)
            found += expression.get_db_converters(connection)
            if found:
                converters.append((name, expression, tuple(found)))
        columns = [expression for expression, _, _ in compiler.select[: compiler.col_count]]
        row_class = None
        if issubclass(queryset._iterable_class, NamedValuesListIterable):
            row_class = create_namedtuple_class(*queryset._fields)
        return _Compiled(
            queryset.model,
            sql,
            tuple(params),
            tuple(slots),
            tuple(converters),
            tuple(compiler.get_converters(columns).items()),
            row_class,
        )


@dataclass(frozen=True)
class _Compiled:
    model: type[Model]
    sql: str
    params: tuple
    slots: tuple[tuple[int, int, Callable], ...]  # (where in params, which value, its form)
    converters: tuple[tuple[str, Expression, tuple[Callable, ...]], ...]  # of annotations
    column_converters: tuple  # (where in the row, (its converters, its expression)), for rows()
    row_class: type | None  # rows()'s named tuple, for values_list(named=True)


class PreparedWith:
    """A Prepared query for each set of annotations a page adds to `build`'s queryset; pages
    pass module constants, the same expression objects on every call, which the compiled
    query of each set keeps (so no other object takes their ids)."""

    # More sets of annotations than any page has: expressions made anew on each call, each
    # compiled and kept for good, which this refuses rather than let memory grow.
    MOST = 32

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._prepared: dict[tuple, Prepared] = {}

    def raw(self, annotations: dict, *values) -> list[Model]:
        key = tuple((name, id(expression)) for name, expression in annotations.items())
        if key not in self._prepared:
            if len(self._prepared) >= self.MOST:
                raise RuntimeError("annotations of a PreparedWith must be made once, not per call")
            self._prepared[key] = Prepared(
                lambda *stand_ins: self.build(*stand_ins).annotate(**annotations)
            )
        return self._prepared[key].raw(*values)
