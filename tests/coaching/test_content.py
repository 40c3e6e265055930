"""A fresh install carries the whole guide, in the project's own words."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

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
        parts += [rung.name, rung.summary, rung.how_to, rung.why]
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
