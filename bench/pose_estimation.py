"""Measures videos/pose_estimation.py on drawn hip-thrust clips (tests/videos/rendered_clips.py)
against the joints they were drawn from: how often the person is found, how far the landmarks
are from the drawn shoulder, hip, knee and ankle (as a share of the frame's diagonal), the
time per analysed frame, and a 30 s 1080p clip's time and peak memory in a process of its own.
Results go to bench/results/pose_estimation.{json,md}.
Run: .venv/bin/python bench/pose_estimation.py [--quick]"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.videos.rendered_clips import ClipSpec, render_clip
from videos.pose_estimation import landmarks_of_clip

RESULTS = Path(__file__).resolve().parent / "results"
JOINTS = ("shoulder", "hip", "knee", "ankle")
SIDES = ("left", "right")

CLIPS = [
    ClipSpec(size=(1280, 720), fps=30, tempo="2-1-2-1", reps=2, facing="right", seed=1),
    ClipSpec(size=(1280, 720), fps=24, tempo="3-0-1-0", reps=2, facing="left", seed=2),
    ClipSpec(size=(1280, 720), fps=60, tempo="1-0-1-0", reps=3, facing="right", seed=3),
    ClipSpec(size=(1920, 1080), fps=30, tempo="4-1-2-3", reps=1, facing="left", seed=4),
    ClipSpec(size=(1920, 1080), fps=24, tempo="2-0-2-0", reps=2, facing="right", seed=5,
             bounced=frozenset({1, 2})),
    ClipSpec(size=(1920, 1080), fps=60, tempo="2-1-1-1", reps=2, facing="left", seed=6,
             short_tops=frozenset({2})),
    ClipSpec(size=(720, 1280), fps=30, tempo="2-1-2-1", reps=2, facing="left", seed=7,
             display_rotation=True),
    ClipSpec(size=(720, 1280), fps=24, tempo="3-1-1-2", reps=2, facing="right", seed=8,
             display_rotation=True, arched_tops=frozenset({1, 2})),
    ClipSpec(size=(1080, 1920), fps=30, tempo="1-0-1-0", reps=3, facing="right", seed=9,
             display_rotation=True),
    ClipSpec(size=(1080, 1920), fps=60, tempo="2-0-2-1", reps=2, facing="left", seed=10,
             display_rotation=True, bounced=frozenset({2})),
    ClipSpec(size=(1080, 1920), fps=24, tempo="3-1-2-1", reps=1, facing="right", seed=11,
             display_rotation=True),
    ClipSpec(size=(1920, 1080), fps=30, tempo="2-1-2-1", reps=2, facing="right", seed=12,
             fill=0.5),
]  # fmt: skip

REFERENCE = ClipSpec(size=(1920, 1080), fps=30, tempo="3-1-2-1", reps=4, facing="right", seed=7)


def _distance(landmark, point) -> float:
    return math.dist((landmark.x, landmark.y), point)


def _measure(spec: ClipSpec, folder: Path) -> dict:
    clip = render_clip(folder / "clip.mp4", spec)
    started, cpu = time.perf_counter(), time.process_time()
    result = landmarks_of_clip(clip.path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    diagonal = math.hypot(result.width, result.height)
    found = [frame for frame in result.frames if frame.landmarks]
    nearest = {joint: [] for joint in JOINTS}
    named = {joint: [] for joint in ("knee", "ankle")}
    named_right = 0
    for frame in found:
        drawn = clip.joints_at(frame.time)
        for joint in JOINTS:
            distances = [_distance(frame.landmarks[f"{s}_{joint}"], drawn[joint]) for s in SIDES]
            nearest[joint].append(min(distances) / diagonal * 100)
        # The working leg by its anatomical name (the side nearer the camera).
        side = clip.working_side
        for joint in named:
            named[joint].append(
                _distance(frame.landmarks[f"{side}_{joint}"], drawn[joint]) / diagonal * 100
            )
        other = "left" if side == "right" else "right"
        own = _distance(frame.landmarks[f"{side}_ankle"], drawn["ankle"])
        named_right += own <= _distance(frame.landmarks[f"{other}_ankle"], drawn["ankle"])

    def summary(values: list[float]) -> dict:
        if not values:
            return {}
        ordered = sorted(values)
        return {
            "mean": round(statistics.fmean(values), 2),
            "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
            "within_4pct": round(sum(v < 4 for v in values) / len(values), 3),
        }

    return {
        "clip": _describe(spec),
        "duration": round(result.duration, 2),
        "analysed": len(result.frames),
        "found": round(len(found) / max(len(result.frames), 1), 3),
        "seconds": round(seconds, 2),
        "ms_per_frame": round(seconds / max(len(result.frames), 1) * 1000, 1),
        # CPU time of all the process's threads: what a loaded machine does not inflate.
        "cpu_ms_per_frame": round(cpu / max(len(result.frames), 1) * 1000, 1),
        "nearest_side": {joint: summary(values) for joint, values in nearest.items()},
        "working_leg_by_name": {joint: summary(values) for joint, values in named.items()},
        "working_leg_named_right": round(named_right / max(len(found), 1), 3),
    }


def _describe(spec: ClipSpec) -> str:
    w, h = spec.size
    extras = [
        name
        for name, reps in (("bounced", spec.bounced), ("short", spec.short_tops),
                           ("arched", spec.arched_tops))
        if reps
    ]  # fmt: skip
    turned = " (display matrix)" if spec.display_rotation else ""
    small = f" fill {spec.fill}" if spec.fill != ClipSpec().fill else ""
    return (
        f"{w}x{h}{turned} {spec.fps} fps {spec.tempo} x{spec.reps} facing {spec.facing}"
        f"{small} seed {spec.seed}" + (f" [{', '.join(extras)}]" if extras else "")
    )


CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from videos.pose_estimation import landmarks_of_clip
started, cpu = time.perf_counter(), time.process_time()
result = landmarks_of_clip(Path({path!r}))
print(json.dumps({{
    "seconds": time.perf_counter() - started,
    "cpu_seconds": time.process_time() - cpu,
    "analysed": len(result.frames),
    "found": sum(1 for f in result.frames if f.landmarks),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}}))
"""


def _reference(folder: Path) -> dict:
    """The budget's clip, analysed in a process of its own, so its peak memory is its own."""
    clip = render_clip(folder / "reference.mp4", REFERENCE)
    root = str(Path(__file__).resolve().parents[1])
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=root, path=str(clip.path))],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    numbers = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "clip": _describe(REFERENCE),
        "duration": clip.duration,
        "analysis_seconds": round(numbers["seconds"], 1),
        "analysis_cpu_seconds": round(numbers["cpu_seconds"], 1),
        "process_seconds": round(wall, 1),  # with Python, MediaPipe and the model loading
        "analysed": numbers["analysed"],
        "found": numbers["found"],
        "peak_mb": round(numbers["peak_mb"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="three clips and no reference")
    options = parser.parse_args()
    clips = CLIPS[:: len(CLIPS) // 3] if options.quick else CLIPS
    rows = []
    with tempfile.TemporaryDirectory(prefix="pose-bench-") as folder:
        for spec in clips:
            row = _measure(spec, Path(folder))
            rows.append(row)
            print(json.dumps(row), flush=True)
        reference = None if options.quick else _reference(Path(folder))
    if reference:
        print(json.dumps(reference))
    if options.quick:
        return
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pose_estimation.json").write_text(
        json.dumps({"clips": rows, "reference": reference}, indent=2) + "\n"
    )
    (RESULTS / "pose_estimation.md").write_text(_table(rows, reference))


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _table(rows: list[dict], reference: dict) -> str:
    lines = [
        "# Pose estimation on drawn clips (bench/pose_estimation.py)",
        "",
        "Errors are distances from the drawn joint as % of the frame's diagonal (mean / p95),",
        "taking the nearer of the model's left and right landmark; 'named' is the share of",
        "frames where the model gave the working leg its anatomical name.",
        "",
        "| clip | analysed | found | ms/frame (CPU) | shoulder | hip | knee | ankle | named |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [
            f"{row['nearest_side'][j]['mean']} / {row['nearest_side'][j]['p95']}"
            if row["nearest_side"][j]
            else "-"
            for j in JOINTS
        ]
        lines.append(
            f"| {row['clip']} | {row['analysed']} | {row['found']:.0%} | {row['ms_per_frame']} "
            f"({row['cpu_ms_per_frame']}) | "
            + " | ".join(cells)
            + f" | {row['working_leg_named_right']:.0%} |"
        )
    lines += [
        "",
        f"Reference ({reference['clip']}, {reference['duration']} s): {reference['analysed']} "
        f"frames analysed, {reference['found']} with the person, "
        f"{reference['analysis_seconds']} s analysis ({reference['analysis_cpu_seconds']} s of "
        f"CPU; {reference['process_seconds']} s for the whole process, loading included), peak "
        f"memory {reference['peak_mb']} MB. Load average when run: {_load()}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
