"""The browser modules' own unit tests (static/js/tests/), run with Node's built-in runner.

Node is part of what the suite needs, like Chromium: without it this fails, it is
never skipped (.ci/run installs Debian's nodejs when it is missing).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
JS_TESTS = REPO / "static" / "js" / "tests"


def test_the_javascript_unit_tests_pass_under_node():
    node = shutil.which("node")
    assert node, "node is not installed: apt-get install nodejs (see .ci/run)"
    files = sorted(JS_TESTS.glob("*.test.mjs"))
    assert files, f"no *.test.mjs files in {JS_TESTS}"
    # Files are named, not the folder: Node 18 (Debian's) and 22 read a folder
    # argument differently, a list of files the same way.
    result = subprocess.run(
        [node, "--test", "--test-reporter=tap", *map(str, files)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    counts = dict(re.findall(r"^# (tests|pass|fail) (\d+)$", result.stdout, re.M))
    assert int(counts.get("tests", 0)) >= 30, output
    assert counts.get("fail") == "0", output
    assert counts.get("pass") == counts.get("tests"), output
