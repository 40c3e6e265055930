"""Profile pages in-process with pyinstrument, on the harness's database and trainee.

Not a test. It builds the same throwaway database as harness.py (PostgreSQL by default,
or SQLite), then asks for each page --repeat times through Django's test Client with
DEBUG off, under pyinstrument, and prints the call tree and the SQL each page ran.

    .venv/bin/python bench/profile_pages.py                       # history, progress, guide…
    .venv/bin/python bench/profile_pages.py --paths /log/progress/ --repeat 5
    .venv/bin/python bench/profile_pages.py --engine sqlite --sets 5000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from harness import PG_URL, UNCACHED_COOKIE, prepare
from loadtest import production_env

DEFAULT_PATHS = ["/log/history/", "/log/progress/", "/guide/", "/timer/", "/"]
SIGNED_IN_PREFIX = "/log/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--sets", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--paths", nargs="+", default=DEFAULT_PATHS)
    parser.add_argument("--sql", action="store_true", help="print each page's SQL as well")
    args = parser.parse_args()
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("pyinstrument is not installed (pip install -r requirements-dev.txt).")

    scratch = Path(tempfile.mkdtemp(prefix="hipthrust-profile-"))
    env = production_env(
        PG_URL if args.engine == "postgresql" else f"sqlite:///{scratch}/p.db", scratch
    )
    plan = prepare(args.engine, args.sets, env)
    print(f"{plan['sets']} sets on {args.engine}", flush=True)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    signed_in = plan["client"]
    for path in args.paths:
        if path.startswith(SIGNED_IN_PREFIX):
            client = signed_in
        else:
            client = Client()
            client.cookies.load(UNCACHED_COOKIE)  # the page cache never answers it
        assert client.get(path).status_code == 200, path  # warm: templates, first query
        profiler = Profiler(interval=0.0005)
        with CaptureQueriesContext(connection) as queries:
            profiler.start()
            for _ in range(args.repeat):
                client.get(path)
            profiler.stop()
        print(f"\n===== {path}: {args.repeat} requests, {len(queries) // args.repeat} queries each")
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.sql:
            for query in queries.captured_queries[: len(queries) // args.repeat]:
                print(f"  {query['time']} s  {query['sql'][:400]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
