"""Aggregates Django does not give for both engines."""

from __future__ import annotations

from django.db.models import Aggregate, JSONField


class JSONList(Aggregate):
    """The rows' values as one JSON list ([] for none): rows a page needs, read as a column
    of the query that needs them rather than by a query of their own."""

    function = "JSONB_AGG"
    template = "COALESCE(%(function)s(%(expressions)s), '[]')"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            **{**extra_context, "function": "JSON_GROUP_ARRAY", "template": Aggregate.template},
        )
