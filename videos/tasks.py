"""Background jobs (django-tasks, database backend): processing set videos, and checking and
saving large CSV imports (imports/csv_io/pending.py, which does their work).

A job is a row in the database, committed with the upload that made it; `manage.py
db_worker` claims rows and runs them. A failing run is retried up to MAX_ATTEMPTS in all,
a little later each time, then the video is marked failed with the reason the athlete sees.

A worker killed mid-job (out of memory, a deploy) leaves its job claimed and never
finished: the database backend does not hand it out again. The video row remembers when
its last run started, so `requeue_stale` finds runs older than STALE_AFTER (far longer than
any minute-long clip takes) and queues them again. It runs when a worker starts (`make
worker`, `make run`), at the start of every job, and from `manage.py requeue_videos` (cron).
Each run counts as an attempt, so a clip that kills the worker every time ends failed.

A video once ready is analysed rep by rep in a job of its own, `analyse_video` (the pose
model and the rules of videos/; videos/analysis.py, analyse). Its budget is the pose
model's: the frames analysed are bounded by pixels x frames (pose_estimation's
MAX_PIXEL_FRAMES, a 30 s 1080p clip at 15 frames a second, about 18 s on the 2-core reference
machine; a larger or longer clip is sampled more sparsely), so no clip holds the worker
longer. An analysis that fails is stored failed with its reason, one that declines with its
reasons, and the video plays and takes comments whatever the analysis says. A run a killed
worker never finished is queued again by `requeue_stale`, as a video's is.

A chunked upload (videos/services.py, start_upload) queues `discard_expired_uploads` for the
moment it expires, so one never finished leaves no chunk behind; `requeue_videos` sweeps
them too, in case that job was lost with its database row.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from videos import analysis as camera
from videos import processing as video
from videos import services as videos
from videos.models import AnalysisStatus, SetVideo, VideoAnalysis, VideoStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STALE_AFTER = datetime.timedelta(minutes=15)
RETRY_DELAY = datetime.timedelta(seconds=30)


@task()
def process_video(video_id: int) -> str:
    requeue_stale()
    attempt = videos.start_attempt(video_id, MAX_ATTEMPTS)
    if attempt is None:
        return "nothing to do"
    clip = SetVideo.objects.get(pk=video_id)
    try:
        videos.process(clip, attempt)
    except videos.Superseded:
        return "superseded"
    except video.VideoRejected as rejected:
        videos.fail(video_id, str(rejected))
        return "rejected"
    except Exception as error:
        logger.exception("processing video %s failed (attempt %s)", video_id, attempt)
        if attempt >= MAX_ATTEMPTS:
            videos.fail(
                video_id,
                f"We could not process this video ({type(error).__name__}: {error}); "
                f"we tried {MAX_ATTEMPTS} times. Delete it and upload it again.",
            )
            return "failed"
        later = timezone.now() + RETRY_DELAY * attempt
        # Behind every other trainee's first clip, as a second clip of theirs would be.
        process_video.using(run_after=later, priority=videos.fair_priority(attempt)).enqueue(
            video_id
        )
        return "retrying"
    return "ready"


@task()
def analyse_video(video_id: int) -> str:
    requeue_stale()
    attempt = camera.start_analysis(video_id, MAX_ATTEMPTS)
    if attempt is None:
        return "nothing to do"
    clip = SetVideo.objects.select_related("set", "session__variation").filter(pk=video_id).first()
    if clip is None:
        return "superseded"
    try:
        return camera.analyse(clip, attempt)
    except videos.Superseded:
        return "superseded"
    except Exception as error:
        # The same clip gives the same error again: no retry, the reason is kept instead.
        logger.exception("analysing video %s failed", video_id)
        camera.fail_analysis(
            video_id,
            attempt,
            f"The analysis could not read this video ({type(error).__name__}: {error}). The "
            "video itself is fine, and your coach can still review it.",
        )
        return "failed"


@task()
def discard_expired_uploads() -> int:
    return videos.discard_expired()


def requeue_stale(now: datetime.datetime | None = None) -> list[int]:
    """Queue again the videos (and analyses) whose last run started STALE_AFTER ago and never
    ended; the ids of their videos."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    requeued = []
    # Each kind of job: its rows, the field naming their video, the state of a run not ended.
    kinds = (
        (SetVideo, "pk", {"status": VideoStatus.PROCESSING}, process_video),
        (VideoAnalysis, "video_id", {"status": AnalysisStatus.WAITING}, analyse_video),
    )
    with transaction.atomic():
        for model, video_field, running, job in kinds:
            stale = model.objects.select_for_update().filter(**running, job_started_at__lt=cutoff)
            for clip_id in stale.values_list(video_field, flat=True):
                # Claimed by moving the start, so two sweeps at once do not both queue it.
                claimed = model.objects.filter(**{video_field: clip_id})
                claimed.update(job_started_at=timezone.now())
                job.enqueue(clip_id)
                requeued.append(clip_id)
    return requeued
