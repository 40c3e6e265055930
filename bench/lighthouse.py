"""Lighthouse scores at mobile settings for the home, guide and timer pages.

Not a test: it measures and reports, and asserts nothing. In one run it

* migrates a temporary SQLite database and collects static files (harness.py `prepare`,
  with no sets: Lighthouse measures the browser side, not the database);
* starts gunicorn (`hipthrust.wsgi`, gunicorn.conf.py) with production settings:
  DJANGO_DEBUG=0, a generated secret key, DJANGO_ALLOWED_HOSTS=127.0.0.1, on a free
  loopback port, and warms each worker's page cache;
* runs Lighthouse (bench/node_modules, pinned in bench/package.json) --runs times per
  page in headless Chromium (CHROME_PATH, default /usr/bin/chromium) with Lighthouse's
  defaults: mobile form factor, simulated throttling (slow 4G, 4x CPU slowdown);
  categories performance, accessibility, best-practices and SEO;
* keeps the run with the median performance score of each page, and writes
  bench/results/lighthouse.json and lighthouse.md: the scores, FCP, LCP, TBT, CLS,
  Speed Index, total byte weight, and every failing audit with its offending items
  (selectors, URLs, values). The raw reports (JSON and HTML) go to
  bench/results/lighthouse-raw/, which git ignores.

    npm ci --prefix bench                      # once: installs the pinned Lighthouse
    .venv/bin/python bench/lighthouse.py
    .venv/bin/python bench/lighthouse.py --runs 1 --pages guide
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import prepare
from loadtest import free_port, production_env, start_gunicorn, stop_gunicorn

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
RAW = RESULTS / "lighthouse-raw"
LIGHTHOUSE = BENCH / "node_modules" / "lighthouse" / "cli" / "index.js"
HOST = "127.0.0.1"
PAGES = {"home": "/", "guide": "/guide/", "timer": "/timer/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",  # the machine runs as root
    "--disable-gpu",
    "--disable-background-networking",  # the network is closed: no calls home
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
METRICS = {  # key in our report: (Lighthouse audit id, unit)
    "fcp_ms": ("first-contentful-paint", "ms"),
    "lcp_ms": ("largest-contentful-paint", "ms"),
    "tbt_ms": ("total-blocking-time", "ms"),
    "cls": ("cumulative-layout-shift", ""),
    "speed_index_ms": ("speed-index", "ms"),
    "total_byte_weight": ("total-byte-weight", "bytes"),
}
PERF_THRESHOLD = 0.9  # performance opportunities/diagnostics below this are listed
MAX_ITEMS = 12  # offending items kept per audit


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (3)")
    parser.add_argument(
        "--pages", nargs="+", choices=list(PAGES), default=list(PAGES), help="pages to measure"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    args = parser.parse_args()
    if not 1 <= args.runs <= 15:
        parser.error("--runs must be 1..15")
    if not 1 <= args.workers <= 16:
        parser.error("--workers must be 1..16")
    return args


def check_tools() -> tuple[str, str]:
    """(node, chrome) paths; exits with how to install what is missing."""
    node = shutil.which("node")
    if not node:
        sys.exit("node is not installed (Node 18.16 or newer is needed for Lighthouse 12).")
    if not LIGHTHOUSE.is_file():
        sys.exit(
            f"Lighthouse is not installed in {BENCH / 'node_modules'}.\n"
            "Install the pinned version from bench/package-lock.json with:\n\n"
            "    npm ci --prefix bench --no-audit --no-fund\n"
        )
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not os.access(chrome, os.X_OK):
        sys.exit(f"No Chromium at {chrome}: apt-get install -y chromium, or set CHROME_PATH.")
    return node, chrome


def fetch_status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


# --------------------------------------------------------------------------- lighthouse


def run_lighthouse(node: str, chrome: str, url: str, base: Path) -> dict:
    """One Lighthouse run; writes base.report.json and .html and returns the report."""
    command = [
        node,
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output=html",
        f"--output-path={base}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": chrome}
    done = subprocess.run(
        command, cwd=BENCH, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    report = base.with_name(base.name + ".report.json")
    if done.returncode != 0 or not report.is_file():
        raise RuntimeError(
            f"lighthouse exited with {done.returncode} for {url}:\n{done.stderr[-3000:]}"
        )
    lhr = json.loads(report.read_text())
    if lhr.get("runtimeError"):
        raise RuntimeError(f"lighthouse runtime error for {url}: {lhr['runtimeError']}")
    return lhr


def scores(lhr: dict) -> dict:
    out = {}
    for name in CATEGORIES:
        score = lhr["categories"].get(name, {}).get("score")
        out[name] = None if score is None else round(score * 100)
    return out


def metrics(lhr: dict) -> dict:
    out = {}
    for key, (audit_id, _unit) in METRICS.items():
        audit = lhr["audits"].get(audit_id, {})
        value = audit.get("numericValue")
        if value is not None:
            value = round(value, 3) if key == "cls" else round(value)
        out[key] = value
    return out


def _text(value) -> str | None:
    """A table cell as text: plain values, URLs, code, source locations, nodes."""
    if value is None or value == "":
        return None
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, dict):
        kind = value.get("type")
        if kind == "node":
            label = value.get("nodeLabel")
            selector = value.get("selector") or value.get("snippet")
            return f"{selector} ({label})" if label and label != selector else selector
        if kind == "source-location":
            return f"{value.get('url')}:{value.get('line', 0) + 1}:{value.get('column', 0) + 1}"
        if kind in {"url", "code", "text", "numeric"}:
            return str(value.get("value"))
        if "text" in value:
            return str(value["text"])
    return None


ITEM_FIELDS = [  # the fields worth showing, in order, when an item has them
    "statistic",
    "node",
    "url",
    "source",
    "sourceLocation",
    "description",
    "directive",
    "severity",
    "label",
    "value",
    "issueType",
    "failureReason",
    "entity",
    "wastedBytes",
    "wastedMs",
    "totalBytes",
    "transferSize",
    "duration",
    "score",
    "cacheLifetimeMs",
]


def _item(item: dict) -> dict:
    out = {}
    for field in ITEM_FIELDS:
        if field in item:
            text = _text(item[field])
            if text is not None:
                if field in {"wastedBytes", "totalBytes", "transferSize", "wastedMs", "duration"}:
                    text = str(round(float(item[field])))
                elif field == "score" and isinstance(item[field], float):
                    text = str(round(item[field], 3))
                out[field] = text
    if "node" in item and isinstance(item["node"], dict):
        node = item["node"]
        out["selector"] = node.get("selector")
        out["snippet"] = node.get("snippet")
        if node.get("explanation"):
            out["explanation"] = node["explanation"]
        out.pop("node", None)
    sub = (item.get("subItems") or {}).get("items") or []
    if sub:
        out["subItems"] = [_item(s) for s in sub[:MAX_ITEMS]]
    return out


def _items(details: dict | None) -> list[dict]:
    """The offending items of an audit's details, tables inside lists flattened."""
    if not details:
        return []
    kind = details.get("type")
    if kind == "list":
        found = []
        for part in details.get("items", []):
            if isinstance(part, dict) and part.get("type") in {"table", "opportunity"}:
                found += _items(part)
            elif isinstance(part, dict) and part.get("type") == "node":
                found.append(_item({"node": part}))
        return found
    if kind in {"table", "opportunity"}:
        return [_item(i) for i in details.get("items", []) if isinstance(i, dict)]
    if kind == "checklist":  # the insights' pass/fail lists: keep the failed checks
        return [{"label": c["label"]} for c in details.get("items", {}).values() if not c["value"]]
    return []


def _audit_entry(audit: dict, category: str) -> dict:
    items = _items(audit.get("details"))
    entry = {
        "category": category,
        "id": audit["id"],
        "title": audit.get("title"),
        "score": audit.get("score"),
        "scoreDisplayMode": audit.get("scoreDisplayMode"),
        "displayValue": audit.get("displayValue"),
        "items": items[:MAX_ITEMS],
    }
    if len(items) > MAX_ITEMS:
        entry["more_items"] = len(items) - MAX_ITEMS
    if audit.get("explanation"):
        entry["explanation"] = audit["explanation"]
    if audit.get("warnings"):
        entry["warnings"] = audit["warnings"]
    if audit.get("metricSavings"):
        savings = {k: v for k, v in audit["metricSavings"].items() if v}
        if savings:
            entry["metricSavings"] = savings
    return entry


def failing_audits(lhr: dict) -> tuple[list[dict], list[dict]]:
    """(failing audits, unscored notes) of one report.

    Failing: an accessibility, best-practices or SEO audit scored binary or numeric
    below 1; a performance diagnostic (the opportunities and diagnostics the report
    shows, not the metrics nor the hidden ones) scored below 0.9.
    Notes: informative audits of those three categories that list items (the CSP
    check, for one), which do not count toward the score but may need a look.
    """
    failing, notes, seen = [], [], set()
    for category in CATEGORIES:
        for ref in lhr["categories"].get(category, {}).get("auditRefs", []):
            audit = lhr["audits"].get(ref["id"])
            if not audit or (category, ref["id"]) in seen:
                continue
            seen.add((category, ref["id"]))
            score, mode = audit.get("score"), audit.get("scoreDisplayMode")
            if category == "performance":
                if ref.get("group") != "diagnostics" or score is None:
                    continue
                if score < PERF_THRESHOLD:
                    failing.append(_audit_entry(audit, category))
            elif mode in {"binary", "numeric"} and score is not None and score < 1:
                failing.append(_audit_entry(audit, category))
            elif mode == "informative" and _items(audit.get("details")):
                notes.append(_audit_entry(audit, category))
    return failing, notes


def lcp_element(lhr: dict) -> dict:
    """The LCP element's selector and label, and the LCP phases (ms)."""
    details = lhr["audits"].get("largest-contentful-paint-element", {}).get("details") or {}
    out: dict = {"selector": None, "label": None, "phases_ms": {}}
    for part in details.get("items", []):
        for item in part.get("items", []) if isinstance(part, dict) else []:
            if isinstance(item.get("node"), dict):
                out["selector"] = item["node"].get("selector")
                out["label"] = item["node"].get("nodeLabel")
            elif "phase" in item:
                out["phases_ms"][item["phase"]] = round(item.get("timing", 0))
    return out


def chrome_version(chrome: str) -> str:
    try:
        done = subprocess.run([chrome, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.strip() or "unknown"


def median_run(runs: list[dict]) -> int:
    """Index of the run with the median performance score (ties: median LCP)."""
    order = sorted(
        range(len(runs)),
        key=lambda i: (runs[i]["scores"]["performance"] or 0, runs[i]["metrics"]["lcp_ms"] or 0),
    )
    return order[(len(order) - 1) // 2]  # the lower middle when the count is even


# --------------------------------------------------------------------------- report


def _ms(value) -> str:
    return "" if value is None else f"{value / 1000:.2f} s" if value >= 1000 else f"{value} ms"


def _item_line(item: dict) -> str:
    parts = []
    for key, value in item.items():
        if key in {"subItems", "snippet"} or value in (None, ""):
            continue
        parts.append(
            f"{key}: `{value}`" if key in {"selector", "url", "source"} else f"{key}: {value}"
        )
    line = "; ".join(parts)
    if item.get("snippet"):
        line += f" — `{item['snippet'][:160]}`"
    return line


def markdown(result: dict) -> str:
    env = result["environment"]
    lines = [
        f"`bench/lighthouse.py`: Lighthouse {env['lighthouse']}, {env['form_factor']}, "
        f"{env['throttling_method']} throttling (RTT {env['rtt_ms']} ms, "
        f"{env['throughput_kbps']} Kbps, CPU x{env['cpu_slowdown']}), "
        f"{env['chrome']}, gunicorn {result['workers']} workers with production settings, "
        f"median of {result['runs']} runs by performance score, benchmarkIndex "
        f"{env['benchmark_index']}, load average {result['load_average_1min']}, "
        f"{result['when']}.",
        "",
        "| page | perf (runs) | a11y | best pr. | SEO | FCP | LCP | TBT | CLS | SI | bytes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, page in result["pages"].items():
        s, m = page["scores"], page["metrics"]
        runs = "/".join(str(v) for v in page["performance_runs"])
        lines.append(
            f"| {name} `{page['path']}` | {s['performance']} ({runs}) | {s['accessibility']} "
            f"| {s['best-practices']} | {s['seo']} | {_ms(m['fcp_ms'])} | {_ms(m['lcp_ms'])} "
            f"| {_ms(m['tbt_ms'])} | {m['cls']} | {_ms(m['speed_index_ms'])} "
            f"| {m['total_byte_weight'] / 1024:.1f} KB |"
        )
    lines += ["", "LCP element (median run):", ""]
    for name, page in result["pages"].items():
        lcp = page["lcp_element"]
        phases = ", ".join(f"{k} {v} ms" for k, v in lcp["phases_ms"].items())
        lines.append(f"- **{name}**: `{lcp['selector']}` ({lcp['label']}); {phases}")
    for title, key in (("Failing audits", "failing"), ("Not scored, for a look", "notes")):
        lines += ["", f"### {title} (median run of each page)", ""]
        empty = True
        for name, page in result["pages"].items():
            for audit in page[key]:
                empty = False
                scored = audit["score"] is not None and key == "failing"
                score = f", score {audit['score']}" if scored else ""
                value = f": {audit['displayValue']}" if audit.get("displayValue") else ""
                lines.append(
                    f"- **{name}** [{audit['category']}] `{audit['id']}` — {audit['title']}"
                    f"{value}{score}"
                )
                if audit.get("explanation"):
                    lines.append(f"  - {audit['explanation']}")
                for item in audit["items"]:
                    lines.append(f"  - {_item_line(item)}")
                    for sub in item.get("subItems", []):
                        lines.append(f"    - {_item_line(sub)}")
                if audit.get("more_items"):
                    lines.append(f"  - … and {audit['more_items']} more")
        if empty:
            lines.append("- none")
    warnings = {w for page in result["pages"].values() for w in page["run_warnings"]}
    if warnings:
        lines += ["", "Lighthouse run warnings:", ""] + [f"- {w}" for w in sorted(warnings)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main


def main() -> int:
    args = parse_args()
    node, chrome = check_tools()
    scratch = Path(tempfile.mkdtemp(prefix="hipthrust-lighthouse-"))
    env = production_env(f"sqlite:///{scratch}/bench.sqlite3", scratch)
    print("Migrating a temporary SQLite database and collecting static files…", flush=True)
    prepare("sqlite", 0, env)
    from django.db import connection

    connection.close()  # gunicorn has the database to itself

    port = free_port()
    log = scratch / "gunicorn.log"
    server = start_gunicorn(env, port, args.workers, log)
    if RAW.exists():
        shutil.rmtree(RAW)
    RAW.mkdir(parents=True)
    pages, first = {}, None
    try:
        print(f"gunicorn: {args.workers} workers on {HOST}:{port} (log {log})", flush=True)
        for name in args.pages:  # warm every worker's page cache
            for _ in range(4 * args.workers):
                status = fetch_status(port, PAGES[name])
                if status != 200:
                    raise RuntimeError(f"{PAGES[name]} answered {status}")
        for name in args.pages:
            url = f"http://{HOST}:{port}{PAGES[name]}"
            runs = []
            for n in range(1, args.runs + 1):
                started = time.monotonic()
                lhr = run_lighthouse(node, chrome, url, RAW / f"{name}-{n}")
                first = first or lhr
                failing, notes = failing_audits(lhr)
                runs.append(
                    {
                        "scores": scores(lhr),
                        "metrics": metrics(lhr),
                        "lcp_element": lcp_element(lhr),
                        "failing": failing,
                        "notes": notes,
                        "run_warnings": lhr.get("runWarnings", []),
                        "report": str((RAW / f"{name}-{n}.report.html").relative_to(ROOT)),
                    }
                )
                s = runs[-1]["scores"]
                print(
                    f"  {name:6} run {n}: perf {s['performance']}  a11y {s['accessibility']}"
                    f"  bp {s['best-practices']}  seo {s['seo']}"
                    f"  ({time.monotonic() - started:.0f} s)",
                    flush=True,
                )
            chosen = runs[median_run(runs)]
            perf = [r["scores"]["performance"] for r in runs]
            pages[name] = {
                "path": PAGES[name],
                "url": url,
                "performance_runs": perf,
                "performance_median": statistics.median(perf),
                **chosen,
                "all_runs": [{"scores": r["scores"], "metrics": r["metrics"]} for r in runs],
            }
    finally:
        stop_gunicorn(server)

    settings = first["configSettings"]
    throttling = settings.get("throttling", {})
    result = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "runs": args.runs,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "environment": {
            "lighthouse": first["lighthouseVersion"],
            "chrome": chrome_version(chrome),
            "benchmark_index": first["environment"].get("benchmarkIndex"),
            "form_factor": settings.get("formFactor"),
            "throttling_method": settings.get("throttlingMethod"),
            "rtt_ms": throttling.get("rttMs"),
            "throughput_kbps": throttling.get("throughputKbps"),
            "cpu_slowdown": throttling.get("cpuSlowdownMultiplier"),
            "chrome_flags": CHROME_FLAGS,
        },
        "notes": [
            "scores are 0-100; the row of each page is the run with the median "
            "performance score, performance_runs lists every run;",
            "metrics in ms (cls unitless, total_byte_weight in bytes), simulated (Lantern) "
            "from a run on loopback, so TTFB is the server's own;",
            "failing: accessibility/best-practices/SEO audits scored binary or numeric "
            f"below 1, performance opportunities/diagnostics below {PERF_THRESHOLD};",
            "raw reports: bench/results/lighthouse-raw/ (not committed).",
        ],
        "pages": pages,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "lighthouse.json").write_text(json.dumps(result, indent=2) + "\n")
    table = markdown(result)
    (RESULTS / "lighthouse.md").write_text(table)
    print()
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
