"""Benchmark the signed-in log pages as a trainee's history grows: 100 to 100,000 sets.

Not a test: it prints (and writes to bench/results/log_pages-<engine>.json) how long
Today, history (its first and an old page), records, progress and the newest session
take in-process for trainees with each --sets count, and how many SQL queries each runs.
A page whose cost grows along a row grows with the trainee's history. Run it against the
engine you care about:

    .venv/bin/python bench/log_pages.py                                # a temporary SQLite file
    .venv/bin/python bench/log_pages.py --sets 100,2000 --runs 5       # a quick look
    .venv/bin/python bench/log_pages.py \
        --database-url postgres://postgres@127.0.0.1:5432/hipthrust_bench

It creates and drops its own database (SQLite: a temp file; PostgreSQL: the named
database, whose name must say bench or load, is dropped and recreated: never point it at
real data).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
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
    args = parser.parse_args()
    try:
        args.sizes = sorted({int(size) for size in args.sets.split(",")})
    except ValueError:
        parser.error("--sets takes whole numbers separated by commas, e.g. 100,2000")
    if not all(1 <= size <= 1_000_000 for size in args.sizes) or not 1 <= args.runs <= 200:
        parser.error("each size must be 1..1000000 and --runs 1..200")
    return args


def setup(database_url: str) -> None:
    from loadtest import check_database_url

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hipthrust.settings")
    if database_url:
        check_database_url(database_url)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from loadtest import recreate_postgresql_database

    setup_test_environment()  # lets the test Client in
    if connection.vendor == "postgresql":
        recreate_postgresql_database(connection)
    call_command("migrate", verbosity=0)


def build_trainee(number: int, sets: int):
    from django.contrib.auth import get_user_model

    from coaching.models import Variation
    from tests.training.conftest import make_log
    from training.models import Profile

    user = get_user_model().objects.create_user(f"bench{number}", password="bench-password")
    variation = Variation.objects.get(slug="loaded-single-leg-hip-thrust")
    Profile.objects.filter(user=user).update(level=variation)
    make_log(user, variation, sessions=max(1, -(-sets // 6)), sets_per_side=3, load="12.5")
    return user


def measure(client, url: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and connections
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "queries": len(queries.captured_queries),
        "bytes": len(response.content),
    }


def main() -> None:
    args = parse_args()
    setup(args.database_url)
    from django.db import connection
    from django.test import Client, override_settings

    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rows: dict[str, dict[int, dict]] = {label: {} for label in PAGES}
    for number, size in enumerate(args.sizes):
        started = time.monotonic()
        user = build_trainee(number, size)
        print(f"built {size} sets in {time.monotonic() - started:.1f} s", flush=True)
        client = Client()
        client.force_login(user)
        newest = user.training_sessions.order_by("-date", "-pk").first().get_absolute_url()
        with override_settings(STORAGES=plain_static):
            for label, url in PAGES.items():
                rows[label][size] = measure(client, url or newest, args.runs)
    report = {
        "engine": connection.vendor,
        "runs": args.runs,
        "sizes": args.sizes,
        "pages": [{"page": label, "by_sets": by_size} for label, by_size in rows.items()],
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"log_pages-{connection.vendor}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{connection.vendor}, {args.runs} runs a page: median ms (queries) at each size")
    print(f"| page | {' | '.join(f'{size:,} sets' for size in args.sizes)} |")
    print(f"| --- |{' ---: |' * len(args.sizes)}")
    for label, by_size in rows.items():
        cells = " | ".join(
            f"{by_size[size]['median_ms']} ({by_size[size]['queries']})" for size in args.sizes
        )
        print(f"| {label} | {cells} |")


if __name__ == "__main__":
    main()
