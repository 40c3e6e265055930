"""A video job's budget of worker time, judged before decoding, and a queue no trainee can
fill for everyone else."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.videos.clips import make_clip
from training.models import Set
from videos import processing as video
from videos import tasks
from videos.models import SetVideo, VideoStatus

pytestmark = pytest.mark.django_db


def _upload(client, a_set: Set, path: Path):
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="video/mp4")
    return client.post(reverse("videos:set-video", args=[a_set.pk]), {"file": upload})


def _refusal(response) -> str:
    assert response.status_code == 400
    return response.context["form"].errors["file"][0]


def _probe(path: Path) -> video.Probe:
    with path.open("rb") as handle:
        return video.probe(handle, path.stat().st_size)


@pytest.fixture
def slow_motion_4k_like(tmp_path) -> Path:
    """Stands for the 4096 x 4096, 240 fps clip: HEVC, so its job decodes every frame."""
    return make_clip(
        tmp_path / "slomo.mp4", codec="libx265", size=(160, 120), fps=30, seconds=2, audio=False
    )


def test_a_clip_over_the_work_budget_is_refused_at_upload_with_what_would_fit(
    athlete_client, a_set, slow_motion_4k_like, media_root, monkeypatch
):
    # The budget as pixels x frames: 160 x 120 pixels for 30 frames, one second of it.
    monkeypatch.setattr(video, "MAX_PIXEL_FRAMES", 160 * 120 * 30)
    message = _refusal(_upload(athlete_client, a_set, slow_motion_4k_like))
    assert message == (
        "The video is 160 × 120 pixels at 30 frames per second for 2 s: more than we can "
        f"process in the {video.JOB_SECONDS} s of work each video may take. At this size and "
        "frame rate we take 1 s; trim it to the set, or film at 1080p, or at 60 frames per "
        "second or fewer."
    )
    assert not SetVideo.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_the_budget_is_judged_from_the_packets_before_any_frame_is_decoded(
    slow_motion_4k_like, monkeypatch
):
    monkeypatch.setattr(video, "MAX_PIXEL_FRAMES", 160 * 120 * 30)

    def decoded(*args):
        raise AssertionError("a frame was decoded before the budget was checked")

    monkeypatch.setattr(video, "_first_frame_turn", decoded)
    with pytest.raises(video.VideoRejected, match="more than we can process"):
        _probe(slow_motion_4k_like)


def test_a_clip_without_a_rendition_counts_only_the_frames_its_poster_decodes(
    tmp_path, monkeypatch
):
    # Same size, rate and length: H.264 plays as it is, HEVC needs every frame decoded.
    playable = make_clip(tmp_path / "h264.mp4", size=(160, 120), fps=10, seconds=3, audio=False)
    needs_copy = make_clip(
        tmp_path / "hevc.mp4", codec="libx265", size=(160, 120), fps=10, seconds=3, audio=False
    )
    monkeypatch.setattr(video, "MAX_PIXEL_FRAMES", 160 * 120 * 15)
    assert _probe(playable).decoded_frames == 11
    with pytest.raises(video.VideoRejected):
        _probe(needs_copy)


def test_a_job_still_running_at_twice_its_budget_is_stopped_and_the_athlete_told(
    athlete_client, a_set, hevc_clip, media_root, monkeypatch
):
    assert _upload(athlete_client, a_set, hevc_clip).status_code == 302
    clip = SetVideo.objects.get()
    monkeypatch.setattr(video, "JOB_SECONDS", 0)  # any real decoding is past it
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.process_video.call(clip.pk) == "rejected"
    clip.refresh_from_db()
    assert clip.status == VideoStatus.FAILED
    assert clip.failure.startswith("Processing this video took longer than the 0 s")
    assert clip.attempts == 1  # refused, not retried


@pytest.fixture
def hevc_clip(tmp_path) -> Path:
    return make_clip(tmp_path / "hevc.mp4", codec="libx265", audio=False)


def test_a_trainee_with_the_most_videos_waiting_is_refused_until_one_is_ready(
    athlete_client, a_set, h264, media_root, settings
):
    settings.VIDEO_JOBS_PER_TRAINEE = 2
    for _ in range(2):
        assert _upload(athlete_client, a_set, h264).status_code == 302
    assert _refusal(_upload(athlete_client, a_set, h264)) == (
        "You have 2 videos waiting to be processed, the most we queue for one person at a "
        "time; upload this one when one of them is ready."
    )
    assert SetVideo.objects.count() == 2
    first = SetVideo.objects.order_by("pk").first()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.process_video.call(first.pk) == "ready"
    assert _upload(athlete_client, a_set, h264).status_code == 302
    assert SetVideo.objects.count() == 3


def test_the_chunked_upload_is_refused_at_its_start_when_the_queue_is_full(
    athlete_client, a_set, h264, media_root, settings
):
    settings.VIDEO_JOBS_PER_TRAINEE = 1
    assert _upload(athlete_client, a_set, h264).status_code == 302
    response = athlete_client.post(
        reverse("videos:set-upload-start", args=[a_set.pk]), {"size": "1000"}
    )
    assert response.status_code == 400
    assert "waiting to be processed" in response.json()["error"]


def test_one_trainees_many_videos_do_not_hold_back_anothers(
    client, user, other_user, a_set, other_session, h264, media_root
):
    client.force_login(user)
    for _ in range(3):
        assert _upload(client, a_set, h264).status_code == 302
    client.force_login(other_user)
    assert _upload(client, other_session.sets.get(), h264).status_code == 302
    # The order the worker claims jobs in (DBTaskResult's ordering, as db_worker takes them).
    owners = [
        SetVideo.objects.get(pk=job.args_kwargs["args"][0]).owner
        for job in DBTaskResult.objects.ready()
    ]
    assert sorted(u.username for u in owners[:2]) == sorted([user.username, other_user.username])
    assert owners[2:] == [user, user]


def test_a_retried_job_goes_behind_other_trainees_first_clips(
    athlete_client, a_set, h264, media_root, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(video, "process", broken)
    assert _upload(athlete_client, a_set, h264).status_code == 302
    clip = SetVideo.objects.get()
    DBTaskResult.objects.all().delete()
    assert tasks.process_video.call(clip.pk) == "retrying"
    assert DBTaskResult.objects.get().priority < 0
