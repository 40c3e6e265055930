"""The tempo timer in real Chromium, on Playwright's fake clock.

The clock is installed before the page loads and paused, so performance.now(),
timers and animation frames move only when a test says so: every check is made
a millisecond before and a millisecond after the instant the plan says a phase
changes. (The Web Audio clock does not follow page.clock; the display does not
depend on it, and the tone test maps one clock onto the other.)
"""

from __future__ import annotations

import datetime
import itertools
from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.conftest import DESKTOP, PHONE, each_size_and_scheme, log_in

pytestmark = pytest.mark.browser

SEVERE = {"serious", "critical"}
START = datetime.datetime(2026, 1, 1, 7, 0, 0)

# A short plan that has everything: two sets of two reps per leg at 2-1-1-2, a
# 3 s countdown, 4 s to change legs, 6 s between sets and a 4 s hold on the last rep.
PLAN = {
    "variation": "single-leg-hip-thrust",
    "tempo": "2-1-1-2",
    "sets": 2,
    "reps": 2,
    "sides": "left-right",
    "lead_in": 3,
    "side_rest": 4,
    "set_rest": 6,
    "last_hold": 4,
}
PLAN_MS = 73_000


def expected_timeline() -> list[tuple[int, str, int, int, str]]:
    """(start ms, phase shown, set, rep, leg) of every step of PLAN, in order."""
    rows = [(0, "Get ready", 1, 1, "Left")]
    t = 3_000
    for set_number in (1, 2):
        if set_number == 2:
            rows.append((t, "Rest", 2, 1, "Left"))
            t += 6_000
        for leg in ("Left", "Right"):
            if leg == "Right":
                rows.append((t, "Switch legs", set_number, 1, "Right"))
                t += 4_000
            for rep in (1, 2):
                hold = ("Long hold", 4_000) if rep == 2 else ("Hold", 2_000)
                steps = (("Lift", 1_000), hold, ("Lower", 2_000), ("Bottom pause", 1_000))
                for phase, ms in steps:
                    rows.append((t, phase, set_number, rep, leg))
                    t += ms
    assert t == PLAN_MS
    return rows


def _url(live_server, **query) -> str:
    return f"{live_server.url}/timer/?{urlencode(query)}"


def _open(open_page, url: str, viewport=PHONE, script: str = "", **options) -> tuple[Page, object]:
    page, console = open_page(viewport, **options)
    if script:
        page.add_init_script(script)
    page.clock.install(time=START)
    page.goto(url)
    page.clock.pause_at(START + datetime.timedelta(seconds=10))
    page.locator("[data-timer][data-ready]").wait_for()
    return page, console


# Records what the timer says: the spoken cues (window.spoken) and the live region's texts,
# each once, as one change of the region can come as several mutations (window.told).
LISTENING = """
window.spoken = [];
speechSynthesis.speak = (utterance) => window.spoken.push(utterance.text);
window.told = [];
new MutationObserver(() => {
    const text = document.querySelector('[data-timer-part=announce]')?.textContent;
    if (text && text !== window.told.at(-1)) window.told.push(text);
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def _open_listening(open_page, url: str) -> tuple[Page, object]:
    """The timer at `url` with its spoken cues on, recording what it says (LISTENING)."""
    page, console = _open(open_page, url, script=LISTENING)
    page.get_by_role("button", name="Spoken cues").click()
    return page, console


def _now(page: Page) -> float:
    return page.evaluate("performance.now()")


def _start(page: Page) -> float:
    page.get_by_role("button", name="Start", exact=True).click()
    return _now(page)


def _at(page: Page, origin: float, ms: float) -> None:
    """Move the page's clock to `ms` after the start, running every timer and frame due."""
    delta = origin + ms - _now(page)
    assert delta >= 0, f"the clock cannot go back to {ms} ms"
    page.clock.run_for(round(delta))


def _finish_a_set_of_two_reps_a_side(page: Page, live_server) -> None:
    """Run a plan of one set of 2 reps on each leg to its end, on the page's own clock."""
    page.clock.install(time=START)
    plan = {"variation": "single-leg-hip-thrust", "tempo": "1-0-1-0", "sets": 1, "reps": 2}
    page.goto(_url(live_server, **plan, sides="left-right", lead_in=0, side_rest=0))
    page.clock.pause_at(START + datetime.timedelta(seconds=10))
    page.locator("[data-timer][data-ready]").wait_for()
    _at(page, _start(page), 60_000)


def _shown(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const root = document.querySelector('[data-timer]');
            const part = (name) => root.querySelector(`[data-timer-part="${name}"]`);
            return {
                phase: part('phase').textContent,
                set: part('set').textContent,
                rep: part('rep').textContent,
                leg: part('side').textContent,
                switching: !part('switch').hidden,
                state: root.dataset.state,
                seconds: part('seconds').textContent,
            };
        }"""
    )


def _expect(page: Page, row: tuple[int, str, int, int, str], sets: int = 2, reps: int = 2):
    _, phase, set_number, rep, leg = row
    shown = _shown(page)
    assert (shown["phase"], shown["set"], shown["rep"], shown["leg"]) == (
        phase,
        f"{set_number} of {sets}",
        f"{rep} of {reps}",
        leg,
    ), row
    assert shown["switching"] == (phase == "Switch legs"), row


def test_a_full_plan_changes_phase_counter_and_leg_at_each_scheduled_instant(
    live_server, open_page
):
    page, console = _open(open_page, _url(live_server, **PLAN))
    origin = _start(page)
    timeline = expected_timeline()

    _at(page, origin, 0)
    _expect(page, timeline[0])
    for previous, row in itertools.pairwise(timeline):
        _at(page, origin, row[0] - 1)
        _expect(page, previous)
        _at(page, origin, row[0] + 1)
        _expect(page, row)

    _at(page, origin, PLAN_MS - 1)
    assert _shown(page)["state"] == "running"
    _at(page, origin, PLAN_MS + 1)
    shown = _shown(page)
    assert (shown["phase"], shown["state"]) == ("Done", "finished")
    assert page.get_by_role("heading", name="Done: what you did").is_visible()
    assert console.errors == []


def test_the_seconds_count_down_within_a_phase(live_server, open_page):
    page, _ = _open(open_page, _url(live_server, **PLAN))
    origin = _start(page)
    # The countdown: 3 s, shown as 3, 2, 1. Whole seconds inside a phase tick with the
    # animation frames, so within one frame (17 ms) of the second.
    for ms, seconds in [(1, "3"), (999, "3"), (1_017, "2"), (2_017, "1"), (2_999, "1")]:
        _at(page, origin, ms)
        assert _shown(page)["seconds"] == seconds, ms


def test_pause_and_resume_shift_the_rest_of_the_plan_and_keep_the_count(live_server, open_page):
    page, console = _open(open_page, _url(live_server, **PLAN))
    origin = _start(page)
    _at(page, origin, 7_500)  # halfway down the first rep (lowering runs 6-8 s)
    before = _shown(page)
    assert before["phase"] == "Lower"

    page.get_by_role("button", name="Pause").click()
    page.clock.run_for(10_000)
    paused = _shown(page)
    assert paused == {**before, "state": "paused"}
    page.get_by_role("button", name="Resume").click()

    _at(page, origin, 17_999)
    assert _shown(page)["phase"] == "Lower"
    _at(page, origin, 18_001)
    assert (_shown(page)["phase"], _shown(page)["rep"]) == ("Bottom pause", "1 of 2")
    _at(page, origin, PLAN_MS + 10_000 - 1)
    assert _shown(page)["state"] == "running"
    _at(page, origin, PLAN_MS + 10_000 + 1)
    assert _shown(page)["state"] == "finished"
    summary = page.locator('[data-timer-part="summary-line"]').inner_text()
    assert summary == ("2 sets of 2 reps per leg at 2-1-1-2, done in 1 min 23 s, with 10 s paused.")
    assert console.errors == []


def test_skip_rest_starts_the_next_set_now_and_brings_the_end_forward(live_server, open_page):
    page, console = _open(open_page, _url(live_server, **PLAN))
    origin = _start(page)
    skip = page.get_by_role("button", name="Skip rest")
    _at(page, origin, 3_500)
    assert _skip_is_hidden(page), "a rep cannot be skipped: no dead button during reps"

    _at(page, origin, 36_000)  # one second into the 6 s rest between sets
    assert _shown(page)["phase"] == "Rest"
    skip.click()
    _expect(page, (0, "Lift", 2, 1, "Left"))
    # Set 2 now starts at 36 s instead of 41 s: the whole remaining plan moved 5 s.
    _at(page, origin, 36_000 + 1_000 - 1)
    assert _shown(page)["phase"] == "Lift"
    _at(page, origin, 36_000 + 1_000 + 1)
    assert _shown(page)["phase"] == "Hold"
    _at(page, origin, PLAN_MS - 5_000 - 1)
    assert _shown(page)["state"] == "running"
    _at(page, origin, PLAN_MS - 5_000 + 1)
    assert _shown(page)["state"] == "finished"
    assert console.errors == []


def _skip_is_hidden(page: Page) -> bool:
    return page.locator("[data-action=skip]").is_hidden()


def test_skip_shows_only_while_there_is_a_rest_or_countdown_to_skip(live_server, open_page):
    page, console = _open(open_page, _url(live_server, **PLAN))
    assert _skip_is_hidden(page), "nothing to skip before Start"
    origin = _start(page)
    assert page.get_by_role("button", name="Skip countdown").is_visible()
    for ms, phase in ((3_500, "Lift"), (4_500, "Hold"), (8_500, "Bottom pause")):
        _at(page, origin, ms)
        assert _shown(page)["phase"] == phase
        assert _skip_is_hidden(page), f"a dead Skip during the {phase}"
    _at(page, origin, 36_000)
    assert page.get_by_role("button", name="Skip rest").is_visible()
    # A keyboard user who skips keeps a focus: Pause, not the button that goes away.
    page.get_by_role("button", name="Skip rest").focus()
    page.keyboard.press("Enter")
    _expect(page, (0, "Lift", 2, 1, "Left"))
    assert _skip_is_hidden(page)
    assert page.evaluate("document.activeElement.dataset.action") == "toggle"
    page.get_by_role("button", name="Pause").click()
    assert _skip_is_hidden(page), "nothing to skip while paused"
    assert console.errors == []


def test_the_countdown_and_the_leg_change_can_be_skipped_too(live_server, open_page):
    page, _ = _open(open_page, _url(live_server, **PLAN))
    origin = _start(page)
    _at(page, origin, 500)
    page.get_by_role("button", name="Skip countdown").click()
    _expect(page, (0, "Lift", 1, 1, "Left"))
    _at(page, origin, 500 + 14_000 + 100)  # the leg change, moved 2.5 s earlier
    assert _shown(page)["phase"] == "Switch legs"
    page.get_by_role("button", name="Skip rest").click()
    _expect(page, (0, "Lift", 1, 1, "Right"))


def test_the_summary_reports_each_leg_and_is_sent_as_an_event(live_server, open_page):
    page, console = _open(open_page, _url(live_server, **PLAN))
    page.evaluate(
        "document.addEventListener('timer:finished', (e) => { window.finished = e.detail; "
        "window.finishedOn = e.target.id; })"
    )
    origin = _start(page)
    _at(page, origin, PLAN_MS + 1)

    rows = page.locator("[data-timer-part=summary-rows] tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    # Per leg: 4 reps of 6 s, plus 2 s more on each of the two long holds.
    assert rows == [
        ["Left", "4", "28 s", "4 (12 s)"],
        ["Right", "4", "28 s", "4 (12 s)"],
    ]
    detail = page.evaluate("window.finished")
    assert page.evaluate("window.finishedOn") == "timer"
    assert detail["perSide"]["left"] == {
        "reps": 4,
        "tensionMs": 28_000,
        "holds": 4,
        "holdMs": 12_000,
        "longestHoldMs": 4_000,
    }
    assert detail["totalReps"] == 8
    assert (detail["tempo"], detail["sets"], detail["repsPerSet"]) == ("2-1-1-2", 2, 2)
    assert (detail["sides"], detail["lastHoldSeconds"], detail["topHoldSeconds"]) == (
        "left-right",
        4,
        2,
    )
    assert (detail["elapsedMs"], detail["pausedMs"]) == (PLAN_MS, 0)
    assert detail["variation"] == "single-leg-hip-thrust"
    # "Log these sets" lives here for signed-in people; a visitor is offered to sign up instead.
    log = page.locator("[data-timer-part=summary] #timer-log")
    assert log.count() == 1
    assert log.get_by_role("link", name="Sign up and keep these sets").is_visible()
    assert log.get_by_role("button").count() == 0
    assert console.errors == []


def test_reset_goes_back_to_the_start_and_start_again_runs_the_plan_anew(live_server, open_page):
    page, _ = _open(open_page, _url(live_server, **PLAN))
    origin = _start(page)
    _at(page, origin, 20_000)
    page.get_by_role("button", name="Reset").click()
    assert _shown(page)["phase"] == "Ready"
    assert _shown(page)["state"] == "idle"
    page.clock.run_for(5_000)
    assert _shown(page)["phase"] == "Ready", "a reset timer stays still"
    origin = _start(page)
    _at(page, origin, 3_001)
    _expect(page, (0, "Lift", 1, 1, "Left"))


def test_the_space_bar_starts_pauses_and_resumes_but_not_while_typing(live_server, open_page):
    page, console = _open(open_page, _url(live_server, **PLAN))
    page.keyboard.press("Space")
    assert _shown(page)["state"] == "running"
    assert page.get_by_role("button", name="Pause").is_visible()
    page.clock.run_for(1_000)
    page.keyboard.press("Space")
    assert _shown(page)["state"] == "paused"
    scroll = page.evaluate("window.scrollY")
    page.keyboard.press("Space")
    assert _shown(page)["state"] == "running"
    assert page.evaluate("window.scrollY") == scroll, "the space bar must not scroll the page"

    page.get_by_label("Custom tempo").fill("3-0-1")
    page.get_by_label("Custom tempo").press("Space")
    assert _shown(page)["state"] == "running"
    assert page.get_by_label("Custom tempo").input_value() == "3-0-1 "
    # On a focused button the space bar is the button's own.
    page.get_by_role("button", name="Pause").focus()
    page.keyboard.press("Space")
    assert _shown(page)["state"] == "paused"
    assert console.errors == []


def test_a_boosted_link_from_the_guide_leaves_a_working_timer(live_server, open_page):
    page, console = open_page(DESKTOP)
    page.clock.install(time=START)
    page.goto(f"{live_server.url}/guide/")
    page.clock.pause_at(START + datetime.timedelta(seconds=10))
    page.evaluate("window.stillTheSameDocument = true")

    with page.expect_response(lambda r: "/timer/" in r.url) as info:
        page.get_by_role("link", name="tempo timer").click()
    assert info.value.request.headers.get("hx-boosted") == "true"
    page.locator("[data-timer][data-ready]").wait_for()
    assert page.evaluate("window.stillTheSameDocument") is True
    # head-support brought the timer's stylesheet in with the page.
    assert page.locator("link[href$='/css/timer.css']").count() == 1

    origin = _start(page)
    assert page.get_by_role("button", name="Pause").is_visible(), "one click, one start"
    _at(page, origin, 5_001)
    assert _shown(page)["phase"] == "Lift"

    # A new plan from the form swaps the page again; the new timer runs its own plan.
    page.get_by_label("Sets", exact=True).fill("1")
    page.get_by_label("Reps per side").fill("1")
    page.get_by_label("Countdown before the first rep").fill("2")
    page.get_by_role("button", name="Update the timer").click()
    page.wait_for_url("**/timer/?*sets=1*")
    page.locator("[data-timer][data-ready]").wait_for()
    assert page.evaluate("window.stillTheSameDocument") is True
    assert _shown(page)["phase"] == "Ready"
    origin = _start(page)
    assert _shown(page)["state"] == "running"
    _at(page, origin, 2_001)
    _expect(page, (0, "Lift", 1, 1, "Left"), sets=1, reps=1)

    # Leaving mid-set stops that timer; coming back by the back button gives a fresh one.
    page.get_by_role("link", name="Guide", exact=True).click()
    page.wait_for_url(f"{live_server.url}/guide/")
    page.clock.run_for(30_000)
    assert page.locator("link[href$='/css/timer.css']").count() == 0
    page.go_back()
    page.locator("[data-timer][data-ready]").wait_for()
    assert _shown(page)["phase"] == "Ready"
    origin = _start(page)
    _at(page, origin, 2_001)
    assert _shown(page)["phase"] == "Lift"
    assert console.errors == []


def test_a_both_legs_plan_names_no_leg_that_goes_first(live_server, open_page):
    both_legs = {**PLAN, "variation": "floor-glute-bridge", "sides": "both"}
    page, console = _open(open_page, _url(live_server, **both_legs))
    assert page.locator("figcaption[data-timer-part=caption]").inner_text() == "Both legs together"
    assert console.errors == []


def test_the_timer_schedule_adds_up_to_the_servers_total(live_server, open_page):
    page, _ = _open(open_page, _url(live_server, **PLAN))
    plans = [
        PLAN,
        {**PLAN, "sides": "alternating", "side_rest": 2},
        {**PLAN, "variation": "floor-glute-bridge", "sides": "both", "last_hold": 0},
        {**PLAN, "sides": "right-left", "lead_in": 0, "set_rest": 0},
        {"variation": "isometric-hold-single-leg-hip-thrust"},
    ]
    for query in plans:
        page.goto(_url(live_server, **query))
        totals = page.evaluate(
            """async () => {
                const { buildSchedule, totalMs } = await import('/static/js/tempo-plan.mjs');
                const plan = JSON.parse(document.getElementById('timer-plan').textContent);
                return [totalMs(buildSchedule(plan)), plan.totalSeconds * 1000];
            }"""
        )
        assert totals[0] == totals[1], query


def test_tones_are_placed_ahead_on_the_audio_clock_at_the_scheduled_instants(
    live_server, open_page
):
    page, console = open_page(PHONE)
    # Record every oscillator start: when (audio clock), and both clocks at that moment.
    page.add_init_script(
        """
        window.toneStarts = [];
        const create = AudioContext.prototype.createOscillator;
        AudioContext.prototype.createOscillator = function () {
            const node = create.call(this);
            const start = node.start.bind(node);
            node.start = (when) => {
                window.toneStarts.push({
                    when, type: node.type,
                    audioNow: this.currentTime, perfNow: performance.now(),
                });
                start(when);
            };
            return node;
        };
        """
    )
    page.clock.install(time=START)
    page.goto(_url(live_server, **PLAN))
    page.clock.pause_at(START + datetime.timedelta(seconds=10))
    origin = _start(page)
    _at(page, origin, 18_000)
    starts = page.evaluate("window.toneStarts")
    assert (
        page.evaluate("document.querySelector('[data-timer]') && typeof AudioContext") == "function"
    )
    assert starts, "no tone was scheduled"
    # Where each tone lands on the page's clock, relative to the start.
    landed = sorted(
        round(s["perfNow"] + (s["when"] - s["audioNow"]) * 1000 - origin) for s in starts
    )
    # Countdown pips at 1 and 2 s; the first lift at 3 s; a tone on each later phase.
    # While the page's clock is paused the audio clock keeps real time, so the mapping
    # here is off by however long the scheduling itself took: a few tens of ms.
    slack = 40
    for expected in [1_000, 2_000, 3_000, 4_000, 6_000, 8_000, 9_000, 10_000, 14_000]:
        assert any(abs(at - expected) <= slack for at in landed), (expected, landed)
    assert not any(abs(at - 5_000) <= slack for at in landed), "no tone where nothing changes"
    ahead = [s for s in starts if s["when"] - s["audioNow"] > 0.5]
    assert ahead, "tones are placed ahead, not fired on the instant"
    # The leg change at 17 s has its own two-note square-wave tone.
    switch = [
        s
        for s in starts
        if s["type"] == "square"
        and abs(s["perfNow"] + (s["when"] - s["audioNow"]) * 1000 - origin - 17_000) <= slack
    ]
    assert len(switch) == 1
    assert console.errors == []


def test_no_audio_at_all_still_counts(live_server, open_page):
    page, console = open_page(PHONE)
    page.add_init_script("delete window.AudioContext; delete window.webkitAudioContext;")
    page.clock.install(time=START)
    page.goto(_url(live_server, **PLAN))
    page.clock.pause_at(START + datetime.timedelta(seconds=10))
    origin = _start(page)
    _at(page, origin, 17_001)
    _expect(page, (0, "Switch legs", 1, 1, "Right"))
    assert console.errors == []


def test_a_screen_reader_and_the_spoken_cues_follow_the_count_without_falling_behind(
    live_server, open_page
):
    """The live region says the rep, leg and set in full only when one changes, else the
    phase's word; the spoken cues name the leg and count the reps; pausing and going on
    are said too. A sentence every phase (each second) queued behind the count."""
    plan = {"variation": "single-leg-hip-thrust", "tempo": "1-0-1-0", "sets": 1, "reps": 2}
    url = _url(live_server, **plan, sides="left-right", lead_in=2, side_rest=2, last_hold=0)
    page, console = _open_listening(open_page, url)
    origin = _start(page)
    _at(page, origin, 3_500)  # lowering, rep 1, left
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Resume").click()
    origin = _now(page) - 3_500
    _at(page, origin, 20_000)
    told = page.evaluate("window.told")
    assert told == [
        "Get ready. Next: set 1 of 1, left leg first.",
        "Lift, rep 1 of 2, left leg.",
        "Lower.",
        "Paused.",
        "Going again. Lower, rep 1 of 2, left leg.",
        "Lift, rep 2 of 2, left leg.",
        "Lower.",
        "Switch legs: right leg next.",
        "Lift, rep 1 of 2, right leg.",
        "Lower.",
        "Lift, rep 2 of 2, right leg.",
        "Lower.",
        "Done. The summary is below the controls.",
    ]
    assert page.evaluate("window.spoken") == [
        "Get ready: left leg first",
        "Lift 1",
        "Lower",
        "Go",
        "Lift 2",
        "Lower",
        "Switch legs: right leg",
        "Lift 1",
        "Lower",
        "Lift 2",
        "Lower",
        "Done",
    ]
    assert console.errors == []


def test_the_bottom_pause_is_told_apart_from_pausing_the_timer(live_server, open_page):
    plan = {"variation": "single-leg-hip-thrust", "tempo": "1-1-1-0", "sets": 1, "reps": 2}
    url = _url(live_server, **plan, sides="left-right", lead_in=0, side_rest=0, last_hold=0)
    page, console = _open_listening(open_page, url)
    origin = _start(page)
    _at(page, origin, 2_500)  # the bottom pause of rep 1
    assert _shown(page)["phase"] == "Bottom pause"
    toggle = page.locator("[data-action=toggle]")
    assert toggle.inner_text() == "Pause"  # the button keeps its word
    toggle.click()
    page.get_by_role("button", name="Resume").click()
    told = page.evaluate("window.told")
    assert told[-3:] == [
        "Bottom pause.",
        "Paused.",
        "Going again. Bottom pause, rep 1 of 2, left leg.",
    ]
    assert "Pause." not in told
    assert "Pause" not in page.evaluate("window.spoken")
    assert console.errors == []


def test_the_spoken_rest_between_sets_names_the_leg_the_next_set_starts_on(live_server, open_page):
    plan = {"variation": "single-leg-hip-thrust", "tempo": "1-0-1-0", "sets": 2, "reps": 1}
    url = _url(live_server, **plan, sides="right-left", lead_in=0, set_rest=3, last_hold=0)
    page, console = _open_listening(open_page, url)
    origin = _start(page)
    _at(page, origin, 30_000)
    assert "Rest, 3 seconds, then right leg first" in page.evaluate("window.spoken")
    assert console.errors == []


def test_muting_stops_tones_and_the_choice_is_remembered(live_server, open_page):
    page, _ = _open(open_page, _url(live_server, **PLAN))
    tones = page.get_by_role("button", name="Tones")
    assert tones.get_attribute("aria-pressed") == "true"
    tones.click()
    assert tones.get_attribute("aria-pressed") == "false"
    page.reload()
    assert page.get_by_role("button", name="Tones").get_attribute("aria-pressed") == "false"
    speech = page.get_by_role("button", name="Spoken cues")
    assert speech.get_attribute("aria-pressed") == "false"


def test_reduced_motion_keeps_the_figure_still_while_the_count_goes_on(live_server, open_page):
    def leg_points(page):
        return page.locator("[data-joints='hip knee ankle']").get_attribute("points")

    for motion, moves in [("no-preference", True), ("reduce", False)]:
        page, _ = _open(open_page, _url(live_server, **PLAN), reduced_motion=motion)
        origin = _start(page)
        _at(page, origin, 3_001)
        first = leg_points(page)
        _at(page, origin, 3_600)
        assert _shown(page)["phase"] == "Lift"
        assert (leg_points(page) != first) is moves, motion
        _at(page, origin, 6_001)
        assert _shown(page)["phase"] == "Lower"


def test_reduced_motion_shows_each_phases_end_pose_the_top_during_lift_and_hold(
    live_server, open_page
):
    def hips(page):
        """Where the figure's hips are drawn, and where the plan's bottom and top put them."""
        return page.evaluate(
            """() => {
                const plan = JSON.parse(document.getElementById('timer-plan').textContent);
                const at = ([x, y]) => `${x.toFixed(1)},${(-y).toFixed(1)}`;
                const torso = document.querySelector("[data-joints='shoulder waist hip']");
                return [torso.getAttribute('points').split(' ').at(-1),
                        at(plan.figure.frames.bottom.hip), at(plan.figure.frames.top.hip)];
            }"""
        )

    page, console = _open(open_page, _url(live_server, **PLAN), reduced_motion="reduce")
    origin = _start(page)
    _at(page, origin, 2_000)  # the countdown: at the bottom
    shown, bottom, top = hips(page)
    assert shown == bottom
    for ms, phase, where in [(3_001, "Lift", top), (4_500, "Hold", top), (6_001, "Lower", bottom)]:
        _at(page, origin, ms)
        assert _shown(page)["phase"] == phase
        assert hips(page)[0] == where, phase
    assert console.errors == []


def _head_on_the_viewers_right(page: Page) -> bool:
    """Whether the figure's head is drawn right of its feet, as the screen shows it."""
    return page.evaluate(
        """() => {
            const middle = (node) => {
                const box = node.getBoundingClientRect();
                return box.left + box.width / 2;
            };
            const head = document.querySelector(".timer-figure [data-centre=head]");
            const foot = document.querySelector(".timer-figure [data-joints='heel ankle toe']");
            return middle(head) > middle(foot);
        }"""
    )


def test_the_leg_in_front_of_the_figure_is_the_one_its_caption_names(live_server, open_page):
    # Face up with the head on the viewer's left, a body shows its right side: the leg drawn
    # in front (the working one, after the far one) is its right leg. So the left leg works
    # with the head on the viewer's right, turned round, and the right leg as drawn.
    page, console = _open(open_page, _url(live_server, **PLAN))
    drawn = page.locator(".timer-figure polyline[data-joints]")
    roles = [drawn.nth(i).get_attribute("class") for i in range(drawn.count())]
    assert roles.index("fig-working") > roles.index("fig-far")
    mirror = page.locator("[data-mirror]")
    caption = page.locator("figcaption[data-timer-part=caption]")
    assert caption.inner_text() == "Left leg first"
    assert _head_on_the_viewers_right(page)
    origin = _start(page)
    _at(page, origin, 16_999)
    assert caption.inner_text() == "Left leg working"
    assert mirror.get_attribute("transform").startswith("matrix(-1 0 0 1 ")
    assert _head_on_the_viewers_right(page)
    _at(page, origin, 17_001)  # switching legs: the right one sets up, not working yet
    assert caption.inner_text() == "Right leg next"
    assert mirror.get_attribute("transform") is None
    assert not _head_on_the_viewers_right(page)
    _at(page, origin, 21_001)
    assert caption.inner_text() == "Right leg working"
    assert not _head_on_the_viewers_right(page)
    assert console.errors == []


def test_two_up_one_down_lifts_on_both_feet_and_lowers_on_one(live_server, open_page):
    def shown(page):
        return page.evaluate(
            """() => ({
                caption: document.querySelector('[data-timer-part=caption]').textContent,
                cue: document.querySelector('[data-timer-part=cue]').textContent,
                far: document.querySelector("[data-joints='hip free_knee free_ankle']")
                    .getAttribute('points'),
                leg: document.querySelector("[data-joints='hip knee ankle']")
                    .getAttribute('points'),
            })"""
        )

    plan = {**PLAN, "variation": "two-up-one-down-hip-thrust"}
    page, console = _open(open_page, _url(live_server, **plan))
    origin = _start(page)
    _at(page, origin, 3_999)  # the end of the drive: both feet still down
    lift = shown(page)
    assert _shown(page)["phase"] == "Lift"
    assert lift["caption"] == "Both legs working"
    assert lift["cue"].startswith("Both feet drive the hips up")
    assert "working glute" not in lift["cue"].lower()
    assert lift["far"] == lift["leg"]
    _at(page, origin, 4_001)  # the hold at the top: one foot off
    hold = shown(page)
    assert hold["caption"] == "Left leg working"
    assert hold["far"] != hold["leg"]
    _at(page, origin, 7_000)  # halfway down, on one leg
    lower = shown(page)
    assert _shown(page)["phase"] == "Lower"
    assert lower["caption"] == "Left leg working"
    assert lower["far"] != lower["leg"]
    assert console.errors == []


def test_without_javascript_the_plan_still_reads_and_no_dead_timer_shows(live_server, open_page):
    page, _ = open_page(PHONE, java_script_enabled=False)
    page.goto(_url(live_server, **PLAN))
    assert not page.locator("[data-timer]").is_visible()
    # (Playwright's switch leaves the parser treating <noscript> as text, so only its
    # presence is checked; a browser without JavaScript shows it.)
    assert "needs JavaScript" in page.locator("noscript").inner_html()
    assert page.get_by_role("heading", name="The plan", exact=True).is_visible()
    assert page.get_by_text("Squeeze at the top").is_visible()


def test_bad_input_shows_the_messages_and_no_timer(live_server, open_page):
    page, console = open_page(PHONE)
    page.goto(_url(live_server, sets=-2, tempo="3-0-1"))
    assert page.get_by_role("heading", name="The plan needs a change").is_visible()
    assert page.locator("[data-timer]").count() == 0
    assert page.get_by_text("Sets must be from 1 to 10 sets.").first.is_visible()
    assert page.get_by_label("Sets", exact=True).get_attribute("aria-invalid") == "true"
    assert console.errors == []


def test_every_control_is_a_large_touch_target_on_a_phone(live_server, open_page):
    page, _ = _open(open_page, _url(live_server, **PLAN))
    measure = (
        "buttons => buttons.map(b => { const r = b.getBoundingClientRect(); "
        "return [b.textContent, r.width, r.height, r.right]; })"
    )
    boxes = page.locator("[data-timer] button:visible").evaluate_all(measure)
    assert len(boxes) == 4  # Skip shows once there is a countdown or a rest to skip
    _start(page)
    boxes += page.locator("[data-timer] [data-action=skip]:visible").evaluate_all(measure)
    assert len(boxes) == 5
    for name, width, height, right in boxes:
        assert width >= 48, name
        assert height >= 48, name
        assert right <= PHONE["width"], name


STATES = {
    "idle": None,
    "lift": 3_500,
    "switch": 18_000,
    "summary": PLAN_MS + 1,
}


def _severe(page: Page) -> list:
    results = Axe().run(page)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in SEVERE
    ]


@each_size_and_scheme
def test_the_timer_passes_axe_and_fits_in_every_state(
    live_server, open_page, screenshot_dir, viewport, scheme
):
    for state, ms in STATES.items():
        page, console = _open(open_page, _url(live_server, **PLAN), viewport, color_scheme=scheme)
        if ms is not None:
            _at(page, _start(page), ms)
        if screenshot_dir:
            # The console: #timer lays out no box of its own (display: contents).
            target = page.locator(
                "[data-timer-part=summary]" if state == "summary" else ".timer__console"
            )
            target.scroll_into_view_if_needed()
            page.screenshot(path=screenshot_dir / f"timer-{state}-{viewport['width']}-{scheme}.png")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{state} scrolls sideways at {viewport['width']}px"
        # axe waits on timers of its own: let time flow again (the timer runs on meanwhile).
        page.clock.resume()
        assert _severe(page) == [], f"{state} at {viewport['width']}px, {scheme}"
        assert console.errors == []
        page.close()

    page, console = open_page(viewport, color_scheme=scheme)
    page.goto(_url(live_server, sets=0, tempo="nope"))
    assert _severe(page) == [], f"errors at {viewport['width']}px, {scheme}"
    assert console.errors == []


def test_a_signed_in_trainee_logs_the_finished_plan_in_one_click(
    live_server, open_page, django_user_model
):
    from tests.conftest import PASSWORD
    from training.models import TrainingSession

    trainee = django_user_model.objects.create_user("timed", "t@example.com", PASSWORD)
    page, console = open_page(DESKTOP)
    log_in(page, live_server.url, "timed")

    _finish_a_set_of_two_reps_a_side(page, live_server)
    button = page.get_by_role("button", name="Log these sets in your training log")
    button.wait_for()
    button.click()
    page.wait_for_url(f"{live_server.url}/log/sessions/*/")
    rows = page.locator(".set-row").all_inner_texts()
    assert [row.split()[0] for row in rows] == ["LEFT", "RIGHT"]
    assert all("2 reps" in row for row in rows)
    assert TrainingSession.objects.get(user=trainee).sets.count() == 2
    assert console.errors == []


def test_the_finished_plan_logged_offline_says_it_is_kept_where_the_focus_was(
    live_server, open_page, django_user_model
):
    from tests.conftest import PASSWORD

    django_user_model.objects.create_user("kept", "k@example.com", PASSWORD)
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "kept")

    _finish_a_set_of_two_reps_a_side(page, live_server)
    page.context.set_offline(True)
    page.get_by_role("button", name="Log these sets in your training log").click()
    kept = page.get_by_text("Kept on this device: waiting to sync to your log.")
    kept.wait_for()
    # The button it replaced had the focus: the line that says what happened takes it.
    assert page.evaluate("document.activeElement.textContent").startswith("Kept on this device")
    assert console.errors == []


@pytest.mark.parametrize(
    ("variation", "selector"),
    [
        ("loaded-single-leg-hip-thrust", "circle.fig-load[data-centre='load_centre']"),
        ("banded-single-leg-hip-thrust", "polyline.fig-band[data-joints]"),
    ],
)
def test_the_figure_moves_the_rungs_equipment_with_the_body(
    live_server, open_page, variation, selector
):
    def place(page):
        return page.evaluate(
            """(selector) => {
                const node = document.querySelector(selector);
                const hips = document.querySelector("[data-joints='shoulder waist hip']");
                const at = node.getAttribute("points");
                return [at ?? `${node.getAttribute("cx")},${node.getAttribute("cy")}`,
                        hips.getAttribute("points")];
            }""",
            selector,
        )

    page, _ = _open(open_page, _url(live_server, **{**PLAN, "variation": variation}))
    origin = _start(page)
    _at(page, origin, 3_001)
    equipment, hips = place(page)
    _at(page, origin, 3_600)
    assert _shown(page)["phase"] == "Lift"
    moved, raised = place(page)
    assert raised != hips
    assert moved != equipment


def _plan_notation(page: Page) -> str:
    return page.evaluate(
        "JSON.parse(document.getElementById('timer-plan').textContent).tempo.notation"
    )


def test_typing_a_tempo_chooses_custom_and_the_timer_runs_the_typed_one(live_server, open_page):
    page, console = open_page(PHONE)
    page.goto(f"{live_server.url}/timer/?variation=single-leg-hip-thrust")
    menu, typed = page.get_by_label("Tempo", exact=True), page.get_by_label("Custom tempo")
    assert (menu.input_value(), typed.input_value()) == ("controlled", "3-0-1-1")
    typed.fill("2-0-1-0")
    assert menu.input_value() == "custom"
    page.get_by_role("button", name="Update the timer").click()
    page.wait_for_url("**tempo=2-0-1-0**")
    page.locator("[data-timer][data-ready]").wait_for()
    assert _plan_notation(page) == "2-0-1-0"
    assert page.get_by_label("Tempo", exact=True).input_value() == "custom"
    # Choosing a preset again shows its tempo in the field, and that is what runs.
    page.get_by_label("Tempo", exact=True).select_option("squeeze")
    assert page.get_by_label("Custom tempo").input_value() == "3-0-1-2"
    page.get_by_role("button", name="Update the timer").click()
    page.wait_for_url("**preset=squeeze**")
    page.locator("[data-timer][data-ready]").wait_for()
    assert _plan_notation(page) == "3-0-1-2"
    assert console.errors == []


def test_without_javascript_a_typed_tempo_still_wins_and_the_page_says_so(live_server, open_page):
    page, _ = open_page(PHONE, java_script_enabled=False)
    page.goto(f"{live_server.url}/timer/?variation=single-leg-hip-thrust")
    page.get_by_label("Custom tempo").fill("2-0-1-0")
    assert page.get_by_label("Tempo", exact=True).input_value() == "controlled"
    page.get_by_role("button", name="Update the timer").click()
    page.wait_for_url("**tempo=2-0-1-0**")
    assert page.get_by_text("The tempo you typed runs, not Controlled").is_visible()
    assert page.get_by_label("Tempo", exact=True).input_value() == "custom"


LAPTOP = {"width": 1280, "height": 800}


def _off_screen(page: Page, viewport: dict[str, int]) -> list[str]:
    """What a lifter reads from the floor, and the main button, when not wholly on screen."""
    parts = {
        "phase": "[data-timer-part=phase]",
        "countdown": "[data-timer-part=seconds]",
        "leg": "[data-timer-part=side]",
        "main button": "[data-action=toggle]",
    }
    missing = []
    for name, selector in parts.items():
        box = page.locator(selector).bounding_box()
        inside = (
            box is not None
            and box["x"] >= 0
            and box["y"] >= 0
            and box["x"] + box["width"] <= viewport["width"]
            and box["y"] + box["height"] <= viewport["height"]
        )
        if not inside:
            missing.append(f"{name} at {box}")
    return missing


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_countdown_phase_leg_and_main_button_are_on_screen_together_before_and_during_a_run(
    live_server, open_page, viewport
):
    page, console = _open(open_page, _url(live_server, **PLAN), viewport)
    assert _off_screen(page, viewport) == [], "before the start"
    origin = _start(page)
    _at(page, origin, 3_500)
    assert _shown(page)["phase"] == "Lift"
    # Down to the plan and the form, and on to the end of the page, while it counts.
    for target in ["#plan-title", "#plan-form-title", "footer"]:
        # Instantly: a smooth scroll would wait on the paused clock.
        page.evaluate(
            "t => window.scrollTo({top: document.querySelector(t).getBoundingClientRect().top"
            " + window.scrollY, behavior: 'instant'})",
            target,
        )
        assert page.evaluate("window.scrollY") > 0
        assert _off_screen(page, viewport) == [], f"running, scrolled to {target}"
    page.get_by_role("button", name="Pause").click()
    assert _off_screen(page, viewport) == [], "paused"
    assert console.errors == []


def test_a_visitor_who_finishes_signs_up_and_keeps_the_sets(live_server, open_page):
    from training.models import TrainingSession

    page, console = open_page(PHONE)
    _finish_a_set_of_two_reps_a_side(page, live_server)
    page.clock.resume()
    page.get_by_role("link", name="Sign up and keep these sets").click()
    page.wait_for_url("**/accounts/signup/?next=*")
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Email").fill("new@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-enough-password-1")
    page.get_by_label("Password confirmation").fill("a-long-enough-password-1")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/log/from-timer/?*")
    assert page.get_by_role("heading", name="Keep these sets").is_visible()
    page.get_by_role("button", name="Log these sets in your training log").click()
    page.wait_for_url(f"{live_server.url}/log/sessions/*/")
    session = TrainingSession.objects.get(user__username="newcomer")
    assert [(s.side, s.reps, s.tempo) for s in session.sets.order_by("position")] == [
        ("left", 2, "1-0-1-0"),
        ("right", 2, "1-0-1-0"),
    ]
    assert console.errors == []


def _within(box: dict | None, viewport: dict[str, int]) -> bool:
    return (
        box is not None
        and box["width"] > 0
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )


@each_size_and_scheme
def test_the_moving_figure_stays_on_screen_beside_the_countdown_once_started(
    live_server, open_page, screenshot_dir, viewport, scheme
):
    page, console = _open(open_page, _url(live_server, **PLAN), viewport, color_scheme=scheme)
    figure = page.locator("svg.timer-figure")
    origin = _start(page)
    _at(page, origin, 3_500)
    assert _shown(page)["phase"] == "Lift"
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / f"timer-started-{viewport['width']}-{scheme}.png")
    assert _within(figure.bounding_box(), viewport), "just started"
    assert _off_screen(page, viewport) == []
    # Down the page while it counts: the console keeps the figure with the countdown.
    page.evaluate(
        "() => window.scrollTo({top: document.querySelector('#plan-form-title')"
        ".getBoundingClientRect().top + window.scrollY, behavior: 'instant'})"
    )
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / f"timer-scrolled-{viewport['width']}-{scheme}.png")
    assert _within(figure.bounding_box(), viewport), "scrolled down"
    assert _off_screen(page, viewport) == []
    assert console.errors == []


# Where the focused control is, against the console, once the browser has scrolled to it.
FOCUS_AND_CONSOLE = """() => {
    const focused = document.activeElement;
    const box = focused.getBoundingClientRect();
    const panel = document.querySelector('.timer__console').getBoundingClientRect();
    return {
        name: focused.name || focused.textContent.trim(),
        inPanel: Boolean(focused.closest('.timer__console')) || focused === document.body,
        under: box.top < panel.bottom && box.bottom > panel.top,
        onScreen: box.bottom > 0 && box.top < innerHeight,
    };
}"""


@pytest.mark.parametrize(
    "viewport",
    [{"width": 640, "height": 480}, {"width": 360, "height": 600}, {"width": 800, "height": 600}],
    ids=["laptop-at-200-percent", "phone", "tablet"],
)
def test_it_keeps_each_focused_control_clear_of_the_running_timers_console(
    live_server, open_page, viewport
):
    """While the timer runs its console sticks to the top of the screen (when the screen
    leaves room below it): tabbing down the plan's form and back up, each control the focus
    reaches is on screen and not under the console. 640 by 480 is a laptop's 1280 by 960
    window at 200% zoom."""
    page, console = _open(
        open_page,
        _url(live_server, **PLAN),
        viewport=viewport,
        device_scale_factor=2,
        reduced_motion="reduce",  # the scroll to a control is done at once, not animated
    )
    _start(page)
    page.clock.run_for(1_000)
    page.get_by_role("button", name="Tones").focus()
    seen = []
    for key in ["Tab"] * 13 + ["Shift+Tab"] * 12:
        page.keyboard.press(key)
        seen.append(page.evaluate(FOCUS_AND_CONSOLE))
    assert _shown(page)["state"] == "running"
    outside = [where for where in seen if not where["inPanel"]]
    assert [where["name"] for where in seen[:13]] == [
        *("Spoken cues", "Single leg hip thrust", "preset", "tempo", "sets", "reps", "sides"),
        *(
            "side_rest",
            "set_rest",
            "lead_in",
            "last_hold",
            "Update the timer",
            "Back to the defaults",
        ),
    ]
    assert len(outside) == 25
    assert [where for where in outside if where["under"] or not where["onScreen"]] == []
    assert console.errors == []
