"""What a newcomer meets first: the set-up, the Makefile's guard, the configuration table."""

from __future__ import annotations

import re
import runpy
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _set_up_section() -> str:
    return README[README.index("## Set up") : README.index("## Layout")]


def test_every_place_that_names_the_python_version_says_3_11():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["requires-python"] == ">=3.11"
    assert pyproject["tool"]["ruff"]["target-version"] == "py311"
    assert "Python 3.11 or newer" in _set_up_section()
    assert "Python 3.11 or newer" in (ROOT / "requirements.txt").read_text(encoding="utf-8")
    for path in ("README.md", "Makefile", "pyproject.toml", "requirements.txt"):
        assert "3.10" not in (ROOT / path).read_text(encoding="utf-8"), path


def _fake_python(tmp_path: Path, version: str) -> tuple[Path, Path]:
    """A `python3` that reports `version` and notes whether it was asked to make a virtualenv."""
    asked = tmp_path / "asked-for-a-venv"
    fake = tmp_path / "python3"
    fake.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then touch {asked}; exit 1; fi\n'
        f"echo {version}\n"
    )
    fake.chmod(0o755)
    return fake, asked


def _make_venv(tmp_path: Path, fake: Path) -> subprocess.CompletedProcess:
    venv = tmp_path / "venv"
    return subprocess.run(
        ["make", "-s", "-C", str(ROOT), f"PYTHON={fake}", f"VENV={venv}", f"{venv}/bin/python"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_makefile_stops_an_older_python_before_making_a_virtualenv(tmp_path):
    fake, asked = _fake_python(tmp_path, "3.10")
    result = _make_venv(tmp_path, fake)
    assert result.returncode != 0
    assert "hipthrust needs Python 3.11 or newer" in result.stderr
    assert not asked.exists()
    assert not (tmp_path / "venv").exists()


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.14", "3.20"])
def test_the_makefile_makes_a_virtualenv_with_python_3_11_or_newer(tmp_path, version):
    fake, asked = _fake_python(tmp_path, version)
    result = _make_venv(tmp_path, fake)
    assert asked.exists(), result.stderr
    # The fake could not make one: nothing half-made is left for the next `make` to trust.
    assert not (tmp_path / "venv").exists()


def test_the_set_up_installs_every_system_package_ci_needs_in_one_line_before_the_commands():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    needed = set(re.findall(r"missing\+=\((?:\"\$pkg\"|([a-z0-9.+-]+))\)", ci)) - {""}
    needed |= set(re.search(r"for pkg in ([^;]+);", ci).group(1).split())
    needed.discard("postgresql-client")  # only CI's own PostgreSQL run needs psql
    section = _set_up_section()
    (install_line,) = [line for line in section.splitlines() if "apt-get install" in line]
    assert needed | {"python3-venv", "make"} <= set(install_line.split())
    assert section.index("apt-get install") < section.index("make run")
    assert re.search(r"about \d+ minutes", section)


def test_the_readme_runs_manage_py_through_the_projects_own_interpreter():
    bare = re.findall(r"(?<!\.venv/bin/)\bpython3? manage\.py", README)
    assert bare == []


def _variables_read() -> set[str]:
    settings = (ROOT / "hipthrust" / "settings.py").read_text(encoding="utf-8")
    gunicorn = (ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings))
    names |= set(re.findall(r'env=\s*"([A-Z_]+)"', settings))
    names |= set(re.findall(r"os\.environ\.get\('([A-Z_]+)'", gunicorn))
    names |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', gunicorn))
    return names


def test_every_variable_the_settings_and_gunicorn_read_is_in_the_configuration_table():
    table = README[README.index("## Configuration") : README.index("## Deployment")]
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", table))
    # The bench's bare view is switched on by bench/harness.py alone (bench/README.md).
    missing = _variables_read() - documented - {"HIPTHRUST_BENCH_VIEW"}
    assert "DJANGO_TIME_ZONE" in _variables_read()
    assert missing == set()


def test_gunicorn_listens_where_make_serve_says_unless_host_is_set(monkeypatch):
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == "127.0.0.1:8000"
    monkeypatch.setenv("HOST", "0.0.0.0")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == "0.0.0.0:8000"
    serve = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nserve:")[1].split("\n\n")[0]
    assert "HOST=" not in serve


def test_make_run_gives_the_local_server_as_the_sites_address_port_and_all():
    # Without it a public page kept for everyone names http://127.0.0.1/ in its canonical and
    # Open Graph links: it is made for the host without the port the client chose.
    env = {"PATH": "/usr/bin:/bin"}
    made = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    django = [line for line in made.stdout.splitlines() if "manage.py" in line]
    assert len(django) == 5
    assert all("DJANGO_SITE_URL=http://127.0.0.1:8123 " in line for line in django)
    assert django[-1].endswith("runserver 127.0.0.1:8123")
