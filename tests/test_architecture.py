"""Dependencies run one way, read from every module's imports (those inside functions too).

    hipthrust -> the apps -> core;  every app -> coaching (the guide);
    the domain apps: imports -> training,  videos -> coaches -> training;  nothing back.

Three pages read upward, and only models (READS_UP): a trainee's log shows what their coach
prescribed and noted and their videos (and the sets the timer logs, online or synced, take
the prescribed load), their level counts the form errors a coach tagged on those videos, and
the coach's queue lists the videos to review.

The pure modules know nothing of Django: the standard library, Pillow and each other only,
so they run without Django or a database.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("hipthrust", "core", "coaching", "training", "coaches", "videos", "imports")

# What each package may import of the project's packages (itself included).
MAY_IMPORT = {
    "hipthrust": set(PACKAGES),
    "imports": {"imports", "training", "coaching", "core"},
    "videos": {"videos", "coaches", "training", "coaching", "core"},
    "coaches": {"coaches", "training", "coaching", "core"},
    "training": {"training", "coaching", "core"},
    "coaching": {"coaching", "core"},
    "core": {"core"},
}
READS_UP = {
    "training.views": {"coaches.models"},
    "training.timer_keep": {"coaches.models"},
    "training.session_page": {"coaches.models", "videos.models"},
    "training.today_page": {"coaches.models", "videos.models"},
    "training.level": {"videos.models"},
    "coaches.views": {"videos.models"},
    "coaches.review_queue": {"videos.models"},
}

PURE = {
    "coaching.tempo",
    "coaching.pose",
    "coaching.drawing",
    "coaching.svg",
    "coaching.figures",
    "coaching.timer",
    "coaching.legs",
    "coaching.ours",
    "coaching.images",
    "coaching.raster",
    "training.units",
    "training.progression",
    "training.sides",
    "training.plausibility",
    "training.charts",
    "training.balance",
    "training.thinning",
    "core.icons",
    "videos.processing",
    "videos.pose_data",
    "videos.pose_estimation",
    "videos.clip_sight",
    "videos.form_analysis",
    "videos.timeline",
}
# Besides the standard library: Pillow, for the figures' PNGs and the photo checks, PyAV
# (FFmpeg) for the video checks, and the pose model (MediaPipe) with the arrays it takes
# (NumPy), for finding the person in a set video.
PURE_MAY_IMPORT = set(sys.stdlib_module_names) | {"PIL", "av", "mediapipe", "numpy"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path for package in PACKAGES for path in (REPO / package).rglob("*.py")
    }


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module `path` imports; `from a import b` counts as `a.b` when b is a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path.parent)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against this module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                names.add(submodule if submodule in modules else base)
    return names


def test_dependencies_point_one_way():
    modules = _modules()
    wrong = []
    for name, path in sorted(modules.items()):
        layer = name.split(".")[0]
        for imported in sorted(_imports(path, modules)):
            target = imported.split(".")[0]
            if imported in READS_UP.get(name, ()):
                continue
            if target in MAY_IMPORT and target not in MAY_IMPORT[layer]:
                wrong.append(f"{path.relative_to(REPO)} imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_the_pure_modules_import_nothing_from_django_or_the_apps():
    modules = _modules()
    assert set(modules) >= PURE
    wrong = []
    for name in sorted(PURE):
        for imported in sorted(_imports(modules[name], modules)):
            top = imported.split(".")[0]
            if imported not in PURE and (top in MAY_IMPORT or top not in PURE_MAY_IMPORT):
                wrong.append(f"{name} imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_the_env_helpers_use_only_djangos_exception():
    imported = _imports(REPO / "hipthrust/env.py", _modules())
    assert {name for name in imported if name.startswith("django")} == {"django.core.exceptions"}
