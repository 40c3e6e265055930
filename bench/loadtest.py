"""Load test: gunicorn with production settings, N virtual users reading and logging sets.

Not a test in the suite: it measures, then checks two things and exits non-zero if
either fails: no 5xx (nor dropped connections), and no lost writes (every set the server
acknowledged is in the database, matched by its submission_id).

    .venv/bin/python bench/loadtest.py                      # 50 users, 60 s, PostgreSQL
    .venv/bin/python bench/loadtest.py --users 20 --seconds 30
    DATABASE_URL=sqlite:////tmp/load.sqlite3 .venv/bin/python bench/loadtest.py

The database named by DATABASE_URL (default postgres://postgres@127.0.0.1:5432/hipthrust_load)
is DROPPED and recreated, then migrated: its name must contain "load" or "bench", and it
must be on this machine. gunicorn runs `hipthrust.wsgi` with DJANGO_DEBUG=0, a generated
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS=127.0.0.1 and WEB_CONCURRENCY workers (default 4),
bound to a free 127.0.0.1 port; static files are collected into STATIC_ROOT first. The
virtual users are threads in this process speaking plain HTTP (http.client): each logs in
(CSRF token from the login page's cookie), opens a session, then loops: the guide, a
variation page, the ladder, its log page, and a set posted to its session with a fresh
submission_id (every other one as htmx). Results go to bench/results/loadtest-<engine>.json
and a markdown table is printed.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hipthrust_load"
PASSWORD = "load-test-passphrase-2026"
HOST = "127.0.0.1"
MAX_USERS, MAX_SECONDS = 500, 1800


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent virtual users (50)")
    parser.add_argument("--seconds", type=float, default=60, help="how long they run (60)")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "4")),
        help="gunicorn workers (WEB_CONCURRENCY, default 4)",
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", ""),
        help="the shared cache gunicorn uses, as in production (REDIS_URL; none: each worker's "
        "own memory)",
    )
    parser.add_argument("--think-ms", type=float, default=0, help="pause between requests (0)")
    args = parser.parse_args()
    if not 1 <= args.users <= MAX_USERS:
        parser.error(f"--users must be from 1 to {MAX_USERS}")
    if not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be from 1 to {MAX_SECONDS}")
    if not 1 <= args.workers <= 64:
        parser.error("--workers must be from 1 to 64")
    return args


def check_database_url(url: str) -> str:
    """The engine; refuses anything but a throwaway database on this machine."""
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        name = parts.path.lstrip("/")
        if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
            sys.exit(f"Refusing {url}: the load test only drops databases on this machine.")
        if not re.search(r"load|bench", name):
            sys.exit(f"Refusing database {name!r}: it is dropped, so its name must say load.")
        return "postgresql"
    if parts.scheme == "sqlite":
        if not re.search(r"load|bench", Path(parts.path).name):
            sys.exit(f"Refusing {parts.path}: it is deleted, so its file name must say load.")
        return "sqlite"
    sys.exit(f"Unsupported DATABASE_URL scheme {parts.scheme!r}.")


def production_env(database_url: str, scratch: Path) -> dict[str, str]:
    """The environment of a production process on this machine: DEBUG off, a fresh key."""
    return {
        "DJANGO_SETTINGS_MODULE": "hipthrust.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "DJANGO_MEDIA_ROOT": str(scratch / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def recreate_postgresql_database(connection) -> None:
    """Drop and create the database Django's `connection` names (a throwaway one)."""
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def flush_redis(url: str) -> None:
    """Empty the bench's own Redis database, so nothing is cached before the run."""
    import redis

    try:
        redis.Redis.from_url(url).flushdb()
    except redis.ConnectionError:
        sys.exit(f"Redis is not answering at {url}; start it, or measure without it (see --help).")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return (0, 0)
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields) - idle, sum(fields))


# --------------------------------------------------------------------------- setup


def prepare(engine: str, args: argparse.Namespace, env: dict[str, str]) -> dict:
    """Recreate and migrate the database, collect static files, make the accounts."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from coaching.models import Variation
    from training.models import Profile

    if engine == "postgresql":
        recreate_postgresql_database(connection)
    else:
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once: the accounts share it
    users = User.objects.bulk_create(
        User(username=f"load{i:03d}", email=f"load{i:03d}@example.com", password=password)
        for i in range(args.users)
    )
    level = Variation.objects.get(slug="single-leg-hip-thrust")
    Profile.objects.bulk_create(Profile(user=user, level=level) for user in users)
    connection.close()
    return {
        "usernames": [user.username for user in users],
        "variation": level.pk,
        "slugs": list(Variation.objects.values_list("slug", flat=True)),
    }


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    server_env = {
        **env,
        "HOST": HOST,
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "PYTHONUNBUFFERED": "1",
    }
    handle = log.open("wb")
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "hipthrust.wsgi"],
        cwd=ROOT,
        env=server_env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as one
    )
    handle.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within 60 s; see {log}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


# --------------------------------------------------------------------------- traffic


@dataclass
class Sample:
    kind: str  # login, read, write
    name: str  # the endpoint, e.g. "GET /ladder/<slug>/"
    status: int  # 0: no answer (connection error or timeout)
    ms: float
    at: float


class VirtualUser(threading.Thread):
    def __init__(self, number: int, port: int, plan: dict, deadline: float, think: float):
        super().__init__(name=f"vu-{number}", daemon=True)
        self.port = port
        self.username = plan["usernames"][number]
        self.plan = plan
        self.deadline = deadline
        self.think = think
        self.random = random.Random(number)
        self.cookies: dict[str, str] = {}
        self.samples: list[Sample] = []
        self.acknowledged: list[str] = []
        self.unacknowledged: list[str] = []
        self.failure: str | None = None
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)

    def request(self, kind: str, name: str, method: str, path: str, form=None, headers=None):
        body = urlencode(form) if form is not None else None
        send = {"Host": HOST, "Connection": "keep-alive", **(headers or {})}
        if body is not None:
            send["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            send["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=send)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.samples.append(Sample(kind, name, 0, _ms(started), time.time()))
            return None, b""
        self.samples.append(Sample(kind, name, response.status, _ms(started), time.time()))
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response, content

    def run(self) -> None:
        try:
            self._run()
        except Exception as error:  # recorded and reported; the run goes on
            self.failure = f"{type(error).__name__}: {error}"

    def _run(self) -> None:
        self.request("login", "GET /accounts/login/", "GET", "/accounts/login/")
        response, _ = self.request(
            "login",
            "POST /accounts/login/",
            "POST",
            "/accounts/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            },
        )
        if response is None or response.status != 302:
            raise RuntimeError(f"login answered {response and response.status}")
        today = datetime.date.today().isoformat()
        response, _ = self.request(
            "write",
            "POST /log/sessions/new/",
            "POST",
            "/log/sessions/new/",
            {
                "date": today,
                "variation": self.plan["variation"],
                "notes": "",
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            },
        )
        location = response.getheader("Location", "") if response else ""
        match = re.fullmatch(r"/log/sessions/(\d+)/", location)
        if response is None or response.status != 302 or not match:
            raise RuntimeError(f"opening a session answered {response and response.status}")
        session = f"/log/sessions/{match.group(1)}/"
        side = "left"
        writes = 0
        while time.monotonic() < self.deadline:
            slug = self.random.choice(self.plan["slugs"])
            for name, path in (
                ("GET /guide/", "/guide/"),
                ("GET /ladder/<slug>/", f"/ladder/{slug}/"),
                ("GET /ladder/", "/ladder/"),
                ("GET /log/", "/log/"),
            ):
                self.request("read", name, "GET", path)
                self._pause()
                if time.monotonic() >= self.deadline:
                    return
            writes += 1
            htmx = writes % 2 == 0
            submission = str(uuid.uuid4())
            form = {
                "side": side,
                "reps": self.random.randint(6, 15),
                "load": "",
                "hold_seconds": "",
                "tempo": "3-0-1-1",
                "effort": "",
                "note": "",
                "submission_id": submission,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            }
            side = "right" if side == "left" else "left"
            name = "POST set (htmx)" if htmx else "POST set"
            headers = {"HX-Request": "true", "HX-Target": "sets-and-entry"} if htmx else {}
            response, content = self.request(
                "write", name, "POST", f"{session}sets/", form, headers
            )
            if response is not None and _acknowledged(response, content, session, htmx):
                self.acknowledged.append(submission)
            else:
                self.unacknowledged.append(submission)
            if response is not None and response.status == 302:
                self.request("read", "GET /log/sessions/<pk>/", "GET", session)
            self._pause()

    def _pause(self) -> None:
        if self.think:
            time.sleep(self.think)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _acknowledged(response, content: bytes, session: str, htmx: bool) -> bool:
    if htmx:
        return response.status == 200 and b'class="form-errors"' not in content
    return response.status == 302 and response.getheader("Location") == session


# --------------------------------------------------------------------------- report


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[rank], 1)


def summarize(samples: list[Sample], seconds: float) -> dict:
    def stats(group: list[Sample]) -> dict:
        times = [s.ms for s in group]
        return {
            "requests": len(group),
            "per_second": round(len(group) / seconds, 1),
            "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95),
            "p99_ms": percentile(times, 99),
            "max_ms": round(max(times), 1) if times else None,
            "5xx": sum(1 for s in group if s.status >= 500),
            "no_answer": sum(1 for s in group if s.status == 0),
        }

    by_kind = {kind: stats([s for s in samples if s.kind == kind]) for kind in ("read", "write")}
    by_kind["login"] = stats([s for s in samples if s.kind == "login"])
    names = sorted({s.name for s in samples})
    return {
        "overall": stats(samples),
        "by_kind": by_kind,
        "by_endpoint": {name: stats([s for s in samples if s.name == name]) for name in names},
        "statuses": {
            str(code): sum(1 for s in samples if s.status == code)
            for code in sorted({s.status for s in samples})
        },
    }


def verify_writes(acknowledged: list[str], unacknowledged: list[str]) -> dict:
    from django.db import connection

    from training.models import Set

    connection.close()  # a fresh connection, after the server's commits
    found = set()
    for start in range(0, len(acknowledged), 1000):
        chunk = [uuid.UUID(value) for value in acknowledged[start : start + 1000]]
        found |= {
            str(value)
            for value in Set.objects.filter(submission_id__in=chunk).values_list(
                "submission_id", flat=True
            )
        }
    lost = sorted(set(acknowledged) - found)
    saved_anyway = Set.objects.filter(
        submission_id__in=[uuid.UUID(v) for v in unacknowledged]
    ).count()
    return {
        "acknowledged": len(acknowledged),
        "found": len(found),
        "lost": len(lost),
        "lost_ids": lost[:20],
        "unacknowledged": len(unacknowledged),
        "unacknowledged_but_saved": saved_anyway,
        "sets_in_database": Set.objects.count(),
    }


def markdown(result: dict) -> str:
    rows = [
        "| requests | count | req/s | p50 ms | p95 ms | p99 ms | max ms | 5xx | no answer |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    groups = [("**all**", result["overall"])]
    groups += [(kind, result["by_kind"][kind]) for kind in ("read", "write", "login")]
    groups += [(f"`{name}`", stats) for name, stats in result["by_endpoint"].items()]
    for label, s in groups:
        rows.append(
            f"| {label} | {s['requests']} | {s['per_second']} | {s['p50_ms']} | {s['p95_ms']} "
            f"| {s['p99_ms']} | {s['max_ms']} | {s['5xx']} | {s['no_answer']} |"
        )
    return "\n".join(rows)


# --------------------------------------------------------------------------- main


def main() -> int:
    args = parse_args()
    engine = check_database_url(args.database_url)
    scratch = Path(tempfile.mkdtemp(prefix="hipthrust-load-"))
    env = production_env(args.database_url, scratch)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url  # production's shared cache, passed on to gunicorn
    cache = (
        f"Redis at {args.redis_url}" if args.redis_url else "each worker's memory (no REDIS_URL)"
    )
    print(f"Preparing {engine} database and {args.users} accounts; cache: {cache}…", flush=True)
    plan = prepare(engine, args, env)
    port = free_port()
    log = scratch / "gunicorn.log"
    server = None
    try:
        server = start_gunicorn(env, port, args.workers, log)
        print(
            f"gunicorn: {args.workers} workers on {HOST}:{port} (log {log}); "
            f"{args.users} users for {args.seconds:g} s…",
            flush=True,
        )
        busy0, total0 = cpu_times()
        started = time.monotonic()
        deadline = started + args.seconds
        users = [
            VirtualUser(i, port, plan, deadline, args.think_ms / 1000) for i in range(args.users)
        ]
        for user in users:
            user.start()
        for user in users:
            user.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started
        busy1, total1 = cpu_times()
    finally:
        if server is not None:
            stop_gunicorn(server)

    samples = [sample for user in users for sample in user.samples]
    result = {
        "engine": engine,
        "cache": "redis" if args.redis_url else "each worker's memory",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "users": args.users,
        "seconds": args.seconds,
        "elapsed_seconds": round(elapsed, 1),
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "cpu_busy_percent": (
            round(100 * (busy1 - busy0) / (total1 - total0), 1) if total1 > total0 else None
        ),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "think_ms": args.think_ms,
        **summarize(samples, elapsed),
        "writes": verify_writes(
            [s for user in users for s in user.acknowledged],
            [s for user in users for s in user.unacknowledged],
        ),
        "user_failures": [f"{u.username}: {u.failure}" for u in users if u.failure],
    }
    server_errors = result["overall"]["5xx"] + result["overall"]["no_answer"]
    result["passed"] = server_errors == 0 and result["writes"]["lost"] == 0
    result["passed"] = result["passed"] and not result["user_failures"]

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"loadtest-{engine}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(
        f"{engine}, {args.workers} gunicorn workers, {args.users} users, "
        f"{result['elapsed_seconds']} s, {result['cpus']} CPUs "
        f"{result['cpu_busy_percent']}% busy"
    )
    print()
    print(markdown(result))
    print()
    writes = result["writes"]
    print(
        f"Writes: {writes['acknowledged']} acknowledged, {writes['found']} found in the "
        f"database, {writes['lost']} lost; {writes['unacknowledged']} not acknowledged "
        f"({writes['unacknowledged_but_saved']} of them saved anyway)."
    )
    print(f"5xx: {result['overall']['5xx']}, no answer: {result['overall']['no_answer']}.")
    for failure in result["user_failures"]:
        print(f"virtual user failed: {failure}")
    print(f"Results: {out.relative_to(ROOT)}; {'PASSED' if result['passed'] else 'FAILED'}.")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
