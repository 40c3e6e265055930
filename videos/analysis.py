"""The camera's analysis of a set video in the app: the job's steps (the pose model, then
the rules of videos/form_analysis.py, with the prescribed tempo and the side from the log),
its stored reading, the measured tempo, and the coach's suggested form errors."""

from __future__ import annotations

import math
import shutil
import statistics
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from coaches.models import Prescription
from coaching.models import FormError
from coaching.tempo import MAX_PHASE_SECONDS, Tempo, TempoError
from core.text import counted
from training.models import Side
from videos import clip_sight, form_analysis
from videos.models import (
    SHORTEST_REP_SECONDS,
    AnalysisStatus,
    SetVideo,
    SuggestionAnswer,
    TempoSource,
    VideoAnalysis,
    VideoComment,
)
from videos.pose_data import ClipLandmarks
from videos.services import Superseded, add_comment
from videos.timeline import PHASES, Segment, Sight, rep_segments

# The guide's form errors that a fault the camera flags is (videos/form_analysis.py codes);
# a fault with none here is suggested as a comment in words, with no tag.
FAULT_FORM_ERRORS = {"bounce": "bouncing", "arched-top": "arched-lower-back"}
# Each fault's name where the page lists it (the rules' codes are data, not words).
FAULT_NAMES = {
    "bounce": "Bounce",
    "fast-lowering": "Fast lowering",
    "short-top": "Short top",
    "arched-top": "Arched top",
}


# The joints drawn over the video, each side's as the model names it (it may swap them).
SKELETON_JOINTS = tuple(
    f"{side}_{joint}"
    for side in ("left", "right")
    for joint in ("ear", "shoulder", "hip", "knee", "ankle", "heel", "foot_index")
)


# Ours: a joint the model is less sure of than this is not drawn (form_analysis's own bar).
SKELETON_MIN_VISIBILITY = 0.5


def start_analysis(clip_id: int, max_attempts: int) -> int | None:
    """Count one more run of the analysis; None when there is nothing (left) to do."""
    with transaction.atomic():
        analysis = (
            VideoAnalysis.objects.select_for_update()
            .filter(video_id=clip_id, status=AnalysisStatus.WAITING)
            .first()
        )
        if analysis is None:
            return None
        if analysis.attempts >= max_attempts:
            analysis.status = AnalysisStatus.FAILED
            analysis.failure = (
                f"The analysis stopped after {max_attempts} attempts that never finished; the "
                "video itself is fine."
            )
            analysis.job_started_at, analysis.finished_at = None, timezone.now()
            analysis.save()
            return None
        analysis.attempts += 1
        analysis.job_started_at = timezone.now()
        analysis.save(update_fields=["attempts", "job_started_at"])
        return analysis.attempts


class AskedTempo(NamedTuple):
    notation: str
    source: str  # a TempoSource


def plan_of_the_day(clip: SetVideo) -> Prescription | None:
    """The athlete's prescription in force on the day of the clip's session, when it is for
    the session's rung: the plan that set was done under, however long after it the video is
    read (or read again), whatever the coach has written since."""
    session = clip.session
    return Prescription.objects.in_force_for(clip.owner_id, session.variation_id, on=session.date)


def prescribed_tempo(clip: SetVideo) -> AskedTempo | None:
    """What the reps are measured against: the prescription in force on the session's day
    for its rung (plan_of_the_day), else the filmed set's own tempo (for a side, the first
    of its sets with one)."""
    prescription = plan_of_the_day(clip)
    if prescription is not None:
        try:
            return AskedTempo(prescription.rep_tempo.notation, TempoSource.PRESCRIPTION)
        except TempoError:
            pass  # an old row the form would refuse: the set's own tempo then
    if clip.set_id:
        logged = clip.set.tempo
    else:
        on_side = clip.session.sets.exclude(tempo="").order_by("position")
        if clip.side != Side.BOTH:
            on_side = on_side.filter(side=clip.side)
        logged = on_side.values_list("tempo", flat=True).first() or ""
    try:
        return AskedTempo(Tempo.parse(logged).notation, TempoSource.LOGGED) if logged else None
    except TempoError:
        return None


def app_side(clip: SetVideo) -> str | None:
    """The leg the clip is of, as the log says: the set's side or the clip's. Never the
    analysis's guess (seen from the side, the pose model mixes up left and right). None when
    the log does not say: a set of unrecorded side, or a whole session of a one-leg rung."""
    side = clip.set.side if clip.set_id else clip.side
    if side == Side.UNKNOWN:
        return None
    if side == Side.BOTH and clip.session.variation.one_side_at_a_time:
        return None
    return side


def skeleton_of(clip_landmarks: ClipLandmarks) -> dict:
    """The joints of each analysed frame, compactly: `frames` rows of [time, x, y, x, y, ...]
    in SKELETON_JOINTS order, as shares of the upright frame (0 to 1, three places), null
    for a joint not seen; a row of the time alone when no one was found."""
    width, height = clip_landmarks.width or 1, clip_landmarks.height or 1
    frames = []
    for frame in clip_landmarks.frames:
        row: list = [round(frame.time, 3)]
        if frame.landmarks:
            for name in SKELETON_JOINTS:
                mark = frame.landmarks.get(name)
                if mark is None or mark.visibility < SKELETON_MIN_VISIBILITY:
                    row += [None, None]
                else:
                    row += [round(mark.x / width, 3), round(mark.y / height, 3)]
        frames.append(row)
    return {"joints": list(SKELETON_JOINTS), "frames": frames}


def analyse(clip: SetVideo, attempt: int) -> str:
    """Find the person in the clip with the pose model and store what the rules read (see
    record_reading). Its time is bounded as pose_estimation bounds it: pixels x frames
    analysed, MAX_PIXEL_FRAMES."""
    # Loaded here, in the worker: the pose model is large and the web processes never use it.
    from videos import pose_estimation

    asked = prescribed_tempo(clip)
    with tempfile.TemporaryDirectory(prefix="hipthrust-analysis-") as tmp:
        # The file the page plays, so the skeleton lands where the player shows the body.
        source = Path(tmp) / "clip"
        with (
            default_storage.open((clip.rendition or clip.original).name, "rb") as stored,
            source.open("wb") as out,
        ):
            shutil.copyfileobj(stored, out, 1 << 20)
        landmarks = pose_estimation.landmarks_of_clip(
            source, max_pixel_frames=pose_estimation.MAX_PIXEL_FRAMES
        )
    return record_reading(clip.pk, attempt, landmarks, asked)


def record_reading(
    clip_id: int, attempt: int, landmarks: ClipLandmarks, asked: AskedTempo | None
) -> str:
    """Read the reps from the clip's landmarks (videos/form_analysis.py) against the `asked`
    tempo and store them: done, or declined with the reasons. Raises Superseded when the row
    changed meanwhile."""
    tempo = asked.notation if asked else None
    # A rung done with both feet down (the floor glute bridge) has no lifted foot to tell
    # the working leg by: the rules read the leg nearer the camera.
    one_side = SetVideo.objects.filter(pk=clip_id).values_list(
        "session__variation__one_side_at_a_time", flat=True
    )
    both_legs = one_side.first() is False
    reading = form_analysis.analyse(landmarks, prescribed_tempo=tempo, both_legs=both_legs)
    result = reading.as_json()
    result.pop("side")  # the log's side is the one shown (app_side)
    result["skeleton"] = skeleton_of(landmarks)
    status = AnalysisStatus.DECLINED if reading.declined else AnalysisStatus.DONE
    with transaction.atomic():
        current = (
            VideoAnalysis.objects.select_for_update()
            .filter(video_id=clip_id, status=AnalysisStatus.WAITING, attempts=attempt)
            .first()
        )
        if current is None:
            raise Superseded
        current.status, current.result = status, result
        current.model, current.model_version = reading.model, reading.model_version
        current.prescribed_tempo = tempo or ""
        current.tempo_source = asked.source if asked else ""
        current.job_started_at, current.finished_at = None, timezone.now()
        current.save()
    return status


def fail_analysis(clip_id: int, attempt: int, reason: str) -> None:
    VideoAnalysis.objects.filter(
        video_id=clip_id, status=AnalysisStatus.WAITING, attempts=attempt
    ).update(
        status=AnalysisStatus.FAILED,
        failure=reason[:300],
        job_started_at=None,
        finished_at=timezone.now(),
    )


def measured_tempo(result: dict) -> str | None:
    """The reps' tempo in whole seconds, lowering-pause-lifting-hold as coaching.tempo writes
    it: each phase's median over the reps that measured it (the last rep's pause is rest, not
    measured), rounded half up, within the notation's limits. None when no lowering or no
    lifting was timed."""
    reps = result.get("reps") or []

    def median(phase: str) -> float | None:
        seen = [rep[phase] for rep in reps if rep.get(phase) is not None]
        return statistics.median(seen) if seen else None

    lowering, lifting = median("lowering"), median("lifting")
    if lowering is None or lifting is None:
        return None

    def whole(seconds: float | None, least: int) -> int:
        # Half a second up, as a person rounds (round() would take 2.5 to 2).
        return min(max(math.floor((seconds or 0) + 0.5), least), MAX_PHASE_SECONDS)

    pause, hold = median("pause"), median("top_hold")
    return Tempo(whole(lowering, 1), whole(pause, 0), whole(lifting, 1), whole(hold, 0)).notation


def lost_sight(result: dict) -> str:
    """When the camera lost sight of the person long enough for a whole rep to go uncounted,
    as "from 9.5 s to 20.5 s" (each such stretch, joined); "" when it never did."""
    return " and ".join(
        f"from {start:.1f} s to {end:.1f} s" for start, end in result.get("long_gaps", [])
    )


def suggestion_key(rep_number: int, code: str) -> str:
    return f"{rep_number}-{code}"


@dataclass(frozen=True)
class Suggestion:
    """A fault the camera flagged, offered to the coach as a comment at its moment."""

    key: str
    rep: int
    code: str
    time: float
    text: str
    form_error: FormError | None
    answer: str  # "" until the coach confirms or dismisses it


def suggestions(analysis: VideoAnalysis) -> list[Suggestion]:
    """Every flagged fault, each with the guide's form error that fits it (if one does)."""
    if analysis.status != AnalysisStatus.DONE:
        return []
    errors = FormError.objects.filter(
        exercise_id=analysis.video.session.variation.exercise_id,
        slug__in=FAULT_FORM_ERRORS.values(),
    )
    by_slug = {error.slug: error for error in errors}
    found = []
    for rep in analysis.result.get("reps", []):
        for fault in rep.get("faults", []):
            key = suggestion_key(rep["number"], fault["code"])
            found.append(
                Suggestion(
                    key=key,
                    rep=rep["number"],
                    code=fault["code"],
                    time=fault["time"],
                    text=fault["text"],
                    form_error=by_slug.get(FAULT_FORM_ERRORS.get(fault["code"], "")),
                    answer=analysis.answers.get(key, ""),
                )
            )
    return sorted(found, key=lambda suggestion: suggestion.time)


class NoSuchSuggestion(Exception):
    pass


def answer_suggestion(clip: SetVideo, coach, key: str, answer: str) -> VideoComment | None:
    """The coach's one click on a suggestion: confirmed, it becomes their comment at the
    fault's moment naming its form error (add_comment, as a typed one); dismissed, it is
    remembered and offered no more. A suggestion already answered is left as it is."""
    with transaction.atomic():
        analysis = VideoAnalysis.objects.select_for_update().get(video=clip)
        analysis.video = clip
        found = {item.key: item for item in suggestions(analysis)}
        if key not in found or answer not in SuggestionAnswer.values:
            raise NoSuchSuggestion(key)
        if analysis.answers.get(key):
            return None
        comment = None
        if answer == SuggestionAnswer.CONFIRMED:
            item = found[key]
            moment = min(Decimal(str(item.time)), Decimal(str(round(clip.duration_seconds, 2))))
            comment = add_comment(clip, coach, moment, item.text, item.form_error)
        analysis.answers = {**analysis.answers, key: answer}
        analysis.save(update_fields=["answers"])
    return comment


# The analysis on the video page.

# How the table marks a phase off the prescribed tempo (form_analysis.tempo_miss's answer),
# and how the summary under it says so.
MISS_WORDS = {
    "lifting": {"longer": "slow", "shorter": "fast"},
    "top_hold": {"longer": "longer", "shorter": "shorter"},
    "lowering": {"longer": "slow", "shorter": "fast"},
    "pause": {"longer": "longer", "shorter": "shorter"},
}
MISS_SAID = {
    "lifting": {"longer": "took longer", "shorter": "was quicker"},
    "top_hold": {"longer": "was longer", "shorter": "was shorter"},
    "lowering": {"longer": "took longer", "shorter": "was quicker"},
    "pause": {"longer": "was longer", "shorter": "was shorter"},
}


@dataclass(frozen=True)
class RepRow:
    number: int
    start: float
    end: float
    lowering: float | None
    pause: float | None
    lifting: float | None
    top_hold: float | None
    top_angle: float | None
    shin_from_vertical: float | None
    confidence: float
    faults: list[dict]
    segments: list[Segment]
    is_last: bool
    clip_ends_at_top: bool = False  # RepReport's: its top hold and lowering never filmed
    top_hold_at_least: float | None = None  # RepReport's: the top seen held to the clip's end
    misses: dict[str, str] = field(default_factory=dict)  # phase -> MISS_WORDS' word

    @property
    def partly_seen(self) -> bool:
        """Some phase of the rep was not seen, so what it would have flagged is not known
        (the last rep's pause is the rest after it, and what came after the clip's end is
        not a phase missed)."""
        phases = [self.lifting]
        if not self.clip_ends_at_top:
            phases += [self.top_hold, self.lowering]
        if not self.is_last:
            phases.append(self.pause)
        return any(phase is None for phase in phases)

    @property
    def description(self) -> str:
        """The rep's segment named for a screen reader: when, and its phases."""
        measured = [
            f"{label.lower()} {getattr(self, name):.1f} s"
            for name, label in PHASES
            if getattr(self, name) is not None
        ]
        if self.top_hold is None and self.top_hold_at_least is not None:
            measured.append(f"top hold at least {self.top_hold_at_least:.1f} s")
        kept = [fault for fault in self.faults if fault.get("answer") != SuggestionAnswer.DISMISSED]
        flags = f", flagged: {len(kept)}" if kept else ""
        return (
            f"Rep {self.number}, from {self.start:.1f} s"
            + (f": {', '.join(measured)}" if measured else "")
            + flags
        )


def page_context(clip: SetVideo, is_coach: bool) -> dict:
    """What the video page shows of the clip's analysis: its reps as rows on a timeline, the
    tempo measured against the prescribed one, the flags, the rules' thresholds in words
    and, for the coach, the suggestions to answer."""
    analysis = VideoAnalysis.objects.filter(video=clip).first()
    context: dict = {
        "analysis": analysis,
        "shortest_rep_seconds": SHORTEST_REP_SECONDS,
        "side": app_side(clip),
        "logged_reps": clip.set.reps if clip.set_id else None,
    }
    if analysis is None:
        return context
    analysis.video = clip
    result = analysis.result
    reps = result.get("reps", [])
    duration = clip.duration_seconds or max((rep["end"] for rep in reps), default=0)
    tempo = Tempo.parse(analysis.prescribed_tempo) if analysis.prescribed_tempo else None
    sight = Sight(result.get("skeleton", {}).get("frames", []))
    misses = [_misses(rep, tempo) for rep in reps]
    rows = [
        RepRow(
            **{key: rep[key] for key in RepRow.__dataclass_fields__ if key in rep},
            segments=rep_segments(rep, duration, sight),
            is_last=index == len(reps) - 1,
            misses={name: MISS_WORDS[name][missed] for name, missed in misses[index].items()},
        )
        for index, rep in enumerate(reps)
    ]
    who = "a coach" if is_coach else "your coach"
    for row in rows:
        # In the order they happened, each with its name and the coach's answer to it as a
        # suggestion (suggestions' key), which the athlete reads too.
        row.faults.sort(key=lambda fault: fault["time"])
        for fault in row.faults:
            fault["name"] = FAULT_NAMES.get(fault["code"], fault["code"])
            answer = analysis.answers.get(suggestion_key(row.number, fault["code"]), "")
            fault["answer"] = answer
            said = SuggestionAnswer(answer).label.lower() if answer else ""
            fault["answered"] = f"{said} by {who}" if said else ""
    flagged = [(row.number, fault) for row in rows for fault in row.faults]
    dismissed = sum(fault["answer"] == SuggestionAnswer.DISMISSED for _, fault in flagged)
    context.update(
        rows=rows,
        prescribed=tempo,
        prescribed_from=_measured_against(analysis, clip, is_coach) if tempo else "",
        measured_tempo=measured_tempo(result),
        tempo_notes=_tempo_notes(reps, misses, tempo),
        lost_sight=lost_sight(result),
        flagged=flagged,
        dismissed_flags=(
            f"{who.capitalize()} watched the video and dismissed "
            f"{counted(dismissed, 'flag')} of the camera's, marked below."
            if dismissed
            else ""
        ),
        thresholds=_thresholds(tempo),
        suggestions=suggestions(analysis) if is_coach else [],
        play_url=reverse("videos:file", args=[clip.pk, "play"]),
    )
    return context


def _measured_against(analysis: VideoAnalysis, clip: SetVideo, is_coach: bool) -> str:
    """Where the tempo the reps were measured against came from, in words (prescribed_tempo's
    rule); both, as it was said before the analysis kept which, for an older one. A
    prescription is named as the plan in force on the session's day (plan_of_the_day), with
    the day it was written, when it is the one measured against; one that is not (measured
    before the day's plan was the rule, or a plan taken out of force since) is said not to
    be."""
    source = analysis.tempo_source
    logged = "the tempo logged" if is_coach else "the tempo you logged"
    if source == TempoSource.LOGGED:
        if clip.set_id:
            return f"{logged} with the set"
        if clip.side == Side.BOTH:
            return f"{logged} with the session's first set"
        return f"{logged} with the first set of this side"
    plan = plan_of_the_day(clip)
    try:
        of_the_day = plan is not None and plan.rep_tempo.notation == analysis.prescribed_tempo
    except TempoError:
        of_the_day = False
    if of_the_day:
        written = date_format(timezone.localtime(plan.created_at).date())
        prescribed = (
            f"{'the' if is_coach else 'your'} coach's prescription for this rung, written on "
            f"{written} and in force on the session's day, {clip.session.day}"
        )
    else:
        prescribed = (
            "a coach's prescription the camera read the video against, which is not the plan "
            "in force on the session's day"
        )
    if source == TempoSource.PRESCRIPTION:
        return prescribed
    return f"{prescribed}, or else {logged} with the set"


def _misses(rep: dict, tempo: Tempo | None) -> dict[str, str]:
    """The rep's phases off the prescribed tempo (form_analysis.tempo_miss), by name:
    "longer" or "shorter". None are without a prescribed tempo."""
    if tempo is None:
        return {}
    asked = form_analysis.asked_seconds(tempo)
    found = {name: form_analysis.tempo_miss(name, rep.get(name), asked[name]) for name in asked}
    return {name: missed for name, missed in found.items() if missed}


def _tempo_notes(reps: list[dict], misses: list[dict[str, str]], tempo: Tempo | None) -> list[str]:
    """Each phase the reps missed the tempo in, once each way: in how many of the reps that
    timed it, about how long (the median of those) against how long it asks."""
    if tempo is None:
        return []
    asked, notes = form_analysis.asked_seconds(tempo), []
    for name, label in PHASES:
        timed = sum(rep.get(name) is not None for rep in reps)
        for way in ("longer", "shorter"):
            off = [
                rep[name]
                for rep, missed in zip(reps, misses, strict=True)
                if missed.get(name) == way
            ]
            if off:
                notes.append(
                    f"{label} {MISS_SAID[name][way]} than asked in {len(off)} of "
                    f"{counted(timed, 'rep')} (about {statistics.median(off):.1f} s against "
                    f"{asked[name]} s)."
                )
    return notes


def _thresholds(tempo: Tempo | None) -> list[str]:
    """The analysis's own choices, said as what they mean on the page."""
    fa = form_analysis
    asked = (
        f"the tempo's {tempo.lowering} s"
        if tempo
        else (f"the guide's {fa.GUIDE_LOWERING_SECONDS[0]} s")
    )
    return [
        f"A rep is the hips rising and falling by at least {fa.MIN_REP_RISE:.0%} of the "
        "torso's length.",
        f"A lowering is flagged fast when it is shorter than {asked} by more than "
        f"{fa.FAST_LOWERING_SHARE:.0%} of it (and at least {fa.FAST_LOWERING_MARGIN} s).",
        f"A phase is marked off the tempo when it is longer or shorter than the tempo asks by "
        f"more than {fa.TEMPO_MISS_SHARE:.0%} of it (and at least {fa.TEMPO_MISS_MARGIN} s); a "
        "lowering, as soon as it is flagged fast.",
        f"A bounce: the hips turn at the bottom in under {fa.BOUNCE_TURN_SECONDS} s, still "
        f"fast {fa.BOUNCE_ARRIVAL_SECONDS} s before they stop, or rise again within "
        f"{fa.NO_PAUSE_SECONDS} s where the tempo asks for a pause.",
        f"A top is short {fa.SHORT_TOP_DEGREES:.0f}° or more below the straight line "
        f"shoulders-hips-knee (180°), arched {fa.ARCHED_TOP_DEGREES:.0f}° or more past it.",
        f"The hips have stopped once slower than {fa.MOVING_SHARE:.0%} of the phase's top "
        f"speed for {fa.STILL_SECONDS} s.",
        f"The person must be found in at least {clip_sight.MIN_SEEN_SHARE:.0%} of the frames, "
        f"with a mean landmark confidence of {clip_sight.MIN_MEAN_VISIBILITY:.0%} or more.",
    ]
