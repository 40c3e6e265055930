"""Benchmark the tempo timer's drift: how late the page shows each phase change.

Not a test. It serves the app with `manage.py runserver` on a free loopback port
(a temporary, migrated SQLite database), runs a real two-minute plan in headless
Chromium on the real clock, and records in the page, with a MutationObserver and
performance.now(), the moment each phase change reaches the DOM, against the
instant the timer's schedule gave it. It prints the result and writes it to
bench/results/timer_drift.json:

    .venv/bin/python bench/timer_drift.py            # about 2 minutes
    BENCH_PLAN='sets=1&reps=2' .venv/bin/python bench/timer_drift.py   # a quicker look

"dom" gaps are schedule -> DOM change; "frame" gaps run on to the start of the next
animation frame after the change, the earliest the new phase can be painted.
Aim: max dom gap under 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402  (the browser tests' own)

RESULTS = ROOT / "bench" / "results" / "timer_drift.json"
# 3 s countdown + 2 sets x 2 legs x 4 reps at 3-1-1-1 (6 s) + 2 leg changes of 5 s
# + 10 s between sets = 119 s, with 68 phase changes.
PLAN = os.environ.get(
    "BENCH_PLAN",
    "variation=single-leg-hip-thrust&tempo=3-1-1-1&sets=2&reps=4&sides=left-right"
    "&lead_in=3&side_rest=5&set_rest=10&last_hold=0",
)

RECORDER = """
() => {
    const root = document.querySelector('[data-timer]');
    const phase = root.querySelector('[data-timer-part="phase"]');
    window.drift = { changes: [], steps: null };
    root.addEventListener('timer:schedule', (event) => {
        window.drift.steps = event.detail.steps.map((s) => ({ index: s.index, kind: s.kind,
                                                              start: s.start }));
    });
    new MutationObserver(() => {
        const shown = performance.now();
        const step = phase.dataset.step;
        if (step === undefined) return;
        const change = { step: Number(step), shown, frame: null };
        window.drift.changes.push(change);
        requestAnimationFrame((frameTime) => { change.frame = frameTime; });
    }).observe(phase, { attributes: true, attributeFilter: ['data-step'] });
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workdir: str) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{url}/timer/", timeout=1) as response:
                if response.status == 200:
                    return server, url
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("the development server did not start")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def describe(gaps: list[float]) -> dict:
    return {
        "max_ms": round(max(gaps), 2),
        "p99_ms": round(percentile(gaps, 0.99), 2),
        "p50_ms": round(statistics.median(gaps), 2),
        "mean_ms": round(statistics.fmean(gaps), 2),
        "min_ms": round(min(gaps), 2),
    }


def run() -> dict:
    with tempfile.TemporaryDirectory() as workdir:
        server, url = start_server(workdir)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium_path(),
                    args=CHROMIUM_ARGS,
                    headless=True,
                )
                page = browser.new_page(viewport={"width": 360, "height": 780})
                page.goto(f"{url}/timer/?{PLAN}")
                page.locator("[data-timer][data-ready]").wait_for()
                plan = json.loads(page.locator("#timer-plan").text_content())
                page.evaluate(RECORDER)
                began = time.monotonic()
                page.get_by_role("button", name="Start", exact=True).click()
                page.locator("[data-timer][data-state=finished]").wait_for(
                    timeout=(plan["totalSeconds"] + 60) * 1000
                )
                wall = time.monotonic() - began
                page.wait_for_timeout(100)  # the last change's next frame
                drift = page.evaluate("window.drift")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)

    starts = {step["index"]: step["start"] for step in drift["steps"]}
    changes = [c for c in drift["changes"] if c["step"] in starts]
    dom = [c["shown"] - starts[c["step"]] for c in changes]
    frame = [c["frame"] - starts[c["step"]] for c in changes if c["frame"] is not None]
    missed = sorted(set(starts) - {c["step"] for c in changes})
    kinds = {step["index"]: step["kind"] for step in drift["steps"]}
    worst = sorted(zip(dom, changes, strict=True), key=lambda pair: pair[0], reverse=True)[:3]
    return {
        "plan": PLAN,
        "planned_seconds": plan["totalSeconds"],
        "wall_seconds": round(wall, 1),
        "phase_changes": len(starts),
        "changes_seen": len(changes),
        "changes_missed": missed,
        "dom": describe(dom),
        "frame": describe(frame),
        "worst": [
            {"step": c["step"], "kind": kinds[c["step"]], "dom_ms": round(gap, 2)}
            for gap, c in worst
        ],
        "load_average": [round(n, 2) for n in os.getloadavg()],
        "target_max_ms": 20,
        "within_target": max(dom) < 20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.epilog = __doc__.split("\n\n", 1)[1]
    parser.parse_args()  # no options: the plan comes from BENCH_PLAN
    result = run()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
