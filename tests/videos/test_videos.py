"""Set videos: what an upload must be, the background job, serving with byte ranges, the
coach's comments, and that every file goes with its video."""

from __future__ import annotations

import datetime
import io
import re
import uuid
from decimal import Decimal
from pathlib import Path

import av
import pytest
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, TestCase
from django.urls import resolve, reverse
from django.utils import dateformat, timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from coaches import review_queue, services
from coaches.models import AuditEntry, CoachLink
from core.middleware import RequestSizeLimitMiddleware
from tests.videos.clips import GPS, make_clip
from training.level import advice_for, recent_history
from training.models import Profile, Set, TrainingSession
from videos import processing as video
from videos import tasks
from videos.models import AnalysisStatus, SetVideo, VideoAnalysis, VideoComment, VideoStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def hevc(tmp_path) -> Path:
    return make_clip(tmp_path / "iphone.mp4", codec="libx265")


def _upload(client, a_set, path: Path, name: str | None = None):
    data = path.read_bytes()
    upload = SimpleUploadedFile(name or path.name, data, content_type="video/mp4")
    return client.post(reverse("videos:set-video", args=[a_set.pk]), {"file": upload})


def _stored(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _ready(clip: SetVideo) -> SetVideo:
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.process_video.call(clip.pk)
    clip.refresh_from_db()
    return clip


# Uploading


def test_an_upload_answers_at_once_processing_with_its_job_queued(
    athlete_client, a_set, h264, media_root
):
    response = _upload(athlete_client, a_set, h264)
    clip = SetVideo.objects.get()
    assert response.status_code == 302
    assert response["Location"] == clip.get_absolute_url()
    assert (clip.status, clip.owner, clip.set, clip.session) == (
        VideoStatus.PROCESSING,
        a_set.session.user,
        a_set,
        a_set.session,
    )
    job = DBTaskResult.objects.get()
    assert job.task_path == "videos.tasks.process_video"
    assert job.args_kwargs["args"] == [clip.pk]
    page = athlete_client.get(clip.get_absolute_url())
    assert b"Processing the video" in page.content  # where the page shows its state, live
    assert [str(m) for m in page.context["messages"]] == ["Video uploaded."]  # true once done
    assert b"<video" not in page.content


def test_an_upload_too_short_to_show_a_rep_is_kept_with_a_warning(
    athlete_client, a_set, tmp_path, media_root
):
    short = make_clip(tmp_path / "short.mp4", seconds=0.5)
    response = _upload(athlete_client, a_set, short)
    assert response.status_code == 302  # kept: a coach may still want to see it
    page = athlete_client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "Video uploaded.",
        "This clip is 0.5 s long: too short to show a whole rep, which takes 2 s at the "
        "fastest tempo, so the camera cannot judge one in it. Film the whole set to have its "
        "reps read.",
    ]
    assert [m.level_tag for m in page.context["messages"]] == ["success", "warning"]


def test_an_upload_long_enough_for_a_rep_gets_no_warning(athlete_client, a_set, tmp_path):
    long_enough = make_clip(tmp_path / "set.mp4", seconds=2)
    page = athlete_client.get(_upload(athlete_client, a_set, long_enough)["Location"])
    assert [str(m) for m in page.context["messages"]] == ["Video uploaded."]


def test_a_video_takes_comments_once_ready_and_its_page_says_so_until_then(
    athlete_client, a_set, h264, media_root, linked_coach
):
    clip = SetVideo.objects.get(pk=_upload_pk(athlete_client, a_set, h264))
    comment = reverse("videos:comment", args=[clip.pk])
    page = athlete_client.get(clip.get_absolute_url()).content.decode()
    assert "Comments open once the video is ready." in page
    assert comment not in page  # no form that would refuse
    _ready(clip)
    # The page's status poll brings the player, and the comment form with it (out of band).
    poll = athlete_client.get(
        clip.get_absolute_url(), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="video-status"
    ).content.decode()
    assert '<video id="clip"' in poll
    assert re.search(r'<section id="comment-card"[^>]* hx-swap-oob="true"', poll)
    assert f'action="{comment}"' in poll
    assert "Comments open once" not in poll
    page = athlete_client.get(clip.get_absolute_url()).content.decode()
    assert f'action="{comment}"' in page
    assert "hx-swap-oob" not in page

    SetVideo.objects.filter(pk=clip.pk).update(status=VideoStatus.FAILED, failure="Broken.")
    page = athlete_client.get(clip.get_absolute_url()).content.decode()
    assert "This video could not be processed, so it takes no comments." in page
    assert comment not in page


def _listed(client, a_set) -> list[str]:
    """The set's videos as its page lists them, in words."""
    page = client.get(reverse("videos:set-video", args=[a_set.pk])).content.decode()
    listed = page[page.index('id="videos-title"') : page.index("</section>")]
    items = re.findall(r"<li>(.*?)</li>", listed, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def test_the_sets_videos_are_listed_with_how_the_camera_read_them(
    athlete_client, a_set, h264, tmp_path, media_root
):
    _ready(SetVideo.objects.get(pk=_upload_pk(athlete_client, a_set, h264)))
    short = make_clip(tmp_path / "short.mp4", seconds=0.5)
    _upload(athlete_client, a_set, short)
    first, second = SetVideo.objects.order_by("pk")
    VideoAnalysis.objects.filter(video=first).update(
        status=AnalysisStatus.DONE, result={"reps": [{"number": 1}, {"number": 2}]}
    )
    uploaded = [
        f"Uploaded {dateformat.format(timezone.localtime(clip.created_at), 'j M, H:i')}"
        for clip in (second, first)
    ]
    assert _listed(athlete_client, a_set) == [
        f"{uploaded[0]} processing",
        f"{uploaded[1]} 2 reps read",
    ]


def _upload_pk(client, a_set, path: Path) -> int:
    """Upload and open the video's page, as the browser follows the upload there."""
    location = _upload(client, a_set, path)["Location"]
    client.get(location)
    return resolve(location).kwargs["pk"]


def test_the_same_file_uploaded_twice_to_a_set_is_kept_and_pointed_out(
    athlete_client, a_set, h264, tmp_path, media_root
):
    first = SetVideo.objects.get(pk=_upload_pk(athlete_client, a_set, h264))
    _ready(first)  # its stored copies differ from the upload: the upload's own size is kept
    response = _upload(athlete_client, a_set, h264)
    assert response.status_code == 302  # kept: it may be meant
    at = dateformat.format(timezone.localtime(first.created_at), "H:i")
    page = athlete_client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "Video uploaded.",
        f"This looks like the video you uploaded at {at} (the same size and length): if it is "
        "the same, delete one of them.",
    ]
    listed = _listed(athlete_client, a_set)
    assert listed[0].endswith(f"processing · looks like the video uploaded at {at}")
    assert "looks like" not in listed[1]

    other = make_clip(tmp_path / "other.mp4", seconds=3)
    page = athlete_client.get(_upload(athlete_client, a_set, other)["Location"])
    assert [str(m) for m in page.context["messages"]] == ["Video uploaded."]


def _file_inputs(page: str) -> dict[str, str]:
    """Each file input's label text and tag."""
    found = re.findall(
        r'<label class="file-choice" for="([^"]+)"><span[^>]*>([^<]+)</span>\s*(<input[^>]*>)', page
    )
    return {label: tag for _, label, tag in found}


def test_the_upload_offers_both_the_camera_and_a_clip_already_on_the_phone(athlete_client, a_set):
    page = athlete_client.get(reverse("videos:set-video", args=[a_set.pk])).content.decode()
    inputs = _file_inputs(page)
    assert list(inputs) == ["Film now", "Choose a clip"]
    assert all('type="file"' in tag and 'accept="video/*"' in tag for tag in inputs.values())
    assert all('name="file"' in tag for tag in inputs.values())
    # A capture input opens the camera straight away: the other must not have it.
    assert 'capture="environment"' in inputs["Film now"]
    assert "capture" not in inputs["Choose a clip"]
    assert "<legend>Video of this set</legend>" in page


def test_a_clip_chosen_with_the_camera_input_left_empty_is_saved(athlete_client, a_set, h264):
    # As a browser posts the two inputs of one name: the empty one (no file name) first.
    boundary = "film-or-choose"
    part = 'Content-Disposition: form-data; name="file"; filename="{}"\r\nContent-Type: {}\r\n\r\n'
    body = (
        f"--{boundary}\r\n{part.format('', 'application/octet-stream')}\r\n".encode()
        + f"--{boundary}\r\n{part.format('clip.mp4', 'video/mp4')}".encode()
        + h264.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = athlete_client.post(
        reverse("videos:set-video", args=[a_set.pk]),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302
    assert SetVideo.objects.get().set == a_set


def _refused(client, a_set, path, name=None) -> str:
    response = _upload(client, a_set, path, name)
    assert response.status_code == 400
    assert not SetVideo.objects.exists()
    assert not DBTaskResult.objects.exists()
    return response.context["form"].errors["file"][0]


def test_it_refuses_a_picture_called_mp4(athlete_client, a_set, tmp_path, media_root):
    from PIL import Image

    picture = tmp_path / "holiday.mp4"
    Image.new("RGB", (64, 64), "red").save(picture, "PNG")
    assert _refused(athlete_client, a_set, picture) == video.NOT_A_VIDEO
    assert _stored(media_root) == []


def test_it_refuses_an_empty_file(athlete_client, a_set, tmp_path, media_root):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert _refused(athlete_client, a_set, empty) == video.EMPTY


def test_it_refuses_a_polyglot_whose_video_follows_other_bytes(
    athlete_client, a_set, h264, tmp_path, media_root
):
    # A page with a whole MP4 after it: FFmpeg may still find the video, we do not.
    polyglot = tmp_path / "page.mp4"
    polyglot.write_bytes(b"<html><script>alert(1)</script></html>\n" + h264.read_bytes())
    assert _refused(athlete_client, a_set, polyglot) == video.NOT_A_VIDEO


def test_it_refuses_a_truncated_video(athlete_client, a_set, h264, tmp_path, media_root):
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(h264.read_bytes()[:200])
    assert _refused(athlete_client, a_set, cut) == video.DAMAGED


def test_it_refuses_a_video_over_a_minute(athlete_client, a_set, tmp_path, media_root):
    long = make_clip(tmp_path / "long.mp4", seconds=61, size=(32, 32), fps=1, audio=False)
    message = _refused(athlete_client, a_set, long)
    assert message.startswith("The video is longer than 60 seconds")


def test_it_refuses_absurd_dimensions(athlete_client, a_set, tmp_path, media_root):
    tall = make_clip(tmp_path / "tall.mp4", size=(16, 4352), fps=2, audio=False)
    assert _refused(athlete_client, a_set, tall) == (
        "The video is 16 × 4352 pixels; each side must be between 16 and 4,096."
    )


def test_it_refuses_more_frames_than_a_minute_of_slow_motion(
    athlete_client, a_set, tmp_path, media_root, monkeypatch
):
    monkeypatch.setattr(video, "MAX_FRAMES", 5)
    clip = make_clip(tmp_path / "many.mp4", audio=False)
    assert _refused(athlete_client, a_set, clip).startswith("The video has more than 5 frames")


def test_it_refuses_a_file_over_the_size_limit(a_set, h264):
    with h264.open("rb") as handle, pytest.raises(video.VideoRejected) as refused:
        video.probe(handle, 300 * 1024 * 1024)
    assert str(refused.value) == "The video is 300 MB; the limit is 200 MB."


def test_a_large_upload_passes_the_request_size_guard_only_at_its_own_address(rf, a_set):
    guard = RequestSizeLimitMiddleware(lambda request: HttpResponse("let through"))

    def refused(url: str, length: int) -> bool:
        try:
            guard.process_view(rf.post(url, CONTENT_LENGTH=str(length)), None, (), {})
        except RequestDataTooBig:  # answered 413 by the site's page for it
            return True
        return False

    video_address = reverse("videos:set-video", args=[a_set.pk])
    assert refused(reverse("training:log"), 150 * 1024 * 1024)
    assert not refused(video_address, 150 * 1024 * 1024)
    assert refused(video_address, 202 * 1024 * 1024)


def test_another_users_set_takes_no_video(client, other_user, a_set, h264, media_root):
    client.force_login(other_user)
    assert _upload(client, a_set, h264).status_code == 404
    assert client.get(reverse("videos:set-video", args=[a_set.pk])).status_code == 404
    assert not SetVideo.objects.exists()
    assert _stored(media_root) == []


def test_the_quota_refuses_with_a_message_and_keeps_nothing(
    athlete_client, a_set, h264, media_root, settings
):
    settings.VIDEO_QUOTA_BYTES = h264.stat().st_size + video.POSTER_ESTIMATE_BYTES + 10
    assert _upload(athlete_client, a_set, h264).status_code == 302
    message = _refused_after(athlete_client, a_set, h264)
    assert message.startswith("This video (")
    assert "of video storage" in message
    assert len(_stored(media_root)) == 1  # the first upload only


def test_the_quota_counts_the_copies_an_upload_will_get_until_they_are_made(
    athlete_client, a_set, h264, hevc, media_root, settings
):
    size = h264.stat().st_size
    counted = size + video.POSTER_ESTIMATE_BYTES  # plays as it is: a poster, no web copy
    settings.VIDEO_QUOTA_BYTES = counted - 1
    assert _refused(athlete_client, a_set, h264) == (
        f"This video ({video.describe_bytes(size)}, {video.describe_bytes(counted)} with the "
        "poster we make of it) would take you past your "
        f"{video.describe_bytes(counted - 1)} of video storage (0 bytes used); delete a video "
        "you no longer need and upload it again."
    )
    settings.VIDEO_QUOTA_BYTES = counted
    assert _upload(athlete_client, a_set, h264).status_code == 302
    clip = SetVideo.objects.get()
    assert (clip.size, clip.upload_size) == (counted, size)
    clip = _ready(clip)
    assert clip.size == sum(p.stat().st_size for p in _stored(media_root))  # what was made
    assert clip.size < counted

    # HEVC gets a web copy, counted as large as the original.
    SetVideo.objects.all().delete()
    DBTaskResult.objects.all().delete()
    size = hevc.stat().st_size
    settings.VIDEO_QUOTA_BYTES = 2 * size + video.POSTER_ESTIMATE_BYTES - 1
    assert "with the poster and web copy we make of it" in _refused(athlete_client, a_set, hevc)
    settings.VIDEO_QUOTA_BYTES += 1
    assert _upload(athlete_client, a_set, hevc).status_code == 302


def test_the_page_says_so_when_the_copies_took_the_trainee_past_the_quota(
    athlete_client, a_set, h264, media_root, settings
):
    _upload(athlete_client, a_set, h264)
    settings.VIDEO_QUOTA_BYTES = 3 * 1024 * 1024
    SetVideo.objects.update(size=3.7 * 1024 * 1024)  # its copies came out larger than counted
    page = athlete_client.get(reverse("videos:set-video", args=[a_set.pk])).content.decode()
    page = " ".join(page.split())
    assert "of your 3.0 MB for videos" not in page
    assert (
        "You use 3.7 MB for videos, more than your 3.0 MB: the copies made of a clip can come "
        "out larger than counted at its upload. Delete a video to upload another." in page
    )


def _refused_after(client, a_set, path) -> str:
    before = SetVideo.objects.count()
    response = _upload(client, a_set, path)
    assert response.status_code == 400
    assert SetVideo.objects.count() == before
    return response.context["form"].errors["file"][0]


def test_the_upload_rate_limit_refuses_with_a_message(
    athlete_client, a_set, h264, media_root, settings
):
    settings.VIDEO_UPLOADS_PER_HOUR = 2
    for _ in range(2):
        assert _upload(athlete_client, a_set, h264).status_code == 302
    response = _upload(athlete_client, a_set, h264)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "You have uploaded 2 videos in the last hour, the most we take; try again in 60 minutes."
    ]
    assert SetVideo.objects.count() == 2


def test_a_refused_file_does_not_count_against_the_upload_rate_limit(
    athlete_client, a_set, h264, media_root, settings
):
    settings.VIDEO_UPLOADS_PER_HOUR = 1
    for name, content in [("notes.mp4", b"not a video at all"), ("empty.mp4", b"")]:
        wrong = SimpleUploadedFile(name, content, content_type="video/mp4")
        refused = athlete_client.post(reverse("videos:set-video", args=[a_set.pk]), {"file": wrong})
        assert refused.status_code == 400
        assert refused.context["form"].errors["file"]
    assert _upload(athlete_client, a_set, h264).status_code == 302
    assert SetVideo.objects.count() == 1
    assert _upload(athlete_client, a_set, h264).status_code == 400  # the one of this hour


def test_a_failed_row_write_leaves_no_file(athlete_client, a_set, h264, media_root, monkeypatch):
    class Unqueueable:
        def using(self, **options):
            return self

        def enqueue(self, *args):
            raise RuntimeError("database went away")

    monkeypatch.setattr(tasks, "process_video", Unqueueable())
    with pytest.raises(RuntimeError):
        _upload(athlete_client, a_set, h264)
    assert not SetVideo.objects.exists()
    assert _stored(media_root) == []


# Processing


def test_processing_strips_the_location_and_makes_a_poster(athlete_client, a_set, h264, media_root):
    with av.open(str(h264)) as phone:
        assert phone.metadata["location"].startswith(GPS[:9])
    assert b"loci" in h264.read_bytes()  # MP4's location box
    _upload(athlete_client, a_set, h264)
    clip = _ready(SetVideo.objects.get())
    assert clip.status == VideoStatus.READY
    assert not clip.rendition
    data = (media_root / clip.original.name).read_bytes()
    assert b"loci" not in data
    with av.open(str(media_root / clip.original.name)) as out:
        assert "location" not in out.metadata
        assert len(out.streams) == 2
        assert out.streams.video[0].codec_context.name == "h264"
    poster = (media_root / clip.poster.name).read_bytes()
    assert poster.startswith(b"\xff\xd8\xff")
    # The upload as received, metadata and all, is gone; what remains is counted.
    assert sorted(p.name for p in _stored(media_root)) == ["original.mp4", "poster.jpg"]
    assert clip.size == sum(p.stat().st_size for p in _stored(media_root))


def test_hevc_gets_an_h264_rendition_at_most_720p(athlete_client, a_set, tmp_path, media_root):
    big = make_clip(tmp_path / "iphone.mp4", codec="libx265", size=(1280, 960), fps=5)
    _upload(athlete_client, a_set, big)
    clip = _ready(SetVideo.objects.get())
    assert clip.status == VideoStatus.READY
    assert clip.playback_type == "video/mp4"
    with av.open(str(media_root / clip.rendition.name)) as out:
        stream = out.streams.video[0].codec_context
        assert (stream.name, stream.width, stream.height) == ("h264", 960, 720)
        assert out.streams.audio[0].codec_context.name == "aac"
        assert "location" not in out.metadata
    with av.open(str(media_root / clip.original.name)) as kept:
        assert kept.streams.video[0].codec_context.name == "hevc"


def _is_red(pixel) -> bool:
    red, green, blue = pixel[:3]
    return red > 200 and green < 60 and blue < 60


def test_a_portrait_phone_clip_gets_an_upright_poster_and_rendition(
    athlete_client, a_set, tmp_path, media_root
):
    # Filmed upright: landscape frames whose display matrix turns them 90° clockwise, so
    # their red left half is at the top when shown.
    portrait = make_clip(tmp_path / "portrait.mp4", codec="libx265", size=(160, 96), rotation=-90)
    _upload(athlete_client, a_set, portrait)
    clip = SetVideo.objects.get()
    assert (clip.width, clip.height) == (96, 160)  # as it is shown
    clip = _ready(clip)
    poster = Image.open(media_root / clip.poster.name)
    assert poster.size == (96, 160)
    assert _is_red(poster.getpixel((48, 10)))
    assert not _is_red(poster.getpixel((48, 150)))
    with av.open(str(media_root / clip.rendition.name)) as out:
        frame = next(out.decode(video=0))
        # Turned in its pixels, so no player turns it again.
        assert (frame.width, frame.height, frame.rotation) == (96, 160, 0)
        picture = frame.to_image()
        assert _is_red(picture.getpixel((48, 10)))
        assert not _is_red(picture.getpixel((48, 150)))
    # The original keeps its streams as filmed, and the matrix browsers turn it by.
    with av.open(str(media_root / clip.original.name)) as kept:
        assert next(kept.decode(video=0)).rotation == -90


def test_a_failing_job_retries_then_shows_the_athlete_why(
    athlete_client, a_set, h264, media_root, monkeypatch
):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(video, "process", broken)
    _upload(athlete_client, a_set, h264)
    clip = SetVideo.objects.get()
    DBTaskResult.objects.all().delete()
    for attempt in range(1, tasks.MAX_ATTEMPTS):
        assert tasks.process_video.call(clip.pk) == "retrying"
        clip.refresh_from_db()
        assert (clip.status, clip.attempts) == (VideoStatus.PROCESSING, attempt)
        assert DBTaskResult.objects.filter(run_after__gt=timezone.now()).count() == attempt
    assert tasks.process_video.call(clip.pk) == "failed"
    clip.refresh_from_db()
    assert clip.status == VideoStatus.FAILED
    assert "OSError: disk full" in clip.failure
    assert DBTaskResult.objects.count() == tasks.MAX_ATTEMPTS - 1  # no further retry
    page = athlete_client.get(clip.get_absolute_url()).content.decode()
    assert "could not be processed" in page
    assert "disk full" in page
    assert [p.name for p in _stored(media_root)] == ["upload.mp4"]


@pytest.mark.django_db(transaction=True)
def test_a_job_a_killed_worker_left_is_run_again_by_the_worker(
    guide_content, client, user, a_set, h264, media_root
):
    client.force_login(user)
    _upload(client, a_set, h264)
    clip = SetVideo.objects.get()
    # As a worker killed mid-job leaves it: claimed, never finished.
    job = DBTaskResult.objects.get()
    job.claim("killed-worker")
    SetVideo.objects.filter(pk=clip.pk).update(
        attempts=1, job_started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("requeue_videos", stdout=io.StringIO())
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    clip.refresh_from_db()
    assert (clip.status, clip.attempts) == (VideoStatus.READY, 2)


def test_a_clip_that_kills_the_worker_every_time_ends_failed(a_set, h264, media_root, user):
    clip = SetVideo.objects.create(
        owner=user, session=a_set.session, set=a_set, original="videos/x/upload.mp4", size=1
    )
    SetVideo.objects.filter(pk=clip.pk).update(attempts=tasks.MAX_ATTEMPTS)
    assert tasks.process_video.call(clip.pk) == "nothing to do"
    clip.refresh_from_db()
    assert clip.status == VideoStatus.FAILED
    assert clip.failure.startswith("Processing stopped after 3")


# Serving


@pytest.fixture
def ready_clip(athlete_client, a_set, h264, media_root) -> SetVideo:
    _upload(athlete_client, a_set, h264)
    return _ready(SetVideo.objects.get())


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_video_is_served_with_byte_ranges(athlete_client, ready_clip, media_root):
    data = (media_root / ready_clip.original.name).read_bytes()
    url = reverse("videos:file", args=[ready_clip.pk, "play"])
    whole = athlete_client.get(url)
    assert whole.status_code == 200
    assert _body(whole) == data
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "video/mp4"
    assert whole["X-Content-Type-Options"] == "nosniff"
    # The view's own "private, no-store", and the middleware's never-cache for /videos/.
    directives = {part.strip() for part in whole["Cache-Control"].split(",")}
    assert directives == {"private", "no-store", "no-cache", "must-revalidate", "max-age=0"}
    part = athlete_client.get(url, HTTP_RANGE="bytes=100-199", HTTP_ACCEPT_ENCODING="gzip")
    assert part.status_code == 206
    assert _body(part) == data[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert part["Content-Length"] == "100"
    tail = athlete_client.get(url, HTTP_RANGE="bytes=-50")
    assert _body(tail) == data[-50:]
    assert tail["Content-Range"] == f"bytes {len(data) - 50}-{len(data) - 1}/{len(data)}"
    open_ended = athlete_client.get(url, HTTP_RANGE=f"bytes={len(data) - 10}-")
    assert _body(open_ended) == data[-10:]
    beyond = athlete_client.get(url, HTTP_RANGE=f"bytes={len(data)}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(data)}"


def test_a_file_missing_from_storage_is_not_found_not_a_server_error(
    athlete_client, ready_clip, media_root
):
    # A poster lost from storage (a restore without media, a disk cleaned by hand), and a
    # poster never made: the page's image is missing, the server does not fail.
    (media_root / ready_clip.poster.name).unlink()
    url = reverse("videos:file", args=[ready_clip.pk, "poster"])
    assert athlete_client.get(url).status_code == 404
    SetVideo.objects.filter(pk=ready_clip.pk).update(poster="")
    assert athlete_client.get(url).status_code == 404
    play = athlete_client.get(reverse("videos:file", args=[ready_clip.pk, "play"]))
    assert play.status_code == 200


def test_the_public_media_view_never_serves_a_video_or_its_poster(client, ready_clip):
    assert client.get(f"/media/{ready_clip.poster.name}").status_code == 404
    assert client.get(f"/media/{ready_clip.original.name}").status_code == 404


def test_a_coach_sees_the_video_only_while_linked(client, ready_clip, linked_coach, user):
    url = reverse("videos:file", args=[ready_clip.pk, "poster"])
    client.force_login(linked_coach)
    assert client.get(url).status_code == 200
    services.end_link(CoachLink.objects.get(coach=linked_coach, athlete=user), user)
    assert client.get(url).status_code == 404
    assert client.get(ready_clip.get_absolute_url()).status_code == 404


# The coach's review


def test_the_coach_queue_shows_each_unreviewed_clip(client, ready_clip, linked_coach):
    client.force_login(linked_coach)
    page = client.get(reverse("coaches:dashboard")).content.decode()
    assert page.count("Video to review:") == 1
    assert ready_clip.get_absolute_url() in page
    # Two clips of one set read alike but for when each came.
    uploaded = dateformat.format(timezone.localtime(ready_clip.created_at), "j M, H:i")
    assert f"set 1 on the left, uploaded {uploaded}</a>" in " ".join(page.split())
    response = client.post(reverse("videos:reviewed", args=[ready_clip.pk]))
    assert response.status_code == 302
    assert list(ready_clip.reviews.values_list("coach", flat=True)) == [linked_coach.pk]
    assert "Video to review:" not in client.get(reverse("coaches:dashboard")).content.decode()
    entry = AuditEntry.objects.get(action="video-reviewed", athlete=ready_clip.owner)
    day = dateformat.format(ready_clip.session.date, "j M Y")
    assert entry.detail == f"Marked the video of set 1 on the left, {day} reviewed."


def test_the_coach_queue_names_the_set_as_the_session_page_does(
    client, ready_clip, linked_coach, a_set, session
):
    # Sets 1 and 3 on the right before the filmed set (left, stored at position 5), and a
    # deleted set between: the session page calls it "Left 1", never its stored position.
    Set.objects.filter(pk=a_set.pk).update(position=5)
    for position in (1, 3):
        Set.objects.create(session=session, position=position, side="right", reps=8)
    client.force_login(linked_coach)
    page = client.get(reverse("coaches:dashboard")).content.decode()
    assert "set 1 on the left" in page
    assert "set 5" not in page


def test_a_coach_comments_at_a_moment_tagged_with_a_form_error(
    client, ready_clip, linked_coach, exercise, user
):
    error = exercise.form_errors.get(name__iexact="knee caving inward")
    client.force_login(linked_coach)
    url = reverse("videos:comment", args=[ready_clip.pk])
    response = client.post(
        url, {"at_seconds": "0.5", "text": "Watch the knee", "form_error": error.pk}
    )
    assert response.status_code == 302
    comment = VideoComment.objects.get()
    assert (comment.at_seconds, comment.form_error, comment.author) == (
        Decimal("0.50"),
        error,
        linked_coach,
    )
    client.force_login(user)
    page = client.get(ready_clip.get_absolute_url()).content.decode()
    assert 'data-seek="0.50"' in page
    assert error.get_absolute_url() in page


def test_it_says_a_comment_posted_through_htmx_was_added_in_the_status_beside_a_new_form(
    client, ready_clip, linked_coach
):
    client.force_login(linked_coach)
    response = client.post(
        reverse("videos:comment", args=[ready_clip.pk]),
        {"at_seconds": "1.25", "text": "Watch the knee"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_BOOSTED="true",
    )
    # The form sent gives way to a new one, where the focus stays (its fields' ids stay);
    # the comments come again, and the status region there beforehand says what was done.
    assert response.status_code == 200
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#comment-form", "outerHTML")
    assert response["HX-Push-Url"] == "false"
    html = " ".join(response.content.decode().split())
    assert html.lstrip().startswith('<form id="comment-form"')
    assert '<section id="comments" aria-labelledby="comments-title" hx-swap-oob="true">' in html
    assert "Watch the knee" in html
    # Its moment as the comments list shows it.
    assert 'data-seek="1.25">1.3 s</a>' in html
    assert (
        '<div id="comment-said" role="status" tabindex="-1" hx-swap-oob="innerHTML"> <p'
        ' class="message message--success">Comment added at 1.3 s.</p>' in html
    )
    assert VideoComment.objects.get().text == "Watch the knee"


@pytest.mark.parametrize("by", ["coach", "athlete"])
def test_it_says_a_comment_posted_without_javascript_was_added_beside_the_form(
    client, ready_clip, linked_coach, user, by
):
    client.force_login(linked_coach if by == "coach" else user)
    response = client.post(
        reverse("videos:comment", args=[ready_clip.pk]), {"at_seconds": "0.5", "text": "Knee?"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{ready_clip.get_absolute_url()}#comment-said"
    page = " ".join(client.get(response["Location"]).content.decode().split())
    said = (
        '<div id="comment-said" role="status" tabindex="-1"> <p class="message message--success">'
        "Comment added at 0.5 s.</p> </div>"
    )
    assert said in page
    # Said once, there: not again atop the page, nor on the next visit.
    assert page.count("Comment added at") == 1
    assert page.index('id="comment-card"') < page.index(said) < page.index('id="comment-form"')
    again = client.get(ready_clip.get_absolute_url()).content.decode()
    assert "Comment added at" not in again


def _shown_submission_id(html: str) -> str:
    return re.search(r'<input type="hidden" name="submission_id" value="([^"]+)"', html)[1]


def test_the_same_comment_posted_twice_saves_one_and_answers_as_saved(
    client, ready_clip, linked_coach, user
):
    """A double click, or the form sent from two tabs: its submission id saves it once."""
    client.force_login(linked_coach)
    url = reverse("videos:comment", args=[ready_clip.pk])
    page = client.get(ready_clip.get_absolute_url()).content.decode()
    data = {
        "at_seconds": "0.5",
        "text": "Watch the knee",
        "submission_id": _shown_submission_id(page),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert (
        first["Location"] == second["Location"] == f"{ready_clip.get_absolute_url()}#comment-said"
    )
    assert list(VideoComment.objects.values_list("text", flat=True)) == ["Watch the knee"]
    assert AuditEntry.objects.filter(athlete=user, action="video-comment").count() == 1
    # The page drawn again has a new form, which saves again.
    again = _shown_submission_id(client.get(ready_clip.get_absolute_url()).content.decode())
    assert again != data["submission_id"]
    assert client.post(url, {**data, "submission_id": again}).status_code == 302
    assert VideoComment.objects.count() == 2


def test_the_athletes_reply_posted_twice_saves_one(athlete_client, ready_clip, linked_coach):
    url = reverse("videos:comment", args=[ready_clip.pk])
    page = athlete_client.get(ready_clip.get_absolute_url()).content.decode()
    data = {"at_seconds": "0.5", "text": "Like this?", "submission_id": _shown_submission_id(page)}
    assert [athlete_client.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert VideoComment.objects.count() == 1


def test_it_refuses_a_comments_submission_id_another_person_used(
    client, ready_clip, linked_coach, user
):
    client.force_login(user)
    url = reverse("videos:comment", args=[ready_clip.pk])
    data = {"at_seconds": "0.5", "text": "Like this?", "submission_id": str(uuid.uuid4())}
    assert client.post(url, data).status_code == 302
    client.force_login(linked_coach)
    refused = client.post(url, {**data, "text": "Watch the knee"})
    assert refused.status_code == 409
    assert refused.context["comment_form"].non_field_errors() == [
        "This form was already used; reload the page and try again."
    ]
    assert list(VideoComment.objects.values_list("text", flat=True)) == ["Like this?"]


def test_a_comment_past_the_end_or_empty_is_refused(client, ready_clip, linked_coach):
    client.force_login(linked_coach)
    url = reverse("videos:comment", args=[ready_clip.pk])
    late = client.post(url, {"at_seconds": "5", "text": "late"})
    assert late.status_code == 400
    assert late.context["comment_form"].errors["at_seconds"] == ["The video is 2.0 seconds long."]
    empty = client.post(url, {"at_seconds": "0.2", "text": "  "})
    assert empty.status_code == 400
    for moment, said in (
        ("1e309", "Give a moment within the video, in seconds (12.25)."),
        ("0.499999", "Give the seconds with at most two decimals (12.25)."),
    ):
        odd = client.post(url, {"at_seconds": moment, "text": "odd"})
        assert odd.context["comment_form"].errors["at_seconds"] == [said]
    assert not VideoComment.objects.exists()


def test_the_athlete_replies_at_a_moment_and_the_video_goes_back_to_their_coach(
    athlete_client, ready_clip, linked_coach, user, exercise
):
    """The athlete answers a coach's comment, or asks, in words: a form error is the coach's
    to tag and "reviewed" the coach's to mark. Their reply puts the video back among those
    the coach has to review, and is no unread comment to themselves."""
    coach = Client()
    coach.force_login(linked_coach)
    coach.post(
        reverse("videos:comment", args=[ready_clip.pk]), {"at_seconds": "0.5", "text": "Knee?"}
    )
    coach.post(reverse("videos:reviewed", args=[ready_clip.pk]))
    assert not SetVideo.objects.to_review_by(linked_coach).exists()

    url = reverse("videos:comment", args=[ready_clip.pk])
    page = " ".join(athlete_client.get(ready_clip.get_absolute_url()).content.decode().split())
    assert "Reply or ask your coach, at a moment" in page
    assert 'name="form_error"' not in page
    error = exercise.form_errors.first()
    response = athlete_client.post(
        url, {"at_seconds": "0.6", "text": "It felt fine", "form_error": error.pk}
    )
    assert response.status_code == 302
    reply = VideoComment.objects.get(author=user)
    assert (reply.text, reply.form_error, reply.seen_at is not None) == ("It felt fine", None, True)
    assert list(SetVideo.objects.to_review_by(linked_coach)) == [ready_clip]
    assert not AuditEntry.objects.filter(actor=user, action="video-comment").exists()
    empty = athlete_client.post(url, {"at_seconds": "0.2", "text": " "})
    assert empty.status_code == 400
    assert empty.context["comment_form"].non_field_errors() == ["Write what you want to say."]
    assert "It felt fine" in coach.get(ready_clip.get_absolute_url()).content.decode()
    assert athlete_client.post(reverse("videos:reviewed", args=[ready_clip.pk])).status_code == 404


def test_it_offers_no_reply_once_coaching_ended_and_refuses_one_from_an_old_page(
    athlete_client, ready_clip, linked_coach, user
):
    coach = Client()
    coach.force_login(linked_coach)
    url = reverse("videos:comment", args=[ready_clip.pk])
    coach.post(url, {"at_seconds": "0.5", "text": "Knee out"})
    services.end_link(CoachLink.objects.get(coach=linked_coach, athlete=user), linked_coach)

    page = " ".join(athlete_client.get(ready_clip.get_absolute_url()).content.decode().split())
    assert "Reply or ask your coach" not in page
    assert f'action="{url}"' not in page
    assert '<h2 id="comment-title" class="card__title">No coach follows this video</h2>' in page
    assert (
        "No coach follows this video now: your coaching has ended, so a reply or question here "
        "would reach no one. The comments stay here for you to read." in page.replace("&#x27;", "'")
    )
    assert "Knee out" in page  # the coach's comment stays readable

    refused = athlete_client.post(url, {"at_seconds": "0.6", "text": "Like this?"})
    assert refused.status_code == 403
    assert refused.context["comment_form"].non_field_errors() == [
        "No coach follows this video now: your coaching has ended, so your reply was not sent "
        "or saved."
    ]
    assert "your reply was not sent or saved" in refused.content.decode()
    assert list(VideoComment.objects.values_list("text", flat=True)) == ["Knee out"]


# Deleting


def test_deleting_a_video_asks_first_naming_what_goes_with_it(athlete_client, ready_clip):
    page = athlete_client.get(ready_clip.get_absolute_url()).content.decode()
    action = reverse("videos:delete", args=[ready_clip.pk])
    form = re.search(rf'<form[^>]*action="{action}"[^>]*>', page)
    assert form is not None
    assert (
        "hx-confirm=\"Delete this video, every copy of it and any coach's comments on it? This "
        'cannot be undone."' in " ".join(form.group(0).split())
    )


def test_deleting_a_video_removes_every_file(athlete_client, a_set, hevc, media_root):
    _upload(athlete_client, a_set, hevc)
    clip = _ready(SetVideo.objects.get())
    assert len(_stored(media_root)) == 3  # original, poster, rendition
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = athlete_client.post(reverse("videos:delete", args=[clip.pk]))
    assert response.status_code == 302
    assert not SetVideo.objects.exists()
    assert _stored(media_root) == []


def test_deleting_the_account_removes_every_video_file(client, user, a_set, hevc, media_root):
    client.force_login(user)
    _upload(client, a_set, hevc)
    _ready(SetVideo.objects.get())
    assert _stored(media_root)
    with TestCase.captureOnCommitCallbacks(execute=True):
        user.delete()
    assert _stored(media_root) == []


def test_another_user_cannot_delete_a_video(client, other_user, ready_clip, media_root):
    client.force_login(other_user)
    assert client.post(reverse("videos:delete", args=[ready_clip.pk])).status_code == 404
    assert SetVideo.objects.filter(pk=ready_clip.pk).exists()


def test_the_backup_lists_the_video_files_and_rows(ready_clip, media_root, tmp_path):
    import json
    import zipfile

    out = tmp_path / "backup.zip"
    call_command("backup", str(out), "--with-media", stdout=io.StringIO())
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        rows = json.loads(archive.read("data.json"))
        names = archive.namelist()
    listed = {entry["path"] for entry in manifest["media"]}
    assert {ready_clip.original.name, ready_clip.poster.name} <= listed
    assert f"media/{ready_clip.original.name}" in names
    assert any(row["model"] == "videos.setvideo" for row in rows)


# A form error the coach tags counts like the athlete's own flag


def _clip_of(a_set: Set) -> SetVideo:
    return SetVideo.objects.create(
        owner=a_set.session.user,
        session=a_set.session,
        set=a_set,
        original=f"videos/{a_set.pk}/original.mp4",
        status=VideoStatus.READY,
        duration_seconds=5,
    )


def _tag(clip: SetVideo, coach, error) -> VideoComment:
    return VideoComment.objects.create(video=clip, author=coach, at_seconds=1, form_error=error)


def _sessions_with_a_set(user, variation, days: int) -> list[Set]:
    today = timezone.localdate()
    sets = []
    for back in range(days, 0, -1):
        day = TrainingSession.objects.create(
            user=user, date=today - datetime.timedelta(days=back), variation=variation
        )
        for position, side in enumerate(["left", "right"] * 3, start=1):
            sets.append(Set.objects.create(session=day, position=position, side=side, reps=12))
    return sets


def test_a_tagged_comment_counts_as_a_form_error_in_the_review_queue(
    user, linked_coach, exercise, bodyweight
):
    error = exercise.form_errors.get(name__iexact="knee caving inward")
    sets = _sessions_with_a_set(user, bodyweight, 3)
    assert "form-errors" not in [
        f.kind for f in review_queue.athlete_flags(user, timezone.localdate())
    ]
    for first_of_session in (sets[6], sets[12]):  # the two newest sessions; never seen
        _tag(_clip_of(first_of_session), linked_coach, error)
    flags = review_queue.athlete_flags(user, timezone.localdate())
    assert [f.text for f in flags if f.kind == "form-errors"] == [
        "Form errors in 2 of the last 3 sessions"
    ]


# (the athlete's own flag, the coach's tag, seen by the athlete) -> form errors on the set
SEEN_RULES = [
    (None, None, False, 0),
    (None, "knee caving inward", False, 0),  # not seen yet: not counted
    (None, "knee caving inward", True, 1),
    ("knee caving inward", "knee caving inward", True, 1),  # the same error, once
    ("knee caving inward", "knee caving inward", False, 1),
]


@pytest.mark.parametrize(("own", "tagged", "seen", "expected"), SEEN_RULES)
def test_progression_counts_a_tagged_error_once_the_athlete_has_seen_it(
    client, user, a_set, linked_coach, exercise, own, tagged, seen, expected
):
    if own:
        a_set.form_errors.add(exercise.form_errors.get(name__iexact=own))
    clip = _clip_of(a_set)
    if tagged:
        _tag(clip, linked_coach, exercise.form_errors.get(name__iexact=tagged))
    if seen:
        client.force_login(user)
        assert client.get(clip.get_absolute_url()).status_code == 200
    (latest,) = recent_history(user)
    assert latest.sets[0].form_errors == expected


def test_a_second_tagged_error_adds_to_the_athletes_own(user, a_set, linked_coach, exercise):
    a_set.form_errors.add(exercise.form_errors.get(name__iexact="knee caving inward"))
    clip = _clip_of(a_set)
    other = exercise.form_errors.exclude(name__iexact="knee caving inward").first()
    _tag(clip, linked_coach, other)
    VideoComment.objects.update(seen_at=timezone.now())
    (latest,) = recent_history(user)
    assert latest.sets[0].form_errors == 2


def test_only_the_athletes_own_visit_marks_comments_seen(
    client, user, ready_clip, linked_coach, exercise
):
    comment = _tag(ready_clip, linked_coach, exercise.form_errors.first())
    client.force_login(linked_coach)
    client.get(ready_clip.get_absolute_url())
    comment.refresh_from_db()
    assert comment.seen_at is None
    client.force_login(user)
    client.get(ready_clip.get_absolute_url())
    comment.refresh_from_db()
    assert comment.seen_at is not None
    first_seen = comment.seen_at
    client.get(ready_clip.get_absolute_url())
    comment.refresh_from_db()
    assert comment.seen_at == first_seen


def test_tagged_errors_step_the_athlete_back_only_once_seen(
    client, user, linked_coach, exercise, bodyweight
):
    Profile.objects.filter(user=user).update(level=bodyweight)
    error = exercise.form_errors.get(name__iexact="knee caving inward")
    sets = _sessions_with_a_set(user, bodyweight, 2)
    clips = [_clip_of(sets[0]), _clip_of(sets[6])]
    for clip in clips:
        _tag(clip, linked_coach, error)
    profile = Profile.objects.select_related("level__tempo").get(user=user)
    assert advice_for(profile).suggestion.kind != "step_back"
    client.force_login(user)
    for clip in clips:
        client.get(clip.get_absolute_url())
    assert advice_for(profile).suggestion.kind == "step_back"
