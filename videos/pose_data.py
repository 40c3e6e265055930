"""What the camera work passes between its parts: landmarks in, a per-rep report out.

The pose model (videos/pose_estimation.py) turns a clip into `ClipLandmarks`; the rules
(videos/form_analysis.py) turn those into a `FormAnalysis`; the job stores
`FormAnalysis.as_json()`. Plain Python: no Django, no model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# The landmarks the rules read, named as BlazePose names them; `left_`/`right_` are the
# person's own sides, whatever way they face the camera.
JOINTS = ("shoulder", "hip", "knee", "ankle", "heel", "foot_index", "ear")
LANDMARK_NAMES = (
    *(f"{side}_{joint}" for side in ("left", "right") for joint in JOINTS),
    "nose",
)


@dataclass(frozen=True)
class Landmark:
    """One body point in pixels of the upright (displayed) frame, y growing downward, and
    the model's confidence that it is visible there (0 to 1)."""

    x: float
    y: float
    visibility: float


@dataclass(frozen=True)
class PoseFrame:
    """The landmarks found at `time` seconds from the clip's start; `landmarks` is empty when
    no person was found in the frame."""

    time: float
    landmarks: dict[str, Landmark] = field(default_factory=dict)


@dataclass(frozen=True)
class ClipLandmarks:
    width: int  # of the upright frame, after the display rotation
    height: int
    duration: float  # seconds
    frames: tuple[PoseFrame, ...]
    model: str  # e.g. "MediaPipe BlazePose full"
    model_version: str
    people_seen: int = 1  # the most people the detector saw in one frame


@dataclass(frozen=True)
class Fault:
    code: str  # "fast-lowering", "bounce", "short-top", "arched-top"
    time: float  # seconds into the clip, where a coach would look
    text: str  # a plain sentence for the trainee and the coach


@dataclass(frozen=True)
class RepReport:
    """One lift and what follows it, in the order a rep is done from the floor (as the timer
    runs it): lifting, top hold, lowering, pause at the bottom. A phase is None when the clip
    did not see it (a gap, or the clip's start or end); the last rep's pause is None, since
    what follows it is rest."""

    number: int  # 1, 2, ... in the clip
    start: float  # seconds into the clip: the lifting begins
    end: float  # the pause at the bottom ends (the last rep's lowering, when it has no pause)
    lowering: float | None  # seconds
    pause: float | None  # at the bottom
    lifting: float | None
    top_hold: float | None
    top_angle: float | None  # shoulder-hip-knee at the top, degrees; 180 is a straight line
    shin_from_vertical: float | None  # at the top, degrees
    confidence: float  # 0 to 1, the mean visibility of the landmarks the rep was read from
    faults: tuple[Fault, ...] = ()
    # The clip ends before the rep is lowered: its top hold and lowering were never filmed,
    # which is not the camera missing them.
    clip_ends_at_top: bool = False
    # Of such a rep, the seconds its top was seen held to the clip's end: a lower bound, not
    # a measured hold (top_hold stays None, so the measured tempo never reads it).
    top_hold_at_least: float | None = None


@dataclass(frozen=True)
class FormAnalysis:
    """`declined` holds the reasons the clip could not be read (nothing else is then given);
    `cannot_judge` names what a side view cannot see; `notes` says what the camera missed in
    a clip that was read (gaps, parts of reps not seen, a lift not counted); `long_gaps` are
    the stretches (start, end in seconds) where the person was not seen for long enough to do
    a whole rep unseen: with any, the reps counted are a lower bound."""

    side: str | None  # the working leg: "left" or "right"; None when declined
    reps: tuple[RepReport, ...] = ()
    declined: tuple[str, ...] = ()
    cannot_judge: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    long_gaps: tuple[tuple[float, float], ...] = ()
    prescribed_tempo: str | None = None
    model: str = ""
    model_version: str = ""

    def as_json(self) -> dict:
        return asdict(self)
