"""Byte positions a client sends for a set video: a number longer than any file is a
refusal (416 when playing, 400 for an upload chunk), never a server error from int()."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from videos import tasks
from videos.models import SetVideo, VideoUpload

pytestmark = pytest.mark.django_db

THOUSANDS_OF_DIGITS = "9" * 5000  # past Python's 4,300-digit limit for int()


@pytest.fixture
def play_url(athlete_client, a_set, h264, media_root) -> str:
    upload = SimpleUploadedFile("clip.mp4", h264.read_bytes(), content_type="video/mp4")
    athlete_client.post(reverse("videos:set-video", args=[a_set.pk]), {"file": upload})
    clip = SetVideo.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.process_video.call(clip.pk)
    return reverse("videos:file", args=[clip.pk, "play"])


@pytest.mark.parametrize(
    "header",
    [
        f"bytes={THOUSANDS_OF_DIGITS}-",
        f"bytes=0-{THOUSANDS_OF_DIGITS}",
        f"bytes=-{THOUSANDS_OF_DIGITS}",
        "bytes=1234567890123456-",
    ],
)
def test_a_range_with_a_number_past_any_file_is_unsatisfiable(athlete_client, play_url, header):
    size = len(b"".join(athlete_client.get(play_url).streaming_content))
    response = athlete_client.get(play_url, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_a_fifteen_digit_range_end_still_reads_to_the_end(athlete_client, play_url):
    response = athlete_client.get(play_url, HTTP_RANGE="bytes=10-999999999999999")
    assert response.status_code == 206
    assert response["Content-Range"].startswith("bytes 10-")


@pytest.mark.parametrize(
    "content_range",
    [
        f"bytes 0-9/{THOUSANDS_OF_DIGITS}",
        f"bytes {THOUSANDS_OF_DIGITS}-9/100",
        f"bytes 0-{THOUSANDS_OF_DIGITS}/100",
    ],
)
def test_an_upload_chunk_with_thousands_of_digits_is_refused(
    athlete_client, a_set, media_root, content_range
):
    started = athlete_client.post(
        reverse("videos:set-upload-start", args=[a_set.pk]), {"size": 100}
    )
    response = athlete_client.put(
        started.json()["url"],
        b"x" * 10,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=content_range,
    )
    assert response.status_code == 400
    assert "Content-Range" in response.json()["error"]
    assert VideoUpload.objects.get().received == 0


def test_an_upload_that_says_it_is_thousands_of_digits_long_is_refused(athlete_client, a_set):
    response = athlete_client.post(
        reverse("videos:set-upload-start", args=[a_set.pk]), {"size": THOUSANDS_OF_DIGITS}
    )
    assert response.status_code == 400
    assert not VideoUpload.objects.exists()
