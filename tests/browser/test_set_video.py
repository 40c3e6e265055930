"""A set on video in real Chromium: the athlete uploads, the coach pins a form error to a
moment, and the athlete's click on that comment takes the video there."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    coach_with_athlete,
    log_in,
    take_screenshots,
    wait_for_htmx,
)
from tests.videos.clips import make_clip
from training.models import Set
from videos.models import SetVideo, VideoComment

pytestmark = pytest.mark.browser


@pytest.fixture
def video_world(django_user_model, media_root):
    _, _, session = coach_with_athlete(django_user_model)
    return {"set": Set.objects.create(session=session, position=1, side="left", reps=10)}


def test_a_coach_pins_a_form_error_to_a_moment_and_the_athlete_jumps_to_it(
    live_server, open_page, video_world, tmp_path, screenshot_dir
):
    base = live_server.url
    # Debian's Chromium plays H.264 (canPlayType says "probably"), so the phone's format.
    clip = make_clip(tmp_path / "set.mp4", seconds=3, size=(320, 240), fps=10)
    athlete, athlete_console = open_page(PHONE)
    log_in(athlete, base, "athlete")
    athlete.goto(f"{base}/log/sets/{video_world['set'].pk}/video/")
    # Film now (the camera) or a clip already on the phone: the one picked last is sent.
    athlete.get_by_label("Film now").set_input_files(str(clip))
    athlete.get_by_label("Choose a clip").set_input_files(str(clip))
    assert athlete.get_by_label("Film now").evaluate("input => input.files.length") == 0
    take_screenshots(athlete, screenshot_dir, "set-video-upload-360")
    assert [v["id"] for v in Axe().run(athlete).response["violations"]] == []
    athlete.get_by_role("button", name="Upload the video").click()
    athlete.get_by_text("Processing the video").wait_for()

    # The worker, as `make run` and `make worker` run it.
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    player = athlete.locator("video#clip")
    player.wait_for(timeout=10_000)  # the page asks again every 3 s
    assert SetVideo.objects.get().status == "ready"

    coach, coach_console = open_page(DESKTOP)
    log_in(coach, base, "coachy", lands_on="/coach/")
    coach.goto(f"{base}/coach/")
    coach.get_by_role("link", name="Video to review").click()
    coach.wait_for_function("() => document.getElementById('clip').readyState >= 1")
    coach.get_by_role("button", name="0.25×").click()
    assert coach.evaluate("document.getElementById('clip').playbackRate") == 0.25
    coach.evaluate("document.getElementById('clip').currentTime = 2.0")
    moment = coach.get_by_label("At (seconds)")
    coach.wait_for_function("() => document.querySelector('[name=at_seconds]').value === '2.00'")
    coach.get_by_role("button", name="Frame forward").click()
    coach.wait_for_function("() => document.querySelector('[name=at_seconds]').value === '2.10'")
    # A refused comment (a 400 under hx-boost) comes back with what to fix, on the page.
    coach.get_by_role("button", name="Add the comment").click()
    coach.get_by_text("Write a comment or choose a form error.").wait_for()
    moment.fill("2.0")
    coach.get_by_label("Form error").select_option(label="Knee caving inward")
    coach.get_by_role("textbox", name="Comment").fill("The knee drifts in as the hips rise.")
    coach.get_by_role("button", name="Add the comment").click()
    coach.get_by_role("link", name="Knee caving inward").wait_for()
    # Said in the status region beside the form; the focus stays where the coach was, on a
    # new form for the next comment, whose moment still follows the player.
    said = coach.locator("#comment-said[role=status]")
    said.get_by_text("Comment added at 2.0 s.").wait_for()
    assert coach.evaluate("document.activeElement.id") == "comment-submit"
    assert coach.get_by_role("textbox", name="Comment").input_value() == ""
    coach.evaluate("document.getElementById('clip').currentTime = 1.0")
    coach.wait_for_function("() => document.querySelector('[name=at_seconds]').value === '1.00'")
    comment = VideoComment.objects.get()
    assert (str(comment.at_seconds), comment.form_error.name) == ("2.00", "Knee caving inward")
    take_screenshots(coach, screenshot_dir, "video-coach-1280")

    athlete.reload()
    athlete.wait_for_function("() => document.getElementById('clip').readyState >= 1")
    athlete.get_by_role("link", name="2.0 s").click()
    assert athlete.evaluate("document.getElementById('clip').currentTime") == 2.0
    # The moment follows the player: once the seek has landed, it is typed over.
    athlete.wait_for_function("() => document.querySelector('[name=at_seconds]').value === '2.00'")
    # The athlete's reply, from the keyboard, is said the same way.
    athlete.get_by_label("At (seconds)").fill("1.5")
    athlete.get_by_label("Your reply or question").fill("Like this?")
    athlete.get_by_role("button", name="Add the comment").press("Enter")
    athlete.locator("#comment-said[role=status]").get_by_text("Comment added at 1.5 s.").wait_for()
    assert athlete.evaluate("document.activeElement.id") == "comment-submit"
    take_screenshots(athlete, screenshot_dir, "video-athlete-360")
    assert athlete_console.errors == []
    # Only the refused comment's 400, which the browser reports twice.
    assert [error for error in coach_console.errors if "400" not in error] == []


def test_a_dropped_chunk_resumes_without_sending_earlier_chunks_again(
    live_server, open_page, video_world, tmp_path, settings, screenshot_dir
):
    settings.VIDEO_UPLOAD_CHUNK_BYTES = 1024
    clip = make_clip(tmp_path / "set.mp4", seconds=2, size=(320, 240), fps=10)
    data = clip.read_bytes()
    assert len(data) > 3 * 1024
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "athlete")
    sent: list[str] = []
    asked: list[str] = []

    def flaky(route):
        request = route.request
        if request.method == "GET":
            asked.append(request.url)
            route.continue_()
            return
        sent.append(request.headers["content-range"])
        if len(sent) == 2:
            # The server keeps the chunk, and the answer never arrives.
            route.fetch()
            route.abort()
        else:
            route.continue_()

    page.route("**/videos/uploads/*/", flaky)
    page.goto(f"{live_server.url}/log/sets/{video_world['set'].pk}/video/")
    page.get_by_label("Film now").set_input_files(str(clip))
    page.get_by_role("button", name="Upload the video").click()
    page.get_by_text("Processing the video").wait_for()
    firsts = [int(header.split()[1].split("-")[0]) for header in sent]
    assert firsts == list(range(0, len(data), 1024))  # each chunk once, in order
    assert len(asked) == 1  # where to resume, asked once
    upload = SetVideo.objects.get()
    assert upload.original.open("rb").read() == data
    # The one request the test broke is the only thing that went wrong.
    assert [e for e in console.errors if "ERR_FAILED" not in e] == []
    take_screenshots(page, screenshot_dir, "video-uploaded-360")


def _processing_clip(a_set: Set) -> SetVideo:
    """A clip of `a_set` the worker has not processed yet: its page polls."""
    return SetVideo.objects.create(
        owner=a_set.session.user,
        session=a_set.session,
        set=a_set,
        original=f"videos/{a_set.session.user_id}/waiting/upload.mp4",
        original_type="video/mp4",
    )


def test_a_video_deleted_while_its_page_waits_stops_the_polls_with_one_quiet_notice(
    live_server, open_page, video_world, media_root, screenshot_dir
):
    base = live_server.url
    a_set = video_world["set"]
    clip = _processing_clip(a_set)
    page, console = open_page(PHONE)
    log_in(page, base, "athlete")
    # The page's polls run on a clock the test moves, and only the test: a minute passes in no
    # time, and a slow machine lets no poll fire between the steps (the 4 s one must not go
    # before the 3 s one's answer is handled).
    start = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
    page.clock.install(time=start)
    # Paused an hour on (the installed clock has run on meanwhile, and cannot be paused in its
    # past), before the page and its timers exist.
    page.clock.pause_at(start + datetime.timedelta(hours=1))
    page.goto(f"{base}{clip.get_absolute_url()}")
    page.get_by_text("Processing the video").wait_for()
    page.evaluate(
        "window.polls = 0;"
        "document.addEventListener('htmx:beforeRequest', () => { window.polls += 1; })"
    )
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0

    SetVideo.objects.filter(pk=clip.pk).delete()  # from another tab
    with page.expect_response(lambda answer: answer.status == 404):
        page.clock.run_for(3_000)
    notice = page.get_by_role("status").filter(has_text="This video was deleted")
    page.clock.run_for(100)  # the notice is filled a frame after it is placed
    notice.wait_for(timeout=5_000)
    page.clock.run_for(60_000)

    assert page.evaluate("window.polls") == 1  # the first 404 stopped both polls
    assert notice.count() == 1
    assert page.get_by_text("Nothing was changed").count() == 0
    assert page.get_by_text("Processing the video").count() == 0
    back = notice.get_by_role("link", name="Back to the videos of this set")
    assert back.get_attribute("href") == f"/log/sets/{a_set.pk}/video/"
    # A poll never moves the page (what it waited on is gone, so the page may be shorter).
    bottom = page.evaluate("document.documentElement.scrollHeight - window.innerHeight")
    assert page.evaluate("window.scrollY") == min(scrolled, bottom)
    take_screenshots(page, screenshot_dir, "video-deleted-360")
    assert [error for error in console.errors if "404" not in error] == []


# A file input's width and height, its box's width within its padding, and a line of text.
FILE_INPUT_BOX = """input => {
  const box = input.closest('label');
  const style = getComputedStyle(box);
  const inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const { width, height } = input.getBoundingClientRect();
  const line = parseFloat(getComputedStyle(input).lineHeight);
  return [Math.round(width), Math.round(height), Math.round(inner), Math.round(line)];
}"""


def test_on_a_phone_the_file_inputs_fit_and_a_refusal_leaves_no_progress_bar(
    live_server, open_page, video_world, tmp_path, settings, screenshot_dir
):
    settings.VIDEO_QUOTA_BYTES = 1024  # smaller than any clip: the upload is refused
    clip = make_clip(tmp_path / "set.mp4", seconds=2, size=(320, 240), fps=10)
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "athlete")
    page.goto(f"{live_server.url}/log/sets/{video_world['set'].pk}/video/")
    for name in ("Film now", "Choose a clip"):
        # As wide as its box, the file's name on a line of its own under the 44 px button:
        # "No file chosen" is read whole, not "No fi…sen".
        width, height, room, line = page.get_by_label(name).evaluate(FILE_INPUT_BOX)
        assert width == room, (name, width, room)
        assert height >= 44 + line, (name, height, line)
    page.get_by_label("Choose a clip").set_input_files(str(clip))
    page.get_by_role("button", name="Upload the video").click()
    page.get_by_text("would take you past your 1 KB of video storage").wait_for()
    assert page.locator("[data-upload-progress]").is_hidden()
    assert page.get_by_role("button", name="Upload the video").is_enabled()
    take_screenshots(page, screenshot_dir, "set-video-refused-360")
    assert [error for error in console.errors if "400" not in error] == []


def test_a_poll_of_a_video_being_processed_leaves_the_keyboard_focus_where_it_was(
    live_server, open_page, video_world, media_root
):
    clip = _processing_clip(video_world["set"])
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "athlete")
    page.goto(f"{live_server.url}{clip.get_absolute_url()}")
    page.get_by_text("Processing the video").wait_for()
    page.locator("#video-status").get_by_role("link", name="Refresh").focus()

    for _ in range(2):  # each poll, every 3 s, redraws the link the keyboard is on
        with page.expect_response(lambda answer: answer.url.endswith(clip.get_absolute_url())):
            pass
        wait_for_htmx(page)
        focused = "document.activeElement.closest('#video-status') && document.activeElement.text"
        assert page.evaluate(focused) == "Refresh"
    assert console.errors == []
