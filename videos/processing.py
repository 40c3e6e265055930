"""Set videos: check what an upload is, strip it, make its poster and a web-playable copy.

Plain PyAV (FFmpeg's libraries, shipped in its wheels) and Pillow, so it runs without Django.
`probe` is cheap enough for the upload request: it reads the container, demuxes packets
without decoding them (to count frames and measure the length whatever the header claims)
and decodes one frame. `process` is the slow part and runs in the background job.

Each job has a budget of worker time, JOB_SECONDS of one core. Its work is decoding, which
grows with pixels x frames decoded: the rendition decodes every frame, a clip without one only
its first second or so, for the poster. `probe` estimates that from the packets, before a
single frame is decoded, and refuses a clip over the budget (a 4096 x 4096 clip filmed at 240
frames per second is over it after two seconds); a job still running at twice its budget, the
estimate being wrong for this footage or this machine, is stopped and the clip refused.

A file is judged by its bytes, never its name: the container must announce itself at the
start (an ISO-BMFF `ftyp` box or Matroska's EBML header), FFmpeg must read it as MP4/MOV or
Matroska/WebM, and it must hold a video stream in a codec phones and browsers record whose
first frame decodes. Anything else, a picture or a script that happens to contain a video
(a polyglot) included, is refused.
"""

from __future__ import annotations

import dataclasses
import io
import math
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

import av
import av.filter
from PIL import Image

MAX_BYTES = 200 * 1024 * 1024
MAX_SECONDS = 60
# 4K from a phone, sideways or not; nothing filmed on a phone is larger.
MAX_SIDE = 4096
MIN_SIDE = 16
# 240 fps slow motion for the whole minute.
MAX_FRAMES = MAX_SECONDS * 240
# The rendition: the shorter side at most 720 pixels (720p), H.264 High and AAC.
RENDITION_SHORT_SIDE = 720
# Above these an original is "too large" to send to a phone as it is.
PLAYABLE_MAX_SHORT_SIDE = 1080
PLAYABLE_MAX_BITRATE = 10_000_000
POSTER_WIDTH = 1280
# Ours: what a poster is counted as against the quota before it is made (a phone's frame at
# POSTER_WIDTH, JPEG at quality 80, takes about 50 to 200 KB).
POSTER_ESTIMATE_BYTES = 256 * 1024
# The poster is the frame about this far in: a clip without a rendition decodes this much.
POSTER_SECONDS = 1.0
# Ours: the worker time one video's job may take, and what one core decodes, scales and
# encodes per second as pixels x frames (measured on the 2-core reference machine for the
# rendition path, about 270 million, halved for footage harder to decode than ours).
JOB_SECONDS = 60
PIXEL_FRAMES_PER_SECOND = 150_000_000
MAX_PIXEL_FRAMES = JOB_SECONDS * PIXEL_FRAMES_PER_SECOND

_FAMILIES = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "webm"}
_VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1"}
# What plays in every current browser without a rendition, per container family.
_PLAYABLE = {
    "mp4": ({"h264"}, {"aac"}),
    "webm": ({"vp8", "vp9"}, {"opus", "vorbis"}),
}
_EBML = b"\x1a\x45\xdf\xa3"

ACCEPTED = "a video from your phone (MP4, MOV or WebM)"
NOT_A_VIDEO = f"This file is not a video we can read; upload {ACCEPTED}."
EMPTY = f"The file is empty; upload {ACCEPTED}."
DAMAGED = "The video is incomplete or damaged; record or export it again and upload the new file."


class VideoRejected(ValueError):
    """An upload we will not keep; ``str(error)`` is a sentence to show the athlete."""


@dataclass(frozen=True)
class Probe:
    family: str  # "mp4" or "webm": the container the stripped copy is written in
    video_codec: str
    audio_codec: str | None
    width: int
    height: int
    seconds: float
    frames: int
    size: int
    # Clockwise degrees to turn the frames upright (0, 90, 180 or 270): phones film portrait
    # as landscape frames with a display matrix saying so.
    rotation: int = 0

    @property
    def display_width(self) -> int:
        return self.height if self.rotation in (90, 270) else self.width

    @property
    def display_height(self) -> int:
        return self.width if self.rotation in (90, 270) else self.height

    @property
    def needs_rendition(self) -> bool:
        """HEVC (or anything else not every browser plays), or too big for a phone."""
        video_codecs, audio_codecs = _PLAYABLE[self.family]
        playable = self.video_codec in video_codecs and self.audio_codec in audio_codecs | {None}
        bitrate = self.size * 8 / self.seconds if self.seconds else 0
        return (
            not playable
            or min(self.width, self.height) > PLAYABLE_MAX_SHORT_SIDE
            or bitrate > PLAYABLE_MAX_BITRATE
        )

    @property
    def stored_estimate(self) -> int:
        """What the clip takes once processed, as the quota counts it from its upload until
        then: the original, a poster, and a web copy counted as large as the original (ours:
        at most 720p, a copy is usually smaller than the clip that needs one)."""
        return self.size + POSTER_ESTIMATE_BYTES + (self.size if self.needs_rendition else 0)

    @property
    def frame_rate(self) -> float:
        return self.frames / self.seconds if self.seconds else float(self.frames)

    @property
    def decoded_frames(self) -> int:
        """Frames the job decodes: all of them for a rendition, else those up to the poster."""
        if self.needs_rendition:
            return self.frames
        return min(self.frames, math.ceil(self.frame_rate * POSTER_SECONDS) + 1)

    @property
    def work(self) -> int:
        """The job's decoding, in pixels x frames: what its worker time grows with."""
        return self.width * self.height * self.decoded_frames


@dataclass(frozen=True)
class Processed:
    original: Path  # the streams as recorded, without any metadata
    original_type: str
    poster: bytes  # JPEG
    rendition: Path | None  # H.264/AAC MP4, when the original needs one


def describe_bytes(count: int) -> str:
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if count >= size:
            return f"{count / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count:,} bytes"


def check_size(size: int, max_bytes: int = MAX_BYTES) -> None:
    if size <= 0:
        raise VideoRejected(EMPTY)
    if size > max_bytes:
        raise VideoRejected(
            f"The video is {describe_bytes(size)}; the limit is {describe_bytes(max_bytes)}."
        )


def probe(fileobj: BinaryIO, size: int, *, max_bytes: int = MAX_BYTES) -> Probe:
    """Check an upload; raises `VideoRejected`, and nothing else, for what is wrong with it."""
    check_size(size, max_bytes)
    fileobj.seek(0)
    head = fileobj.read(12)
    fileobj.seek(0)
    if head[4:8] != b"ftyp" and not head.startswith(_EBML):
        raise VideoRejected(NOT_A_VIDEO)
    try:
        container = av.open(fileobj, "r", metadata_errors="ignore")
    except (av.FFmpegError, ValueError, OSError) as error:
        raise VideoRejected(DAMAGED) from error
    with container:
        family = _FAMILIES.get(container.format.name)
        if family is None or not container.streams.video:
            raise VideoRejected(NOT_A_VIDEO)
        stream = container.streams.video[0]
        codec = stream.codec_context.name
        if codec not in _VIDEO_CODECS:
            raise VideoRejected(
                f"The video is in {codec.upper()}, which we can't use; "
                "phones record H.264, HEVC, VP8, VP9 or AV1."
            )
        width, height = stream.codec_context.width, stream.codec_context.height
        if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
            raise VideoRejected(
                f"The video is {width} × {height} pixels; "
                f"each side must be between {MIN_SIDE} and {MAX_SIDE:,}."
            )
        frames, seconds = _count(container, stream)
        audio = container.streams.audio[0].codec_context.name if container.streams.audio else None
        info = Probe(family, codec, audio, width, height, seconds, frames, size)
        check_work(info)
        info = dataclasses.replace(info, rotation=_first_frame_turn(container, stream))
    fileobj.seek(0)
    return info


def check_work(info: Probe) -> None:
    """Refuse a clip whose job would decode more than the budget allows."""
    if info.work <= MAX_PIXEL_FRAMES:
        return
    length = f"{info.seconds:.1f}".removesuffix(".0")
    fits = math.floor(MAX_PIXEL_FRAMES / (info.width * info.height * max(info.frame_rate, 1)))
    raise VideoRejected(
        f"The video is {info.width} × {info.height} pixels at {round(info.frame_rate)} frames "
        f"per second for {length} s: more than we can process in the {JOB_SECONDS} s of work "
        f"each video may take. At this size and frame rate we take {fits} s; trim it to the "
        "set, or film at 1080p, or at 60 frames per second or fewer."
    )


def over_time() -> VideoRejected:
    return VideoRejected(
        f"Processing this video took longer than the {JOB_SECONDS * 2} s a video may take, so "
        "we stopped; trim it to the set, or film at 1080p or at fewer frames per second, and "
        "upload it again."
    )


def _count(container, stream) -> tuple[int, float]:
    """Frames and length as the packets say, stopping as soon as either is over its limit;
    nothing is decoded."""
    frames, end = 0, 0
    try:
        for packet in container.demux(stream):
            if packet.size == 0:
                continue
            frames += 1
            if packet.pts is not None:
                end = max(end, packet.pts + (packet.duration or 0))
            seconds = float((end - (stream.start_time or 0)) * stream.time_base)
            if seconds > MAX_SECONDS + 0.5:
                raise VideoRejected(
                    f"The video is longer than {MAX_SECONDS} seconds; trim it to the set "
                    "and upload it again."
                )
            if frames > MAX_FRAMES:
                raise VideoRejected(
                    f"The video has more than {MAX_FRAMES:,} frames; the limit is "
                    f"{MAX_SECONDS} seconds at 240 frames per second."
                )
        if frames == 0:
            raise VideoRejected(f"The video has no frames; upload {ACCEPTED}.")
    except VideoRejected:
        raise
    except (av.FFmpegError, ValueError) as error:
        raise VideoRejected(DAMAGED) from error
    return frames, float((end - (stream.start_time or 0)) * stream.time_base)


def _first_frame_turn(container, stream) -> int:
    """The first frame must decode, and says how the clip is turned."""
    try:
        container.seek(0, stream=stream)
        first = next(container.decode(stream))
    except (av.FFmpegError, StopIteration, ValueError) as error:
        raise VideoRejected(DAMAGED) from error
    return _turn(first)


def _turn(frame) -> int:
    """Clockwise degrees from the frame's display matrix (PyAV gives counter-clockwise);
    a matrix that is not a quarter turn is taken as none."""
    degrees = round(-(frame.rotation or 0)) % 360
    return degrees if degrees in (90, 180, 270) else 0


def process(source: Path, folder: Path, info: Probe) -> Processed:
    """Write the stripped original, the poster and (when needed) the rendition into `folder`;
    a rendition still being made at twice the job's budget is given up (VideoRejected)."""
    original = folder / f"original.{info.family}"
    _remux_without_metadata(source, original, info.family)
    rendition = None
    if info.needs_rendition:
        rendition = folder / "rendition.mp4"
        transcode(source, rendition, info.rotation, stop_at=time.monotonic() + 2 * JOB_SECONDS)
    return Processed(
        original=original,
        original_type=f"video/{info.family}",
        poster=poster(source),
        rendition=rendition,
    )


def _open_output(path: Path, family: str):
    # faststart puts the index first, so playback starts before the whole file arrives.
    options = {"movflags": "+faststart"} if family == "mp4" else {}
    return av.open(str(path), "w", format=family, options=options)


def _remux_without_metadata(source: Path, target: Path, family: str) -> None:
    """The first video and audio streams, packet for packet; no container or stream tags, and
    no other streams (phones keep location in metadata tracks too)."""
    with av.open(str(source), metadata_errors="ignore") as inp, _open_output(target, family) as out:
        streams = [inp.streams.video[0], *inp.streams.audio[:1]]
        outputs = {}
        for stream in streams:
            copied = out.add_stream_from_template(stream)
            copied.metadata.clear()
            outputs[stream.index] = copied
        out.metadata.clear()
        for packet in inp.demux(*streams):
            if packet.dts is None:  # the demuxer's flush packets
                continue
            packet.stream = outputs[packet.stream_index]
            out.mux(packet)


def transcode(source: Path, target: Path, rotation: int = 0, *, stop_at: float = math.inf) -> None:
    """H.264/AAC MP4, the shorter side at most RENDITION_SHORT_SIDE, no metadata; frames
    turned upright, so the copy carries no display matrix for a player to get wrong. Past
    `stop_at` (time.monotonic()) it gives up: `over_time`."""
    with av.open(str(source), metadata_errors="ignore") as inp, _open_output(target, "mp4") as out:
        vin = inp.streams.video[0]
        upright = _rotator(vin, rotation)
        sides = (vin.codec_context.width, vin.codec_context.height)
        width, height = _fit(*(sides[::-1] if rotation in (90, 270) else sides))
        rate = vin.average_rate or vin.guessed_rate or Fraction(30)
        vout = out.add_stream("libx264", rate=rate)
        vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
        vout.codec_context.time_base = vin.time_base
        vout.options = {"preset": "veryfast", "crf": "23", "profile": "high"}
        streams = [vin]
        aout = None
        if inp.streams.audio:
            ain = inp.streams.audio[0]
            streams.append(ain)
            aout = out.add_stream("aac", rate=48000, layout="stereo")
            aout.bit_rate = 128_000
            resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000)
            fifo = av.AudioFifo()
        out.metadata.clear()
        for packet in inp.demux(*streams):
            for frame in packet.decode():
                if packet.stream.type == "video":
                    if time.monotonic() > stop_at:
                        raise over_time()
                    if upright is not None:
                        upright.push(frame)
                        frame = upright.pull()
                    scaled = frame.reformat(width=width, height=height, format="yuv420p")
                    scaled.pts, scaled.time_base = frame.pts, frame.time_base
                    out.mux(vout.encode(scaled))
                else:
                    for resampled in resampler.resample(frame):
                        fifo.write(resampled)
                    while chunk := fifo.read(aout.codec_context.frame_size):
                        out.mux(aout.encode(chunk))
        out.mux(vout.encode(None))
        if aout is not None:
            if rest := fifo.read():
                out.mux(aout.encode(rest))
            out.mux(aout.encode(None))


_TURNS = {
    90: [("transpose", "clock")],
    180: [("hflip", None), ("vflip", None)],
    270: [("transpose", "cclock")],
}


def _rotator(stream, rotation: int):
    """A filter graph turning the stream's frames `rotation` degrees clockwise, or None."""
    if not rotation:
        return None
    graph = av.filter.Graph()
    last = graph.add_buffer(template=stream)
    for name, args in _TURNS[rotation]:
        node = graph.add(name, args)
        last.link_to(node)
        last = node
    last.link_to(graph.add("buffersink"))
    graph.configure()
    return graph


def _fit(width: int, height: int) -> tuple[int, int]:
    scale = min(1, RENDITION_SHORT_SIDE / min(width, height))
    # H.264 in 4:2:0 needs even sides.
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


_PIL_TURNS = {
    90: Image.Transpose.ROTATE_270,  # Pillow's turns are counter-clockwise
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def poster(source: Path) -> bytes:
    """A JPEG of the frame about a second in (the first frame is often the phone being set
    down), made afresh by Pillow so it carries nothing but pixels."""
    with av.open(str(source), metadata_errors="ignore") as inp:
        stream = inp.streams.video[0]
        chosen = None
        for frame in inp.decode(stream):
            chosen = frame
            if frame.time is not None and frame.time >= POSTER_SECONDS:
                break
        if chosen is None:
            raise VideoRejected(DAMAGED)
        picture = chosen.to_image().convert("RGB")
        # A JPEG has no display matrix: the pixels themselves are turned.
        if turn := _PIL_TURNS.get(_turn(chosen)):
            picture = picture.transpose(turn)
    picture.thumbnail((POSTER_WIDTH, POSTER_WIDTH))
    fresh = Image.new("RGB", picture.size)
    fresh.paste(picture)
    buffer = io.BytesIO()
    fresh.save(buffer, "JPEG", quality=80, optimize=True, progressive=True)
    return buffer.getvalue()
