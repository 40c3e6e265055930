"""Benchmark a coach's review queue (/coach/) as their athletes' histories grow.

Not a test: for each --sets count it builds a coach with --athletes athletes, each with that
many sets (bench/log_pages.py `build_trainee`: a session a day up to yesterday, at the top
of the ladder, so every athlete's level advice is read), and prints (and writes to
bench/results/coach_queue-<engine>.json and .md) the queue's in-process median time and its
SQL queries. A cost that grows along the row grows with the athletes' histories; the
queries grow by one an athlete (their newest sessions, for the advice), never with sets.

    .venv/bin/python bench/coach_queue.py --sets 100,2000 --runs 5      # a quick look
    .venv/bin/python bench/coach_queue.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hipthrust_bench_coach

It creates and drops its own database, as log_pages.py does (PostgreSQL: the named database,
whose name must say bench or load, is dropped and recreated: never point it at real data).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.epilog = __doc__.split("\n\n", 1)[1]
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL to build in (default: a temporary SQLite)"
    )
    parser.add_argument("--athletes", type=int, default=10, help="athletes of the coach (10)")
    parser.add_argument(
        "--sets",
        default="100,2000,20000",
        help="comma-separated sets per athlete, one coach each (100,2000,20000)",
    )
    parser.add_argument("--runs", type=int, default=15, help="timed requests per size (15)")
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sets.split(",")]
    return args


def main() -> None:
    args = parse_args()
    from log_pages import build_trainee, measure, setup

    setup(args.database_url)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client, override_settings

    from coaches import services

    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    rows = {}
    for size in args.sizes:
        coach = get_user_model().objects.create_user(f"coach{size}", password="bench-password")
        coach.groups.add(Group.objects.get(name="Coach"))
        for number in range(args.athletes):
            athlete = build_trainee(f"athlete{size}-{number}", size)
            services.accept_invitation(services.create_invitation(coach), athlete)
        print(f"built {args.athletes} athletes of {size} sets", flush=True)
        client = Client()
        client.force_login(coach)
        with override_settings(STORAGES=plain_static, ALLOWED_HOSTS=hosts):
            rows[size] = measure(lambda client=client: client.get("/coach/"), args.runs)
    stem = f"coach_queue-{connection.vendor}"
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    report = {"engine": connection.vendor, "athletes": args.athletes, "runs": args.runs}
    report["by_sets"] = rows
    (out / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        f"{connection.vendor}, a coach of {args.athletes} athletes, {args.runs} runs a size: "
        "the queue's median ms (queries)",
        "",
        f"| page | {' | '.join(f'{size:,} sets each' for size in args.sizes)} |",
        f"| --- |{' ---: |' * len(args.sizes)}",
        "| review queue | "
        + " | ".join(f"{rows[size]['median_ms']} ({rows[size]['queries']})" for size in args.sizes)
        + " |",
    ]
    table = "\n".join(lines) + "\n"
    (out / f"{stem}.md").write_text(table)
    print("\n" + table)


if __name__ == "__main__":
    main()
