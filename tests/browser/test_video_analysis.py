"""The camera's analysis in real Chromium: a drawn set uploaded, processed and read by the
worker (the real pose model), then the rep timeline seeks the video (pointer and keyboard),
the skeleton follows playback, and "Log this set from the video" fills the set form
without saving it."""

from __future__ import annotations

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
from tests.videos.rendered_clips import ClipSpec, render_clip
from training.models import Set
from videos import analysis as camera
from videos.models import AnalysisStatus, SetVideo, VideoAnalysis

pytestmark = pytest.mark.browser


# How many of the overlay's pixels are drawn, read from a copy (one read of each canvas: a
# canvas read again and again makes Chromium warn).
SKELETON_PIXELS = """() => {
  const canvas = document.querySelector('[data-skeleton]');
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const context = copy.getContext('2d');
  context.drawImage(canvas, 0, 0);
  const data = context.getImageData(0, 0, copy.width, copy.height).data;
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]) drawn += 1;
  return drawn;
}"""


def test_the_timeline_seeks_the_video_and_the_set_form_is_filled_from_it_unsaved(
    live_server, open_page, django_user_model, media_root, tmp_path, screenshot_dir
):
    base = live_server.url
    _, _, session = coach_with_athlete(django_user_model)
    a_set = Set.objects.create(session=session, position=1, side="left", reps=9, tempo="1-1-1-1")
    drawn = render_clip(
        tmp_path / "set.mp4",
        ClipSpec(size=(640, 360), fps=15, tempo="1-1-1-1", reps=2, lead_in=0.5, seed=3),
    )
    athlete, athlete_console = open_page(PHONE)
    log_in(athlete, base, "athlete")
    athlete.goto(f"{base}/log/sets/{a_set.pk}/video/")
    athlete.get_by_label("Choose a clip").set_input_files(str(drawn.path))
    athlete.get_by_role("button", name="Upload the video").click()
    athlete.get_by_text("Processing the video").wait_for()
    athlete.get_by_text("The reps are read once the video is processed.").wait_for()

    # The worker, as `make run` runs it: processing, then the analysis it queues.
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    clip = SetVideo.objects.get()
    analysis = VideoAnalysis.objects.get(video=clip)
    assert analysis.status == AnalysisStatus.DONE
    reps = analysis.result["reps"]
    assert len(reps) == len(drawn.reps)

    # The page asks again every few seconds: the player, then the analysis.
    athlete.get_by_text(f"{len(reps)} reps counted").wait_for(timeout=15_000)
    wait_for_htmx(athlete)
    athlete.wait_for_function("() => document.getElementById('clip').readyState >= 1")
    segments = athlete.locator(".rep-timeline__bar a")
    assert segments.count() == len(reps)
    segments.nth(1).click()
    assert athlete.evaluate("document.getElementById('clip').currentTime") == pytest.approx(
        reps[1]["start"], abs=0.01
    )
    # Reached by the keyboard with the timeline below the fold, the link comes into view.
    athlete.evaluate("window.scrollTo(0, 0)")
    segments.nth(0).focus()
    box = segments.nth(0).bounding_box()
    assert 0 <= box["y"] <= box["y"] + box["height"] <= PHONE["height"], box
    athlete.keyboard.press("Enter")
    assert athlete.evaluate("document.getElementById('clip').currentTime") == pytest.approx(
        reps[0]["start"], abs=0.01
    )
    # The table's rep links too, which the page-wide boost must not follow to the file.
    athlete.locator(".rep-table").get_by_role("link", name="Rep 2", exact=True).click()
    assert athlete.evaluate("document.getElementById('clip').currentTime") == pytest.approx(
        reps[1]["start"], abs=0.01
    )
    assert athlete.url.endswith(clip.get_absolute_url())  # seeking, not following the link

    # The skeleton, drawn where the video is.
    toggle = athlete.get_by_role("button", name="Show the skeleton")
    toggle.click()
    athlete.get_by_role("button", name="Hide the skeleton").wait_for()
    assert athlete.locator("[data-skeleton]").is_visible()
    athlete.evaluate(f"document.getElementById('clip').currentTime = {reps[0]['start'] + 0.5}")
    athlete.wait_for_function(f"() => ({SKELETON_PIXELS})() > 0")
    assert [v["id"] for v in Axe().run(athlete).response["violations"]] == []
    take_screenshots(athlete, screenshot_dir, "video-analysis-athlete-360")

    # The set form filled from the video; nothing saved until the trainee saves.
    athlete.get_by_role("link", name="Log this set from the video").click()
    athlete.get_by_text("Filled from the video").wait_for()
    tempo = camera.measured_tempo(analysis.result)
    assert athlete.get_by_label("Reps").input_value() == str(len(reps))
    assert athlete.locator("input[name=tempo]").input_value() == tempo
    assert athlete.get_by_role("radio", name="Left").is_checked()
    assert [v["id"] for v in Axe().run(athlete).response["violations"]] == []
    take_screenshots(athlete, screenshot_dir, "video-log-set-360")
    a_set.refresh_from_db()
    assert (a_set.reps, a_set.tempo) == (9, "1-1-1-1")
    # Playwright's full-page screenshot leaves style="" on inputs, which htmx would copy onto
    # the next page's (a CSP error of the test's making): the form afresh, as a person has it.
    athlete.reload()
    athlete.get_by_text("Filled from the video").wait_for()
    athlete.get_by_role("button", name="Save set").click()
    athlete.wait_for_url(f"{base}{session.get_absolute_url()}")
    a_set.refresh_from_db()
    assert (a_set.reps, a_set.tempo) == (len(reps), tempo)

    coach, coach_console = open_page(DESKTOP)
    log_in(coach, base, "coachy", lands_on="/coach/")
    coach.goto(f"{base}{clip.get_absolute_url()}")
    coach.wait_for_function("() => document.getElementById('clip').readyState >= 1")
    coach.get_by_role("button", name="Show the skeleton").click()
    coach.evaluate(f"document.getElementById('clip').currentTime = {reps[1]['start'] + 0.5}")
    coach.wait_for_function("() => document.getElementById('clip').seeking === false")
    assert [v["id"] for v in Axe().run(coach).response["violations"]] == []
    take_screenshots(coach, screenshot_dir, "video-analysis-coach-1280")
    coach.set_viewport_size(PHONE)
    assert coach.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    take_screenshots(coach, screenshot_dir, "video-analysis-coach-360")
    athlete.set_viewport_size(DESKTOP)
    athlete.goto(f"{base}{clip.get_absolute_url()}")
    take_screenshots(athlete, screenshot_dir, "video-analysis-athlete-1280")
    assert athlete_console.errors == []
    assert coach_console.errors == []
