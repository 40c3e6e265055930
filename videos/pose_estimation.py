"""Find the person's body points in a set video: a clip in, `ClipLandmarks` out.

The model is MediaPipe's BlazePose (full, 33 landmarks) through its legacy
`mediapipe.solutions.pose`, whose two TFLite files ship inside the mediapipe wheel: it is
loaded from disk, nothing is downloaded (model_complexity=1 is the one that ships; 0 and 2
would be fetched at run time, so they are never asked for).

Frames are decoded with PyAV and turned upright by their display matrix (a phone filming
upright stores landscape frames), and sampled at up to ANALYSED_RATE a second; a clip larger
or longer than MAX_PIXEL_FRAMES allows is sampled more sparsely, so no clip holds the worker
longer than a 30 s 1080p one.

The detector's input is small (224 pixels), so a small figure in a tall frame is easily
missed when the whole frame is shrunk into it: the search also tries squares along the
frame's long side. Once found, the person is followed with BlazePose's own tracking (the
landmark model crops around its last landmarks at full resolution, scaled to fill its
256-pixel input, and detects again only when it loses them); see `_Tracker`.

The legacy solution reports at most one person and does not say how many it saw:
`people_seen` is 1 when anyone was found and 0 otherwise, never a count of several. Seen from
the side, it may give the working leg either name, left or right, and swap them between
frames: the rules must pick the working leg by how it moves, not by its name.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import av
import mediapipe
import numpy as np
from mediapipe.python.solutions import pose as mp_pose

from videos.pose_data import LANDMARK_NAMES, ClipLandmarks, Landmark, PoseFrame

MODEL = "MediaPipe BlazePose full (legacy solutions.pose)"
MODEL_VERSION = mediapipe.__version__
# Ours: at most this many frames a second are analysed: a rep's phases last a second or
# more, and 15 a second times them to a fifteenth of a second.
ANALYSED_RATE = 15.0
# Ours: the work one clip's analysis may take, as pixels x frames analysed: a 30 s 1080p
# clip at ANALYSED_RATE (18 s on the 2-core reference machine, decoding included; see
# bench/pose_estimation.py). A larger or longer clip is sampled more sparsely.
MAX_PIXEL_FRAMES = 1920 * 1080 * 30 * int(ANALYSED_RATE)
# Ours: while no one is found, the squares along the frame's long side are searched at most
# this often (seconds of clip); the whole frame is tried on every sampled frame.
SEARCH_INTERVAL = 0.5
# Twice the landmark model's input side: a square larger than this is thinned to it.
MODEL_SIDE = 512

_INDEX = {name: mp_pose.PoseLandmark[name.upper()].value for name in LANDMARK_NAMES}


def analysed_rate(
    width: int, height: int, duration: float, fps: float, max_pixel_frames: int = MAX_PIXEL_FRAMES
) -> float:
    """Frames a second to analyse so that the clip's work stays within `max_pixel_frames`."""
    pixel_seconds = max(width * height * duration, 1)
    return min(ANALYSED_RATE, fps or ANALYSED_RATE, max_pixel_frames / pixel_seconds)


def landmarks_of_clip(
    path: Path,
    *,
    max_pixel_frames: int = MAX_PIXEL_FRAMES,
    rate: float = ANALYSED_RATE,
    min_confidence: float = 0.5,
) -> ClipLandmarks:
    """The landmarks of the frames sampled from the clip at `path`, in pixels of the upright
    frame; a frame where no one was found has none. Raises av.FFmpegError for a file that
    does not decode.

    Every frame is decoded (a phone's H.264 or HEVC cannot skip), which the upload's own
    budget (videos/processing.py) already bounds; the analysed ones, the costly part, are at
    most `max_pixel_frames` / the frame's pixels, whatever the container claims."""
    with (
        av.open(str(path), metadata_errors="ignore") as container,
        _models(min_confidence) as models,
    ):
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        width, height = stream.codec_context.width, stream.codec_context.height
        duration = _duration(container, stream)
        fps = float(stream.average_rate or stream.guessed_rate or 30)
        step = 1 / min(rate, analysed_rate(width, height, duration, fps, max_pixel_frames))
        frames: list[PoseFrame] = []
        tracker = _Tracker(*models)
        upright_size = (width, height)
        next_time, spent = 0.0, 0
        for frame in container.decode(stream):
            time = _seconds(frame, stream)
            if time + 1e-6 < next_time:
                continue
            if spent + width * height > max_pixel_frames:
                break
            spent += width * height
            # The next sample is on the grid of `step`, so a rate that does not divide the
            # clip's own keeps its average.
            next_time = (math.floor(time / step + 1e-6) + 1) * step
            picture = _upright(frame)
            upright_size = (picture.shape[1], picture.shape[0])
            frames.append(PoseFrame(time=time, landmarks=tracker.find(picture, time)))
        found = any(frame.landmarks for frame in frames)
    return ClipLandmarks(
        width=upright_size[0],
        height=upright_size[1],
        duration=duration,
        frames=tuple(frames),
        model=MODEL,
        model_version=MODEL_VERSION,
        people_seen=1 if found else 0,
    )


@contextmanager
def _models(min_confidence: float) -> Iterator[tuple[mp_pose.Pose, mp_pose.Pose]]:
    """Two instances of the model: one that searches (it detects afresh in each picture it is
    given), and one that follows (it places its next crop from the landmarks it last found,
    detecting only when it loses them: BlazePose's own tracking)."""
    options = {"model_complexity": 1, "enable_segmentation": False}
    with (
        mp_pose.Pose(
            static_image_mode=True, min_detection_confidence=min_confidence, **options
        ) as search,
        mp_pose.Pose(
            static_image_mode=False,
            smooth_landmarks=False,  # the rules smooth; the raw series is what was seen
            min_detection_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
            **options,
        ) as follow,
    ):
        yield search, follow


class _Tracker:
    """Finds the person in successive frames.

    The detector sees the picture shrunk to 224 pixels, where a small figure in a tall frame
    is a few pixels thick and is often missed; the landmark model, once it has the person,
    crops around them at full resolution itself. So the search tries the whole frame, then
    squares along its long side (where the figure is larger), and the square where the
    person was found is handed, frame after frame, to the instance that follows them, until
    it loses them and the search starts again.
    """

    def __init__(self, search: mp_pose.Pose, follow: mp_pose.Pose) -> None:
        self.search = search
        self.follow = follow
        self.region: tuple[int, int, int] | None = None  # left, top, side of the square
        self.next_search = 0.0  # clip time from which the squares may be searched again

    def find(self, picture: np.ndarray, time: float) -> dict[str, Landmark]:
        points = None
        if self.region is not None:
            points = _run(self.follow, picture, self.region)
        if points is None:
            self.region = None
            regions = list(_search_regions(picture))
            if time < self.next_search:
                # Between two full searches only the whole frame is tried, so a clip where
                # the person cannot be followed costs at most about two calls a frame.
                regions = regions[:1]
            else:
                self.next_search = time + SEARCH_INTERVAL
            for region in regions:
                points = _run(self.search, picture, region)
                if points is not None:
                    self.region = region
                    self.follow.reset()  # what it followed was in another square
                    # The detector's box places the body roughly; the landmark model's
                    # second look, cropped around its own first landmarks, places it well.
                    for _ in range(2):
                        points = _run(self.follow, picture, region) or points
                    break
        if points is None:
            return {}
        return {
            name: Landmark(
                x=float(points[i][0]), y=float(points[i][1]), visibility=float(points[i][2])
            )
            for name, i in _INDEX.items()
        }


def _search_regions(picture: np.ndarray) -> Iterator[tuple[int, int, int]]:
    height, width = picture.shape[:2]
    short, long = min(width, height), max(width, height)
    # The whole frame, letterboxed (centred, as the model's own letterboxing does).
    yield (0, (height - long) // 2, long) if width >= height else ((width - long) // 2, 0, long)
    if long > short * 1.2:
        # Overlapping squares along the long side, where a small figure fills more of the
        # detector's input.
        count = math.ceil(long / short) + 1
        for index in range(count):
            offset = round(index * (long - short) / (count - 1))
            yield (offset, 0, short) if width > height else (0, offset, short)


def _run(model: mp_pose.Pose, picture: np.ndarray, region: tuple[int, int, int]):
    """The 33 landmarks (x, y, visibility; x and y in frame pixels) the model finds in the
    square region, or None."""
    left, top, side = region
    # The model works on 256 pixels at most: a square over twice that is thinned first,
    # which saves copying and resizing pixels it would not use.
    stride = max(1, side // MODEL_SIDE)
    result = model.process(_square(picture, left, top, side, stride))
    if result.pose_landmarks is None:
        return None
    return [
        (left + point.x * side, top + point.y * side, point.visibility)
        for point in result.pose_landmarks.landmark
    ]


def _square(picture: np.ndarray, left: int, top: int, side: int, stride: int) -> np.ndarray:
    """The square of `side` pixels at (left, top), every `stride`th pixel, as one contiguous
    array; what falls outside the frame is black."""
    height, width = picture.shape[:2]
    out = np.zeros((-(-side // stride), -(-side // stride), 3), dtype=np.uint8)
    x0, y0 = max(left, 0), max(top, 0)
    x1, y1 = min(left + side, width), min(top + side, height)
    if x1 > x0 and y1 > y0:
        part = picture[y0:y1:stride, x0:x1:stride]
        row, column = (y0 - top) // stride, (x0 - left) // stride
        out[row : row + part.shape[0], column : column + part.shape[1]] = part
    return out


def _upright(frame: av.VideoFrame) -> np.ndarray:
    """The frame's RGB pixels turned as its display matrix says (PyAV gives counter-clockwise
    degrees; np.rot90 also turns counter-clockwise)."""
    quarter_turns = round((frame.rotation or 0) / 90) % 4
    # A view: only the squares cut from it are copied.
    return np.rot90(frame.to_ndarray(format="rgb24"), quarter_turns)


def _seconds(frame: av.VideoFrame, stream) -> float:
    if frame.time is None:
        return 0.0
    return max(float(frame.time - float((stream.start_time or 0) * stream.time_base)), 0.0)


def _duration(container, stream) -> float:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / av.time_base
    return 0.0
