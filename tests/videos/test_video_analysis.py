"""The analysis of a set video in the app: the job after processing (through the real pose
model on a drawn clip, declining on a clip with nobody in it, failing on a file that does not
decode), what the page and `analysis.json` give, the coach's suggested form errors, and the
set form filled from the video without saving anything."""

from __future__ import annotations

import dataclasses
import datetime
import html
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coaches import services
from coaches.models import AuditEntry, CoachLink, Prescription
from coaching.models import Variation
from tests.conftest import prescription
from tests.videos import synthetic
from tests.videos.rendered_clips import ClipSpec, render_clip
from training.models import Set, TrainingSession
from videos import analysis as camera
from videos import services as videos
from videos import tasks
from videos.models import (
    AnalysisStatus,
    SetVideo,
    TempoSource,
    VideoAnalysis,
    VideoComment,
    VideoStatus,
)
from videos.pose_data import ClipLandmarks, PoseFrame

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(user) -> TrainingSession:
    return TrainingSession.objects.create(
        user=user,
        date=datetime.date(2026, 11, 2),
        variation=Variation.objects.get(slug="single-leg-hip-thrust"),
    )


@pytest.fixture
def a_set(session) -> Set:
    return Set.objects.create(session=session, position=1, side="left", reps=9, tempo="1-1-1-1")


@pytest.fixture
def linked_coach(coach, user):
    services.accept_invitation(services.create_invitation(coach), user)
    return coach


def _ready_video(owner, session, path=None, *, a_set=None, side="", content=b"") -> SetVideo:
    """A processed video of the file at `path` (or of `content`), its analysis queued as
    processing queues it."""
    data = path.read_bytes() if path else content
    clip = SetVideo.objects.create(
        owner=owner,
        session=session,
        set=a_set,
        side=side,
        original=default_storage.save(f"videos/{owner.pk}/t/original.mp4", ContentFile(data)),
        original_type="video/mp4",
        status=VideoStatus.READY,
        duration_seconds=60,
    )
    with transaction.atomic():
        videos.queue_analysis(clip)
    return clip


def _read_synthetic(clip: SetVideo, reps, tempo: str | None, **drawn) -> VideoAnalysis:
    """The rules' reading of a landmark series drawn from the guide's pose model, stored as
    the job stores the model's."""
    attempt = camera.start_analysis(clip.pk, tasks.MAX_ATTEMPTS)
    landmarks, _ = synthetic.make_clip(reps, fps=30, **drawn)
    asked = camera.AskedTempo(tempo, TempoSource.LOGGED) if tempo else None
    camera.record_reading(clip.pk, attempt, landmarks, asked)
    return VideoAnalysis.objects.get(video=clip)


def _field_value(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


# Through the real model


def test_a_processed_clip_is_analysed_by_the_pose_model_and_shown_rep_by_rep(
    client, user, a_set, media_root, tmp_path
):
    # Drawn facing right with the right leg working: the log says left, and the log wins.
    spec = ClipSpec(size=(640, 360), fps=15, tempo="1-1-1-1", reps=2, lead_in=0.5, seed=3)
    drawn = render_clip(tmp_path / "set.mp4", spec)
    client.force_login(user)
    upload = SimpleUploadedFile("set.mp4", drawn.path.read_bytes(), content_type="video/mp4")
    client.post(reverse("videos:set-video", args=[a_set.pk]), {"file": upload})
    clip = SetVideo.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.process_video.call(clip.pk) == "ready"
    assert VideoAnalysis.objects.get(video=clip).status == AnalysisStatus.WAITING
    job = DBTaskResult.objects.get(task_path="videos.tasks.analyse_video")
    assert job.args_kwargs["args"] == [clip.pk]
    assert b"Reading the reps" in client.get(clip.get_absolute_url()).content

    assert tasks.analyse_video.call(clip.pk) == AnalysisStatus.DONE

    analysis = VideoAnalysis.objects.get(video=clip)
    assert analysis.model.startswith("MediaPipe BlazePose")
    assert analysis.prescribed_tempo == "1-1-1-1"  # the set's own, with no prescription
    assert len(analysis.result["reps"]) == len(drawn.reps)
    skeleton = analysis.result["skeleton"]
    assert len(skeleton["frames"]) == drawn.frame_count  # 15 a second: every frame
    assert {len(row) for row in skeleton["frames"]} == {1 + 2 * len(skeleton["joints"])}
    data = client.get(reverse("videos:analysis", args=[clip.pk])).json()
    assert (data["status"], data["side"], data["prescribed_tempo"]) == ("done", "left", "1-1-1-1")
    assert data["model_version"] == analysis.model_version
    assert [rep["number"] for rep in data["reps"]] == [1, 2]
    assert set(data["reps"][0]) >= {
        "start",
        "end",
        "lowering",
        "pause",
        "lifting",
        "top_hold",
        "top_angle",
        "shin_from_vertical",
        "confidence",
        "faults",
    }
    assert data["cannot_judge"]
    assert data["declined"] == []
    page = client.get(clip.get_absolute_url()).content.decode()
    assert "2 reps counted" in page
    assert page.count('class="phase phase--lifting"') == 2
    assert "Log this set from the video" in page
    assert clip.status == VideoStatus.PROCESSING  # the row as read before the job
    clip.refresh_from_db()
    assert clip.status == VideoStatus.READY


def test_a_clip_with_nobody_in_it_is_declined_with_the_reason_and_the_video_still_plays(
    client, user, session, media_root, tmp_path
):
    empty = render_clip(
        tmp_path / "empty.mp4",
        ClipSpec(size=(320, 180), fps=10, tempo="1-0-1-0", reps=1, lead_in=0.5, person=False),
    )
    clip = _ready_video(user, session, empty.path, side="left")

    assert tasks.analyse_video.call(clip.pk) == AnalysisStatus.DECLINED

    analysis = VideoAnalysis.objects.get(video=clip)
    assert analysis.result["reps"] == []
    assert analysis.result["declined"][0].startswith("The person was not found in any of the")
    client.force_login(user)
    data = client.get(reverse("videos:analysis", args=[clip.pk])).json()
    assert (data["status"], data["reps"]) == ("declined", [])
    assert data["declined"] == analysis.result["declined"]
    page = client.get(clip.get_absolute_url()).content.decode()
    assert "The camera could not judge this clip, so it judges nothing:" in page
    assert "The person was not found in any of the" in page
    assert "Log this set from the video" not in page
    assert client.get(reverse("videos:log-set", args=[clip.pk])).status_code == 404
    assert client.get(reverse("videos:file", args=[clip.pk, "play"])).status_code == 200


def test_a_clip_too_short_for_a_rep_is_declined_under_a_heading_that_says_so(
    client, user, session, media_root
):
    clip = _ready_video(user, session, side="left", content=b"x")
    SetVideo.objects.filter(pk=clip.pk).update(duration_seconds=0.5)
    # Half a second of plain colour, sampled as the pose model samples it: nobody, 8 frames.
    frames = tuple(PoseFrame(index / 15) for index in range(8))
    landmarks = ClipLandmarks(320, 180, 0.5, frames, model="model", model_version="1")
    attempt = camera.start_analysis(clip.pk, tasks.MAX_ATTEMPTS)
    assert camera.record_reading(clip.pk, attempt, landmarks, None) == AnalysisStatus.DECLINED
    client.force_login(user)
    page = " ".join(client.get(clip.get_absolute_url()).content.decode().split())
    assert (
        "This clip is too short to judge: at 0.5 s it cannot show a whole rep, which takes 2 s "
        "at the fastest tempo, so the camera judges nothing:" in page
    )
    assert "did not see the person" not in page


def test_a_declined_clip_long_enough_for_a_rep_is_not_called_too_short(
    client, user, session, media_root
):
    clip = _ready_video(user, session, side="left", content=b"x")
    landmarks = ClipLandmarks(
        320, 180, 3, tuple(PoseFrame(index / 15) for index in range(45)), "model", "1"
    )
    attempt = camera.start_analysis(clip.pk, tasks.MAX_ATTEMPTS)
    assert camera.record_reading(clip.pk, attempt, landmarks, None) == AnalysisStatus.DECLINED
    client.force_login(user)
    page = " ".join(client.get(clip.get_absolute_url()).content.decode().split())
    assert "The camera could not judge this clip, so it judges nothing:" in page
    assert "too short" not in page


# The job without the model's result


def test_a_file_the_model_cannot_read_fails_the_analysis_with_its_reason_not_the_video(
    client, user, session, media_root
):
    clip = _ready_video(user, session, side="left", content=b"not a video at all")

    assert tasks.analyse_video.call(clip.pk) == "failed"

    analysis = VideoAnalysis.objects.get(video=clip)
    assert analysis.status == AnalysisStatus.FAILED
    assert analysis.failure.startswith("The analysis could not read this video (")
    assert analysis.result == {}
    clip.refresh_from_db()
    assert clip.status == VideoStatus.READY
    client.force_login(user)
    page = client.get(clip.get_absolute_url()).content.decode()
    assert "The analysis failed: The analysis could not read this video" in page
    data = client.get(reverse("videos:analysis", args=[clip.pk])).json()
    assert (data["status"], data["failure"]) == ("failed", analysis.failure)
    # Run again, it finds nothing to do: a failure is final.
    assert tasks.analyse_video.call(clip.pk) == "nothing to do"


def test_an_analysis_a_killed_worker_left_is_queued_again_and_ends_failed_after_three(
    user, session, media_root
):
    clip = _ready_video(user, session, side="left", content=b"x")
    DBTaskResult.objects.all().delete()
    VideoAnalysis.objects.filter(video=clip).update(
        attempts=1, job_started_at=timezone.now() - datetime.timedelta(hours=1)
    )

    assert tasks.requeue_stale() == [clip.pk]
    assert DBTaskResult.objects.get().task_path == "videos.tasks.analyse_video"
    assert tasks.requeue_stale() == []  # claimed by moving its start

    VideoAnalysis.objects.filter(video=clip).update(attempts=tasks.MAX_ATTEMPTS)
    assert tasks.analyse_video.call(clip.pk) == "nothing to do"
    analysis = VideoAnalysis.objects.get(video=clip)
    assert analysis.status == AnalysisStatus.FAILED
    assert analysis.failure.startswith("The analysis stopped after 3 attempts")


def test_processing_again_asks_for_a_fresh_analysis(user, session, media_root):
    clip = _ready_video(user, session, side="left", content=b"x")
    VideoAnalysis.objects.filter(video=clip).update(
        status=AnalysisStatus.FAILED, failure="old", attempts=2
    )
    with transaction.atomic():
        videos.queue_analysis(clip)
    analysis = VideoAnalysis.objects.get(video=clip)
    assert (analysis.status, analysis.failure, analysis.attempts) == (AnalysisStatus.WAITING, "", 0)
    assert DBTaskResult.objects.filter(task_path="videos.tasks.analyse_video").count() == 2


def test_deleting_the_video_deletes_its_analysis(client, user, session, media_root):
    clip = _ready_video(user, session, side="left", content=b"x")
    client.force_login(user)
    client.post(reverse("videos:delete", args=[clip.pk]))
    assert not VideoAnalysis.objects.exists()


# What the reps are measured against, and the side


def _dated_today(session: TrainingSession) -> TrainingSession:
    """The session moved to today, so a plan the test writes now is the one of its day."""
    session.date = timezone.localdate()
    session.save(update_fields=["date"])
    return session


def _summary(client, clip, viewer) -> str:
    """What the video page says the reps were measured against, as `viewer` reads it."""
    client.force_login(viewer)
    page = html.unescape(" ".join(client.get(clip.get_absolute_url()).content.decode().split()))
    return re.search(r"Measured against the tempo (.*?)\.", page).group(1)


def test_the_prescription_for_the_variation_comes_before_the_sets_own_tempo(
    user, a_set, linked_coach, media_root
):
    clip = _ready_video(user, _dated_today(a_set.session), a_set=a_set, content=b"x")
    assert camera.prescribed_tempo(clip) == ("1-1-1-1", TempoSource.LOGGED)
    services.prescribe(linked_coach, user, prescription(a_set.session.variation, tempo="3-0-1-1"))
    assert camera.prescribed_tempo(clip) == ("3-0-1-1", TempoSource.PRESCRIPTION)


@pytest.mark.parametrize("prescribed", [False, True])
def test_the_summary_names_the_tempo_it_measured_against(
    client, user, a_set, linked_coach, media_root, prescribed
):
    if prescribed:
        services.prescribe(linked_coach, user, prescription(a_set.session.variation))
    clip = _ready_video(user, _dated_today(a_set.session), a_set=a_set, content=b"x")
    attempt = camera.start_analysis(clip.pk, tasks.MAX_ATTEMPTS)
    landmarks, _ = synthetic.make_clip(synthetic.plan("2-0-1-1", 2), fps=30)
    # What the job measures against, as analyse() finds it.
    camera.record_reading(clip.pk, attempt, landmarks, camera.prescribed_tempo(clip))

    def summary(viewer) -> str:
        return _summary(client, clip, viewer)

    if prescribed:
        tempo = '<span class="nowrap">3-0-1-1</span>'
        today = clip.session.day
        plan = f"for this rung, written on {today} and in force on the session's day, {today}"
        assert summary(user) == f"{tempo}: your coach's prescription {plan}"
        assert summary(linked_coach) == f"{tempo}: the coach's prescription {plan}"
    else:
        tempo = '<span class="nowrap">1-1-1-1</span>'
        assert summary(user) == f"{tempo}: the tempo you logged with the set"
        assert summary(linked_coach) == f"{tempo}: the tempo logged with the set"
    data = client.get(reverse("videos:analysis", args=[clip.pk])).json()
    assert data["prescribed_tempo_source"] == ("prescription" if prescribed else "logged")


def test_it_calls_the_tempo_your_coachs_prescription_only_while_it_is_in_force(
    client, user, a_set, linked_coach, media_root
):
    services.prescribe(linked_coach, user, prescription(a_set.session.variation))
    clip = _ready_video(user, _dated_today(a_set.session), a_set=a_set, content=b"x")
    attempt = camera.start_analysis(clip.pk, tasks.MAX_ATTEMPTS)
    landmarks, _ = synthetic.make_clip(synthetic.plan("2-0-1-1", 2), fps=30)
    camera.record_reading(clip.pk, attempt, landmarks, camera.prescribed_tempo(clip))
    # Ended the same day: the plan is no longer the one of the session's day.
    link = CoachLink.objects.get(coach=linked_coach, athlete=user)
    services.end_link(link, linked_coach)

    said = _summary(client, clip, user)
    assert said == (
        '<span class="nowrap">3-0-1-1</span>: a coach\'s prescription the camera read the video '
        "against, which is not the plan in force on the session's day"
    )
    assert "your coach's prescription" not in said


def test_it_measures_a_set_against_the_plan_in_force_on_its_sessions_day_not_a_newer_one(
    client, user, a_set, linked_coach, media_root
):
    def on(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    # Coached since October, a plan of 3-0-1-1 from 20 October; the set is of 2 November.
    CoachLink.objects.filter(athlete=user).update(accepted_at=on(datetime.date(2026, 10, 1)))
    services.prescribe(linked_coach, user, prescription(a_set.session.variation))
    Prescription.objects.update(created_at=on(datetime.date(2026, 10, 20)))
    # The coach changes the plan today, before the video is read (or read again).
    services.prescribe(linked_coach, user, prescription(a_set.session.variation, tempo="2-0-2-0"))
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    attempt = camera.start_analysis(clip.pk, tasks.MAX_ATTEMPTS)
    landmarks, _ = synthetic.make_clip(synthetic.plan("3-0-1-1", 2), fps=30)
    camera.record_reading(clip.pk, attempt, landmarks, camera.prescribed_tempo(clip))

    analysis = VideoAnalysis.objects.get(video=clip)
    assert (analysis.prescribed_tempo, analysis.tempo_source) == ("3-0-1-1", "prescription")
    assert _summary(client, clip, user) == (
        '<span class="nowrap">3-0-1-1</span>: your coach\'s prescription for this rung, written '
        "on 20 Oct 2026 and in force on the session's day, 2 Nov 2026"
    )
    # A set of today is held to today's plan.
    today = TrainingSession.objects.create(
        user=user, date=timezone.localdate(), variation=a_set.session.variation
    )
    todays = _ready_video(user, today, side="left", content=b"y")
    assert camera.prescribed_tempo(todays) == ("2-0-2-0", TempoSource.PRESCRIPTION)


def test_a_replaced_prescription_no_longer_sets_the_tempo_of_its_rung(
    user, a_set, linked_coach, loaded, media_root
):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    services.prescribe(linked_coach, user, prescription(a_set.session.variation, tempo="3-0-1-1"))
    services.prescribe(linked_coach, user, prescription(loaded, tempo="2-0-1-0"))
    # The set's own: its rung has no plan in force.
    assert camera.prescribed_tempo(clip) == ("1-1-1-1", TempoSource.LOGGED)


def test_a_side_video_is_measured_against_that_sides_logged_tempo(user, session, media_root):
    Set.objects.create(session=session, position=1, side="left", reps=8, tempo="2-0-2-0")
    Set.objects.create(session=session, position=2, side="right", reps=8, tempo="4-1-2-0")
    Set.objects.create(session=session, position=3, side="right", reps=8, tempo="1-0-1-0")
    clip = _ready_video(user, session, side="right", content=b"x")
    assert camera.prescribed_tempo(clip) == ("4-1-2-0", TempoSource.LOGGED)


@pytest.mark.parametrize(
    ("set_side", "clip_side", "shown"),
    [("left", "", "left"), ("unknown", "", None), (None, "right", "right"), (None, "both", None)],
)
def test_the_side_is_the_logs_never_the_cameras(
    client, user, session, media_root, set_side, clip_side, shown
):
    a_set = (
        Set.objects.create(session=session, position=1, side=set_side, reps=8) if set_side else None
    )
    clip = _ready_video(user, session, a_set=a_set, side=clip_side, content=b"x")
    # The series' working leg is the right one, whatever the log says.
    _read_synthetic(clip, synthetic.plan("2-0-1-1", 2), "2-0-1-1")
    client.force_login(user)
    data = client.get(reverse("videos:analysis", args=[clip.pk])).json()
    assert data["side"] == shown
    assert bool(data["side_note"]) == (shown is None)
    assert "side" not in VideoAnalysis.objects.get(video=clip).result


@pytest.mark.parametrize(
    ("phases", "tempo"),
    [
        ([(2.4, 0.6, 1.2, 0.2), (2.6, None, 1.0, 0.4)], "3-1-1-0"),
        ([(2.0, 0.4, 1.0, 1.6)], "2-0-1-2"),
        ([(0.3, 0.0, 0.2, 0.0), (0.4, None, 0.3, 0.0)], "1-0-1-0"),  # never under a second
        ([(45.0, 40.0, 1.0, 31.0)], "30-30-1-30"),  # never over the notation's thirty
        ([(None, 0.5, 1.0, 1.0)], None),  # no lowering timed: no tempo
        ([(2.0, 0.5, None, 1.0)], None),  # no lifting timed: no tempo
        ([], None),
    ],
)
def test_the_measured_tempo_is_each_phases_median_in_whole_seconds(phases, tempo):
    names = ("lowering", "pause", "lifting", "top_hold")
    reps = [dict(zip(names, rep, strict=True)) for rep in phases]
    assert camera.measured_tempo({"reps": reps}) == tempo


def test_a_floor_glute_bridge_clip_is_read_though_both_feet_stay_down(user, bridge, media_root):
    session = TrainingSession.objects.create(
        user=user, date=datetime.date.today(), variation=bridge
    )
    clip = _ready_video(user, session, side="both", content=b"x")
    analysis = _read_synthetic(clip, synthetic.plan("2-0-1-1", 3), "2-0-1-1", both_feet_down=True)
    assert analysis.status == AnalysisStatus.DONE
    assert len(analysis.result["reps"]) == 3


def test_an_analysis_waiting_past_the_usual_minute_says_so(athlete_client, user, a_set, media_root):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    assert (
        "this takes about a minute" in athlete_client.get(clip.get_absolute_url()).content.decode()
    )
    long_ago = timezone.now() - VideoAnalysis.LATE_AFTER - datetime.timedelta(seconds=1)
    VideoAnalysis.objects.filter(video=clip).update(created_at=long_ago)
    page = " ".join(athlete_client.get(clip.get_absolute_url()).content.decode().split())
    assert "Reading the reps is taking longer than usual" in page
    assert "this takes about a minute" not in page


# The coach's suggested form errors


def test_the_coach_confirms_a_suggested_form_error_as_a_pinned_comment_or_dismisses_it(
    client, user, a_set, linked_coach, other_user, media_root
):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    analysis = _read_synthetic(clip, synthetic.plan("2-0-1-1", 3, bounce=True), "2-0-1-1")
    suggested = camera.suggestions(analysis)
    assert [(item.rep, item.code) for item in suggested] == [(1, "bounce"), (2, "bounce")]
    assert {item.form_error.slug for item in suggested} == {"bouncing"}
    url = reverse("videos:suggestion", args=[clip.pk])

    client.force_login(user)  # the athlete sees the flags, not the coach's buttons
    assert "Suggested from the camera" not in client.get(clip.get_absolute_url()).content.decode()
    assert client.post(url, {"key": "1-bounce", "answer": "confirmed"}).status_code == 404
    client.force_login(other_user)
    assert client.post(url, {"key": "1-bounce", "answer": "confirmed"}).status_code == 404

    client.force_login(linked_coach)
    page = client.get(clip.get_absolute_url()).content.decode()
    assert page.count('name="answer" value="confirmed"') == 2
    # The table names each flag in words, not by the rules' code.
    assert page.count(">Bounce</a>") == 2
    assert ">bounce</a>" not in page
    response = client.post(url, {"key": "1-bounce", "answer": "confirmed"})
    assert response.status_code == 302
    comment = VideoComment.objects.get()
    assert (comment.author, comment.form_error.slug) == (linked_coach, "bouncing")
    assert comment.at_seconds == Decimal(str(suggested[0].time))
    assert comment.text == suggested[0].text
    assert AuditEntry.objects.filter(action="video-comment", athlete=user).count() == 1
    # A second click (another tab) pins nothing more.
    client.post(url, {"key": "1-bounce", "answer": "confirmed"})
    assert VideoComment.objects.count() == 1

    dismissed = client.post(url, {"key": "2-bounce", "answer": "dismissed"})
    # Back at the list of suggestions the coach works through, an id the page has.
    assert dismissed["Location"] == f"{clip.get_absolute_url()}#suggestions"
    assert 'id="suggestions"' in client.get(clip.get_absolute_url()).content.decode()
    assert VideoComment.objects.count() == 1
    analysis.refresh_from_db()
    assert analysis.answers == {"1-bounce": "confirmed", "2-bounce": "dismissed"}
    page = client.get(clip.get_absolute_url()).content.decode()
    assert 'name="answer"' not in page
    assert "Confirmed" in page
    assert "Dismissed" in page
    assert client.post(url, {"key": "9-bounce", "answer": "confirmed"}).status_code == 400
    assert client.post(url, {"key": "2-bounce", "answer": "maybe"}).status_code == 400


def test_it_shows_the_athlete_which_flags_their_coach_dismissed_or_confirmed(
    client, user, a_set, linked_coach, media_root
):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    analysis = _read_synthetic(clip, synthetic.plan("2-0-1-1", 3, bounce=True), "2-0-1-1")
    first, second = camera.suggestions(analysis)
    url = reverse("videos:suggestion", args=[clip.pk])
    client.force_login(linked_coach)
    client.post(url, {"key": first.key, "answer": "confirmed"})
    client.post(url, {"key": second.key, "answer": "dismissed"})

    client.force_login(user)
    page = html.unescape(" ".join(client.get(clip.get_absolute_url()).content.decode().split()))
    flagged = page[page.index("<h3>Flagged</h3>") : page.index("</ul>", page.index("<h3>Flagged"))]
    said = "Your coach watched the video and dismissed 1 flag of the camera's, marked below."
    assert said in flagged
    assert f"{second.time:.1f} s</a>: <strong>Dismissed by your coach.</strong>" in flagged
    assert f"{first.time:.1f} s</a>: <strong>Confirmed by your coach.</strong>" in flagged
    *_, confirmed_flags = _cells(page, first.rep)
    *_, dismissed_flags = _cells(page, second.rep)
    assert 'class="flag flag--error"' in confirmed_flags
    assert 'Bounce</a> <span class="muted">(confirmed by your coach)</span>' in confirmed_flags
    assert 'class="flag flag--error"' not in dismissed_flags
    assert 'Bounce</a> <span class="muted">(dismissed by your coach)</span>' in dismissed_flags


def test_a_fault_the_guide_has_no_form_error_for_is_suggested_in_words(
    client, user, a_set, linked_coach, media_root
):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    # Lowered in one second where the prescription asks for three.
    analysis = _read_synthetic(clip, synthetic.plan("1-0-1-1", 2), "3-0-1-1")
    suggested = camera.suggestions(analysis)
    assert {item.code for item in suggested} == {"fast-lowering"}
    assert all(item.form_error is None for item in suggested)
    client.force_login(linked_coach)
    key = suggested[0].key
    client.post(reverse("videos:suggestion", args=[clip.pk]), {"key": key, "answer": "confirmed"})
    comment = VideoComment.objects.get()
    assert (comment.form_error, comment.text) == (None, suggested[0].text)


def _cells(page: str, rep: int) -> list[str]:
    """Rep `rep`'s row in the table: its cells' markup, whitespace collapsed."""
    start = page.index(f">Rep {rep}</a>")
    return re.findall(r"<td[^>]*>.*?</td>", page[start : page.index("</tr>", start)])


def test_the_page_marks_each_phase_off_the_tempo_and_says_which_missed(
    client, user, a_set, media_root
):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    # Lifted in 3 s, with a 1 s pause at the bottom, where 3-0-1-1 asks 1 s and none.
    _read_synthetic(clip, synthetic.plan("3-1-3-1", 3), "3-0-1-1")
    client.force_login(user)
    page = " ".join(client.get(clip.get_absolute_url()).content.decode().split())
    for rep in (1, 2, 3):
        lowering, pause, lifting, hold, *_, flags = _cells(page, rep)
        assert re.fullmatch(
            r'<td class="tempo-miss"> 3\.1 s <strong class="tempo-miss__word">slow</strong> </td>',
            lifting,
        ), lifting
        assert "tempo-miss" not in lowering + hold
        assert flags == "<td>none</td>"  # tempo notes, not form faults
        if rep < 3:
            assert '<strong class="tempo-miss__word">longer</strong>' in pause
        else:
            assert pause == "<td>rest</td>"  # the set's rest is never judged
    assert "<h3>Off the tempo 3-0-1-1</h3>" in page
    assert "Lifting took longer than asked in 3 of 3 reps (about 3.1 s against 1 s)." in page
    assert "Pause was longer than asked in 2 of 2 reps (about 1.0 s against 0 s)." in page


def test_reps_done_at_the_tempo_are_marked_nowhere_and_a_fast_lowering_is_also_a_flag(
    client, user, a_set, media_root
):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    _read_synthetic(clip, synthetic.plan("3-0-1-1", 3), "3-0-1-1")
    client.force_login(user)
    page = " ".join(client.get(clip.get_absolute_url()).content.decode().split())
    assert "tempo-miss" not in page
    assert "Off the tempo" not in page

    VideoAnalysis.objects.filter(video=clip).delete()
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    _read_synthetic(clip, synthetic.plan("1-0-1-1", 3), "3-0-1-1")
    page = " ".join(client.get(clip.get_absolute_url()).content.decode().split())
    lowering, *_, flags = _cells(page, 1)
    assert '<strong class="tempo-miss__word">fast</strong>' in lowering
    assert ">Fast lowering</a>" in flags
    assert "Lowering was quicker than asked in 3 of 3 reps (about 1.0 s against 3 s)." in page


def test_it_says_not_seen_on_the_timeline_only_where_the_pose_model_found_no_person(
    client, user, a_set, media_root
):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    # Seen standing still from the start, lost from 2.5 s to 3.8 s as the first lift begins:
    # the first rep spans the clip's start, none of its phases timed.
    _read_synthetic(
        clip, synthetic.plan("2-1-1-1", 3), "2-1-1-1", lead_in=3, rest=3, missing=[(2.5, 3.8)]
    )
    client.force_login(user)
    page = " ".join(client.get(clip.get_absolute_url()).content.decode().split())
    rects = re.findall(
        r'<rect class="phase phase--(\w+)" x="([\d.]+)" y="2" width="([\d.]+)" height="36">'
        r"<title>Rep (\d+): ([^<]*)</title>",
        page,
    )
    first = [(phase, label) for phase, _, _, rep, label in rects if rep == "1"]
    # Seen until lost, and again from the frame the person is found in, where the rep ends.
    assert first == [("seen", "seen, no rep"), ("unseen", "not seen"), ("seen", "seen, no rep")]
    # The clip is 60 s long across the timeline's 1000: not seen from 2.5 s to 3.8 s.
    [(x, width)] = [(float(x), float(w)) for phase, x, w, rep, _ in rects if phase == "unseen"]
    assert (round(x * 60 / 1000, 1), round((x + width) * 60 / 1000, 1)) == (2.5, 3.8)
    assert '<span class="phase-swatch phase--seen"></span>Seen, no rep</li>' in page


# "Log this set from the video"


def test_the_page_says_when_the_count_differs_from_the_log_and_judges_no_unseen_phase(
    client, user, a_set, media_root
):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    analysis = _read_synthetic(clip, synthetic.plan("2-1-1-1", 3), "2-1-1-1")
    reps = analysis.result["reps"]
    reps[1] = {**reps[1], "lowering": None, "faults": []}  # the camera lost the lowering
    VideoAnalysis.objects.filter(pk=analysis.pk).update(result={**analysis.result, "reps": reps})
    client.force_login(user)
    page = " ".join(client.get(clip.get_absolute_url()).content.decode().split())
    assert "3 reps counted; <strong>your log says 9</strong>." in page
    cells = re.findall(r"<td>([^<]*)</td></tr>", page)
    assert [cell.strip() for cell in cells] == ["", "none", "none in what was seen", "none"]


def test_a_rep_the_clip_ends_at_the_top_of_says_its_hold_and_lowering_came_after_the_clip(
    client, user, a_set, media_root
):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    analysis = _read_synthetic(clip, synthetic.plan("2-1-1-1", 2), "2-1-1-1")
    reps = analysis.result["reps"]
    cut = {"lowering": None, "top_hold": None, "pause": None, "clip_ends_at_top": True}
    reps[-1] = {**reps[-1], **cut, "confidence": 1.0, "faults": []}
    VideoAnalysis.objects.filter(pk=analysis.pk).update(result={**analysis.result, "reps": reps})
    client.force_login(user)
    page = " ".join(client.get(clip.get_absolute_url()).content.decode().split())
    last = page[page.index(">Rep 2</a>") : page.index("</tr>", page.index(">Rep 2</a>"))]
    cells = [cell.strip() for cell in re.findall(r"<td>([^<]*)</td>", last)]
    assert (cells[0], cells[1], cells[3]) == ("after the clip", "rest", "after the clip")
    assert cells[-1] == "none"
    assert "not seen" not in last


def test_a_top_the_clip_ends_during_shows_how_long_it_was_seen_held_not_as_a_measured_hold(
    client, user, a_set, media_root
):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    attempt = camera.start_analysis(clip.pk, tasks.MAX_ATTEMPTS)
    # The clip ends 2.9 s into the last rep's top hold.
    reps = [synthetic.RepPlan(1, 1, 2, 1), synthetic.RepPlan(1, 4, 2, 1)]
    landmarks, truths = synthetic.make_clip(reps, fps=30)
    end = truths[-1].lift_end + 2.9
    landmarks = dataclasses.replace(
        landmarks, frames=tuple(frame for frame in landmarks.frames if frame.time <= end)
    )
    camera.record_reading(
        clip.pk, attempt, landmarks, camera.AskedTempo("2-1-1-1", TempoSource.LOGGED)
    )
    client.force_login(user)
    page = " ".join(client.get(clip.get_absolute_url()).content.decode().split())
    last = page[page.index(">Rep 2</a>") : page.index("</tr>", page.index(">Rep 2</a>"))]
    cells = [cell.strip() for cell in re.findall(r"<td>([^<]*)</td>", last)]
    assert (cells[0], cells[1], cells[3]) == (
        "after the clip",
        "rest",
        "at least 2.9 s (the clip ended)",
    )
    # Rep 1's 1 s hold alone: the lower bound is no measured hold (2-1-1-2 with it).
    assert 'Measured tempo: <strong class="nowrap">2-1-1-1</strong>' in page


def test_logging_a_set_from_its_video_fills_the_edit_form_and_saves_nothing(
    client, user, a_set, media_root
):
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    _read_synthetic(clip, synthetic.plan("2-1-1-1", 3), "2-1-1-1")
    client.force_login(user)
    response = client.get(reverse("videos:log-set", args=[clip.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'action="{reverse("training:set-edit", args=[a_set.pk])}"' in page
    assert (_field_value(page, "reps"), _field_value(page, "tempo")) == ("3", "2-1-1-1")
    assert re.search(r'<input[^>]*name="side"[^>]*value="left"[^>]*checked', page)
    assert (
        "Filled from the video: 3 reps (your log says 9), tempo 2-1-1-1 (logged 1-1-1-1), "
        "the left side." in page
    )
    a_set.refresh_from_db()
    assert (a_set.reps, a_set.tempo, a_set.revision) == (9, "1-1-1-1", 1)


def test_a_video_that_lost_sight_of_the_person_logs_no_rep_count_and_says_why(
    client, user, a_set, media_root
):
    # Six reps, the person out of the picture from 9.5 s to 20.5 s: two whole reps hidden.
    clip = _ready_video(user, a_set.session, a_set=a_set, content=b"x")
    analysis = _read_synthetic(clip, synthetic.plan("3-0-1-1", 6), "3-0-1-1", missing=[(9.5, 20.5)])
    assert len(analysis.result["reps"]) == 4
    client.force_login(user)
    page = " ".join(client.get(clip.get_absolute_url()).content.decode().split())
    assert "At least 4 reps counted; <strong>your log says 9</strong>." in page
    response = client.get(reverse("videos:log-set", args=[clip.pk]))
    page = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert _field_value(page, "reps") == "9"  # the log's, not the camera's
    assert _field_value(page, "tempo") == "3-0-1-1"
    assert (
        "Filled from the video: tempo 3-0-1-1 (logged 1-1-1-1), the left side. The reps are "
        "left as you logged them: the camera lost sight of you from 9.5 s to 20.5 s, so it may "
        "have missed reps (it counted 4)." in page
    )
    a_set.refresh_from_db()
    assert (a_set.reps, a_set.revision) == (9, 1)


def test_logging_from_a_side_video_fills_the_sessions_new_set_and_saves_nothing(
    client, user, session, media_root
):
    clip = _ready_video(user, session, side="right", content=b"x")
    _read_synthetic(clip, synthetic.plan("2-0-1-1", 4), None)
    client.force_login(user)
    page = client.get(reverse("videos:log-set", args=[clip.pk])).content.decode()
    assert f'action="{reverse("training:set-create", args=[session.pk])}"' in page
    assert (_field_value(page, "reps"), _field_value(page, "tempo")) == ("4", "2-0-1-1")
    assert re.search(r'<input[^>]*name="side"[^>]*value="right"[^>]*checked', page)
    assert not Set.objects.exists()
    # Once the set is added from there, the address is the session's: a reload there would
    # fill the form again.
    added = client.post(
        reverse("training:set-create", args=[session.pk]),
        {"side": "right", "reps": "4", "tempo": "2-0-1-1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{reverse('videos:log-set', args=[clip.pk])}",
    )
    assert added.status_code == 200
    assert added["HX-Replace-Url"] == session.get_absolute_url()
    assert Set.objects.get().reps == 4
