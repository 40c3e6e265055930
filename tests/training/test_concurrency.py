"""Several people writing at once: nobody gets a 500 and nothing is lost or doubled.

These run against a database file (tests/conftest.py points SQLite's test database at
one), with real threads, each with its own connection, as a threaded server would have.
"""

from __future__ import annotations

import datetime
import io
import threading
import time
import uuid
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from coaching.models import Variation
from imports.csv_io import HIPTHRUST_COLUMNS, import_csv
from tests.conftest import PASSWORD, import_file, make_log, set_data, timer_plan
from training import services, summaries
from training.models import (
    AlikeSets,
    ImportBatch,
    ProgressPoints,
    SessionTotals,
    Set,
    StaleProgressWeek,
    TrainingSession,
)

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 8
SETS_EACH = 5
PARALLEL = 5


def in_parallel(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls at the same moment, one thread each; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # reported below, after the threads join
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    return results


def signed_in(user) -> Client:
    """A browser of its own; a server error comes back as a 500, as a real one would."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict) -> Callable[[], int]:
    return lambda: client.post(url, data).status_code


@pytest.fixture
def trainees(guide_content):
    model = get_user_model()
    return [model.objects.create_user(f"t{n}", f"t{n}@example.com", PASSWORD) for n in range(5)]


def _session(user) -> TrainingSession:
    return TrainingSession.objects.create(
        user=user,
        date=datetime.date(2026, 11, 2),
        variation=Variation.objects.get(slug="single-leg-hip-thrust"),
    )


def test_concurrent_writers_adding_sets_to_one_session_lose_none(guide_content, user):
    session = _session(user)

    def writer(side: str) -> Callable[[], None]:
        def write() -> None:
            for _ in range(SETS_EACH):
                services.add_set(session, {"side": side, "reps": 10})

        return write

    in_parallel([writer("left" if i % 2 else "right") for i in range(WRITERS)])
    positions = sorted(Set.objects.filter(session=session).values_list("position", flat=True))
    assert positions == list(range(1, WRITERS * SETS_EACH + 1))


def test_five_identical_set_posts_at_once_save_one_set_and_no_500(guide_content, user):
    session = _session(user)
    url = reverse("training:set-create", args=[session.pk])
    data = set_data(reps="9")
    statuses = in_parallel([post(signed_in(user), url, data) for _ in range(PARALLEL)])
    assert statuses == [302] * PARALLEL
    assert list(Set.objects.values_list("session", "position", "reps")) == [(session.pk, 1, 9)]


def test_different_set_posts_from_two_trainees_at_once_are_all_saved(trainees):
    ada, grace = trainees[:2]
    sessions = {ada: _session(ada), grace: _session(grace)}
    calls = []
    for n in range(PARALLEL):
        who = ada if n % 2 else grace
        url = reverse("training:set-create", args=[sessions[who].pk])
        calls.append(post(signed_in(who), url, set_data(reps=str(n + 1))))
    statuses = in_parallel(calls)
    assert statuses == [302] * PARALLEL
    for who, reps in ((ada, [2, 4]), (grace, [1, 3, 5])):
        saved = Set.objects.filter(session=sessions[who]).order_by("position")
        assert sorted(saved.values_list("reps", flat=True)) == reps
        assert list(saved.values_list("position", flat=True)) == list(range(1, len(reps) + 1))


def test_five_identical_timer_logs_at_once_save_one_session_and_no_500(guide_content, user):
    url = reverse("training:log-from-timer")
    data = timer_plan()
    statuses = in_parallel([post(signed_in(user), url, data) for _ in range(PARALLEL)])
    assert statuses == [302] * PARALLEL
    assert TrainingSession.objects.filter(user=user).count() == 1
    assert Set.objects.count() == 4


def test_five_different_timer_logs_at_once_are_all_saved(trainees):
    url = reverse("training:log-from-timer")
    calls = [post(signed_in(who), url, timer_plan()) for who in trainees]
    statuses = in_parallel(calls)
    assert statuses == [302] * PARALLEL
    for who in trainees:
        assert Set.objects.filter(session__user=who).count() == 4


def test_five_timer_logs_of_one_trainee_at_once_fill_one_session_of_the_day(guide_content, user):
    url = reverse("training:log-from-timer")
    statuses = in_parallel([post(signed_in(user), url, timer_plan()) for _ in range(PARALLEL)])
    assert statuses == [302] * PARALLEL
    session = TrainingSession.objects.get(user=user)
    positions = list(session.sets.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, 4 * PARALLEL + 1))


def test_five_imports_at_once_answer_no_500_and_each_is_stored(trainees, user):
    bodyweight = Variation.objects.get(slug="single-leg-hip-thrust")
    make_log(user, bodyweight, sessions=30, sets_per_side=3)
    exported = signed_in(user).get(reverse("imports:export")).content

    def upload(who) -> Callable[[], int]:
        client = signed_in(who)

        def send() -> int:
            return import_file(client, exported).status_code

        return send

    statuses = in_parallel([upload(who) for who in trainees])
    assert statuses == [302] * PARALLEL
    for who in trainees:
        assert TrainingSession.objects.filter(user=who).count() == 30
        assert Set.objects.filter(session__user=who).count() == 30 * 6


def test_sets_posted_during_another_trainees_import_are_saved(trainees, user):
    bodyweight = Variation.objects.get(slug="single-leg-hip-thrust")
    make_log(user, bodyweight, sessions=200, sets_per_side=3)
    exported = signed_in(user).get(reverse("imports:export")).content
    importer, logger = trainees[:2]
    session = _session(logger)
    importing = signed_in(importer)

    def send_import() -> int:
        return import_file(importing, exported).status_code

    url = reverse("training:set-create", args=[session.pk])
    sets = [post(signed_in(logger), url, set_data(reps=str(n + 1))) for n in range(PARALLEL)]
    statuses = in_parallel([send_import, *sets])
    assert statuses == [302] * (PARALLEL + 1)
    assert Set.objects.filter(session=session).count() == PARALLEL
    assert Set.objects.filter(session__user=importer).count() == 200 * 6


def test_five_identical_new_session_posts_at_once_make_one_session(guide_content, user):
    data = {
        "date": "2026-11-20",
        "variation": Variation.objects.get(slug="single-leg-hip-thrust").pk,
        "submission_id": str(uuid.uuid4()),
    }
    clients = [signed_in(user) for _ in range(PARALLEL)]
    url = reverse("training:session-create")
    responses = in_parallel([lambda c=c: c.post(url, data) for c in clients])
    session = TrainingSession.objects.get(user=user)
    assert [r.status_code for r in responses] == [302] * PARALLEL
    assert {r["Location"] for r in responses} == {session.get_absolute_url()}


def test_a_backup_reading_its_snapshot_does_not_block_a_trainee_logging_a_set(guide_content, user):
    from django.db import connection

    from core.management.commands.backup import read_snapshot

    session = _session(user)
    url = reverse("training:set-create", args=[session.pk])
    reading, written = threading.Event(), threading.Event()
    answers: list[int] = []

    def backup() -> None:
        with read_snapshot():
            before = Set.objects.filter(session=session).count()
            reading.set()
            assert written.wait(timeout=60), "the set was not saved while the backup read"
            # The snapshot still shows the database as it was when the backup began.
            assert Set.objects.filter(session=session).count() == before
        if connection.vendor == "sqlite":
            assert connection.transaction_mode == "IMMEDIATE"

    def trainee() -> None:
        assert reading.wait(timeout=60)
        client = signed_in(user)
        answers.append(client.post(url, set_data(reps="9")).status_code)
        written.set()

    in_parallel([backup, trainee])
    assert answers == [302]
    assert Set.objects.filter(session=session, reps=9).count() == 1


def _points(user) -> list[tuple]:
    """The trainee's progress points as the progress page reads them: made current first."""
    summaries.make_points_current(user.pk)
    return _kept_points(user)


def _kept_points(user) -> list[tuple]:
    rows = ProgressPoints.objects.filter(user=user).order_by(
        "period", "side", "start", "session_pk"
    )
    return list(rows.values_list(*(f.attname for f in ProgressPoints._meta.concrete_fields[1:])))


def _until_a_writer_waits_for_a_lock() -> None:
    """PostgreSQL: until another connection to this database waits for a lock. SQLite lets
    one writer in at a time, and says nothing of who waits: a moment, for the other to try."""
    if connection.vendor != "postgresql":
        time.sleep(0.3)
        return
    deadline = time.monotonic() + 60
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second writer never waited for the first")


def _held_writer(session, fields: dict):
    """A writer adding a set that holds its transaction open once written, and what lets it
    commit as soon as another connection waits for a lock; with the event it sets once
    written."""
    written, may_commit = threading.Event(), threading.Event()

    def writer() -> None:
        with transaction.atomic():
            services.add_set(session, fields)
            written.set()
            assert may_commit.wait(timeout=60)

    def release_once_another_waits() -> None:
        assert written.wait(timeout=60)
        _until_a_writer_waits_for_a_lock()
        may_commit.set()

    return writer, release_once_another_waits, written


def test_it_keeps_the_points_a_rebuild_makes_when_two_sessions_of_a_week_are_written_at_once(
    guide_content, user
):
    """Two writers of one week: the second waits for the first's lock on the trainee's
    points, and the points made after both count both sets."""
    monday = _session(user)
    wednesday = TrainingSession.objects.create(
        user=user, date=monday.date + datetime.timedelta(days=2), variation=monday.variation
    )
    services.add_set(wednesday, {"side": "left", "reps": 8})
    first, release, first_written = _held_writer(monday, {"side": "left", "reps": 20})

    def second() -> None:
        assert first_written.wait(timeout=60)
        # Reps of its own, so it waits on no group of the first's, only on the week.
        services.add_set(wednesday, {"side": "right", "reps": 12})

    in_parallel([first, second, release])
    kept = _points(user)
    summaries.rebuild(get_user_model().objects.filter(pk=user.pk))
    assert kept == _points(user)
    week = ProgressPoints.objects.get(
        user=user, period=ProgressPoints.WEEK, side=ProgressPoints.ANY_SIDE, start=monday.date
    )
    assert week.sessions == 2


def test_the_progress_page_waits_for_a_writer_of_its_weeks_and_counts_its_set(guide_content, user):
    """A week is marked, and a writer adding a set to it has not committed: the progress
    page making the points meanwhile would take the mark and count the week without that
    set (the writer's own mark adds nothing to one already there). It waits instead."""
    monday = _session(user)
    services.add_set(monday, {"side": "left", "reps": 8})  # the week marked, not yet made
    writer, release, written = _held_writer(monday, {"side": "left", "reps": 20})

    def progress_page() -> None:
        assert written.wait(timeout=60)
        summaries.make_points_current(user.pk)

    in_parallel([writer, progress_page, release])
    assert not StaleProgressWeek.objects.filter(user=user).exists()
    made = _kept_points(user)
    summaries.rebuild(get_user_model().objects.filter(pk=user.pk))
    assert made == _kept_points(user)


def test_a_set_edited_while_its_sessions_sides_are_set_waits_and_neither_fails(
    guide_content, user, monkeypatch
):
    """Setting sides locks the session, then its sets; an edit locks its set, then keeps the
    session's summaries. In that order they would each hold what the other waits for; the
    edit locks the session first, so one waits for the other and the sides are refused as
    changed meanwhile."""
    session = _session(user)
    unknown = services.add_set(session, {"side": "unknown", "reps": 10})[0]
    editing = threading.local()
    set_locked, may_go_on = threading.Event(), threading.Event()
    sets_changed = summaries.sets_changed

    def held_then_changed(*args, **kwargs) -> None:
        if getattr(editing, "now", False):
            set_locked.set()
            assert may_go_on.wait(timeout=60)
        sets_changed(*args, **kwargs)

    monkeypatch.setattr(summaries, "sets_changed", held_then_changed)

    def edit() -> None:
        editing.now = True
        services.update_set(unknown, {"side": "left"}, [], revision=1)

    def set_sides() -> None:
        assert set_locked.wait(timeout=60)
        with pytest.raises(services.StaleSides):
            services.assign_sides(session, "right", expected=[unknown.pk])

    def orchestrate() -> None:
        assert set_locked.wait(timeout=60)
        _until_a_writer_waits_for_a_lock()
        may_go_on.set()

    in_parallel([edit, set_sides, orchestrate])
    unknown.refresh_from_db()
    assert (unknown.side, unknown.revision) == ("left", 2)


def _one_set_file(day: datetime.date) -> io.StringIO:
    row = f"1,{day.isoformat()},single-leg-hip-thrust,,1,left,10,0,0,,,,,no,\n"
    return io.StringIO(",".join(HIPTHRUST_COLUMNS) + "\n" + row)


def test_it_saves_both_an_import_letting_go_of_the_oldest_and_a_set_added_to_its_session(
    guide_content, user, monkeypatch
):
    """The import, in one transaction with its job's mark, unlinks the oldest import's
    session; a set added to that session meanwhile waits for it, or it for the set, never
    both for each other."""
    for day in range(1, ImportBatch.KEEP + 1):
        import_csv(user, _one_set_file(datetime.date(2024, 3, day)))
    oldest = TrainingSession.objects.get(user=user, date=datetime.date(2024, 3, 1))
    importing = threading.local()
    weeks_marked, may_commit = threading.Event(), threading.Event()
    mark_weeks = summaries._mark_weeks_stale

    def marked_then_held(*args, **kwargs) -> None:
        mark_weeks(*args, **kwargs)
        if getattr(importing, "now", False):
            weeks_marked.set()
            assert may_commit.wait(timeout=60)

    monkeypatch.setattr(summaries, "_mark_weeks_stale", marked_then_held)

    def import_job() -> None:
        importing.now = True
        with transaction.atomic():  # as the import job saves: the rows and its mark at once
            import_csv(user, _one_set_file(datetime.date(2024, 5, 6)))

    def add_to_the_oldest() -> None:
        assert weeks_marked.wait(timeout=60)
        services.add_set(oldest, {"side": "right", "reps": 12})

    def orchestrate() -> None:
        assert weeks_marked.wait(timeout=60)
        _until_a_writer_waits_for_a_lock()
        may_commit.set()

    in_parallel([import_job, add_to_the_oldest, orchestrate])
    assert ImportBatch.objects.filter(owner=user).count() == ImportBatch.KEEP
    oldest.refresh_from_db()
    assert oldest.import_batch is None
    assert oldest.sets.count() == 2


@pytest.mark.parametrize("first", ["import", "set"])
def test_a_trainees_own_import_and_a_set_in_its_weeks_wait_for_each_other_in_turn(
    guide_content, user, other_user, monkeypatch, first
):
    """The import and the set write the same summaries (a week's mark under the points lock,
    a records' group, the totals): whichever writes first, the other waits for it, never both
    for each other, and what is kept is what a rebuild makes."""
    bodyweight = Variation.objects.get(slug="single-leg-hip-thrust")
    make_log(other_user, bodyweight, sessions=20, sets_per_side=3)
    exported = signed_in(other_user).get(reverse("imports:export")).content.decode()
    # In the imported weeks, and a set of one of the imported sets' groups.
    session = TrainingSession.objects.create(
        user=user, date=datetime.date(2024, 1, 10), variation=bodyweight
    )
    fields = {"side": "left", "reps": 9, "hold_seconds": 1}
    importing = threading.local()
    import_written, may_commit = threading.Event(), threading.Event()
    mark_weeks = summaries._mark_weeks_stale

    def marked_then_held(*args, **kwargs) -> None:
        mark_weeks(*args, **kwargs)
        if getattr(importing, "now", False) and first == "import":
            import_written.set()
            assert may_commit.wait(timeout=60)

    monkeypatch.setattr(summaries, "_mark_weeks_stale", marked_then_held)
    set_writer, release_set, set_written = _held_writer(session, fields)

    def import_job() -> None:
        importing.now = True
        if first == "set":
            assert set_written.wait(timeout=60)
        with transaction.atomic():
            import_csv(user, io.StringIO(exported))

    def add_a_set() -> None:
        if first == "import":
            assert import_written.wait(timeout=60)
            services.add_set(session, fields)
        else:
            set_writer()

    def orchestrate() -> None:
        if first == "import":
            assert import_written.wait(timeout=60)
            _until_a_writer_waits_for_a_lock()
            may_commit.set()
        else:
            release_set()

    in_parallel([import_job, add_a_set, orchestrate])
    assert Set.objects.filter(session=session).count() == 1
    assert Set.objects.filter(session__user=user).count() == 20 * 6 + 1
    kept = _points(user), _kept_summaries(user)
    summaries.rebuild(get_user_model().objects.filter(pk=user.pk))
    assert kept == (_points(user), _kept_summaries(user))


def _kept_summaries(user) -> tuple[list, list]:
    """Each session's kept totals and the records' groups of the trainee."""
    totals = SessionTotals.objects.filter(session__user=user).order_by("session")
    group = ("variation", "side", "reps", "load_kg", "hold_seconds")
    groups = AlikeSets.objects.filter(user=user).order_by(*group)
    return list(totals.values()), list(groups.values_list(*group, "set_count", "first_day"))


def test_a_set_written_while_the_trainees_points_are_made_waits_holding_its_rows_not_before(
    guide_content, user
):
    """The summaries of a set go in as one statement on PostgreSQL, its parts in order: the
    writer waiting for the points lock (the last part) already holds the session's totals
    and the records' group, so no writer waits for the points while holding nothing that a
    writer after it needs first; and once the maker commits, everything is saved."""
    session = _session(user)
    services.add_set(session, {"side": "left", "reps": 10})
    making, may_commit = threading.Event(), threading.Event()
    held_while_waiting: list[str] = []

    def maker() -> None:
        with transaction.atomic():  # as the progress page makes the points: the lock held
            summaries.make_points_current(user.pk)
            making.set()
            assert may_commit.wait(timeout=60)

    def writer() -> None:
        assert making.wait(timeout=60)
        services.add_set(session, {"side": "left", "reps": 10})

    def orchestrate() -> None:
        assert making.wait(timeout=60)
        _until_a_writer_waits_for_a_lock()
        if connection.vendor == "postgresql":
            for model, where in ((SessionTotals, {"session": session}), (AlikeSets, {})):
                try:
                    with transaction.atomic():
                        list(model.objects.filter(**where).select_for_update(nowait=True))
                except OperationalError:
                    held_while_waiting.append(model.__name__)
        may_commit.set()

    in_parallel([maker, writer, orchestrate])
    if connection.vendor == "postgresql":
        assert held_while_waiting == ["SessionTotals", "AlikeSets"]
    assert AlikeSets.objects.get(user=user).set_count == 2
    assert SessionTotals.objects.get(session=session).left_sets == 2
    assert StaleProgressWeek.objects.filter(user=user).count() == 1
