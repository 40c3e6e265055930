"""Set videos: the writes that span the database and file storage, and the job's steps.

Files go through Django's storage API (local disk, or django-storages' S3 in production),
under `videos/<owner>/<random>/`, which the public media view never serves
(hipthrust/views.py): the only way to a video is the checked view in video_views.py.
"""

from __future__ import annotations

import math
import shutil
import statistics
import tempfile
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TASK_MIN_PRIORITY

from coaches.models import AuditEntry, Prescription
from coaching.models import FormError
from coaching.tempo import MAX_PHASE_SECONDS, Tempo, TempoError
from core.files import delete_stored
from training.models import Profile, Set, Side, TrainingSession
from videos import form_analysis
from videos import processing as video
from videos.models import (
    AnalysisStatus,
    SetVideo,
    SuggestionAnswer,
    VideoAnalysis,
    VideoComment,
    VideoStatus,
    VideoUpload,
)
from videos.pose_data import ClipLandmarks

PREFIX = "videos/"


def quota_message(used: int, size: int) -> str:
    limit = settings.VIDEO_QUOTA_BYTES
    return (
        f"This video ({video.describe_bytes(size)}) would take you past your "
        f"{video.describe_bytes(limit)} of video storage ({video.describe_bytes(used)} used); "
        "delete a video you no longer need and upload it again."
    )


def check_queue(owner) -> int:
    """How many of the owner's videos wait for (or are in) their job; VideoRejected when that
    is already the most we queue for one person. Call it holding the owner's profile lock."""
    waiting = SetVideo.objects.filter(owner=owner, status=VideoStatus.PROCESSING).count()
    limit = settings.VIDEO_JOBS_PER_TRAINEE
    if waiting >= limit:
        raise video.VideoRejected(
            f"You have {waiting} video{'s' if waiting != 1 else ''} waiting to be processed, the "
            "most we queue for one person at a time; upload this one when one of them is ready."
        )
    return waiting


def fair_priority(waiting: int) -> int:
    """A job goes behind every other trainee's first one: its priority drops by one for each of
    its owner's videos already waiting, so one person's clips cannot hold back everyone's."""
    return max(-waiting, TASK_MIN_PRIORITY)


@dataclass(frozen=True)
class Target:
    """What a clip is of: one set, or one side of a session (`side` set, `set` None)."""

    session: TrainingSession
    set: Set | None = None
    side: str = ""

    @classmethod
    def of_set(cls, target: Set) -> Target:
        return cls(target.session, target)

    def fields(self) -> dict:
        return {"session": self.session, "set": self.set, "side": self.side}


def bytes_in_use(owner, *, besides: VideoUpload | None = None) -> int:
    """Stored video and unfinished uploads (but `besides`): what the quota counts."""
    pending = VideoUpload.objects.filter(owner=owner)
    if besides is not None:
        pending = pending.exclude(pk=besides.pk)
    return SetVideo.objects.stored_bytes(owner) + pending.pending_bytes(owner)


def save_upload(
    owner, target: Target, upload, info: video.Probe, *, finishing: VideoUpload | None = None
) -> SetVideo:
    """Store a checked upload and its row together, with its processing job; on any failure,
    or past the owner's quota, leave nothing behind. `finishing` is the chunked upload the
    file was assembled from, whose size is not counted twice."""
    # The job scheduled here imports this module; importing it at the top would be circular.
    from videos.tasks import process_video

    folder = f"{PREFIX}{owner.pk}/{uuid.uuid4().hex}"
    written: list[str] = []
    try:
        upload.seek(0)
        name = default_storage.save(f"{folder}/upload.{info.family}", File(upload))
        written.append(name)
        with transaction.atomic():
            # One upload at a time per owner past this line, so two at once cannot both fit.
            Profile.objects.select_for_update().get_or_create(user=owner)
            used = bytes_in_use(owner, besides=finishing)
            if used + info.size > settings.VIDEO_QUOTA_BYTES:
                raise video.VideoRejected(quota_message(used, info.size))
            waiting = check_queue(owner)
            clip = SetVideo.objects.create(
                owner=owner,
                **target.fields(),
                original=name,
                original_type=f"video/{info.family}",
                size=info.size,
                duration_seconds=info.seconds,
                frame_rate=info.frames / info.seconds if info.seconds else 30,
                width=info.display_width,
                height=info.display_height,
            )
            # The database backend writes the job as a row in this same transaction: the
            # video and its job are committed together or not at all.
            process_video.using(priority=fair_priority(waiting)).enqueue(clip.pk)
    except BaseException:
        delete_stored(written)
        raise
    return clip


# Chunked uploads: a dropped connection resumes from the last chunk kept, not the start.


class OffsetMismatch(Exception):
    """A chunk that does not start where the upload has got to: send from `expected`."""

    def __init__(self, expected: int) -> None:
        super().__init__(f"expected a chunk at byte {expected}")
        self.expected = expected


def start_upload(owner, target: Target, size: int) -> VideoUpload:
    """Open a chunked upload of `size` bytes, counted against the quota until it ends; a job
    queued for its expiry takes it away if it is never finished."""
    from videos.tasks import discard_expired_uploads

    video.check_size(size)
    discard_expired()
    with transaction.atomic():
        Profile.objects.select_for_update().get_or_create(user=owner)
        used = bytes_in_use(owner)
        if used + size > settings.VIDEO_QUOTA_BYTES:
            raise video.VideoRejected(quota_message(used, size))
        check_queue(owner)  # refused now rather than after every chunk has been sent
        upload = VideoUpload.objects.create(
            owner=owner,
            **target.fields(),
            size=size,
            expires_at=timezone.now() + settings.VIDEO_UPLOAD_LIFETIME,
        )
        discard_expired_uploads.using(run_after=upload.expires_at).enqueue()
    return upload


def receive_chunk(upload: VideoUpload, start: int, data: bytes) -> SetVideo | None:
    """Keep the bytes at `start`; the last chunk makes the video (the same checks and writes
    as a single-request upload). A chunk already kept is a no-op, one past a gap raises
    OffsetMismatch. A refused file takes the upload and its chunks with it."""
    with transaction.atomic():
        current = VideoUpload.objects.select_for_update().filter(pk=upload.pk).first()
        if current is None:
            raise VideoUpload.DoesNotExist
        end = start + len(data)
        if end <= current.received:  # sent again because its answer was lost
            return None
        if start != current.received:
            raise OffsetMismatch(current.received)
        name = current.chunk_name(start)
        # Left by an earlier try whose row update never committed.
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
        current.received = end
        current.save(update_fields=["received"])
        if end < current.size:
            return None
        try:
            clip = _assemble_and_save(current)
        except video.VideoRejected as rejected:
            refused = rejected
        else:
            try:
                current.delete()  # its chunks go once this commits (training/signals.py)
            except BaseException:
                delete_stored(clip.stored_names())
                raise
            return clip
        current.delete()
    raise refused


def _assemble_and_save(upload: VideoUpload) -> SetVideo:
    with tempfile.TemporaryFile() as whole:
        for name in sorted(_chunk_names(upload.chunk_folder)):
            if int(PurePosixPath(name).stem) != whole.tell():
                raise video.VideoRejected(video.DAMAGED)
            with default_storage.open(name, "rb") as chunk:
                shutil.copyfileobj(chunk, whole, 1 << 20)
        size = whole.tell()
        if size != upload.size:
            raise video.VideoRejected(video.DAMAGED)
        info = video.probe(whole, size)
        target = Target(upload.session, upload.set, upload.side)
        return save_upload(upload.owner, target, whole, info, finishing=upload)


def _chunk_names(folder: str) -> list[str]:
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files if name.endswith(".part")]


def delete_chunks_of(upload: VideoUpload) -> None:
    """After the upload's row goes (finished, refused, expired, or a cascade)."""
    folder = upload.chunk_folder
    transaction.on_commit(lambda: delete_stored(_chunk_names(folder)))


def discard_expired(now=None) -> int:
    """Remove the uploads past their expiry, with their chunks; how many went."""
    count, _ = VideoUpload.objects.expired(now).delete()
    return count


def mark_comments_seen(clip: SetVideo) -> None:
    """The owner has the page with these comments before them: from now on, a form error
    they name counts in the owner's progression (training/level.py)."""
    VideoComment.objects.filter(video=clip, seen_at__isnull=True).update(seen_at=timezone.now())


def delete_files_of(clip: SetVideo) -> None:
    """After the row's deletion commits (a cascade from a set, a session or the account
    too): its files go, and a job still running for it finds no row and keeps nothing."""
    names = clip.stored_names()
    transaction.on_commit(lambda: delete_stored(names))


class Superseded(Exception):
    """The row changed while the job worked (deleted, or another attempt finished first)."""


def process(clip: SetVideo, attempt: int) -> None:
    """Make the stripped original, the poster and the rendition, then mark the video ready
    and queue its analysis (queue_analysis), in one transaction.

    Raises `video.VideoRejected` for a file that can never be processed, anything else for
    a failure worth another try."""
    with tempfile.TemporaryDirectory(prefix="hipthrust-video-") as tmp:
        source = Path(tmp) / "upload"
        with default_storage.open(clip.original.name, "rb") as stored, source.open("wb") as out:
            shutil.copyfileobj(stored, out, 1 << 20)
        with source.open("rb") as handle:
            info = video.probe(handle, source.stat().st_size)
        output = Path(tmp) / "out"
        output.mkdir()
        result = video.process(source, output, info)
        folder = str(PurePosixPath(clip.original.name).parent)
        written: list[str] = []
        try:
            original_name = f"{folder}/original{result.original.suffix}"
            original = _store(original_name, result.original, written)
            poster = default_storage.save(f"{folder}/poster.jpg", ContentFile(result.poster))
            written.append(poster)
            rendition = ""
            if result.rendition is not None:
                rendition = _store(f"{folder}/web.mp4", result.rendition, written)
            sizes = [result.original.stat().st_size, len(result.poster)]
            if result.rendition is not None:
                sizes.append(result.rendition.stat().st_size)
            with transaction.atomic():
                current = (
                    SetVideo.objects.select_for_update()
                    .filter(pk=clip.pk, status=VideoStatus.PROCESSING, attempts=attempt)
                    .first()
                )
                if current is None:
                    raise Superseded
                upload_name = current.original.name
                current.original, current.poster, current.rendition = original, poster, rendition
                current.original_type = result.original_type
                current.size = sum(sizes)
                current.duration_seconds = info.seconds
                current.status, current.job_started_at = VideoStatus.READY, None
                current.save()
                queue_analysis(current)
                # The upload, with its metadata, goes once the stripped copy is committed.
                transaction.on_commit(lambda: delete_stored([upload_name]))
        except BaseException:
            delete_stored(written)
            raise


def _store(name: str, path: Path, written: list[str]) -> str:
    with path.open("rb") as handle:
        stored = default_storage.save(name, File(handle))
    written.append(stored)
    return stored


def fail(clip_id: int, reason: str) -> None:
    SetVideo.objects.filter(pk=clip_id, status=VideoStatus.PROCESSING).update(
        status=VideoStatus.FAILED, failure=reason[:300], job_started_at=None
    )


def start_attempt(clip_id: int, max_attempts: int) -> int | None:
    """Count one more run of the job; None when there is nothing (left) to do."""
    with transaction.atomic():
        clip = (
            SetVideo.objects.select_for_update()
            .filter(pk=clip_id, status=VideoStatus.PROCESSING)
            .first()
        )
        if clip is None:
            return None
        if clip.attempts >= max_attempts:
            clip.status = VideoStatus.FAILED
            clip.failure = (
                f"Processing stopped after {max_attempts} attempts that never finished; "
                "delete this video and upload it again, or try a shorter clip."
            )
            clip.job_started_at = None
            clip.save()
            return None
        clip.attempts += 1
        clip.job_started_at = timezone.now()
        clip.save(update_fields=["attempts", "job_started_at"])
        return clip.attempts


def add_comment(
    clip: SetVideo, author, at_seconds: Decimal, text: str, form_error: FormError | None
) -> VideoComment:
    """A coach's comment pinned to a moment, with its audit entry: typed in the form, or a
    suggestion of the analysis confirmed (confirm_suggestion)."""
    with transaction.atomic():
        comment = VideoComment.objects.create(
            video=clip, author=author, at_seconds=at_seconds, text=text, form_error=form_error
        )
        AuditEntry.objects.create(
            actor=author,
            athlete=clip.owner,
            action="video-comment",
            detail=f"Commented on video {clip.pk} at {at_seconds} s",
        )
    return comment


# The analysis: after processing, in its own job (videos/tasks.py, analyse_video).

# The guide's form errors that a fault the camera flags is (videos/form_analysis.py codes);
# a fault with none here is suggested as a comment in words, with no tag.
FAULT_FORM_ERRORS = {"bounce": "bouncing", "arched-top": "arched-lower-back"}
# The joints drawn over the video, each side's as the model names it (it may swap them).
SKELETON_JOINTS = tuple(
    f"{side}_{joint}"
    for side in ("left", "right")
    for joint in ("ear", "shoulder", "hip", "knee", "ankle", "heel", "foot_index")
)
# Ours: a joint the model is less sure of than this is not drawn (form_analysis's own bar).
SKELETON_MIN_VISIBILITY = 0.5


def queue_analysis(clip: SetVideo) -> None:
    """Ask for the clip's analysis (afresh, if it had one); called in the transaction that
    marks it ready, so the job is committed with it."""
    from videos.tasks import analyse_video

    VideoAnalysis.objects.update_or_create(
        video=clip,
        defaults={
            "status": AnalysisStatus.WAITING,
            "result": {},
            "failure": "",
            "attempts": 0,
            "job_started_at": None,
            "finished_at": None,
        },
    )
    # Behind every trainee's video still to be processed: the analysis is extra.
    analyse_video.using(priority=fair_priority(1)).enqueue(clip.pk)


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


def prescribed_tempo(clip: SetVideo) -> str | None:
    """What the reps are measured against: the athlete's prescription for the session's
    variation, else the filmed set's own tempo (for a side, the first of its sets with one)."""
    prescriptions = Prescription.objects.filter(
        athlete_id=clip.owner_id, variation_id=clip.session.variation_id
    )
    prescription = prescriptions.order_by("-created_at", "-pk").first()
    if prescription is not None:
        try:
            return prescription.rep_tempo.notation
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
        return Tempo.parse(logged).notation if logged else None
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

    tempo = prescribed_tempo(clip)
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
    return record_reading(clip.pk, attempt, landmarks, tempo)


def record_reading(clip_id: int, attempt: int, landmarks: ClipLandmarks, tempo: str | None) -> str:
    """Read the reps from the clip's landmarks (videos/form_analysis.py) and store them: done,
    or declined with the reasons. Raises Superseded when the row changed meanwhile."""
    reading = form_analysis.analyse(landmarks, prescribed_tempo=tempo)
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
    return found


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
