"""The tempo timer page: the plan it reads from the query, what it shows, what it refuses."""

from __future__ import annotations

import itertools
import json
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from coaching import svg, timer
from coaching.drawing import Circle, Line, Rect
from coaching.figures import BRIDGE, ELEVATED, keyframes, moving_figure
from coaching.forms import CUSTOM_TEMPO, TimerPlanForm, plan_form
from coaching.models import Cue, Phase, TempoPreset, Variation
from coaching.pose import Pose
from coaching.tempo import Tempo
from tests.coaching.test_pages import _Page

CONTROLLED = Tempo(lowering=3, bottom_pause=0, lifting=1, top_hold=1)


def _presets() -> list[TempoPreset]:
    """Unsaved presets, as the form sees them: no database needed."""
    return [
        TempoPreset(
            name="Controlled",
            slug="controlled",
            lowering_seconds=3,
            bottom_pause_seconds=0,
            lifting_seconds=1,
            top_hold_seconds=1,
        ),
        TempoPreset(
            name="Squeeze",
            slug="squeeze",
            lowering_seconds=3,
            bottom_pause_seconds=0,
            lifting_seconds=1,
            top_hold_seconds=2,
        ),
    ]


def _form(**query) -> TimerPlanForm:
    return plan_form(
        {key: str(value) for key, value in query.items()}, variation=None, presets=_presets()
    )


# The plan's arithmetic, without a database.


@pytest.mark.parametrize(
    ("sides", "expected"),
    [
        # lead-in + sets x (sides x reps x 5 s + leg changes x 10 s) + rests between sets
        ("left-right", 5 + 3 * (2 * 12 * 5 + 1 * 10) + 2 * 60),
        ("right-left", 5 + 3 * (2 * 12 * 5 + 1 * 10) + 2 * 60),
        ("alternating", 5 + 3 * (2 * 12 * 5 + 23 * 10) + 2 * 60),
        ("both", 5 + 3 * (1 * 12 * 5) + 2 * 60),
    ],
)
def test_the_total_counts_every_phase_and_rest(sides, expected):
    total = timer.plan_seconds(
        CONTROLLED, sets=3, reps=12, sides=sides, side_rest=10, set_rest=60, lead_in=5, last_hold=0
    )
    assert total == expected


def test_the_long_hold_replaces_the_last_reps_hold_on_each_side_of_each_set():
    without = timer.plan_seconds(
        CONTROLLED, sets=2, reps=5, sides="left-right", side_rest=0, set_rest=0, lead_in=0,
        last_hold=0,
    )  # fmt: skip
    with_hold = timer.plan_seconds(
        CONTROLLED, sets=2, reps=5, sides="left-right", side_rest=0, set_rest=0, lead_in=0,
        last_hold=20,
    )  # fmt: skip
    assert with_hold - without == 2 * 2 * (20 - 1)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 s"), (45, "45 s"), (60, "1 min"), (515, "8 min 35 s"), (7260, "2 h 1 min")],
)
def test_durations_read_as_a_person_says_them(seconds, text):
    assert timer.format_duration(seconds) == text


def test_the_default_plan_passes_and_totals_eight_and_a_half_minutes():
    form = _form()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tempo_value"] == CONTROLLED
    assert form.cleaned_data["total_seconds"] == 5 + 3 * (2 * 10 * 5 + 10) + 2 * 60


def test_a_custom_tempo_is_read_from_the_notation():
    form = _form(tempo="3-1-2-4")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["preset"] == CUSTOM_TEMPO
    assert form.cleaned_data["tempo_value"] == Tempo(3, 1, 2, 4)


def test_a_typed_tempo_that_differs_from_the_chosen_preset_wins_as_custom():
    form = _form(preset="controlled", tempo="2-0-1-0")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tempo_value"].notation == "2-0-1-0"
    assert form.cleaned_data["preset"] == CUSTOM_TEMPO
    assert form.cleaned_data["replaced_preset"].slug == "controlled"
    assert form["preset"].value() == CUSTOM_TEMPO  # the menu shows what runs


@pytest.mark.parametrize("typed", ["3-0-1-1", " 3 - 0 - 1 - 1 ", ""])
def test_a_typed_tempo_equal_to_the_preset_or_empty_keeps_the_preset(typed):
    form = _form(preset="controlled", tempo=typed)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["preset"], form.cleaned_data["replaced_preset"]) == (
        "controlled",
        None,
    )
    assert form.cleaned_data["tempo_value"] == CONTROLLED


def test_a_typed_tempo_beside_a_preset_is_checked_as_the_one_that_runs():
    form = _form(preset="controlled", tempo="fast")
    assert not form.is_valid()
    assert form.errors["tempo"] == [
        "Write the tempo as four numbers of seconds joined by dashes, like 3-0-1-2."
    ]


BAD_INPUT = [
    ({"sets": "-1"}, "sets", "Sets must be from 1 to 10 sets."),
    ({"sets": "0"}, "sets", "Sets must be from 1 to 10 sets."),
    ({"sets": "11"}, "sets", "Sets must be from 1 to 10 sets."),
    ({"sets": "three"}, "sets", "Sets must be a whole number, like 3."),
    ({"sets": "2.5"}, "sets", "Sets must be a whole number, like 3."),
    ({"sets": ""}, "sets", "Enter the sets, from 1 to 10 sets."),
    ({"reps": "51"}, "reps", "Reps per side must be from 1 to 50 reps."),
    ({"reps": "9" * 5000}, "reps", "Reps per side must be a whole number, like 12."),
    ({"side_rest": "-5"}, "side_rest", "Rest to change legs must be from 0 to 600 seconds."),
    ({"set_rest": "601"}, "set_rest", "Rest between sets must be from 0 to 600 seconds."),
    ({"lead_in": "31"}, "lead_in", "Countdown before the first rep must be from 0 to 30 seconds."),
    ({"last_hold": "121"}, "last_hold", "Long hold on the last rep must be from 0 to 120 seconds."),
    ({"tempo": "3-0-1"}, "tempo", "Write the tempo as four numbers of seconds joined by dashes"),
    ({"tempo": "3-0-0-1"}, "tempo", "Lowering and lifting each take at least one second."),
    ({"tempo": "3-0-1-45"}, "tempo", "Top hold must be between 0 and 30 seconds."),
    ({"tempo": "99-0-1-1"}, "tempo", "Lowering must be between 1 and 30 seconds."),
    ({"tempo": "-3-0-1-1"}, "tempo", "Write the tempo as four numbers"),
    ({"tempo": "3-0-1-1" * 50}, "tempo", "That is too long for a tempo: write it like 3-0-1-2."),
    ({"preset": "custom", "tempo": ""}, "tempo", "Write the tempo as four numbers"),
    ({"preset": "sprint"}, "preset", "Choose one of the listed tempos, or Custom"),
    ({"sides": "up-down"}, "sides", "Choose which leg goes first, or both together."),
    ({"last_hold": "1"}, "last_hold", "Make the long hold longer than the tempo's hold"),
]


@pytest.mark.parametrize(("query", "field", "message"), BAD_INPUT)
def test_bad_input_gets_a_clear_message_on_its_field(query, field, message):
    form = _form(**query)
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert form.errors[field][0].startswith(message), form.errors[field]


def test_a_plan_longer_than_two_hours_is_refused_as_a_whole():
    form = _form(sets=10, reps=50, tempo="30-30-30-30")
    assert not form.is_valid()
    (message,) = form.non_field_errors()
    assert message.startswith("This plan would take 33 h 30 min 45 s.")
    assert "Keep it under two hours" in message


def _cue(phase: str, order: int, text: str) -> Cue:
    return Cue(phase=phase, order=order, cue=text, explanation="")


def test_breathing_cues_are_matched_to_the_drive_and_the_lowering_by_their_words():
    cues = [
        _cue("breathing", 1, "Breathe in on the way down"),
        _cue("breathing", 2, "Breathe out hard on the drive"),
    ]
    assert timer.breathing_cues(cues) == {
        "lift": "Breathe out hard on the drive",
        "lower": "Breathe in on the way down",
    }
    # Reordered by a coach, the match holds; with none, the timer says it plainly.
    assert timer.breathing_cues(reversed(cues))["lift"] == "Breathe out hard on the drive"
    assert timer.breathing_cues([]) == {"lift": "Breathe out", "lower": "Breathe in"}


def test_each_phase_of_a_rep_takes_the_guides_cues_for_it():
    cues = [
        _cue("top", 1, "Glute squeezed"),
        _cue("execution", 2, "Squeeze"),
        _cue("execution", 1, "Drive"),
        _cue("descent", 1, "Slow down"),
        _cue("descent", 2, "From control"),
        _cue("setup", 1, "Bench"),
    ]
    assert timer.phase_cues(cues) == {
        "lift": ["Drive", "Squeeze"],
        "hold": ["Glute squeezed"],
        "lower": ["Slow down", "From control"],
        "pause": ["From control", "Slow down"],
    }


def test_phase_rows_follow_the_rep_from_the_bottom_and_skip_zero_second_phases():
    rows = timer.phase_rows(Tempo(3, 0, 1, 2), [])
    assert [(row.kind, row.seconds) for row in rows] == [("lift", 1), ("hold", 2), ("lower", 3)]
    rows = timer.phase_rows(Tempo(2, 1, 1, 0), [])
    assert [row.kind for row in rows] == ["lift", "lower", "pause"]


def test_the_timer_calls_out_the_cues_of_phases_the_guide_has():
    assert {*timer.CUE_PHASES.values(), timer.BREATHING_PHASE} <= set(Phase.values)


@pytest.mark.parametrize(
    ("value", "text"), [(0, "0"), (-0.01, "0"), (20.0, "20"), (-31.38, "-31.4"), (7.25, "7.2")]
)
def test_figure_coordinates_are_short_and_never_empty(value, text):
    assert svg._n(value) == text


def _tagged(scene, kind: type) -> dict[str, object]:
    """The items the page's script finds by their data attributes: by joints, or by the
    joint a disc is centred on."""
    tagged = [item for item in scene.items if isinstance(item, kind) and item.data]
    return {dict(item.data).get("joints") or dict(item.data)["centre"]: item for item in tagged}


def test_the_figure_frame_holds_every_pose_and_starts_at_the_bottom():
    frames = keyframes()
    scene = moving_figure(frames)
    left, bottom, right, top = scene.bounds
    for pose in frames["frames"].values():
        for x, y in pose.values():
            assert left < x < right
            assert bottom < y < top
    leg = _tagged(scene, Line)["hip knee ankle"]
    start = frames["frames"]["bottom"]
    assert leg.points == tuple(tuple(start[j]) for j in ("hip", "knee", "ankle"))
    assert [item.role for item in scene.items if isinstance(item, Rect)] == ["bench"] * 3
    assert "head" in _tagged(scene, Circle)
    html = svg.render_moving_figure(scene, element_id="timer-figure", title="Moving")
    assert '<g data-mirror="matrix(-1 0 0 1 ' in html
    assert 'class="fig-working" data-joints="hip knee ankle" points="' in html
    assert '<circle class="fig-body" data-centre="head"' in html


def test_a_bridge_has_no_bench_and_a_raised_foot_stands_on_its_plate():
    bridge = moving_figure(keyframes(BRIDGE, Pose(both_feet_down=True)))
    assert not [item for item in bridge.items if isinstance(item, Rect)]
    elevated = moving_figure(keyframes(ELEVATED)).items
    (plate,) = [item for item in elevated if isinstance(item, Rect) and item.role == "support"]
    assert plate.height == 7


# The page, against the guide's content.


def _timer(client, **query):
    url = reverse("coaching:timer")
    if query:
        url += "?" + urlencode(query)
    response = client.get(url)
    page = _Page()
    page.feed(response.content.decode())
    return response, page


def _plan(response) -> dict:
    html = response.content.decode()
    found = re.search(r'<script id="timer-plan" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no plan embedded"
    return json.loads(found.group(1))


@pytest.mark.django_db
def test_the_timer_is_a_complete_accessible_document_without_inline_code(client):
    response, page = _timer(client)

    assert response.status_code == 200
    assert [level for level, _ in page.headings].count(1) == 1
    levels = [level for level, _ in page.headings]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), page.headings
    assert {"header", "nav", "main", "footer"} <= set(page.landmarks)
    executable = [s for s in page.scripts if s.get("type") not in {"application/json"}]
    assert all(script.get("src") for script in executable)
    assert {"type": "module", "src": "/static/js/timer.mjs"} in executable
    assert page.inline_styles == []
    assert page.inline_handlers == []
    assert page.links["canonical"] == "http://testserver/timer/"
    assert 50 <= len(page.meta["description"]) <= 300
    html = response.content.decode()
    assert '<link rel="stylesheet" href="/static/css/timer.css">' in html
    # A running timer must never be put in htmx's history snapshot.
    assert 'data-timer data-plan="timer-plan" data-state="idle" hx-history="false"' in html
    assert '<div id="timer-log">' in html


@pytest.mark.django_db
def test_without_a_variation_the_timer_uses_the_standard_rungs_targets(client):
    response, _ = _timer(client)
    plan = _plan(response)
    standard = Variation.objects.get(slug="single-leg-hip-thrust")
    assert plan["variation"] == "single-leg-hip-thrust"
    assert plan["tempo"] == {
        "lowering": 3,
        "bottomPause": 0,
        "lifting": 1,
        "topHold": 1,
        "notation": "3-0-1-1",
    }
    assert (plan["sets"], plan["reps"]) == (standard.advance_sets, standard.advance_reps_per_side)
    assert (plan["sides"], plan["sideRest"], plan["setRest"], plan["leadIn"]) == (
        "left-right",
        10,
        60,
        5,
    )
    assert plan["totalSeconds"] == 515
    assert "About 8 min 35 s in all." in response.content.decode()


@pytest.mark.django_db
def test_a_variation_brings_its_tempo_sets_reps_hold_and_figure(client):
    response, _ = _timer(client, variation="isometric-hold-single-leg-hip-thrust")
    plan = _plan(response)
    assert plan["tempo"]["notation"] == "3-0-1-5"
    assert (plan["sets"], plan["reps"]) == (3, 8)
    html = response.content.decode()
    assert '<option value="isometric" selected data-tempo="3-0-1-5">' in html
    assert (
        '<input type="hidden" name="variation" value="isometric-hold-single-leg-hip-thrust">'
        in (html)
    )
    elevated, _ = _timer(client, variation="foot-elevated-single-leg-hip-thrust")
    frames = _plan(elevated)["figure"]["frames"]
    assert frames["bottom"]["ankle"][1] > 8, "the working foot stands on its plate"
    assert 'class="fig-support"' in elevated.content.decode()


@pytest.mark.django_db
def test_a_rung_done_on_both_legs_defaults_to_both_with_no_leg_change(client):
    response, _ = _timer(client, variation="floor-glute-bridge")
    plan = _plan(response)
    assert (plan["sides"], plan["sideRest"], plan["reps"]) == ("both", 0, 15)
    assert plan["tempo"]["notation"] == "2-0-1-1"
    assert 'class="fig-bench"' not in response.content.decode()
    assert "15 reps with both legs together" in response.content.decode()


@pytest.mark.django_db
def test_the_bridge_timer_calls_no_cue_of_one_working_leg(client):
    plan = _plan(_timer(client, variation="floor-glute-bridge")[0])
    assert plan["bothFeet"] == ["lift", "hold", "lower", "pause"]
    called = [cue for step in plan["cues"].values() for cue in step]
    assert "Drive through heel and midfoot" in called
    assert "Squeeze the working glute" not in called
    assert not [cue for cue in called if "working" in cue.lower()]


@pytest.mark.django_db
def test_two_up_one_down_drives_up_on_both_feet_and_lowers_on_one(client):
    response, _ = _timer(client, variation="two-up-one-down-hip-thrust")
    plan = _plan(response)
    frames, lowering = plan["figure"]["frames"], plan["figure"]["lowering"]
    # The drive: both feet on the floor, the far leg where the working one is.
    for name in ("bottom", "mid-drive", "top"):
        assert frames[name]["free_ankle"] == frames[name]["ankle"], name
    # The hold and the lowering: the other foot is off the floor.
    for name in ("mid-drive", "top"):
        assert lowering[name]["free_ankle"][1] > frames[name]["ankle"][1] + 10, name
        assert lowering[name]["hip"] == frames[name]["hip"], name
    assert plan["bothFeet"] == ["lift", "pause"]
    assert "Squeeze the working glute" not in plan["cues"]["lift"]
    assert plan["rungCues"]["lift"] == "Both feet drive the hips up"
    assert "one foot" in plan["rungCues"]["hold"].lower()
    assert "one foot" in plan["rungCues"]["lower"].lower()
    html = response.content.decode()
    assert "<li>Both feet drive the hips up</li>" in html
    # The standard rung is one leg throughout, with the guide's cues.
    standard = _plan(_timer(client, variation="single-leg-hip-thrust")[0])
    assert standard["bothFeet"] == []
    assert standard["rungCues"] == {}
    assert "Squeeze the working glute" in standard["cues"]["lift"]


def _legs_menu(html: str) -> list[str]:
    menu = re.search(r'<select name="sides"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', menu)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rung", "offered"),
    [
        ("single-leg-hip-thrust", ["left-right", "right-left", "alternating"]),
        ("two-up-one-down-hip-thrust", ["left-right", "right-left", "alternating"]),
        ("floor-glute-bridge", ["both"]),
    ],
)
def test_the_legs_menu_offers_only_the_orders_the_rung_is_done_in(client, rung, offered):
    response, _ = _timer(client, variation=rung)
    assert response.status_code == 200
    assert _legs_menu(response.content.decode()) == offered
    # Each one offered makes a plan the timer runs.
    for sides in offered:
        html = _timer(client, variation=rung, sides=sides)[0].content.decode()
        assert 'id="timer-plan"' in html, sides


@pytest.mark.django_db
def test_without_a_rung_the_legs_menu_offers_every_order():
    form = plan_form({}, variation=None, presets=_presets())
    assert [value for value, _ in form.fields["sides"].widget.choices] == [
        "left-right",
        "right-left",
        "alternating",
        "both",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rung", "sides", "message"),
    [
        ("single-leg-hip-thrust", "both", "The single leg hip thrust is done one leg at a time"),
        ("floor-glute-bridge", "left-right", "The floor glute bridge is done with both legs"),
    ],
)
def test_a_plan_that_takes_the_legs_as_the_rung_is_not_done_is_refused_on_legs(
    client, rung, sides, message
):
    response, _ = _timer(client, variation=rung, sides=sides)
    html = response.content.decode()
    assert message in html
    assert 'id="timer-plan"' not in html  # no timer runs the plan
    rung_ = Variation.objects.get(slug=rung)
    presets = list(TempoPreset.objects.all())
    assert list(plan_form({"sides": sides}, variation=rung_, presets=presets).errors) == ["sides"]


@pytest.mark.django_db
def test_a_rungs_own_hold_replaces_its_presets_hold_as_a_custom_tempo(client):
    Variation.objects.filter(slug="banded-single-leg-hip-thrust").update(advance_hold_seconds=4)
    response, _ = _timer(client, variation="banded-single-leg-hip-thrust")
    assert _plan(response)["tempo"]["notation"] == "3-0-1-4"
    assert '<option value="custom" selected>' in response.content.decode()


@pytest.mark.django_db
def test_every_part_of_the_plan_can_be_set_in_the_query(client):
    response, _ = _timer(
        client,
        variation="single-leg-hip-thrust",
        tempo="2-1-1-2",
        sets=2,
        reps=5,
        sides="right-left",
        side_rest=7,
        set_rest=45,
        lead_in=3,
        last_hold=12,
    )
    plan = _plan(response)
    assert plan["tempo"]["notation"] == "2-1-1-2"
    keys = ("sets", "reps", "sides", "sideRest", "setRest", "leadIn", "lastHold")
    assert {key: plan[key] for key in keys} == {
        "sets": 2,
        "reps": 5,
        "sides": "right-left",
        "sideRest": 7,
        "setRest": 45,
        "leadIn": 3,
        "lastHold": 12,
    }
    assert plan["totalSeconds"] == 3 + 2 * (2 * (5 * 6 + 10) + 7) + 45


@pytest.mark.django_db
def test_choosing_alternating_legs_drops_the_rest_between_legs_unless_asked(client):
    response, _ = _timer(client, sides="alternating")
    assert _plan(response)["sideRest"] == 0
    response, _ = _timer(client, sides="alternating", side_rest=3)
    assert _plan(response)["sideRest"] == 3


def _rests(response) -> str:
    html = " ".join(response.content.decode().replace("&#x27;", "'").split())
    return re.search(r"<dt>Rests</dt><dd>(.*?)</dd>", html).group(1).strip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, "10 s to change legs, 60 s between sets: {mark}"),
        ({"variation": "floor-glute-bridge"}, "60 s between sets: {mark}"),
        ({"side_rest": "5"}, "5 s to change legs, 60 s between sets ({mark})"),
        ({"set_rest": "90"}, "10 s to change legs ({mark}), 90 s between sets"),
        ({"side_rest": "5", "set_rest": "90"}, "5 s to change legs, 90 s between sets"),
        ({"sides": "alternating"}, "0 s to change legs, 60 s between sets: {mark}"),
    ],
)
def test_the_timers_rests_say_they_are_hipthrusts_own_defaults(client, query, expected):
    from coaching.ours import OUR_DEFAULT

    # The guide sets no rests: the starting values are ours, and the plan says so; a rest
    # the trainee typed is theirs.
    response, _ = _timer(client, **query)
    mark = f'<span class="our-default">{OUR_DEFAULT}</span>'
    assert _rests(response) == expected.format(mark=mark)
    html = " ".join(response.content.decode().replace("&#x27;", "'").split())
    assert f"The 60 it starts at: {OUR_DEFAULT}." in html
    assert f"The 10 it starts at (0 with alternating legs or both together): {OUR_DEFAULT}." in html


@pytest.mark.django_db
def test_the_page_reads_the_plan_out_with_the_guides_cues_per_phase(client, exercise):
    response, _ = _timer(client, preset="squeeze")
    html = response.content.decode()
    for phase, name, seconds in [
        ("lift", "Drive up", 1),
        ("hold", "Squeeze at the top", 2),
        ("lower", "Lower", 3),
    ]:
        item = re.search(
            rf'<li class="timer-phases__item timer-phases__item--{phase}">(.*?)</li>\s*</ul>',
            html,
            re.S,
        ).group(1)
        assert f"<strong>{name}</strong>" in item
        assert f"{seconds} s" in item
    assert "timer-phases__item--pause" not in html, "a 0-second pause is left out"
    assert "Breathe out hard on the drive" in html
    assert "Breathe in on the way down" in html
    for cue in exercise.cues.exclude(phase__in=["setup", "breathing"]):
        assert cue.cue in html
    plan = _plan(response)
    assert plan["cues"]["lift"] == list(
        exercise.cues.filter(phase="execution").order_by("order").values_list("cue", flat=True)
    )
    assert plan["breathing"] == {
        "lift": "Breathe out hard on the drive",
        "lower": "Breathe in on the way down",
    }


@pytest.mark.django_db
def test_a_coach_edit_to_a_cue_reaches_the_timer(client, exercise):
    exercise.cues.filter(phase="top", order=1).update(cue="Hold it, squeeze hard")
    response, _ = _timer(client)
    assert _plan(response)["cues"]["hold"][0] == "Hold it, squeeze hard"


@pytest.mark.django_db
def test_cue_text_cannot_break_out_of_the_embedded_plan(client, exercise):
    exercise.cues.filter(phase="top", order=1).update(cue="</script><script>alert(1)</script>")
    response, _ = _timer(client)
    assert "<script>alert(1)" not in response.content.decode()
    assert _plan(response)["cues"]["hold"][0] == "</script><script>alert(1)</script>"


def _error_list(html: str) -> str:
    start = html.index('<div class="timer-errors"')
    return html[start : html.index("</div>", start)]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "field", "message"), BAD_INPUT[:6] + BAD_INPUT[12:16])
def test_bad_input_re_renders_the_form_with_the_message_and_no_timer(client, query, field, message):
    response, page = _timer(client, **query)
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-timer" not in html
    assert 'id="timer-plan"' not in html
    assert "timer.mjs" not in html
    assert f'href="#id_{field}"' in _error_list(html)
    escaped = message.replace("'", "&#x27;")
    assert escaped in _error_list(html)
    # The message sits on the field too, tied to it for screen readers.
    assert re.search(rf'aria-invalid="true" aria-describedby="[^"]*id_{field}_error', html)
    assert page.headings[1] == (2, "The plan needs a change")


@pytest.mark.django_db
def test_an_unknown_variation_is_a_404_with_the_message_and_a_way_back(client):
    for slug in ["no-such-rung", "x" * 500, "../../etc"]:
        response, _ = _timer(client, variation=slug)
        html = response.content.decode()
        assert response.status_code == 404
        assert "No variation on the ladder has that name" in html
        assert '<a href="/timer/">The default plan</a>' in html
        assert "data-timer" not in html
        assert 'name="variation"' not in html, "the bad name is not carried into the form"


# Each bound is the page's real count: presets, the ladder (kept: read when the cache is cold), its
# exercise's cues.
TIMER_QUERIES = 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"variation": "foot-elevated-single-leg-hip-thrust", "sets": "5"},
        {"preset": "squeeze", "sides": "alternating"},
        {"variation": "no-such-rung"},
        {"sets": "-1"},
    ],
    ids=["defaults", "variation", "preset", "unknown-variation", "bad-input"],
)
def test_the_timer_runs_a_bounded_number_of_queries(client, query, django_assert_max_num_queries):
    with django_assert_max_num_queries(TIMER_QUERIES):
        response = client.get(reverse("coaching:timer"), query)
    assert response.status_code == (404 if query.get("variation") == "no-such-rung" else 200)


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_presets_or_cues(
    client, exercise, django_assert_max_num_queries
):
    for n in range(20):
        TempoPreset.objects.create(
            name=f"Preset {n}",
            slug=f"preset-{n}",
            order=10 + n,
            lowering_seconds=2,
            bottom_pause_seconds=0,
            lifting_seconds=1,
            top_hold_seconds=1,
        )
        Cue.objects.create(exercise=exercise, phase="top", order=10 + n, cue=f"Cue {n}")
    with django_assert_max_num_queries(TIMER_QUERIES):
        assert client.get(reverse("coaching:timer")).status_code == 200


@pytest.mark.django_db
def test_the_timer_refuses_writes(client):
    assert client.post(reverse("coaching:timer")).status_code == 405


@pytest.mark.django_db
def test_a_boosted_htmx_request_gets_the_whole_timer_page(client):
    response = client.get(reverse("coaching:timer"), HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert "<title>Tempo timer: Single leg hip thrust · hipthrust</title>" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_the_guide_links_to_the_timer(client):
    html = client.get(reverse("coaching:guide")).content.decode()
    assert f'href="{reverse("coaching:timer")}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["floor-glute-bridge", "isometric-hold-single-leg-hip-thrust"])
def test_each_variation_links_to_the_timer_with_its_own_defaults(client, slug):
    html = client.get(reverse("coaching:variation-detail", kwargs={"slug": slug})).content.decode()
    assert f'href="/timer/?variation={slug}"' in html
    assert "Time this with the tempo timer" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("tempo", "warned"), [("1-0-1-0", True), ("2-0-1-0", False)])
def test_a_custom_tempo_lowering_under_two_seconds_runs_with_the_guides_warning(
    client, tempo, warned
):
    response, _ = _timer(client, preset="custom", tempo=tempo)
    html = " ".join(response.content.decode().replace("&#x27;", "'").split())
    assert _plan(response)["tempo"]["notation"] == tempo
    assert ("the guide asks for 2 to 3 seconds" in html) is warned


@pytest.mark.django_db
def test_the_page_says_which_tempo_runs_when_the_typed_one_differs_from_the_menu(client):
    response, _ = _timer(
        client, variation="single-leg-hip-thrust", preset="controlled", tempo="2-0-1-0"
    )
    html = " ".join(response.content.decode().split())
    assert _plan(response)["tempo"]["notation"] == "2-0-1-0"
    assert "The tempo you typed runs, not Controlled" in html
    assert '<option value="custom" selected>' in html


@pytest.mark.django_db
def test_a_rung_the_kept_ladder_does_not_hold_yet_still_has_its_timer(client):
    """The timer finds its rung in the ladder kept under the content generation; a rung
    that ladder does not hold yet (another process keeps it for up to a minute without
    Redis) is read from the database, not answered 404."""
    from django.core.cache import cache

    cache.clear()
    assert client.get(reverse("coaching:timer")).status_code == 200  # the ladder is kept
    # Renamed without the signal that moves the generation: the kept ladder has the old name.
    Variation.objects.filter(slug="single-leg-hip-thrust").update(slug="a-new-rung")
    response = client.get(reverse("coaching:timer"), {"variation": "a-new-rung"})
    assert response.status_code == 200
    assert 'name="variation" value="a-new-rung"' in response.content.decode()
