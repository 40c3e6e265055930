"""The progress page's read of the kept points cannot turn into a sum per row read: each
side's months are summed once, whatever the planner believes of the table."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_log
from training import records, summaries

pytestmark = pytest.mark.django_db


def _plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", ()):
        yield from _plan_nodes(child)


def test_the_points_read_sums_each_sides_months_once_even_with_statistics_of_an_empty_table(
    user, bodyweight
):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As on a new site, or after a restore, before autovacuum looks again: the
            # planner believes the points table empty and a trainee's rows few.
            cursor.execute("ANALYZE training_progresspoints")
    make_log(user, bodyweight, sessions=400, sets_per_side=1)  # more than a chart shows
    summaries.make_points_current(user.pk)
    with CaptureQueriesContext(connection) as queries:
        points = records._progress_points(user)
    assert points["left"].sessions == 400
    (read,) = queries.captured_queries
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + read["sql"])
            (plan,) = cursor.fetchone()[0]
            nodes = list(_plan_nodes(plan["Plan"]))
            # Every scan of the points runs at most once (none again for each row read).
            scans = [n for n in nodes if n.get("Relation Name") == "training_progresspoints"]
            assert scans
            assert max(n["Actual Loops"] for n in scans) <= 1, json.dumps(plan)[:2000]
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + read["sql"])
            details = [row[-1] for row in cursor.fetchall()]
            assert not [d for d in details if "CORRELATED" in d], details
