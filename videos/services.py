"""Set videos: the writes that span the database and file storage, and the job's steps.

Files go through Django's storage API (local disk, or django-storages' S3 in production),
under `videos/<owner>/<random>/`, which the public media view never serves
(hipthrust/views.py): the only way to a video is the checked view in video_views.py.
"""

from __future__ import annotations

import shutil
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

from coaches.models import AuditEntry
from coaching.models import FormError
from core.files import delete_stored
from core.submissions import create_once
from training.models import Profile, Set, TrainingSession
from videos import processing as video
from videos.models import (
    AnalysisStatus,
    SetVideo,
    VideoAnalysis,
    VideoComment,
    VideoReview,
    VideoStatus,
    VideoUpload,
)

PREFIX = "videos/"


def quota_message(used: int, size: int, info: video.Probe | None = None) -> str:
    """The refusal, with what the copies made of the clip add when they are known (`info`)."""
    limit = settings.VIDEO_QUOTA_BYTES
    this = video.describe_bytes(size)
    if info is not None:
        copies = "poster and web copy" if info.needs_rendition else "poster"
        this += f", {video.describe_bytes(info.stored_estimate)} with the {copies} we make of it"
    return (
        f"This video ({this}) would take you past your "
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
            # The poster and any web copy are counted now, as an estimate, which processing
            # replaces with what they take: made later, they would take the trainee past it.
            if used + info.stored_estimate > settings.VIDEO_QUOTA_BYTES:
                raise video.VideoRejected(quota_message(used, info.size, info))
            waiting = check_queue(owner)
            clip = SetVideo.objects.create(
                owner=owner,
                **target.fields(),
                original=name,
                original_type=f"video/{info.family}",
                size=info.stored_estimate,
                upload_size=info.size,
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
    clip: SetVideo,
    author,
    at_seconds: Decimal,
    text: str,
    form_error: FormError | None,
    *,
    submission_id: uuid.UUID | None = None,
) -> VideoComment:
    """A comment pinned to a moment. A coach's has its audit entry (typed in the form, or a
    suggestion of the analysis confirmed: confirm_suggestion). The athlete's own, a reply or
    a question, is seen by them as they write it and puts the video back among those their
    coach has to review. The same submission id again gives back the comment it made
    (core.submissions.create_once)."""

    def create() -> VideoComment:
        if author.pk == clip.owner_id:
            comment = VideoComment.objects.create(
                video=clip,
                author=author,
                at_seconds=at_seconds,
                text=text,
                seen_at=timezone.now(),
                submission_id=submission_id,
            )
            VideoReview.objects.filter(video=clip).delete()
            return comment
        comment = VideoComment.objects.create(
            video=clip,
            author=author,
            at_seconds=at_seconds,
            text=text,
            form_error=form_error,
            submission_id=submission_id,
        )
        AuditEntry.objects.create(
            actor=author,
            athlete=clip.owner,
            action="video-comment",
            detail=f"Commented on {clip.audit_name()} at {at_seconds} s.",
        )
        return comment

    comment, _ = create_once(
        VideoComment, submission_id, create, video_id=clip.pk, author_id=author.pk
    )
    return comment


# The analysis: after processing, in its own job (videos/tasks.py, analyse_video).


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
