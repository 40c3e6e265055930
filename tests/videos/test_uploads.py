"""Chunked set-video uploads, which a dropped connection resumes instead of starting over,
and clips of one side of a session."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from videos import processing
from videos.models import SetVideo, VideoComment, VideoUpload

pytestmark = pytest.mark.django_db

CHUNK = 1024


@pytest.fixture(autouse=True)
def small_chunks(settings, media_root):
    settings.VIDEO_UPLOAD_CHUNK_BYTES = CHUNK


def _start(client, a_set, size: int):
    return client.post(reverse("videos:set-upload-start", args=[a_set.pk]), {"size": size})


def _put(client, url: str, data: bytes, first: int, size: int):
    return client.put(
        url,
        data,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes {first}-{first + len(data) - 1}/{size}",
    )


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _send_from(client, url: str, data: bytes, first: int = 0):
    """Every chunk from `first`, in order; the last answer."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        for start in range(first, len(data), CHUNK):
            response = _put(client, url, data[start : start + CHUNK], start, len(data))
    return response


def test_chunks_in_order_make_the_video_as_received_with_its_job(
    athlete_client, a_set, h264, media_root
):
    data = h264.read_bytes()
    assert len(data) > 2 * CHUNK  # several chunks
    started = _start(athlete_client, a_set, len(data))
    assert started.status_code == 201
    state = started.json()
    assert (state["offset"], state["size"], state["chunk"]) == (0, len(data), CHUNK)
    first = _put(athlete_client, state["url"], data[:CHUNK], 0, len(data))
    assert (first.status_code, first.json()["offset"]) == (200, CHUNK)
    last = _send_from(athlete_client, state["url"], data, CHUNK)
    clip = SetVideo.objects.get()
    assert last.status_code == 201
    assert last.json() == {"location": clip.get_absolute_url()}
    assert (clip.set, clip.owner, clip.upload_size) == (a_set, a_set.session.user, len(data))
    assert clip.size == len(data) + processing.POSTER_ESTIMATE_BYTES  # until the poster is made
    assert (media_root / clip.original.name).read_bytes() == data
    assert DBTaskResult.objects.filter(task_path="videos.tasks.process_video").count() == 1
    assert not VideoUpload.objects.exists()
    assert [p.name for p in _files(media_root)] == ["upload.mp4"]  # no chunk left


def test_a_repeated_chunk_is_a_no_op(athlete_client, a_set, h264, media_root):
    data = h264.read_bytes()
    url = _start(athlete_client, a_set, len(data)).json()["url"]
    _put(athlete_client, url, data[:CHUNK], 0, len(data))
    again = _put(athlete_client, url, data[:CHUNK], 0, len(data))
    assert (again.status_code, again.json()["offset"]) == (200, CHUNK)
    assert VideoUpload.objects.get().received == CHUNK
    assert len(_files(media_root)) == 1


def test_a_gap_is_refused_with_the_offset_to_send_from(athlete_client, a_set, h264, media_root):
    data = h264.read_bytes()
    url = _start(athlete_client, a_set, len(data)).json()["url"]
    _put(athlete_client, url, data[:CHUNK], 0, len(data))
    gap = _put(athlete_client, url, data[2 * CHUNK : 3 * CHUNK], 2 * CHUNK, len(data))
    assert gap.status_code == 409
    assert gap.json()["offset"] == CHUNK
    assert VideoUpload.objects.get().received == CHUNK


def test_a_chunk_whose_range_does_not_match_is_refused(athlete_client, a_set, h264, settings):
    data = h264.read_bytes()
    url = _start(athlete_client, a_set, len(data)).json()["url"]
    wrong_total = _put(athlete_client, url, data[:CHUNK], 0, len(data) + 1)
    assert wrong_total.status_code == 400
    short = athlete_client.put(
        url, data[:10], content_type="application/octet-stream", HTTP_CONTENT_RANGE="bytes 0-99/5"
    )
    assert short.status_code == 400
    settings.VIDEO_UPLOAD_CHUNK_BYTES = CHUNK // 2
    too_big = _put(athlete_client, url, data[:CHUNK], 0, len(data))
    assert too_big.status_code == 400
    assert VideoUpload.objects.get().received == 0


def test_an_upload_resumes_after_a_failure_into_a_byte_identical_file(
    athlete_client, a_set, h264, media_root, monkeypatch
):
    data = h264.read_bytes()
    url = _start(athlete_client, a_set, len(data)).json()["url"]
    _put(athlete_client, url, data[:CHUNK], 0, len(data))
    # The second chunk's bytes are stored, then the request dies before its row commits.
    real_save = VideoUpload.save

    def dies(self, *args, **kwargs):
        monkeypatch.setattr(VideoUpload, "save", real_save)
        raise OSError("connection reset")

    monkeypatch.setattr(VideoUpload, "save", dies)
    with pytest.raises(OSError, match="connection reset"):
        _put(athlete_client, url, data[CHUNK : 2 * CHUNK], CHUNK, len(data))
    where = athlete_client.get(url)
    assert (where.status_code, where.json()["offset"]) == (200, CHUNK)
    assert _send_from(athlete_client, url, data, where.json()["offset"]).status_code == 201
    clip = SetVideo.objects.get()
    assert (media_root / clip.original.name).read_bytes() == data
    assert [p.name for p in _files(media_root)] == ["upload.mp4"]


def test_another_users_upload_is_404(client, athlete_client, other_user, a_set, h264):
    data = h264.read_bytes()
    url = _start(athlete_client, a_set, len(data)).json()["url"]
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    assert _put(client, url, data[:CHUNK], 0, len(data)).status_code == 404
    assert _start(client, a_set, len(data)).status_code == 404
    assert VideoUpload.objects.get().received == 0


def test_an_unfinished_upload_goes_with_its_chunks_when_it_expires(
    athlete_client, a_set, h264, media_root, settings
):
    data = h264.read_bytes()
    url = _start(athlete_client, a_set, len(data)).json()["url"]
    _put(athlete_client, url, data[:CHUNK], 0, len(data))
    upload = VideoUpload.objects.get()
    job = DBTaskResult.objects.get(task_path="videos.tasks.discard_expired_uploads")
    assert job.run_after == upload.expires_at
    lifetime = upload.expires_at - upload.created_at
    assert abs(lifetime - settings.VIDEO_UPLOAD_LIFETIME) < datetime.timedelta(seconds=1)
    assert len(_files(media_root)) == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert job.task.call() == 0  # not yet expired: kept
        VideoUpload.objects.update(expires_at=timezone.now())
        assert job.task.call() == 1
    assert not VideoUpload.objects.exists()
    assert _files(media_root) == []
    assert athlete_client.get(url).status_code == 404


def test_the_video_cron_removes_expired_uploads_too(athlete_client, a_set, h264, media_root):
    data = h264.read_bytes()
    _start(athlete_client, a_set, len(data))
    VideoUpload.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("requeue_videos", stdout=out)
    assert "Removed 1 expired unfinished upload(s)." in out.getvalue()
    assert not VideoUpload.objects.exists()


def test_a_refused_file_leaves_no_upload_chunk_or_video(
    athlete_client, a_set, tmp_path, media_root
):
    from PIL import Image

    picture = tmp_path / "holiday.mp4"
    Image.new("RGB", (96, 96), "red").save(picture, "BMP")
    data = picture.read_bytes()
    url = _start(athlete_client, a_set, len(data)).json()["url"]
    last = _send_from(athlete_client, url, data)
    assert last.status_code == 400
    assert last.json() == {"error": processing.NOT_A_VIDEO}
    assert not VideoUpload.objects.exists()
    assert not SetVideo.objects.exists()
    assert _files(media_root) == []


def test_open_uploads_count_against_the_quota(athlete_client, a_set, h264, settings):
    size = h264.stat().st_size
    settings.VIDEO_QUOTA_BYTES = size + 10
    assert _start(athlete_client, a_set, size).status_code == 201
    second = _start(athlete_client, a_set, size)
    assert second.status_code == 400
    assert second.json()["error"].startswith("This video (")
    upload = SimpleUploadedFile("set.mp4", h264.read_bytes(), content_type="video/mp4")
    plain = athlete_client.post(reverse("videos:set-video", args=[a_set.pk]), {"file": upload})
    assert plain.status_code == 400
    assert plain.context["form"].errors["file"][0].startswith("This video (")
    assert VideoUpload.objects.count() == 1


def test_the_upload_rate_limit_counts_upload_sessions(athlete_client, a_set, h264, settings):
    settings.VIDEO_UPLOADS_PER_HOUR = 1
    assert _start(athlete_client, a_set, 1000).status_code == 201
    refused = _start(athlete_client, a_set, 1000)
    assert refused.status_code == 429
    assert refused.json()["error"] == (
        "You have uploaded 1 video in the last hour, the most we take; try again in 60 minutes."
    )
    assert VideoUpload.objects.count() == 1


def test_an_upload_refused_at_its_start_does_not_count_against_the_rate_limit(
    athlete_client, a_set, settings
):
    settings.VIDEO_UPLOADS_PER_HOUR = 1
    assert _start(athlete_client, a_set, 0).status_code == 400
    assert _start(athlete_client, a_set, 300 * 1024 * 1024).status_code == 400
    assert _start(athlete_client, a_set, 1000).status_code == 201
    assert _start(athlete_client, a_set, 1000).status_code == 429


def test_a_file_refused_once_all_its_chunks_came_does_not_count_against_the_rate_limit(
    athlete_client, a_set, settings, media_root
):
    settings.VIDEO_UPLOADS_PER_HOUR = 1
    text = b"not a video, only named like one " * 40
    started = _start(athlete_client, a_set, len(text))
    refused = _send_from(athlete_client, started.json()["url"], text)
    assert refused.status_code == 400
    assert _start(athlete_client, a_set, 1000).status_code == 201  # the hour's one upload
    assert _start(athlete_client, a_set, 1000).status_code == 429


def test_an_empty_or_oversized_upload_is_refused_before_any_chunk(athlete_client, a_set):
    assert _start(athlete_client, a_set, 0).json() == {"error": processing.EMPTY}
    huge = _start(athlete_client, a_set, 300 * 1024 * 1024)
    assert huge.json() == {"error": "The video is 300 MB; the limit is 200 MB."}
    assert not VideoUpload.objects.exists()


# A clip of one side of the session


def _side_url(session, side: str, name: str = "videos:side-video") -> str:
    return reverse(name, args=[session.pk, side])


def test_the_session_page_offers_to_film_each_side(athlete_client, session):
    page = athlete_client.get(session.get_absolute_url()).content.decode()
    assert "Film the left side" in page
    assert _side_url(session, "left") in page
    assert _side_url(session, "right") in page


def test_the_session_page_lists_its_side_clips_with_the_coachs_new_comments(
    athlete_client, user, session, linked_coach
):
    athlete_client.get(session.get_absolute_url())  # the ladder and roles kept, as ever after
    with CaptureQueriesContext(connection) as without_clips:
        athlete_client.get(session.get_absolute_url())
    ready = SetVideo.objects.create(
        owner=user, session=session, side="right", original="v/a.mp4", size=1, status="ready"
    )
    SetVideo.objects.create(owner=user, session=session, side="left", original="v/b.mp4", size=1)
    VideoComment.objects.create(video=ready, author=linked_coach, at_seconds=1, text="Knee out")
    VideoComment.objects.create(video=ready, author=user, at_seconds=2, text="Mine")

    with CaptureQueriesContext(connection) as with_clips:
        page = athlete_client.get(session.get_absolute_url()).content.decode()

    assert len(with_clips) == len(without_clips) + 1  # the clips, read only when there are some
    clips = page[page.index("side-videos__clips") : page.index("Film the left side")]
    text = " ".join(re.sub(r"<[^>]+>", " ", clips).split())
    assert re.search(r"Left side, \d+ \w+, \d\d:\d\d · processing", text)
    assert re.search(r"Right side, \d+ \w+, \d\d:\d\d · not analysed · 1 new comment\b", text)
    assert ready.get_absolute_url() in clips


def test_a_clip_of_one_side_is_uploaded_and_watched_by_its_owner_and_coach(
    client, athlete_client, session, h264, media_root, linked_coach
):
    page = athlete_client.get(_side_url(session, "left"))
    assert page.status_code == 200
    assert "Video of this side" in page.content.decode()
    upload = SimpleUploadedFile("side.mp4", h264.read_bytes(), content_type="video/mp4")
    response = athlete_client.post(_side_url(session, "left"), {"file": upload})
    clip = SetVideo.objects.get()
    assert response["Location"] == clip.get_absolute_url()
    assert (clip.set, clip.side, clip.session) == (None, "left", session)
    assert "Left side" in athlete_client.get(clip.get_absolute_url()).content.decode()
    listed = athlete_client.get(_side_url(session, "left")).content.decode()
    assert clip.get_absolute_url() in listed
    assert (
        clip.get_absolute_url()
        not in athlete_client.get(_side_url(session, "right")).content.decode()
    )
    client.force_login(linked_coach)
    assert client.get(clip.get_absolute_url()).status_code == 200
    assert client.get(_side_url(session, "left")).status_code == 404


def test_a_side_clip_can_be_sent_in_chunks(athlete_client, session, h264, media_root):
    data = h264.read_bytes()
    started = athlete_client.post(
        _side_url(session, "right", "videos:side-upload-start"), {"size": len(data)}
    )
    assert started.status_code == 201
    assert _send_from(athlete_client, started.json()["url"], data).status_code == 201
    clip = SetVideo.objects.get()
    assert (clip.set, clip.side) == (None, "right")


def test_another_users_session_side_takes_no_video(client, other_user, session, h264, media_root):
    client.force_login(other_user)
    upload = SimpleUploadedFile("side.mp4", h264.read_bytes(), content_type="video/mp4")
    assert client.get(_side_url(session, "left")).status_code == 404
    assert client.post(_side_url(session, "left"), {"file": upload}).status_code == 404
    start = _side_url(session, "left", "videos:side-upload-start")
    assert client.post(start, {"size": 1000}).status_code == 404
    assert not SetVideo.objects.exists()
    assert not VideoUpload.objects.exists()


@pytest.mark.parametrize("side", ["both", "unknown", "sideways"])
def test_a_side_the_session_does_not_have_is_404(athlete_client, session, side):
    # The session's level is one side at a time: left and right only.
    assert athlete_client.get(_side_url(session, side)).status_code == 404
    start = _side_url(session, side, "videos:side-upload-start")
    assert athlete_client.post(start, {"size": 1000}).status_code == 404
