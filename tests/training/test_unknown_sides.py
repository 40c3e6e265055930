"""Sets imported without a side: shown as such, given sides later, never guessed at."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from training import records as progress
from training import services
from training.forms import HOLD_ONLY_ERROR, SetForm
from training.level import recent_history
from training.models import Set, SetQuerySet, Side, TrainingSession
from training.progression import Criteria, SessionRecord, SetRecord, suggest, weaker_side

pytestmark = pytest.mark.django_db


def add_sets(session, *sides, reps=10, load="0"):
    start = session.sets.count()
    return [
        Set.objects.create(
            session=session,
            position=start + n,
            side=side,
            reps=reps,
            load_kg=Decimal(load),
            tempo="3-0-1-1",
        )
        for n, side in enumerate(sides, start=1)
    ]


def sides_of(session) -> list[str]:
    return list(session.sets.order_by("position").values_list("side", flat=True))


# --- the database and the form agree ---------------------------------------------


def test_the_database_takes_unknown_sides_and_hold_only_sets_but_nothing_else(session):
    Set.objects.create(session=session, position=1, side="unknown", reps=0, hold_seconds=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        Set.objects.create(session=session, position=2, side="left", reps=0, hold_seconds=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Set.objects.create(session=session, position=3, side="middle", reps=5)


def test_the_set_form_takes_a_hold_only_set_and_refuses_zero_reps_without_a_hold(session):
    form = SetForm({"side": "left", "reps": "0", "hold_seconds": "30"}, session=session, unit="kg")
    assert form.is_valid(), form.errors
    assert (form.set_fields()["reps"], form.set_fields()["hold_seconds"]) == (0, 30)

    refused = SetForm({"side": "left", "reps": "0"}, session=session, unit="kg")
    assert not refused.is_valid()
    assert refused.errors["reps"] == [HOLD_ONLY_ERROR]


def test_a_set_typed_by_hand_cannot_be_of_unknown_side(user_client, session):
    response = user_client.post(
        reverse("training:set-create", args=[session.pk]),
        {"side": "unknown", "reps": "10", "tempo": "3-0-1-1"},
    )
    assert response.status_code == 200
    assert "side" in response.context["form"].errors
    assert not Set.objects.exists()


def test_an_imported_set_can_be_corrected_and_keep_its_unknown_side(user_client, session):
    (done,) = add_sets(session, "unknown")
    response = user_client.post(
        reverse("training:set-edit", args=[done.pk]),
        {"side": "unknown", "reps": "12", "tempo": "3-0-1-1"},
    )
    assert response.status_code == 302
    done.refresh_from_db()
    assert (done.side, done.reps) == ("unknown", 12)


# --- the log shows them and the trainee sets them --------------------------------


def test_the_session_page_shows_sets_of_unknown_side_and_offers_to_set_them(user_client, session):
    add_sets(session, "left", "unknown", "unknown")
    Set.objects.create(session=session, position=4, side="unknown", reps=0, hold_seconds=30)

    html = user_client.get(session.get_absolute_url()).content.decode()

    assert html.count('class="set-row set-row--unknown"') == 3
    assert html.count("Side not recorded") >= 3
    assert "30 s hold" in html
    assert "Set the sides of 3 sets" in html
    assert reverse("training:set-sides", args=[session.pk]) in html


def test_the_history_says_how_many_sets_have_no_side(user_client, session):
    add_sets(session, "left", "unknown", "unknown")
    html = user_client.get(reverse("training:history")).content.decode()
    assert "2 without a side" in html


def test_setting_sides_in_bulk_goes_in_position_order_over_the_unknown_sets(user_client, session):
    known = add_sets(session, "right")
    unknown = add_sets(session, "unknown", "unknown", "unknown")

    response = user_client.post(
        reverse("training:set-sides", args=[session.pk]),
        {"pattern": "left-right", "sets": ",".join(str(s.pk) for s in unknown)},
    )

    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert sides_of(session) == ["right", "left", "right", "left"]
    assert Set.objects.get(pk=known[0].pk).side == "right"


@pytest.mark.parametrize(
    ("pattern", "sides"),
    [("right-left", ["right", "left"]), ("left", ["left", "left"]), ("right", ["right"] * 2)],
)
def test_every_side_pattern_is_applied(user_client, session, pattern, sides):
    unknown = add_sets(session, "unknown", "unknown")
    user_client.post(
        reverse("training:set-sides", args=[session.pk]),
        {"pattern": pattern, "sets": ",".join(str(s.pk) for s in unknown)},
    )
    assert sides_of(session) == sides


def test_setting_sides_of_another_users_session_is_a_404(user_client, other_session):
    Set.objects.filter(session=other_session).update(side="unknown")
    pks = ",".join(str(pk) for pk in other_session.sets.values_list("pk", flat=True))

    response = user_client.post(
        reverse("training:set-sides", args=[other_session.pk]),
        {"pattern": "left", "sets": pks},
    )

    assert response.status_code == 404
    assert sides_of(other_session) == ["unknown"]


def test_setting_sides_needs_a_post(user_client, session):
    assert user_client.get(reverse("training:set-sides", args=[session.pk])).status_code == 405


def test_a_bad_pattern_is_refused_on_its_field_and_changes_nothing(user_client, session):
    unknown = add_sets(session, "unknown")
    response = user_client.post(
        reverse("training:set-sides", args=[session.pk]),
        {"pattern": "middle", "sets": str(unknown[0].pk)},
    )
    assert response.status_code == 400
    assert "pattern" in response.context["sides_form"].errors
    assert sides_of(session) == ["unknown"]


def test_sides_set_from_a_stale_page_change_nothing(user_client, session):
    first = add_sets(session, "unknown")
    add_sets(session, "unknown")  # added in another tab after the page was shown

    response = user_client.post(
        reverse("training:set-sides", args=[session.pk]),
        {"pattern": "left", "sets": str(first[0].pk)},
        follow=True,
    )

    assert "Those sets changed in the meantime" in response.content.decode()
    assert sides_of(session) == ["unknown", "unknown"]


def test_setting_sides_is_an_edit_that_an_edit_opened_before_cannot_save_over(user_client, session):
    (unknown,) = add_sets(session, "unknown")
    url = reverse("training:set-edit", args=[unknown.pk])
    assert 'name="revision" value="1"' in user_client.get(url).content.decode()
    user_client.post(
        reverse("training:set-sides", args=[session.pk]),
        {"pattern": "left", "sets": str(unknown.pk)},
    )

    # Another change made in the edit form opened before.
    stale = user_client.post(url, {"side": "right", "reps": "12", "revision": "1"})

    assert stale.status_code == 409
    unknown.refresh_from_db()
    assert (unknown.side, unknown.revision) == ("left", 2)


def test_setting_sides_is_all_or_nothing(session, monkeypatch):
    unknown = add_sets(session, "unknown", "unknown")

    written = SetQuerySet.bulk_update

    def broken(self, *args, **kwargs):
        written(self, *args, **kwargs)  # the sides are written, then the transaction fails
        raise RuntimeError("the database went away")

    monkeypatch.setattr(SetQuerySet, "bulk_update", broken)
    with pytest.raises(RuntimeError):
        services.assign_sides(session, "left-right", expected=[s.pk for s in unknown])

    assert sides_of(session) == ["unknown", "unknown"]


# --- balance, progression, records and charts leave them out ------------------------


def test_balance_ignores_sets_of_unknown_side(user, bodyweight):
    session = TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 11, 2), variation=bodyweight
    )
    add_sets(session, "left", "right")
    add_sets(session, "unknown", "unknown", reps=30)

    (totals,) = TrainingSession.objects.filter(pk=session.pk).with_totals()

    assert (totals.left_work, totals.right_work, totals.unknown_sets) == (10, 10, 2)
    balance = progress.session_balance(totals)
    assert (balance.left, balance.right, balance.weaker) == (10, 10, None)
    assert progress.balance_note([totals]) is None


def test_a_session_with_only_unknown_sides_has_no_balance(user, bodyweight):
    session = TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 11, 2), variation=bodyweight
    )
    add_sets(session, "unknown", "unknown")
    (totals,) = TrainingSession.objects.filter(pk=session.pk).with_totals()
    assert progress.session_balance(totals) is None


CRITERIA = Criteria(
    sets=1, reps_per_side=10, hold_seconds=0, tempo="", per_side=True, takes_load=True
)


def record(side, reps=10, load="10", pain=False, form_errors=0) -> SetRecord:
    return SetRecord(side, reps, Decimal(load), 0, "", form_errors, pain)


def test_progression_leaves_unknown_sides_out_of_targets_weaker_side_and_loads():
    sets = (record("left"), record("right"), record("unknown", reps=3, load="40"))
    day = SessionRecord(datetime.date(2026, 11, 5), 4, sets)
    before = SessionRecord(datetime.date(2026, 11, 2), 4, sets)

    assert weaker_side(day) is None  # the short unknown set is not made a left or right
    advice = suggest(CRITERIA, [day, before], level=4, is_top_level=True, is_bottom_level=False)
    assert advice.kind == "stay"
    assert advice.next_load_kg == Decimal("12.5")  # from 10 kg, not the unknown 40 kg
    assert not any("unknown" in reason for reason in advice.reasons)


def test_a_session_of_only_unknown_sides_does_not_meet_a_per_side_target():
    day = SessionRecord(datetime.date(2026, 11, 5), 4, (record("unknown"), record("unknown")))
    advice = suggest(CRITERIA, [day, day], level=4, is_top_level=False, is_bottom_level=False)
    assert advice.kind == "stay"
    assert "Left side: 0 of 1 sets logged." in advice.reasons
    assert advice.next_load_kg is None


def test_pain_on_a_set_of_unknown_side_still_counts():
    day = SessionRecord(
        datetime.date(2026, 11, 5),
        4,
        (record("left"), record("right"), record("unknown", pain=True)),
    )
    advice = suggest(CRITERIA, [day], level=4, is_top_level=False, is_bottom_level=False)
    assert advice.kind == "step_back"
    assert advice.reasons[0].startswith("Pain was reported on set 1 of unknown side")


def test_the_history_read_for_progression_keeps_the_unknown_side(user, bodyweight):
    session = TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 11, 2), variation=bodyweight
    )
    add_sets(session, "left", "unknown")
    (latest,) = recent_history(user)
    assert [s.side for s in latest.sets] == ["left", "unknown"]


def test_records_by_side_leave_out_unknown_sides(user, loaded):
    session = TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 11, 2), variation=loaded
    )
    add_sets(session, "left", load="10")
    add_sets(session, "unknown", reps=20, load="50")

    (group,) = progress.personal_records(user)

    assert [(side["side"], side["heaviest"], side["most_reps"]) for side in group["sides"]] == [
        (Side.LEFT, Decimal(10), 10)
    ]


def test_charts_leave_out_unknown_sides(user, loaded):
    session = TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 11, 2), variation=loaded
    )
    add_sets(session, "unknown", "unknown", load="50")

    data = progress.progress_data(user, "kg")

    assert "No sessions logged yet" in data["load_chart"]
    assert "No sessions logged yet" in data["volume_chart"]
    assert data["balance_rows"] == []
