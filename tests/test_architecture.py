"""Dependencies run one way: pure modules know nothing of Django, coaching nothing of training."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", ["coaching/tempo.py"])
def test_pure_domain_modules_import_nothing_from_django_or_the_apps(module):
    imported = _imports(REPO / module)
    assert not {
        name for name in imported if name.split(".")[0] in {"django", "coaching", "training"}
    }


def test_the_env_helpers_use_only_djangos_exception():
    imported = _imports(REPO / "hipthrust/env.py")
    assert {name for name in imported if name.startswith("django")} == {"django.core.exceptions"}


def test_coaching_never_imports_training():
    for path in (REPO / "coaching").rglob("*.py"):
        assert not {name for name in _imports(path) if name.split(".")[0] == "training"}, path
