"""Times videos/processing.py on a 30 s 1080p clip (HEVC as an iPhone records it, then H.264),
made here with PyAV: probe, and process (stripped copy, poster, 720p H.264 rendition).
Run: .venv/bin/python bench/video_processing.py"""

import argparse
import sys
import tempfile
import time

sys.path.insert(0, ".")
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageChops

from videos import processing

argparse.ArgumentParser(description=__doc__).parse_args()  # no options; --help says what it does
d = Path(tempfile.mkdtemp(prefix="video-bench-"))


def make(path, codec):
    base = Image.merge(
        "RGB", [Image.effect_noise((1920, 1080), s).convert("L") for s in (30, 50, 70)]
    )
    grad = Image.linear_gradient("L").resize((1920, 1080)).convert("RGB")
    base = Image.blend(base, grad, 0.6)
    with av.open(str(path), "w", format="mp4") as out:
        out.metadata["location"] = "+48.8577+002.2950/"
        v = out.add_stream(codec, rate=30)
        v.width, v.height, v.pix_fmt = 1920, 1080, "yuv420p"
        v.options = (
            {"preset": "ultrafast", "crf": "20"}
            if codec == "libx264"
            else {"preset": "ultrafast", "crf": "22", "x265-params": "log-level=error"}
        )
        a = out.add_stream("aac", rate=48000, layout="stereo")
        for i in range(900):
            f = av.VideoFrame.from_image(ImageChops.offset(base, i * 7, i * 3))
            f.pts, f.time_base = i, Fraction(1, 30)
            out.mux(v.encode(f))
        out.mux(v.encode(None))
        for start in range(0, 30 * 48000, 1024):
            c = av.AudioFrame(format="fltp", layout="stereo", samples=1024)
            for p in c.planes:
                p.update(bytes(p.buffer_size))
            c.sample_rate, c.pts, c.time_base = 48000, start, Fraction(1, 48000)
            out.mux(a.encode(c))
        out.mux(a.encode(None))


for codec in ("libx265", "libx264"):
    src = d / f"src-{codec}.mp4"
    t = time.time()
    make(src, codec)
    print(codec, "made in", round(time.time() - t, 1), "s", src.stat().st_size)
    with src.open("rb") as f:
        t = time.time()
        info = processing.probe(f, src.stat().st_size)
        print(" probe", round(time.time() - t, 2), "s", info, info.needs_rendition)
    out = d / codec
    out.mkdir(exist_ok=True)
    t = time.time()
    r = processing.process(src, out, info)
    took = time.time() - t
    print(
        " process",
        round(took, 1),
        "s; original",
        r.original.stat().st_size,
        "poster",
        len(r.poster),
        "rendition",
        r.rendition and r.rendition.stat().st_size,
    )
