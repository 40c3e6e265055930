"""Throughput harness: gunicorn with production settings, driven by wrk on loopback.

Not a test: it measures and reports, and asserts no times. In one run it

* recreates a throwaway database (PostgreSQL `hipthrust_bench_harness`, dropped and
  recreated; or a temporary SQLite file), migrates it, collects static files and builds
  a trainee with --sets sets (bench/log_pages.py `build_trainee`: a session a day up to
  yesterday, then VACUUM ANALYZE);
* starts gunicorn (`hipthrust.wsgi`, gunicorn.conf.py) with DJANGO_DEBUG=0, a generated
  secret key, DJANGO_ALLOWED_HOSTS=127.0.0.1, --workers workers, on a free loopback port,
  and HIPTHRUST_BENCH_VIEW=1, which routes a bare view (hipthrust/bench_view.py) at
  /__bench__/bare/: the ceiling for this stack on this machine; and at
  /__bench__/signed-in/ the floor of a signed-in page (its session and user read, base.html
  drawn around nothing), the ceiling for every page of the log;
* runs wrk (--connections connections, 2 threads, --seconds each) against the bare view,
  the home, guide, a variation and the timer page (anonymous, so served from the page
  cache, and again "uncached" with a session cookie that names no session: the cache
  only serves requests without one), the guide and the timer signed in (their bodies kept
  for everyone, base.html drawn for the trainee), the signed-in Today, newest session,
  history and progress pages (a real session cookie of the trainee), and a static file
  served by whitenoise;
* counts SQL queries per request in-process (Django test Client and
  CaptureQueriesContext on the same database) and the bytes a first visit moves
  (the page, its stylesheets, scripts, module imports and images, asked for with
  `Accept-Encoding: gzip, br`, as sent: the app gzips its pages);
* writes bench/results/harness-<engine>.json and .md and prints the table.

    .venv/bin/python bench/harness.py                       # PostgreSQL, 10 s, 8 connections
    .venv/bin/python bench/harness.py --engine sqlite --seconds 5 --sets 5000
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

# bench/ is this script's folder, so its sibling is importable: one gunicorn starter.
from loadtest import (
    check_database_url,
    flush_redis,
    free_port,
    production_env,
    recreate_postgresql_database,
    stop_gunicorn,
)
from loadtest import start_gunicorn as _start_gunicorn
from log_pages import build_trainee

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
PG_URL = "postgres://postgres@127.0.0.1:5432/hipthrust_bench_harness"
REDIS_URL = "redis://127.0.0.1:6379/15"
VARIATION = "loaded-single-leg-hip-thrust"
UNCACHED_COOKIE = "sessionid=harness-no-such-session"  # bypasses the page cache
ACCEPT = {"Accept-Encoding": "gzip, br", "Accept": "text/html,*/*"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument(
        "--database-url",
        default=PG_URL,
        help=f"the PostgreSQL database, dropped and recreated: its name must say bench ({PG_URL})",
    )
    parser.add_argument(
        "--redis-url",
        default=REDIS_URL,
        help=f"the Redis database the pages are cached in, flushed first ({REDIS_URL})",
    )
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per page (5)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds over every row; the median is kept (3)"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--sets", type=int, default=20000, help="sets in the trainee's log (20000)")
    parser.add_argument(
        "--cache",
        choices=["redis", "memory"],
        default="redis",
        help="redis (production: REDIS_URL, database 15, flushed first) or per-worker memory",
    )
    parser.add_argument(
        "--label",
        default="",
        help="written as harness-<engine>[-memory]-<label>.json/.md (e.g. before, after)",
    )
    parser.add_argument(
        "--only", nargs="+", metavar="PAGE", help="measure only these rows (the bare view always)"
    )
    args = parser.parse_args()
    if not 1 <= args.rounds <= 20:
        parser.error("--rounds must be 1..20")
    if not 1 <= args.seconds <= 600 or not 1 <= args.connections <= 1000:
        parser.error("--seconds must be 1..600 and --connections 1..1000")
    if not 1 <= args.workers <= 64 or not 0 <= args.sets <= 1_000_000:
        parser.error("--workers must be 1..64 and --sets 0..1000000")
    return args


# --------------------------------------------------------------------------- setup


def prepare(engine: str, sets: int, env: dict[str, str]) -> dict:
    """Recreate, migrate, collect static files, build the trainee; returns URLs and cookie."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from coaching.models import Variation

    setup_test_environment()  # lets the test Client in; adds "testserver" to ALLOWED_HOSTS
    if engine == "postgresql":
        recreate_postgresql_database(connection)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    started = time.monotonic()
    user = build_trainee("harness", sets)
    built = time.monotonic() - started
    variation = Variation.objects.get(slug=VARIATION)
    client = Client()
    client.force_login(user)  # a session row in the same database gunicorn reads
    from django.templatetags.static import static

    return {
        "client": client,
        "sessionid": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "variation_url": variation.get_absolute_url(),
        "static_url": static("css/site.css"),
        "sets": user.training_sessions.aggregate(n=django.db.models.Count("sets"))["n"],
        # The page a trainee has open at the bench: their newest session.
        "session_url": user.training_sessions.order_by("-date", "-pk").first().get_absolute_url(),
        "build_seconds": round(built, 1),
    }


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path):
    # The bare view that sets the ceiling is routed only with this switch.
    return _start_gunicorn({**env, "HIPTHRUST_BENCH_VIEW": "1"}, port, workers, log)


def fetch(port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


# --------------------------------------------------------------------------- wrk


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * UNITS[unit], 2)


def run_wrk(port: int, path: str, seconds: int, connections: int, cookie: str | None) -> dict:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for name, value in ACCEPT.items():
        command += ["-H", f"{name}: {value}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    out = done.stdout
    latency = dict(re.findall(r"^\s*(50|75|90|99)%\s+(\S+)\s*$", out, re.M))
    if "99" not in latency:
        raise RuntimeError(f"unexpected wrk output for {path}:\n{out}\n{done.stderr}")
    requests = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "requests": int(requests.group(1)),
        "non_2xx_3xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(v) for v in errors.groups()) if errors else 0,
    }


# --------------------------------------------------------------------------- queries


def count_queries(client, path: str, cookie: str | None) -> int:
    """SQL queries for one request of `path`, after a warm-up request (cache primed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    extra = {"HTTP_COOKIE": cookie} if cookie else {}
    client.get(path, **extra)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


# --------------------------------------------------------------------------- bytes


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.css, self.js, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.css.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])
        elif tag == "img" and a.get("src") and not a["src"].startswith("data:"):
            self.images.append(a["src"])
        elif tag == "link" and (a.get("rel") or "") in {"icon", "modulepreload"} and a.get("href"):
            (self.js if a["rel"] == "modulepreload" else self.images).append(a["href"])


MODULE_IMPORT = re.compile(r"""(?:import|from)\s*["']([^"']+\.m?js)["']""")


def first_visit_bytes(port: int, path: str, cookie: str | None) -> dict:
    """Bytes a browser with an empty cache moves for `path`: page, CSS, JS, images."""
    headers = {**ACCEPT, **({"Cookie": cookie} if cookie else {})}
    status, response_headers, body = fetch(port, path, headers)
    encoding = response_headers.get("Content-Encoding", "")
    html = gzip.decompress(body) if encoding == "gzip" else body
    parser = Assets()
    parser.feed(html.decode("utf-8", "replace"))
    gzipped = len(body) if encoding else len(gzip.compress(html))
    kinds = {"html": {"raw": len(html), "wire": len(body), "gzip": gzipped}}
    kinds["html"]["encoding"] = encoding or "identity (gzip estimated)"
    seen: set[str] = set()
    queue = [("css", u) for u in parser.css] + [("js", u) for u in parser.js]
    queue += [("images", u) for u in parser.images]
    files = []
    while queue:
        kind, url = queue.pop(0)
        target = urljoin(path, url)
        if urlsplit(target).netloc or target in seen:
            continue
        seen.add(target)
        s, h, compressed = fetch(port, target, ACCEPT)
        _, _, plain = fetch(port, target, {})
        files.append(
            {
                "kind": kind,
                "url": target,
                "status": s,
                "encoding": h.get("Content-Encoding", "identity"),
                "wire": len(compressed),
                "raw": len(plain),
            }
        )
        if kind == "js" and s == 200:
            for module in MODULE_IMPORT.findall(plain.decode("utf-8", "replace")):
                queue.append(("js", urljoin(target, module)))
    for kind in ("css", "js", "images"):
        mine = [f for f in files if f["kind"] == kind]
        kinds[kind] = {
            "count": len(mine),
            "raw": sum(f["raw"] for f in mine),
            "wire": sum(f["wire"] for f in mine),
            "encodings": sorted({f["encoding"] for f in mine}),
        }
    compressed_html = kinds["html"]["wire"] if encoding else kinds["html"]["gzip"]
    total = compressed_html + kinds["css"]["wire"] + kinds["js"]["wire"]
    return {
        "status": status,
        "kinds": kinds,
        "files": files,
        "html_css_js_compressed": total,
        "all_compressed": total + kinds["images"]["wire"],
    }


# --------------------------------------------------------------------------- report


def markdown(result: dict) -> str:
    lines = [
        f"`bench/harness.py` on {result['engine']}: gunicorn {result['workers']} workers, "
        f"wrk {result['connections']} connections x {result['seconds']} s per row and round, "
        f"median of {result['rounds']} rounds (each ratio against its round's bare view), "
        f"cache {result['cache']}, {result['sets']} sets, {result['cpus']} CPUs (wrk shares "
        f"them), load average {result['load_average_1min']}, {result['when']}.",
        "",
        "| page | mode | req/s | p50 ms | p99 ms | vs bare | SQL/req | first visit KB "
        "(HTML gz + CSS + JS) | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        kb = row.get("first_visit_kb")
        lines.append(
            f"| {row['name']} `{row['path']}` | {row['mode']} | {row['rps']:.0f} | "
            f"{row['p50_ms']} | {row['p99_ms']} | {row['ratio']:.0%} | {row['queries']} | "
            f"{'' if kb is None else kb} | {row['non_2xx_3xx'] + row['socket_errors']} |"
        )
    lines += ["", "First visit, bytes on the wire (KB, compressed / raw):", ""]
    lines += ["| page | HTML (gzip est.) | CSS | JS | images | HTML+CSS+JS | encodings |"]
    lines += ["| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for name, b in result["bytes"].items():
        k = b["kinds"]
        enc = sorted(set(k["css"]["encodings"] + k["js"]["encodings"]))
        lines.append(
            f"| {name} | {k['html']['gzip'] / 1024:.1f} / {k['html']['raw'] / 1024:.1f} | "
            f"{k['css']['wire'] / 1024:.1f} / {k['css']['raw'] / 1024:.1f} | "
            f"{k['js']['wire'] / 1024:.1f} / {k['js']['raw'] / 1024:.1f} | "
            f"{k['images']['wire'] / 1024:.1f} ({k['images']['count']}) | "
            f"{b['html_css_js_compressed'] / 1024:.1f} | {', '.join(enc)} |"
        )
    lines += ["", "Budgets:", ""]
    for budget in result["budgets"]:
        mark = "met" if budget["met"] else "**not met**"
        lines.append(f"- {budget['budget']}: {budget['value']} — {mark}")
    return "\n".join(lines) + "\n"


def budgets(rows: list[dict], byte_report: dict) -> list[dict]:
    found = {(r["name"], r["mode"]): r for r in rows}
    out = []
    for name in ("guide", "variation", "timer"):
        for mode, floor in (("uncached", 0.60), ("cached", 0.90)):
            r = found.get((name, mode))
            if r is None:
                continue
            out.append(
                {
                    "budget": f"{name} {mode} >= {floor:.0%} of bare",
                    "value": f"{r['ratio']:.0%}",
                    "met": r["ratio"] >= floor,
                }
            )
    for name in ("today", "session", "history", "progress"):
        r = found.get((name, "signed in"))
        if r is None:
            continue
        out.append(
            {
                "budget": f"{name} p99 < 100 ms",
                "value": f"{r['p99_ms']} ms",
                "met": r["p99_ms"] < 100,
            }
        )
    if "guide" not in byte_report:
        return out
    guide = byte_report["guide"]["html_css_js_compressed"]
    out.append(
        {
            "budget": "first-visit guide HTML+CSS+JS < 60 KB compressed",
            "value": f"{guide / 1024:.1f} KB",
            "met": guide < 60 * 1024,
        }
    )
    return out


# --------------------------------------------------------------------------- main


def main() -> int:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install -y wrk).")
    scratch = Path(tempfile.mkdtemp(prefix="hipthrust-harness-"))
    if args.engine == "postgresql":
        check_database_url(args.database_url)
    database_url = (
        args.database_url if args.engine == "postgresql" else f"sqlite:///{scratch}/bench.sqlite3"
    )
    env = {
        **production_env(database_url, scratch),
        "HIPTHRUST_BENCH_VIEW": "1",  # the harness process counts the bare view's queries too
    }
    if args.cache == "redis":
        env["REDIS_URL"] = args.redis_url
        flush_redis(args.redis_url)
    print(f"Preparing {args.engine} with {args.sets} sets…", flush=True)
    plan = prepare(args.engine, args.sets, env)
    print(f"  built {plan['sets']} sets in {plan['build_seconds']} s", flush=True)
    signed_in = f"sessionid={plan['sessionid']}"
    targets = [
        ("bare", "/__bench__/bare/", "anonymous", None),
        ("home", "/", "cached", None),
        ("home", "/", "uncached", UNCACHED_COOKIE),
        ("guide", "/guide/", "cached", None),
        ("guide", "/guide/", "uncached", UNCACHED_COOKIE),
        ("variation", plan["variation_url"], "cached", None),
        ("variation", plan["variation_url"], "uncached", UNCACHED_COOKIE),
        ("timer", "/timer/", "cached", None),
        ("timer", "/timer/", "uncached", UNCACHED_COOKIE),
        ("signed-in floor", "/__bench__/signed-in/", "signed in", signed_in),
        # A learner signed in: the page's body kept for everyone, base.html drawn for them.
        ("guide", "/guide/", "signed in", signed_in),
        ("timer", "/timer/", "signed in", signed_in),
        ("today", "/log/", "signed in", signed_in),
        ("session", plan["session_url"], "signed in", signed_in),
        ("history", "/log/history/", "signed in", signed_in),
        ("progress", "/log/progress/", "signed in", signed_in),
        ("static", plan["static_url"], "whitenoise", None),
    ]
    if args.only:
        targets = [t for t in targets if t[0] == "bare" or t[0] in args.only]
    client = plan["client"]
    from django.test import Client

    queries = {}
    for name, path, mode, cookie in targets:
        if name == "static":
            queries[(name, mode)] = 0  # whitenoise answers before any view
        elif mode == "signed in":
            queries[(name, mode)] = count_queries(client, path, None)
        else:
            queries[(name, mode)] = count_queries(Client(), path, cookie)  # a fresh jar
    from django.db import connection

    connection.close()  # let gunicorn have the database to itself

    port = free_port()
    log = scratch / "gunicorn.log"
    server = start_gunicorn(env, port, args.workers, log)
    rows, byte_report = [], {}
    try:
        print(f"gunicorn: {args.workers} workers on {HOST}:{port} (log {log})", flush=True)
        for _name, path, mode, cookie in targets:  # warm every worker's page cache
            for _ in range(4 * args.workers):
                status, _, _ = fetch(
                    port, path, {**ACCEPT, **({"Cookie": cookie} if cookie else {})}
                )
                if status != 200:
                    raise RuntimeError(f"{path} ({mode}) answered {status}")
        for name, path, _mode, cookie in [
            ("home", "/", "", None),
            ("guide", "/guide/", "", None),
            ("variation", plan["variation_url"], "", None),
            ("timer", "/timer/", "", None),
            ("today", "/log/", "", signed_in),
            ("session", plan["session_url"], "", signed_in),
            ("history", "/log/history/", "", signed_in),
            ("progress", "/log/progress/", "", signed_in),
        ]:
            if args.only and name not in args.only:
                continue
            byte_report[name] = first_visit_bytes(port, path, cookie)
        # Rounds over all rows, so a passing burst of load on the machine moves one round
        # of every row rather than all of one row; each ratio is taken against the bare
        # view of its own round, and the median round is reported.
        rounds: list[list[dict]] = []
        for number in range(1, args.rounds + 1):
            print(f"round {number} of {args.rounds}", flush=True)
            measured = []
            for name, path, mode, cookie in targets:
                stats = run_wrk(port, path, args.seconds, args.connections, cookie)
                measured.append(stats)
                print(
                    f"  {name:10} {mode:10} {stats['rps']:>8.0f} req/s  p50 {stats['p50_ms']} ms"
                    f"  p99 {stats['p99_ms']} ms",
                    flush=True,
                )
            bare_rps = measured[0]["rps"]
            for stats in measured:
                stats["ratio"] = round(stats["rps"] / bare_rps, 3) if bare_rps else 0.0
            rounds.append(measured)
        for index, (name, path, mode, _cookie) in enumerate(targets):
            runs = [measured[index] for measured in rounds]
            kb = None
            # A visitor's first visit: the public pages' as anyone's, the log's signed in.
            public = name in ("home", "guide", "variation", "timer")
            if name in byte_report and mode == ("cached" if public else "signed in"):
                kb = round(byte_report[name]["html_css_js_compressed"] / 1024, 1)
            rows.append(
                {
                    "name": name,
                    "path": path,
                    "mode": mode,
                    "rps": statistics.median(r["rps"] for r in runs),
                    "p50_ms": statistics.median(r["p50_ms"] for r in runs),
                    "p99_ms": statistics.median(r["p99_ms"] for r in runs),
                    "ratio": statistics.median(r["ratio"] for r in runs),
                    "requests": sum(r["requests"] for r in runs),
                    "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in runs),
                    "socket_errors": sum(r["socket_errors"] for r in runs),
                    "rounds": runs,
                    "queries": queries[(name, mode)],
                    "first_visit_kb": kb,
                }
            )
    finally:
        stop_gunicorn(server)

    result = {
        "engine": args.engine,
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seconds": args.seconds,
        "rounds": args.rounds,
        "connections": args.connections,
        "workers": args.workers,
        "cache": args.cache,
        "sets": plan["sets"],
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "notes": [
            f"cache: {args.cache} ('redis' is production's shared cache, REDIS_URL; "
            "'memory' is each worker's own);",
            "cached = anonymous requests (served from the whole-page cache);",
            f"uncached = the same page with 'Cookie: {UNCACHED_COOKIE}' (no such session), "
            "which the page cache never serves: the page is rendered whole, plus one "
            "session lookup;",
            "wrk runs on the same machine as gunicorn, so they share the CPUs;",
            "gunicorn.conf.py recycles a worker every ~2000 requests (max_requests), "
            "which empties its in-memory page cache; that is part of what is measured.",
        ],
        "rows": rows,
        "bytes": byte_report,
    }
    result["budgets"] = budgets(rows, byte_report)
    table = markdown(result)
    if not args.only:  # a partial run is a quick look; it does not replace the recorded one
        RESULTS.mkdir(parents=True, exist_ok=True)
        stem = f"harness-{args.engine}" + ("-memory" if args.cache == "memory" else "")
        stem += f"-{args.label}" if args.label else ""
        (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
        (RESULTS / f"{stem}.md").write_text(table)
    print()
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
