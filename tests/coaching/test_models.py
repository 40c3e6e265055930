"""The database itself refuses bad content, whatever form or script writes it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from coaching.models import Cue, Exercise, FormError, TempoPreset, Variation

pytestmark = pytest.mark.django_db


def _variation(exercise: Exercise, **overrides) -> Variation:
    fields = {
        "exercise": exercise,
        "level": 99,
        "kind": "progression",
        "name": "Test rung",
        "slug": "test-rung",
        "summary": "s",
        "how_to": "h",
        "why": "w",
        "equipment": "e",
        "advance_sets": 3,
        "advance_reps_per_side": 10,
        "advance_hold_seconds": 0,
        "tempo": TempoPreset.objects.first(),
    }
    fields.update(overrides)
    return Variation(**fields)


def _preset(**overrides) -> TempoPreset:
    fields = {
        "name": "Test tempo",
        "slug": "test-tempo",
        "lowering_seconds": 3,
        "bottom_pause_seconds": 0,
        "lifting_seconds": 1,
        "top_hold_seconds": 1,
    }
    fields.update(overrides)
    return TempoPreset(**fields)


def _refused(obj) -> bool:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        return True
    return False


def test_a_valid_new_rung_saves(exercise):
    assert not _refused(_variation(exercise))


@pytest.mark.parametrize(
    "overrides",
    [
        {"slug": "single-leg-hip-thrust"},  # slug taken by level 3
        {"level": 3},  # level taken on this exercise
        {"level": 0},
        {"kind": "sideways"},
        {"advance_sets": 0},
        {"advance_sets": 11},
        {"advance_reps_per_side": 0},
        {"advance_reps_per_side": 51},
        {"advance_hold_seconds": 601},
        {"takes_external_load": False, "load_is_optional": True},
    ],
    ids=lambda overrides: ",".join(f"{key}={value}" for key, value in overrides.items()),
)
def test_the_database_refuses_an_invalid_rung(exercise, overrides):
    assert _refused(_variation(exercise, **overrides))


@pytest.mark.parametrize(
    "overrides",
    [
        {"slug": "controlled"},
        {"name": "Controlled"},
        {"lowering_seconds": 0},
        {"lifting_seconds": 0},
        {"lowering_seconds": 31},
        {"top_hold_seconds": 31},
        {"bottom_pause_seconds": 31},
    ],
    ids=lambda overrides: ",".join(f"{key}={value}" for key, value in overrides.items()),
)
def test_the_database_refuses_an_invalid_tempo_preset(overrides):
    assert _refused(_preset(**overrides))


@pytest.mark.parametrize("value", [-1, -30])
def test_the_database_refuses_negative_seconds(value):
    assert _refused(_preset(top_hold_seconds=value))


def test_the_database_refuses_a_second_cue_in_the_same_place(exercise):
    taken = exercise.cues.first()
    duplicate = Cue(
        exercise=exercise, phase=taken.phase, order=taken.order, cue="c", explanation="e"
    )
    assert _refused(duplicate)


def test_the_database_refuses_an_unknown_phase(exercise):
    assert _refused(Cue(exercise=exercise, phase="warm-up", order=1, cue="c", explanation="e"))


def test_the_database_refuses_duplicate_form_error_slugs_and_orders(exercise):
    fields = {"name": "n", "what_you_see": "s", "why_it_matters": "w", "how_to_fix": "f"}
    assert _refused(FormError(exercise=exercise, order=99, slug="bouncing", **fields))
    assert _refused(FormError(exercise=exercise, order=1, slug="new-error", **fields))


def test_a_tempo_preset_in_use_cannot_be_deleted():
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        TempoPreset.objects.get(slug="controlled").delete()


def test_the_ladder_is_ordered_by_level_in_one_query(exercise, django_assert_num_queries):
    with django_assert_num_queries(1):
        rungs = list(exercise.variations.ladder())
        tempos = [rung.tempo.tempo.notation for rung in rungs]
    assert [rung.level for rung in rungs] == list(range(1, len(rungs) + 1))
    assert all(tempos)


def test_a_rung_describes_its_target_per_side_or_for_both_legs(exercise):
    bridge = exercise.variations.get(slug="floor-glute-bridge")
    hold = exercise.variations.get(slug="isometric-hold-single-leg-hip-thrust")
    assert bridge.advance_target == "3 × 15 reps"
    assert hold.advance_target == "3 × 8 per side, holding the top 5 s each rep"


def test_how_to_steps_skip_blank_lines(exercise):
    rung = _variation(exercise, how_to="First\n\n  Second  \n")
    assert rung.how_to_steps() == ["First", "Second"]


def test_an_optional_load_with_a_load_taken_saves(exercise):
    assert not _refused(_variation(exercise, takes_external_load=True, load_is_optional=True))
