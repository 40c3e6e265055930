"""What Today reads in fewer queries gives what the queries it replaced gave: the recent
sessions' totals kept on write, the owned weights in the profile's query, the ladder kept
under the content generation, the form's choices drawn from it."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching import caching
from coaching.models import FormError, Variation
from tests.conftest import logged_session
from training.forms import NewSessionForm, SetForm
from training.level import (
    ADVICE,
    NewestSet,
    advice_for,
    history_of,
    newest_sets,
    newest_sets_with_totals,
    recent_history,
    sessions_of,
)
from training.models import OwnedWeight, Profile, SessionTotals, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("unit", ["kg", "lb"])
def test_it_gives_sessions_the_totals_with_totals_computes(user, loaded, bridge, unit):
    logged_session(
        user,
        loaded,
        datetime.date(2026, 11, 2),
        [("left", 10, "12.5", 2), ("right", 9, "12.5", 0), ("unknown", 8, "7.3", 1)],
    )
    logged_session(
        user, bridge, datetime.date(2026, 11, 3), [("both", 15, "0", 5), ("both", 12, "0", 0)]
    )
    logged_session(user, loaded, datetime.date(2026, 11, 4), [("left", 7, "3.3333", 0)])
    sessions = TrainingSession.objects.filter(user=user).order_by("date")

    kept = TrainingSession.with_kept_totals(list(sessions.select_related("totals")), unit)
    computed = list(sessions.with_totals(unit))

    names = [
        f"{side}_{measure}"
        for side in ("left", "right", "both")
        for measure in ("work", "hold", "sets", "max_load")
    ] + ["unknown_sets", "set_count"]
    for mine, theirs in zip(kept, computed, strict=True):
        assert {name: getattr(mine, name) for name in names} == {
            name: getattr(theirs, name) for name in names
        }


def test_it_reads_back_owned_loads_as_the_field_reads_them(user, other_user):
    for kind, load in [
        ("dumbbell", "12.5"),
        ("dumbbell", "10"),
        ("kettlebell", "10"),
        ("kettlebell", "2.2679618500"),  # 5 lb
        ("dumbbell", "0.4535923700"),  # 1 lb
    ]:
        OwnedWeight.objects.create(user=user, kind=kind, load_kg=Decimal(load))
    OwnedWeight.objects.create(user=other_user, kind="dumbbell", load_kg=Decimal("40"))

    profile = Profile.objects.annotate(**ADVICE).get(user=user)
    read = OwnedWeight.loads_from(profile.owned_loads_kg)

    expected = sorted(OwnedWeight.objects.filter(user=user).values_list("load_kg", flat=True))
    assert read == expected
    assert [str(load) for load in read] == [str(load) for load in expected]


def test_it_reads_no_owned_weights_as_none(user):
    profile = Profile.objects.annotate(**ADVICE).get(user=user)
    assert profile.owned_loads_kg is None
    assert OwnedWeight.loads_from(profile.owned_loads_kg) == []


def test_it_keeps_the_ladder_under_the_content_generation(db, django_capture_on_commit_callbacks):
    first = caching.ladder()
    assert [rung.pk for rung in first] == list(
        Variation.objects.order_by("exercise_id", "level").values_list("pk", flat=True)
    )
    with CaptureQueriesContext(connection) as queries:
        again = caching.ladder()
        tempos = [rung.tempo.name for rung in again]
    assert len(queries.captured_queries) == 0
    assert [rung.pk for rung in again] == [rung.pk for rung in first]
    assert all(tempos)

    with django_capture_on_commit_callbacks(execute=True):
        renamed = Variation.objects.get(pk=first[0].pk)
        renamed.name = "Renamed rung"
        renamed.save()  # a coach's edit moves the generation once it commits
    with CaptureQueriesContext(connection) as queries:
        assert caching.ladder()[0].name == "Renamed rung"
    assert len(queries.captured_queries) == 1


def test_it_offers_the_kept_ladder_as_the_choices_the_query_gives(user, bodyweight):
    initial = {"date": datetime.date(2026, 11, 4), "variation": bodyweight.pk}
    queried = NewSessionForm(initial=initial)["variation"]
    with CaptureQueriesContext(connection) as queries:
        kept = NewSessionForm(initial=initial, ladder=caching.ladder())["variation"]
        rendered = str(kept)
    assert rendered == str(queried)
    assert f'value="{bodyweight.pk}" selected' in rendered
    assert len(queries.captured_queries) == 1  # the ladder, once; the choices read none


def test_a_posted_session_is_still_checked_against_the_ladder(user):
    form = NewSessionForm({"date": "2026-11-04", "variation": "999999"}, ladder=caching.ladder())
    assert not form.is_valid()
    assert form.errors["variation"] == ["Choose a variation from the ladder."]


def test_the_history_read_with_the_recent_sessions_is_recent_history(user, loaded):
    for day in range(1, 9):
        logged_session(
            user,
            loaded,
            datetime.date(2026, 11, day),
            [("left", 10, "12.5", 0), ("right", 8 + day % 3, "12.5", 0)],
        )
    sets = list(newest_sets(user, 7).select_related("session__totals"))
    assert len({s.session_id for s in sets}) == 7
    assert history_of(sets) == recent_history(user)


def test_the_compiled_read_gives_what_newest_sets_with_their_totals_give(
    user, other_user, loaded, bridge
):
    for day in range(1, 9):
        logged_session(
            user,
            loaded if day % 2 else bridge,
            datetime.date(2026, 11, day),
            [("left", 10, "12.5", 2), ("right", 8 + day % 3, "7.3", 0), ("unknown", 5, "0", 0)],
        )
    logged_session(other_user, loaded, datetime.date(2026, 11, 9), [("left", 3, "1", 0)])
    session_columns = ["pk", "user_id", "date", "variation_id", "notes", "created_at", "set_count"]
    kept = [f.attname for f in SessionTotals._meta.concrete_fields]

    def read(sets):
        return [
            (
                [getattr(s, f.name) for f in dataclasses.fields(NewestSet) if f.name != "session"],
                [getattr(s.session, name) for name in session_columns],
                [getattr(s.session.totals, name) for name in kept],
            )
            for s in sets
        ]

    expected = read(newest_sets(user, 6).select_related("session__totals"))
    assert len({row[2][0] for row in expected}) == 6
    assert read(newest_sets_with_totals(user, 6)) == expected


def test_it_advises_on_a_rung_the_kept_ladder_does_not_hold_yet(user, loaded):
    caching.ladder()  # kept before the rung is added, as another process may keep it
    rung = Variation.objects.create(
        exercise=loaded.exercise,
        level=loaded.exercise.variations.order_by("-level").first().level + 1,
        kind=loaded.kind,
        name="A rung added just now",
        slug="a-rung-added-just-now",
        summary="New.",
        how_to="Do it.",
        why="Because.",
        equipment="None",
        takes_external_load=True,
        advance_sets=1,
        advance_reps_per_side=10,
        tempo=loaded.tempo,
    )
    Profile.objects.filter(user=user).update(level=rung)
    logged_session(
        user, rung, datetime.date(2026, 11, 2), [("left", 10, "10", 0), ("right", 10, "10", 0)]
    )

    advice = advice_for(Profile.objects.select_related("level__tempo").get(user=user))

    assert advice.level == rung
    assert advice.suggestion.kind == "stay"  # the top rung: nothing above to move to


def test_today_shows_the_recent_sessions_with_their_totals_in_pounds(client, user, loaded):
    Profile.objects.filter(user=user).update(unit="lb")
    logged_session(user, loaded, datetime.date(2026, 11, 2), [("left", 10, "4.5359237", 0)])
    client.force_login(user)
    page = client.get(reverse("training:log")).content.decode()
    assert "L 100 / R 0" in page


def test_of_today_holds_the_days_sessions_and_those_started_today_still_empty(
    user, other_user, bodyweight
):
    day = datetime.date(2026, 11, 20)
    start = timezone.make_aware(datetime.datetime(2026, 11, 20))
    yesterday = day - datetime.timedelta(days=1)

    def made(owner, date, started, sets=0):
        session = logged_session(owner, bodyweight, date, [("left", 10, "0", 0)] * sets)
        TrainingSession.objects.filter(pk=session.pk).update(created_at=started)
        return session

    done_today = made(user, day, start + datetime.timedelta(hours=9), sets=2)
    empty_today = made(user, day, start + datetime.timedelta(hours=10))
    started_today = made(user, yesterday, start + datetime.timedelta(hours=8))
    made(user, yesterday, start + datetime.timedelta(hours=7), sets=1)  # logged: not current
    made(user, yesterday, start - datetime.timedelta(hours=1))  # left yesterday
    made(other_user, day, start + datetime.timedelta(hours=9))

    current = TrainingSession.objects.for_user(user).of_today(day, start)

    assert list(current) == [done_today, empty_today, started_today]


def test_with_rungs_gives_rows_the_kept_rungs_without_a_query(user, bodyweight, loaded):
    caching.ladder()
    sessions = [
        TrainingSession.objects.create(user=user, date=datetime.date(2026, 11, d), variation=v)
        for d, v in [(2, bodyweight), (3, loaded)]
    ]
    fresh = list(TrainingSession.objects.filter(pk__in=[s.pk for s in sessions]).order_by("date"))
    with CaptureQueriesContext(connection) as queries:
        given = caching.with_rungs(fresh)
        names = [s.variation.name for s in given]
        tempos = [s.variation.tempo.name for s in given]
    assert len(queries.captured_queries) == 0
    assert names == [bodyweight.name, loaded.name]
    assert all(tempos)


def test_sessions_of_gives_each_session_once_to_all_its_sets(user, loaded):
    for day in (2, 3):
        logged_session(user, loaded, datetime.date(2026, 11, day), [("left", 10, "5", 0)] * 3)
    sets = list(newest_sets(user))
    caching.ladder()  # kept, as after the first page
    with CaptureQueriesContext(connection) as queries:
        sessions = sessions_of(sets)
        levels = [session.variation.level for session in sessions]
    assert len(queries.captured_queries) == 0
    assert [session.date.day for session in sessions] == [3, 2]
    assert levels == [loaded.level, loaded.level]
    assert all(s.session is sessions[0] for s in sets[:3])
    assert all(s.session is sessions[1] for s in sets[3:])


def test_the_set_form_offers_the_kept_form_errors_and_checks_a_post_against_the_database(
    session, django_capture_on_commit_callbacks
):
    errors = list(FormError.objects.filter(exercise_id=session.variation.exercise_id))
    caching.form_errors_of(session.variation.exercise_id)  # kept once
    with CaptureQueriesContext(connection) as queries:
        drawn = str(SetForm(session=session, unit="kg")["form_errors"])
    assert len(queries.captured_queries) == 0
    assert [f'value="{error.pk}"' in drawn for error in errors] == [True] * len(errors)
    assert drawn.index(errors[0].name) < drawn.index(errors[-1].name)  # the guide's order

    with django_capture_on_commit_callbacks(execute=True):
        FormError.objects.filter(pk=errors[0].pk).update(name="Renamed error")
        errors[0].refresh_from_db()
        errors[0].save()  # a coach's edit moves the generation once it commits
    assert "Renamed error" in str(SetForm(session=session, unit="kg")["form_errors"])

    posted = SetForm(
        {"side": "left", "reps": "10", "form_errors": ["999999"]}, session=session, unit="kg"
    )
    assert not posted.is_valid()
    assert "form_errors" in posted.errors


@pytest.mark.parametrize("page", ["training:log", "training:profile", "session-edit"])
def test_a_page_of_the_log_reads_the_kept_ladder_once(client, user, loaded, monkeypatch, page):
    # Today draws rungs in six places (the profile's level, the recent sessions and the
    # advice's history, today's sessions, the advice, the form): each read of the kept ladder
    # is a round trip to Redis.
    Profile.objects.filter(user=user).update(level=loaded)
    session = logged_session(user, loaded, timezone.localdate(), [("left", 10, "12.5", 0)])
    url = (
        reverse(f"training:{page}", args=[session.pk]) if page == "session-edit" else reverse(page)
    )
    reads = []
    remember = caching.CONTENT.remember
    monkeypatch.setattr(
        caching.CONTENT,
        "remember",
        lambda make, kind, *names: reads.append(kind) or remember(make, kind, *names),
    )
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert reads.count("coaching:ladder") == 1
