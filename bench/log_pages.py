"""Benchmark the signed-in log pages for a trainee with 20,000 sets.

Not a test: it prints (and writes to bench/results/log_pages.json) how long the
history, records, progress and session pages take in-process, and how many SQL
queries each runs. Run it against the engine you care about:

    .venv/bin/python bench/log_pages.py                      # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hipthrust_bench \
        .venv/bin/python bench/log_pages.py

It creates and drops its own database (SQLite: a temp file; PostgreSQL: the named
database is dropped and recreated, so never point it at real data).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hipthrust.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from loadtest import recreate_postgresql_database  # noqa: E402

SETS = int(os.environ.get("BENCH_SETS", "20000"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def build_database() -> None:
    if connection.vendor == "postgresql":
        recreate_postgresql_database(connection)
    call_command("migrate", verbosity=0)


def build_user():
    from django.contrib.auth import get_user_model

    from coaching.models import Variation
    from tests.training.conftest import make_log
    from training.models import Profile

    user = get_user_model().objects.create_user("bench", "bench@example.com", "bench-password")
    variation = Variation.objects.get(slug="loaded-single-leg-hip-thrust")
    Profile.objects.filter(user=user).update(level=variation)
    sessions = SETS // 6
    make_log(user, variation, sessions=sessions, sets_per_side=3, load="12.5")
    return user


def measure(client: Client, url: str) -> dict:
    client.get(url)  # warm caches and connections
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "queries": len(queries.captured_queries),
        "bytes": len(response.content),
    }


def main() -> None:
    setup_test_environment()
    build_database()
    user = build_user()
    client = Client()
    client.force_login(user)
    session = user.training_sessions.order_by("-date").first()
    pages = [
        "/log/",
        "/log/history/",
        "/log/history/?page=40",
        "/log/records/",
        "/log/progress/",
        session.get_absolute_url(),
    ]
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_static):
        results = [measure(client, url) for url in pages]
    report = {"engine": connection.vendor, "sets": SETS, "runs": RUNS, "pages": results}
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"log_pages-{connection.vendor}.json").write_text(json.dumps(report, indent=2))
    print(f"{SETS} sets on {connection.vendor}, {RUNS} runs each")
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>6}")
    for row in results:
        print(
            f"{row['url']:28} {row['median_ms']:>10} {row['p95_ms']:>8} {row['queries']:>8} "
            f"{row['bytes'] / 1024:>6.1f}"
        )


if __name__ == "__main__":
    main()
