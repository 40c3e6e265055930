"""The log's summaries (training/summaries.py) always equal what the sets say: random write
sequences through the services and views' own calls, checked against a count from scratch;
and the pages that read them read no set."""

from __future__ import annotations

import contextlib
import datetime
import io
import itertools
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Min
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coaches.models import CoachNote
from coaching.models import Variation
from imports.csv_io import export_csv, import_csv
from imports.csv_io.undo import undo_import
from tests.conftest import make_log
from training import services, summaries, thinning
from training.models import (
    TOTAL_FIELDS,
    AlikeSets,
    ImportBatch,
    ProgressPoints,
    SessionTotals,
    Set,
    TrainingSession,
    work_total,
)

pytestmark = pytest.mark.django_db

TOTALS = [name for name in TOTAL_FIELDS if name != "set_count"] + [
    f"{side}_work_lb" for side in ("left", "right", "both")
]
# Steps move sessions up to nine days on: across weeks, and a month (March 30 to April 5
# is one week).
DAY = datetime.date(2026, 3, 26)
_names = itertools.count()


def recounted(user) -> tuple:
    """The summaries as the sets say, counted from scratch."""
    sessions = TrainingSession.objects.filter(user=user)
    counts = dict(sessions.annotate(n=Count("sets")).values_list("pk", "n"))
    totals = {
        row.pop("pk"): row
        for row in sessions.filter(sets__isnull=False)
        .distinct()
        .with_totals()
        .annotate(
            **{f"{side}_work_lb": work_total(side, "lb") for side in ("left", "right", "both")}
        )
        .values("pk", *TOTALS)
    }
    groups = {
        row[:6]: row[6:]
        for row in Set.objects.filter(session__user=user)
        .values_list(*summaries.MARK_FIELDS[:6])
        .annotate(first_day=Min("session__date"), count=Count("pk"))
        .order_by()
    }
    return counts, totals, groups, _points_of(totals, sessions)


def _points_of(totals: dict, sessions) -> dict:
    """The progress points of sessions' `totals`, as thinning.period_rows makes them."""
    by_side: dict[str, list] = {side: [] for side in ("left", "right", "both")}
    every = []
    for pk, day in sessions.filter(pk__in=totals).order_by("date", "pk").values_list("pk", "date"):
        row = totals[pk]
        every.append((day, pk, ()))
        for side, found in by_side.items():
            if row[f"{side}_sets"]:
                found.append((day, pk, [row[f"{side}_{name}"] for name in ProgressPoints.SERIES]))
    rows = thinning.period_rows(by_side, ProgressPoints.SERIES)
    rows += thinning.period_rows({"any": every}, ())
    return {_point_key(row): _point_values(row) for row in rows}


def _point_key(row: dict) -> tuple:
    return (row["period"], row["side"], row["start"], row.get("session_pk", 0))


def _point_values(row: dict) -> tuple:
    return tuple(row.get(name) for name in POINT_VALUES)


POINT_VALUES = ["sessions", "weeks"] + [
    name for series in ProgressPoints.SERIES for name in (series, f"{series}_on")
]


def kept(user) -> tuple:
    """The summaries as kept on write, the progress points made current as the progress
    page makes them before it reads them."""
    summaries.make_points_current(user.pk)
    counts = dict(TrainingSession.objects.filter(user=user).values_list("pk", "set_count"))
    totals = {
        row.pop("session_id"): row
        for row in SessionTotals.objects.filter(session__user=user).values("session_id", *TOTALS)
    }
    groups = {
        row[:6]: row[6:]
        for row in AlikeSets.objects.filter(user=user).values_list(
            "user_id",
            "variation_id",
            "side",
            "reps",
            "load_kg",
            "hold_seconds",
            "first_day",
            "set_count",
        )
    }
    points = {
        _point_key(row): _point_values(row)
        for row in ProgressPoints.objects.filter(user=user).values(
            "period", "side", "start", "session_pk", *POINT_VALUES
        )
    }
    return counts, totals, groups, points


def assert_kept(user) -> None:
    assert kept(user) == recounted(user)


SET_VALUES = st.fixed_dictionaries(
    {
        "side": st.sampled_from(["left", "right", "both", "unknown"]),
        "reps": st.integers(1, 4),
        "load_kg": st.sampled_from([Decimal(0), Decimal("10"), Decimal("12.5")]),
        "hold_seconds": st.integers(0, 2),
    }
)
# Each step: (what, which session or set by index, a day offset, set values).
STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "new session",
                "add",
                "add",
                "copy",
                "mirror",
                "edit",
                "delete",
                "delete and restore",
                "assign sides",
                "move session",
                "change variation",
                "delete session",
                "timer",
                "delete empty sessions",
            ]
        ),
        st.integers(0, 50),
        st.integers(0, 9),
        SET_VALUES,
    ),
    max_size=25,
)


def apply(user, variations, step) -> None:
    what, index, offset, values = step
    sessions = list(TrainingSession.objects.filter(user=user).order_by("pk"))
    sets = list(Set.objects.filter(session__user=user).order_by("pk"))
    day = DAY + datetime.timedelta(days=offset)
    variation = variations[index % 2]
    if what == "new session" or not sessions:
        services.create_session(
            user, {"date": day, "variation": variation}, sets=[values] * (index % 3)
        )
        return
    session = sessions[index % len(sessions)]
    last = session.sets.order_by("-position").first()
    if what == "add":
        services.add_set(session, values)
    elif what in ("copy", "mirror") and last is not None:
        side = {"left": "right", "right": "left"}.get(last.side) if what == "mirror" else None
        services.copy_set(last, side=side)
    elif what == "edit" and sets:
        existing = sets[index % len(sets)]
        services.update_set(existing, values, [], revision=existing.revision)
    elif what in ("delete", "delete and restore") and sets:
        existing = Set.objects.select_related("session").get(pk=sets[index % len(sets)].pk)
        snapshot = services.snapshot_set(existing)
        existing.delete()  # as the set_delete view does
        if what == "delete and restore":
            # Refused, writing nothing, when the session's variation changed in between
            # to one without the set's side (the view says why).
            with contextlib.suppress(services.SideNoLongerFits):
                services.restore_set(user, snapshot)
    elif what == "assign sides":
        unknown = list(session.sets.filter(side="unknown").order_by("position"))
        services.assign_sides(session, "left-right", expected=[s.pk for s in unknown])
    elif what == "move session":
        session.date = day  # as the session form saves it
        session.save()
    elif what == "change variation":
        session.variation = variation
        session.save()
    elif what == "delete session":
        session.delete()
    elif what == "timer":
        services.log_timer_sets(
            user,
            variation,
            day=day,
            sides=["left", "right"][: 1 + index % 2],
            reps=values["reps"],
            tempo="",
            hold_seconds=values["hold_seconds"],
            submission_id=uuid.uuid4(),
        )
    elif what == "delete empty sessions":
        services.delete_empty_sessions(user, started_before=DAY_AFTER_ALL)


DAY_AFTER_ALL = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
@example(
    steps=[
        (
            "new session",
            2,
            0,
            {"side": "left", "reps": 1, "load_kg": Decimal(0), "hold_seconds": 0},
        ),
        (
            "move session",
            0,
            9,
            {"side": "left", "reps": 1, "load_kg": Decimal(0), "hold_seconds": 0},
        ),
        ("delete", 0, 0, {"side": "left", "reps": 1, "load_kg": Decimal(0), "hold_seconds": 0}),
    ]
)
def test_summaries_equal_a_count_from_scratch_after_any_writes(steps, other_user):
    variations = list(Variation.objects.order_by("level")[:2])
    user = get_user_model().objects.create_user(f"trainee{next(_names)}")
    make_log(other_user, variations[0], sessions=2, sets_per_side=1)
    for step in steps:
        apply(user, variations, step)
        assert_kept(user)
    assert_kept(other_user)


def test_an_import_and_its_undo_keep_the_summaries(user, other_user, bodyweight):
    make_log(user, bodyweight, sessions=4, sets_per_side=2)
    out = io.StringIO()
    export_csv(user, out)
    TrainingSession.objects.filter(user=user).order_by("pk").first().delete()
    import_csv(other_user, io.StringIO(out.getvalue()))
    import_csv(user, io.StringIO(out.getvalue()))  # the deleted session comes back
    assert_kept(user)
    assert_kept(other_user)
    undo_import(ImportBatch.objects.get(owner=user))
    undo_import(ImportBatch.objects.get(owner=other_user))
    assert_kept(user)
    assert_kept(other_user)
    assert not AlikeSets.objects.filter(user=other_user).exists()


def test_an_undo_that_keeps_a_noted_set_counts_only_the_sets_it_removed(
    user, linked_coach, bodyweight
):
    make_log(user, bodyweight, sessions=3, sets_per_side=2)
    out = io.StringIO()
    export_csv(user, out)
    TrainingSession.objects.filter(user=user).delete()
    import_csv(user, io.StringIO(out.getvalue()))
    noted = Set.objects.filter(session__user=user).order_by("pk")[1]
    CoachNote.objects.create(
        coach=linked_coach, athlete=user, session=noted.session, set=noted, text="Good depth"
    )
    undo_import(ImportBatch.objects.get(owner=user))
    assert list(Set.objects.filter(session__user=user)) == [noted]
    assert_kept(user)


def test_deleting_an_account_takes_its_summaries_and_no_one_elses(user, other_user, bodyweight):
    make_log(user, bodyweight, sessions=3)
    make_log(other_user, bodyweight, sessions=3)
    user.delete()
    assert not AlikeSets.objects.filter(user_id=user.pk).exists()
    assert SessionTotals.objects.count() == 3
    assert_kept(other_user)


def test_rebuild_makes_the_same_summaries_as_the_writes(user, bodyweight, loaded):
    make_log(user, bodyweight, sessions=5, sets_per_side=2, load="0")
    make_log(user, loaded, sessions=3, load="12.5", start=datetime.date(2024, 1, 3))
    before = kept(user)
    AlikeSets.objects.all().delete()
    SessionTotals.objects.all().delete()
    TrainingSession.objects.update(set_count=0)
    summaries.rebuild()
    assert kept(user) == before == recounted(user)


def test_a_group_is_never_kept_empty(user, bodyweight):
    """The database refuses a group of no set: one emptied is deleted, never left at 0."""
    from django.db import IntegrityError, transaction

    make_log(user, bodyweight, sessions=1, sets_per_side=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AlikeSets.objects.filter(user=user).update(set_count=0)


@pytest.mark.parametrize("name", ["training:records", "training:progress"])
def test_records_and_progress_read_no_set(client, user, bodyweight, name):
    """Built from the summaries alone: their cost follows the groups and sessions, and no
    query reads the set table, this trainee's or anyone's."""
    make_log(user, bodyweight, sessions=30, sets_per_side=2, load="10")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if '"training_set"' in q["sql"]]


def test_todays_empty_sessions_are_counted_without_reading_sets(client, user, bodyweight):
    make_log(user, bodyweight, sessions=3)
    TrainingSession.objects.create(user=user, date=DAY, variation=bodyweight)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("training:log")).status_code == 200
    # The count of sessions left empty before today, read off each session's set_count.
    counting = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    assert counting
    assert not [sql for sql in counting if '"training_set"' in sql]


def test_the_groups_count_every_set_once(user, bodyweight, loaded):
    make_log(user, bodyweight, sessions=3, sets_per_side=2)
    make_log(user, loaded, sessions=2, load="12.5")
    counted = sum(AlikeSets.objects.filter(user=user).values_list("set_count", flat=True))
    assert counted == Set.objects.filter(session__user=user).count() == 24


def test_a_session_moved_to_another_month_takes_its_points_along(user, bodyweight):
    # Sunday March 29, then Monday March 30 and Tuesday 31: a week across March and April.
    first, *_ = make_log(user, bodyweight, sessions=3, start=datetime.date(2026, 3, 29))
    for day in (datetime.date(2026, 5, 14), datetime.date(2026, 4, 5), datetime.date(2026, 3, 29)):
        first.date = day  # as the session form saves it
        first.save()
        assert_kept(user)
        months = ProgressPoints.objects.filter(user=user, period="month", side="any")
        assert (datetime.date(2026, 5, 1) in months.values_list("start", flat=True)) == (
            day.month == 5
        )


def test_an_import_of_thousands_of_kinds_of_set_is_kept_in_statements_the_engine_takes(
    user, bodyweight
):
    """9,000 sets each of a group of its own (an import of a long, varied history): their
    summaries are written in statements of a size each engine accepts (PostgreSQL takes at
    most 65,535 values in one), and as a count from scratch says."""
    sessions = TrainingSession.objects.bulk_create(
        TrainingSession(
            user=user, date=DAY + datetime.timedelta(days=7 * week), variation=bodyweight
        )
        for week in range(30)
    )
    sets = Set.objects.bulk_create(
        Set(
            session=session,
            position=position,
            side="left",
            reps=1 + position % 100,
            load_kg=Decimal("2.5") * (position // 100),
            hold_seconds=week,
        )
        for week, session in enumerate(sessions)
        for position in range(300)
    )
    summaries.sets_changed([s.pk for s in sessions], added=summaries.marks_of_new(sets))
    assert AlikeSets.objects.filter(user=user).count() == 9000
    assert_kept(user)


def test_a_group_of_alike_sets_names_its_load_as_the_log_does(user, bodyweight):
    from training.models import AlikeSets

    group = AlikeSets(
        user=user, variation=bodyweight, side="left", reps=8, load_kg=Decimal("0E-10"), set_count=5
    )
    assert str(group) == "5 × left 8 reps, Body weight"
    group.load_kg = Decimal("12.5000000000")
    assert str(group) == "5 × left 8 reps, 12.5 kg"
