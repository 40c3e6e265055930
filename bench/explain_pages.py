"""Which rows the signed-in log pages read on PostgreSQL, among many users: EXPLAIN ANALYZE.

Not a test: it builds a database of --users trainees with --sets-each sets each (make_log),
one big trainee of --big-sets sets and one small trainee of --small-sets sets, runs
ANALYZE, then asks for each page of bench/log_pages.py as the big and as the small
trainee, captures every SQL statement the page runs and runs EXPLAIN (ANALYZE, BUFFERS) on
each read. For every table scan it adds up the rows read (returned and removed by a
filter, times loops) and compares them with the rows the asking trainee owns in that
table: a page that reads more than its trainee owns reads other users' rows, and a page
whose reads grow from the small to the big trainee grows with history.

    .venv/bin/python bench/explain_pages.py --database-url \\
        postgres://postgres@127.0.0.1:5432/hipthrust_bench_explain

The database is dropped and recreated (its name must say bench). Writes (adding a set) are
explained without ANALYZE, so the plan is shown and nothing is written twice.
Results: bench/results/explain_pages-postgresql.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The tables a trainee's log fills, and the column that says whose a row is (through
# which join, for those that have no user column of their own).
OWNED_TABLES = {
    "training_set": "SELECT count(*) FROM training_set s JOIN training_trainingsession t "
    "ON t.id = s.session_id WHERE t.user_id = %s",
    "training_trainingsession": "SELECT count(*) FROM training_trainingsession WHERE user_id = %s",
    "training_sessiontotals": "SELECT count(*) FROM training_sessiontotals s JOIN "
    "training_trainingsession t ON t.id = s.session_id WHERE t.user_id = %s",
    "training_alikesets": "SELECT count(*) FROM training_alikesets WHERE user_id = %s",
    "training_progresspoints": "SELECT count(*) FROM training_progresspoints WHERE user_id = %s",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.epilog = __doc__.split("\n\n", 1)[1]
    parser.add_argument("--database-url", required=True, help="a throwaway PostgreSQL database")
    parser.add_argument("--users", type=int, default=1000, help="other trainees (1000)")
    parser.add_argument("--sets-each", type=int, default=204, help="their sets each (204)")
    parser.add_argument("--big-sets", type=int, default=100_000, help="the big trainee (100000)")
    parser.add_argument("--small-sets", type=int, default=102, help="the small trainee (102)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("--database-url must be PostgreSQL: EXPLAIN's plans here are its own")
    if not 0 <= args.users <= 100_000 or not 6 <= args.small_sets <= args.big_sets:
        parser.error("--users must be 0..100000 and 6 <= --small-sets <= --big-sets")
    return args


def scans(plan: dict):
    """Every node of a plan that reads a table, with the rows it went through."""
    node_type = plan.get("Node Type", "")
    if "Relation Name" in plan and "Scan" in node_type:
        loops = plan.get("Actual Loops", 1)
        read = (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)) * loops
        yield plan["Relation Name"], node_type, read
    for child in plan.get("Plans", ()):
        yield from scans(child)


def explain(cursor, sql: str) -> list[tuple[str, str, int]]:
    verb = sql.lstrip(" (").split(None, 1)[0].upper()  # a union starts "(SELECT"
    if verb not in {"SELECT", "WITH", "INSERT", "UPDATE", "DELETE"} or "CURSOR" in sql[:60]:
        return []
    analyze = "ANALYZE, BUFFERS, " if verb in {"SELECT", "WITH"} else ""
    cursor.execute(f"EXPLAIN ({analyze}FORMAT JSON) {sql}")
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return list(scans(plan[0]["Plan"]))


def page_reads(client, ask, before=None) -> tuple[int, dict[str, int], list[str]]:
    """Statements run, the most rows one scan read in each table, and the sequential
    scans, for one request; `before` runs ahead of each request, not explained."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = before or (lambda: None)
    before()
    ask()  # warm: a login's first request may write the session row
    before()
    with CaptureQueriesContext(connection) as captured:
        response = ask()
    assert response.status_code == 200, response.status_code
    rows: dict[str, int] = defaultdict(int)
    seq_scans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            for table, node_type, read in explain(cursor, query["sql"]):
                rows[table] = max(rows[table], read)
                if node_type == "Seq Scan" and table in OWNED_TABLES:
                    seq_scans.append(f"{table} ({read:,} rows)")
    return len(captured.captured_queries), rows, seq_scans


def main() -> None:
    args = parse_args()
    import log_pages

    log_pages.setup(args.database_url)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings

    from coaching.models import Variation
    from tests.conftest import make_log
    from training import summaries

    variation = Variation.objects.get(slug="loaded-single-leg-hip-thrust")
    others = get_user_model().objects.bulk_create(
        get_user_model()(username=f"other{number}") for number in range(args.users)
    )
    for other in others:
        make_log(other, variation, sessions=-(-args.sets_each // 6), sets_per_side=3)
        # As their first visit to the progress page would: the points of the weeks written.
        summaries.make_points_current(other.pk)
    print(f"built {args.users} other trainees", flush=True)
    trainees = {
        "small": log_pages.build_trainee("small", args.small_sets),
        "big": log_pages.build_trainee("big", args.big_sets),
    }  # build_trainee vacuums and analyses after the last
    owned = {}
    with connection.cursor() as cursor:
        for name, user in trainees.items():
            owned[name] = {}
            for table, count_sql in OWNED_TABLES.items():
                cursor.execute(count_sql, [user.pk])
                owned[name][table] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM training_set")
        all_sets = cursor.fetchone()[0]

    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    results: dict[str, dict] = defaultdict(dict)
    with override_settings(ALLOWED_HOSTS=hosts):
        for name, user in trainees.items():
            client = Client()
            client.force_login(user)
            newest = user.training_sessions.order_by("-date", "-pk").first().get_absolute_url()
            for label, (ask, before) in log_pages.page_asks(client, newest).items():
                results[label][name] = page_reads(client, ask, before)

    lines = [
        f"# The log pages' reads on PostgreSQL among {args.users:,} trainees",
        "",
        f"`bench/explain_pages.py`: {all_sets:,} sets in all; {args.users:,} trainees of "
        f"{args.sets_each} sets, a small trainee ({owned['small']['training_set']:,} sets) "
        f"and a big one ({owned['big']['training_set']:,} sets). For each of the log's tables, "
        "the most rows one scan went through (returned and removed by a filter, times its "
        "loops, from EXPLAIN ANALYZE; writes are explained without running them, their rows "
        "not counted), and in brackets the rows the trainee owns there. **over** marks a scan "
        "that went through more rows than the trainee owns: other users' rows.",
        "",
        "| page | trainee | queries | most rows one scan read (owned) | seq scans |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for label, by_trainee in results.items():
        for name, (queries, rows, seq_scans) in by_trainee.items():
            cells = []
            for table in OWNED_TABLES:
                if table in rows:
                    mine = owned[name][table]
                    mark = " **over**" if rows[table] > mine else ""
                    cells.append(
                        f"{table.removeprefix('training_')} {rows[table]:,} ({mine:,}){mark}"
                    )
            lines.append(
                f"| {label} | {name} | {queries} | {'; '.join(cells) or '—'} | "
                f"{', '.join(seq_scans) or 'none'} |"
            )
    out = ROOT / "bench" / "results" / "explain_pages-postgresql.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
