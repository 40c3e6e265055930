"""Short videos made with PyAV inside the tests, so nothing is downloaded."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
from PIL import Image

# What a phone writes: where it was filmed (ISO 6709, as iPhones store it), and the device.
GPS = "+48.8577+002.2950+035.000/"
PHONE_TAGS = {"location": GPS, "com.apple.quicktime.location.ISO6709": GPS, "make": "Phone"}


def make_clip(
    path: Path,
    *,
    codec: str = "libx264",
    seconds: float = 1,
    size: tuple[int, int] = (160, 120),
    fps: int = 10,
    audio: bool = True,
    tags: dict[str, str] | None = None,
    rotation: int = 0,
) -> Path:
    """Frames that change colour each second, a silent audio track, phone-style tags.

    With `rotation` (counter-clockwise degrees, as PyAV and ffprobe give it: a phone held
    upright films -90) the stream carries that display matrix, and the frames' left half is
    red, so which way up a copy came out can be seen."""
    fmt = "webm" if codec in ("libvpx-vp9", "libvpx") else "mp4"
    with av.open(str(path), "w", format=fmt) as out:
        out.metadata.update(PHONE_TAGS if tags is None else tags)
        video = out.add_stream(codec, rate=fps)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        if rotation:
            video.set_display_rotation(rotation)
        if codec == "libx265":
            video.options = {"x265-params": "log-level=error"}
        sound = None
        if audio:
            sound = out.add_stream("aac" if fmt == "mp4" else "libopus", rate=48000, layout="mono")
        frames = round(seconds * fps)
        for index in range(frames):
            shade = (index * 255 // max(frames - 1, 1), 80, 255 - index * 255 // max(frames, 1))
            picture = Image.new("RGB", size, shade)
            if rotation:
                picture.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
            frame = av.VideoFrame.from_image(picture)
            frame.pts, frame.time_base = index, Fraction(1, fps)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if sound is not None:
            samples = round(seconds * 48000)
            step = 960
            for start in range(0, samples, step):
                count = min(step, samples - start)
                chunk = av.AudioFrame(format="s16", layout="mono", samples=count)
                chunk.planes[0].update(bytes(chunk.planes[0].buffer_size))
                chunk.sample_rate, chunk.pts, chunk.time_base = 48000, start, Fraction(1, 48000)
                out.mux(sound.encode(chunk))
            out.mux(sound.encode(None))
    return path
