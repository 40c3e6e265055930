"""Benchmark the signed-in log pages as a trainee's history grows: 100 to 100,000 sets.

Not a test: it prints (and writes to bench/results/log_pages-<engine>.json and .md) how long
Today, history (its first and an old page), records, progress (as read again, and right
after a set was added: then it first makes the points of that set's week), the newest
session, adding a set to it (the htmx POST and the fragment it answers; the set is taken
away again before the next, untimed, so each is added to the session as it was) and the
profile take in-process for trainees with each --sets count, and how many SQL queries each runs.
A page whose cost grows along a row grows with the trainee's history. No page is cached:
each is built from the database. With --redis-url the cache is Redis, as in production: the
request's session, the kept ladder and roles are read from it (REDIS_URL's cached_db
sessions), and the results are written as log_pages-<engine>-redis. Run it against the
engine you care about:

    .venv/bin/python bench/log_pages.py                                # a temporary SQLite file
    .venv/bin/python bench/log_pages.py --sets 100,2000 --runs 5       # a quick look
    .venv/bin/python bench/log_pages.py \
        --database-url postgres://postgres@127.0.0.1:5432/hipthrust_bench
    .venv/bin/python bench/log_pages.py --redis-url redis://127.0.0.1:6379/15 \
        --database-url postgres://postgres@127.0.0.1:5432/hipthrust_bench

It creates and drops its own database (SQLite: a temp file; PostgreSQL: the named
database, whose name must say bench or load, is dropped and recreated: never point it at
real data).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = {
    "today": "/log/",
    "history": "/log/history/",
    "history, page 40": "/log/history/?page=40",
    "records": "/log/records/",
    "progress": "/log/progress/",
    "newest session": None,  # the trainee's own
    "add a set": None,  # an htmx POST to the newest session, answered by its fragment
    "progress, right after a set": None,  # a set added (not timed), then the page
    "profile": "/accounts/profile/",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.epilog = __doc__.split("\n\n", 1)[1]
    parser.add_argument(
        "--sets",
        default="100,2000,20000,100000",
        help="the history sizes, in sets, comma-separated (100,2000,20000,100000)",
    )
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page (15)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a throwaway database (DATABASE_URL; none: a temporary SQLite file)",
    )
    parser.add_argument(
        "--redis-url",
        default="",
        help="a Redis database of its own for the cache, flushed first (none: each process's "
        "memory, and the sessions in the database)",
    )
    args = parser.parse_args()
    try:
        args.sizes = sorted({int(size) for size in args.sets.split(",")})
    except ValueError:
        parser.error("--sets takes whole numbers separated by commas, e.g. 100,2000")
    if not all(1 <= size <= 1_000_000 for size in args.sizes) or not 1 <= args.runs <= 200:
        parser.error("each size must be 1..1000000 and --runs 1..200")
    return args


def setup(database_url: str, redis_url: str = "") -> None:
    from loadtest import check_database_url, flush_redis

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hipthrust.settings")
    if redis_url:
        flush_redis(redis_url)
        os.environ["REDIS_URL"] = redis_url
    if database_url:
        check_database_url(database_url)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from loadtest import recreate_postgresql_database

    if connection.vendor == "postgresql":
        recreate_postgresql_database(connection)
    call_command("migrate", verbosity=0)


def build_trainee(username: str, sets: int):
    """A trainee at the top of the ladder with `sets` sets, a session a day up to yesterday:
    a history, with nothing dated in the future, vacuumed and analysed as a real table would
    be."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from coaching.models import Variation
    from tests.conftest import make_log
    from training import summaries
    from training.models import Profile

    user = get_user_model().objects.create_user(username, password="bench-password")
    variation = Variation.objects.get(slug="loaded-single-leg-hip-thrust")
    Profile.objects.filter(user=user).update(level=variation)
    if sets:
        sessions = -(-sets // 6)
        start = datetime.date.today() - datetime.timedelta(days=sessions)
        make_log(user, variation, sessions=sessions, sets_per_side=3, load="12.5", start=start)
        # As their first visit to the progress page would: the points of the weeks written.
        summaries.make_points_current(user.pk)
    if connection.vendor == "postgresql":
        # As autovacuum would after such a load: plans made from empty-table statistics
        # would measure the planner's ignorance, and indexes full of the dead entries that
        # make_log's bulk update leaves would measure the load, not the pages.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return user


def add_set(client, session_url: str):
    """One set added as the session page's form does it: an htmx POST, a fragment back."""
    data = {
        "side": "left",
        "reps": "10",
        "load": "12.5",
        "tempo": "3-0-1-1",
        "effort": "rpe:8",
        "submission_id": str(uuid.uuid4()),
    }
    return client.post(f"{session_url}sets/", data, headers={"HX-Request": "true"})


def remove_added_sets(session_pk: int, kept: set[int]) -> None:
    """Take away the sets added to the session since `kept` were its sets, as the log's
    delete does (their summaries with them): each added set is timed against the session as
    the trainee has it, not one grown by every run before."""
    from training.models import Set

    for added in Set.objects.filter(session_id=session_pk).exclude(pk__in=kept):
        added.delete()


def page_asks(client, newest: str) -> dict[str, tuple]:
    """Each row of PAGES as a request of `client`'s trainee, with what runs before each
    request and is not measured (or None); `newest` is their newest session's URL."""
    from django.urls import resolve

    from training.models import Set

    asks = {
        label: (functools.partial(client.get, url or newest), None) for label, url in PAGES.items()
    }
    session_pk = resolve(newest).kwargs["pk"]
    kept = set(Set.objects.filter(session_id=session_pk).values_list("pk", flat=True))
    asks["add a set"] = (
        functools.partial(add_set, client, newest),
        functools.partial(remove_added_sets, session_pk, kept),
    )
    asks["progress, right after a set"] = (
        functools.partial(client.get, PAGES["progress"]),
        functools.partial(add_set, client, newest),
    )
    return asks


def measure(ask, runs: int, before=None) -> dict:
    """`ask`'s median time and its queries; `before` runs ahead of each ask, not timed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = before or (lambda: None)
    before()
    ask()  # warm caches and connections
    timings = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        response = ask()
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (response.request["PATH_INFO"], response.status_code)
    before()
    with CaptureQueriesContext(connection) as queries:
        ask()
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "queries": len(queries.captured_queries),
        "bytes": len(response.content),
    }


def main() -> None:
    args = parse_args()
    setup(args.database_url, args.redis_url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings

    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rows: dict[str, dict[int, dict]] = {label: {} for label in PAGES}
    for number, size in enumerate(args.sizes):
        started = time.monotonic()
        user = build_trainee(f"bench{number}", size)
        print(f"built {size} sets in {time.monotonic() - started:.1f} s", flush=True)
        client = Client()
        client.force_login(user)
        newest = user.training_sessions.order_by("-date", "-pk").first().get_absolute_url()
        asks = page_asks(client, newest)
        # Not setup_test_environment(): it instruments every template render (copying the
        # context for the test Client), which no server does. The Client's host is let in.
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(STORAGES=plain_static, ALLOWED_HOSTS=hosts):
            for label, (ask, before) in asks.items():
                rows[label][size] = measure(ask, args.runs, before)
    stem = f"log_pages-{connection.vendor}" + ("-redis" if args.redis_url else "")
    report = {
        "engine": connection.vendor,
        "cache": "redis" if args.redis_url else "each process's memory",
        "runs": args.runs,
        "sizes": args.sizes,
        "pages": [{"page": label, "by_sets": by_size} for label, by_size in rows.items()],
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    cache = ", the cache and sessions in Redis" if args.redis_url else ""
    lines = [
        f"{connection.vendor}{cache}, {args.runs} runs a page: median ms (queries) at each size",
        "",
        f"| page | {' | '.join(f'{size:,} sets' for size in args.sizes)} |",
        f"| --- |{' ---: |' * len(args.sizes)}",
    ]
    for label, by_size in rows.items():
        cells = " | ".join(
            f"{by_size[size]['median_ms']} ({by_size[size]['queries']})" for size in args.sizes
        )
        lines.append(f"| {label} | {cells} |")
    table = "\n".join(lines) + "\n"
    (out / f"{stem}.md").write_text(table)
    print("\n" + table)


if __name__ == "__main__":
    main()
