"""A fresh install carries the whole guide, in the project's own words."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.html import escape

from coaching.models import Cue, Exercise, FormError, Phase, TempoPreset, Variation

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "single-leg-hip-thrust.txt"


def test_every_phase_of_the_guide_has_cues(exercise):
    phases = set(exercise.cues.values_list("phase", flat=True))
    assert phases == set(Phase.values)


def test_the_four_form_errors_are_loaded_in_order(exercise):
    assert list(exercise.form_errors.values_list("slug", flat=True)) == [
        "arched-lower-back",
        "pushing-through-toes",
        "knee-caving-in",
        "bouncing",
    ]


def test_the_ladder_runs_from_the_floor_bridge_to_the_raised_foot(exercise):
    rungs = list(exercise.variations.ladder().values_list("level", "kind", "slug"))
    assert rungs == [
        (1, "regression", "floor-glute-bridge"),
        (2, "regression", "two-up-one-down-hip-thrust"),
        (3, "standard", "single-leg-hip-thrust"),
        (4, "progression", "loaded-single-leg-hip-thrust"),
        (5, "progression", "isometric-hold-single-leg-hip-thrust"),
        (6, "progression", "banded-single-leg-hip-thrust"),
        (7, "progression", "foot-elevated-single-leg-hip-thrust"),
    ]


def test_only_the_floor_bridge_uses_both_legs_and_loaded_rungs_take_weight(exercise):
    both_legs = exercise.variations.filter(one_side_at_a_time=False)
    assert list(both_legs.values_list("slug", flat=True)) == ["floor-glute-bridge"]
    assert exercise.variations.get(slug="loaded-single-leg-hip-thrust").takes_external_load
    assert not exercise.variations.get(slug="single-leg-hip-thrust").takes_external_load


@pytest.mark.parametrize(
    "fact",
    [
        r"wall or (a )?rack",
        r"shoulder blades",
        r"shin (stands )?straight up|shin is vertical",
        r"right angle|held out straight",
        r"heel and (the )?mid(dle of the )?foot",
        r"shoulders, hips and knee",
        r"knee sits straight above the ankle",
        r"two to three seconds",
        r"breath in",
        r"breathe out|blow the air out",
        r"pelvis",
    ],
)
def test_the_guide_states_the_key_facts_of_the_source(exercise, fact):
    text = " ".join(
        f"{cue.cue} {cue.explanation}" for cue in Cue.objects.filter(exercise=exercise)
    ).lower()
    assert re.search(fact, text), fact


def test_the_lowering_tempo_of_the_standard_rung_matches_the_source(exercise):
    standard = exercise.variations.get(kind="standard")
    assert 2 <= standard.tempo.lowering_seconds <= 3


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _all_content_text() -> str:
    parts: list[str] = []
    for exercise in Exercise.objects.all():
        parts += [exercise.tagline, exercise.summary, exercise.purpose, exercise.suited_to]
    for cue in Cue.objects.all():
        parts += [cue.cue, cue.explanation]
    for error in FormError.objects.all():
        parts += [error.name, error.what_you_see, error.why_it_matters, error.how_to_fix]
    for rung in Variation.objects.all():
        parts += [rung.name, rung.summary, rung.how_to, rung.how_to_notes, rung.why]
    parts += [preset.description for preset in TempoPreset.objects.all()]
    return "\n".join(parts)


def test_no_run_of_eight_words_is_copied_from_the_source():
    if not SEED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"The source material is missing at {SEED}")
        pytest.skip(f"source material not beside the checkout ({SEED})")
    size = 8
    source = _words(SEED.read_text(encoding="utf-8"))
    source_runs = {tuple(source[i : i + size]) for i in range(len(source) - size + 1)}
    ours = _words(_all_content_text())
    copied = [" ".join(ours[i : i + size]) for i in range(len(ours) - size + 1)]
    copied = [run for run in copied if tuple(run.split()) in source_runs]
    assert copied == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_content_migration_can_be_unapplied_and_applied_again():
    call_command("migrate", "coaching", "0001", verbosity=0)
    assert Exercise.objects.count() == 0
    assert TempoPreset.objects.count() == 0
    # Unapplying coaching also unapplied the apps that depend on it; bring everything back.
    call_command("migrate", verbosity=0)
    assert Variation.objects.count() == 7
    assert Cue.objects.count() == 16


# Honest content: only what the source says, and the site's own choices marked as its own.

PAGE_NAMES = [
    ("coaching:home", {}),
    ("coaching:guide", {}),
    ("coaching:variation-list", {}),
    ("coaching:timer", {}),
]

CLAIMS_THE_SOURCE_DOES_NOT_MAKE = [
    "the part where you are strongest",
    "running, jumping and changing direction",
    "the guide's standard",
    "hold the top position for five seconds",
    "hold the top for five seconds",
    "held still for five seconds",
    "beyond what body weight can",
    "just above the knees",
    "stays taut",
    "hip width",
    "far less",
    "when the effort is highest",
    "two sides that match",
    "the mistakes people make most",
    "teaches something the next one needs",
    # The order of the legs: the source gives none (coaching migration 0009).
    "finish the set on one leg, then do the same on the other.",
    "do all the reps for one side, then switch.",
    # The drawing's own numbers, read out as if targets.
    "shins vertical",
    "bent to about 90 degrees",
    "about 80 degrees",
    "cm above the line",
    "cm inward",
    "easiest regression to the hardest progression",
]


def _pages(client) -> dict[str, str]:
    from django.urls import reverse

    pages = {name: client.get(reverse(name, kwargs=kwargs)) for name, kwargs in PAGE_NAMES}
    for rung in Variation.objects.all():
        pages[rung.slug] = client.get(rung.get_absolute_url())
        pages[f"timer:{rung.slug}"] = client.get(f"/timer/?variation={rung.slug}")
    for page in pages.values():
        assert page.status_code == 200
    return {
        name: " ".join(page.content.decode().replace("&#x27;", "'").split())
        for name, page in pages.items()
    }


def test_no_content_or_page_makes_a_claim_the_source_does_not(client):
    texts = {"content": _all_content_text().replace("\n", " ")}
    texts.update(_pages(client))  # the figures' labels and descriptions too
    found = [
        (claim, name)
        for claim in CLAIMS_THE_SOURCE_DOES_NOT_MAKE
        for name, text in texts.items()
        if claim in text.lower()
    ]
    assert found == []


def test_the_sites_own_choices_promise_no_change_a_coach_cannot_make(client):
    """A rung's target, the rests and the countdown are site content, edited in the admin,
    not in the coach's prescription form: the mark says whose choice they are, and no more."""
    pages = _pages(client)
    for name, text in pages.items():
        assert "coach can change" not in text, name
    loaded = pages["loaded-single-leg-hip-thrust"]
    assert (
        "This target and when to move up are "
        "<span class=\"our-default\">hipthrust's own choice, not the guide's</span>."
    ) in loaded


def test_the_presets_say_what_the_guide_says_of_their_seconds():
    presets = {preset.slug: preset.description for preset in TempoPreset.objects.all()}
    assert "two to three seconds" in presets["controlled"]
    assert "a few seconds (we start at 5)" in presets["isometric"]


def test_every_shown_advance_target_and_preset_is_marked_as_the_sites_own(client):
    from coaching.ours import OUR_DEFAULT

    mark = OUR_DEFAULT
    pages = _pages(client)
    for rung in Variation.objects.all():
        target = re.search(r'<section class="target".*?</section>', pages[rung.slug]).group(0)
        assert mark in target, rung.slug
        tempo_row = re.search(r"<dt>Tempo</dt><dd>.*?</dd>", pages[rung.slug]).group(0)
        assert mark in tempo_row, rung.slug
        assert mark in pages[rung.slug].split('class="pager')[0].split("pager__order")[-1]
        # The rule of moving up too, not only the numbers.
        assert re.search(r"This target (and when to move up are|is) <span", target), rung.slug
        timer = pages[f"timer:{rung.slug}"]
        assert mark in re.search(r'<p class="note">The target for.*?</p>', timer).group(0)
        assert f"Each preset's seconds: {mark}" in timer
        countdown = re.search(r"<dt>Countdown</dt><dd>.*?</dd>", timer).group(0)
        assert mark in countdown, rung.slug
    for name in ("coaching:guide", "coaching:variation-list"):
        targets = re.findall(r'<p class="ladder__target">.*?</p>', pages[name])
        assert len(targets) == Variation.objects.count()
        assert all(mark in target for target in targets), name
        assert f'The order of the rungs is <span class="our-default">{mark}</span>' in pages[name]


def test_the_floor_bridge_target_reads_as_a_sentence(client):
    html = " ".join(client.get("/ladder/floor-glute-bridge/").content.decode().split())
    assert "Reach this in every set, with clean form" in html
    assert "Reach this on in" not in html
    two_sides = " ".join(client.get("/ladder/single-leg-hip-thrust/").content.decode().split())
    assert "Reach this on both sides and in every set" in two_sides


def test_a_coachs_own_edit_survives_the_honest_content_migration(exercise):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("coaching.migrations.0007_honest_content")
    rung = Variation.objects.get(slug="two-up-one-down-hip-thrust")
    rung.why = "The coach's own words."
    rung.save()
    migration.restore_0002(apps, None)
    migration.tell_only_the_source(apps, None)
    rung.refresh_from_db()
    assert rung.why == "The coach's own words."
    assert "far less" not in Variation.objects.get(slug="floor-glute-bridge").why


def test_the_loaded_rung_says_why_its_hands_steady_the_weight_where_the_guide_has_arms_flat():
    loaded = Variation.objects.get(slug="loaded-single-leg-hip-thrust")
    # The source keeps the arms relaxed and flat; a hand on the weight says why it is there.
    assert "loose and flat" in loaded.how_to
    assert "can roll" in loaded.how_to
    assert "without pushing it up or pressing through the elbows" in loaded.how_to
    assert "hipthrust adds" in loaded.how_to  # whose advice it is


def test_a_countdown_of_ones_own_is_not_marked_as_the_sites(client):
    timer = client.get("/timer/?variation=single-leg-hip-thrust&lead_in=8").content.decode()
    countdown = " ".join(re.search(r"<dt>Countdown</dt><dd>.*?</dd>", timer, re.S).group(0).split())
    assert "8 s before the first rep" in countdown
    assert "our-default" not in countdown


def _content_migration(name: str):
    import importlib

    return importlib.import_module(f"coaching.migrations.{name}")


def _assert_a_coachs_how_to_stays(rung: Variation, *steps) -> None:
    """A coach's own how-to for `rung` is left as it is by each of `steps`, run in turn."""
    from django.apps import apps

    rung.how_to = "The coach's own words."
    rung.save()
    for step in steps:
        step(apps, None)
    rung.refresh_from_db()
    assert rung.how_to == "The coach's own words."


def test_the_order_of_the_legs_is_marked_as_the_sites_and_a_coachs_edit_stays(exercise):
    from django.apps import apps

    migration = _content_migration("0009_side_order_is_ours")
    rung = Variation.objects.get(slug="single-leg-hip-thrust")
    # Since 0010 the line is a note under the steps; 0009 wrote it as the last step.
    assert "hipthrust's plans finish the set on one leg" in rung.how_to_notes
    assert "the guide gives no order" in rung.how_to_notes
    _content_migration("0010_how_to_notes").restore_0009(apps, None)
    rung.refresh_from_db()
    assert "hipthrust's plans finish the set on one leg" in rung.how_to
    assert "the guide gives no order" in rung.how_to
    migration.restore_0002(apps, None)
    rung.refresh_from_db()
    assert "Finish the set on one leg, then do the same on the other." in rung.how_to
    _assert_a_coachs_how_to_stays(rung, migration.mark_the_order_as_ours)


def test_a_coachs_own_edit_survives_the_hands_migration_both_ways(exercise):
    from django.apps import apps

    migration = _content_migration("0008_why_the_hands_steady_the_weight")
    loaded = Variation.objects.get(slug="loaded-single-leg-hip-thrust")
    _content_migration("0010_how_to_notes").restore_0009(apps, None)  # the how-to 0008 left
    migration.restore_0007(apps, None)
    loaded.refresh_from_db()
    assert "steady it with your hands, without pushing it up" in loaded.how_to
    migration.say_why_the_hands_steady_it(apps, None)
    loaded.refresh_from_db()
    assert "can roll" in loaded.how_to
    _assert_a_coachs_how_to_stays(
        loaded, migration.restore_0007, migration.say_why_the_hands_steady_it
    )


NOTED_RUNGS = [
    "two-up-one-down-hip-thrust",
    "single-leg-hip-thrust",
    "loaded-single-leg-hip-thrust",
]


@pytest.mark.parametrize("slug", NOTED_RUNGS)
def test_hipthrusts_notes_read_under_the_steps_not_as_the_last_step(client, slug):
    html = client.get(f"/ladder/{slug}/").content.decode()
    steps = re.search(r'<ol class="steps">(.*?)</ol>(.*?)</section>', html, re.S)
    assert "<li>hipthrust" not in steps.group(1)
    rung = Variation.objects.get(slug=slug)
    (note,) = rung.how_to_note_lines()
    assert note.startswith("hipthrust")
    assert f'<p class="steps__note">{escape(note)}</p>' in steps.group(2)


def test_a_coachs_own_how_to_stays_when_the_notes_move_both_ways(exercise):
    from django.apps import apps

    migration = _content_migration("0010_how_to_notes")
    rung = Variation.objects.get(slug="two-up-one-down-hip-thrust")
    migration.restore_0009(apps, None)
    rung.refresh_from_db()
    assert rung.how_to.split("\n")[-1].startswith("hipthrust's plans do all the reps")
    assert rung.how_to_notes == ""
    migration.move_notes_under_the_steps(apps, None)
    rung.refresh_from_db()
    assert rung.how_to.split("\n")[-1] == (
        "Lower slowly on the other leg alone, then put both feet down and repeat."
    )
    assert rung.how_to_notes.startswith("hipthrust's plans do all the reps")
    _assert_a_coachs_how_to_stays(
        rung, migration.restore_0009, migration.move_notes_under_the_steps
    )
