"""The level, its suggestions, records, balance and the progress pages."""

from __future__ import annotations

import datetime
import io
import re
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from coaches import services as coaching_services
from coaching.models import Variation
from hipthrust.management.commands.seed_demo import describe_database
from tests.conftest import days_ago, import_file, logged_session, make_log, set_data
from training import services
from training.models import LevelChange, OwnedWeight, Profile, Set, TrainingSession
from training.records import _level_markers, balance_note

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.django_db


def _meeting_target(user, variation, day):
    sets = [(side, 12, "0", 0, "3-0-1-1") for _ in range(3) for side in ("left", "right")]
    return logged_session(user, variation, day, sets)


def test_an_advance_is_suggested_never_applied_and_accepted_on_request(
    user_client, user, bodyweight, loaded
):
    Profile.objects.filter(user=user).update(level=bodyweight)
    _meeting_target(user, bodyweight, days_ago(6))
    _meeting_target(user, bodyweight, days_ago(3))

    page = user_client.get(reverse("training:log"))
    advice = page.context["advice"]
    assert advice.suggestion.kind == "advance"
    assert advice.target == loaded
    assert Profile.objects.get(user=user).level == bodyweight  # nothing changed silently

    response = user_client.post(
        reverse("training:level-accept"), {"fingerprint": advice.fingerprint}
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=user).level == loaded
    change = LevelChange.objects.get(user=user)
    assert (change.from_variation, change.to_variation, change.source) == (
        bodyweight,
        loaded,
        "suggestion",
    )
    assert change.changed_by == user
    assert str(days_ago(3).year) in change.reason


def test_a_stale_suggestion_cannot_be_accepted(user_client, user, bodyweight):
    Profile.objects.filter(user=user).update(level=bodyweight)
    _meeting_target(user, bodyweight, datetime.date(2026, 11, 2))
    _meeting_target(user, bodyweight, datetime.date(2026, 11, 5))
    user_client.post(reverse("training:level-accept"), {"fingerprint": "made-up"})
    assert Profile.objects.get(user=user).level == bodyweight
    assert not LevelChange.objects.exists()


def test_a_dismissed_suggestion_stays_away_until_the_next_session(user_client, user, bodyweight):
    Profile.objects.filter(user=user).update(level=bodyweight)
    _meeting_target(user, bodyweight, days_ago(6))
    _meeting_target(user, bodyweight, days_ago(3))
    advice = user_client.get(reverse("training:log")).context["advice"]
    user_client.post(reverse("training:level-dismiss"), {"fingerprint": advice.fingerprint})
    assert user_client.get(reverse("training:log")).context["advice"] is None
    _meeting_target(user, bodyweight, days_ago(0))
    assert user_client.get(reverse("training:log")).context["advice"].suggestion.kind == "advance"


def test_pain_suggests_a_step_back(user_client, user, bodyweight):
    Profile.objects.filter(user=user).update(level=bodyweight)
    session = _meeting_target(user, bodyweight, datetime.date(2026, 11, 2))
    Set.objects.filter(session=session, position=3).update(pain=True)
    advice = user_client.get(reverse("training:log")).context["advice"]
    assert advice.suggestion.kind == "step_back"
    assert advice.target.slug == "two-up-one-down-hip-thrust"


def _on_target(user, variation, day, load="0"):
    """Every prescribed set on both sides at the top of the range, tempo and hold: clean."""
    notation = variation.tempo.tempo.notation
    sets = [
        (side, variation.advance_reps_per_side, load, variation.advance_hold_seconds, notation)
        for _ in range(variation.advance_sets)
        for side in ("left", "right")
    ]
    return logged_session(user, variation, day, sets)


def test_targets_met_at_rpe_10_do_not_move_the_trainee_up_on_today_or_in_the_queue(
    client, user, coach, bodyweight
):
    Profile.objects.filter(user=user).update(level=bodyweight)
    _on_target(user, bodyweight, days_ago(6))
    newest = _on_target(user, bodyweight, days_ago(3))
    client.force_login(user)
    assert client.get(reverse("training:log")).context["advice"].suggestion.kind == "advance"

    Set.objects.filter(session=newest).update(rpe=10)

    suggestion = client.get(reverse("training:log")).context["advice"].suggestion
    assert suggestion.kind == "stay"
    assert "at maximal effort: meet the target with a rep or more to spare first" in suggestion.why
    coaching_services.accept_invitation(coaching_services.create_invitation(coach), user)
    client.force_login(coach)
    [row] = client.get(reverse("coaches:dashboard")).context["rows"]
    assert "promotion" not in [flag.kind for flag, _ in row["flags"]]


def test_after_a_step_back_for_pain_no_load_is_added_until_two_pain_free_sessions(
    user_client, user, loaded
):
    held = Variation.objects.get(slug="isometric-hold-single-leg-hip-thrust")
    Profile.objects.filter(user=user).update(level=held)
    _on_target(user, loaded, datetime.date(2026, 11, 2), load="10")  # older, at the lower rung
    hurt = _on_target(user, held, datetime.date(2026, 11, 5), load="10")
    Set.objects.filter(session=hurt, position=1).update(pain=True)
    advice = user_client.get(reverse("training:log")).context["advice"]
    assert (advice.suggestion.kind, advice.target) == ("step_back", loaded)
    assert "stop any set that hurts" in advice.suggestion.why
    user_client.post(reverse("training:level-accept"), {"fingerprint": advice.fingerprint})
    assert Profile.objects.get(user=user).level == loaded

    # Neither the session from before the change nor one logged later but dated before it.
    _on_target(user, loaded, timezone.localdate() - datetime.timedelta(days=1), load="10")
    page = user_client.get(reverse("training:log"))
    advice = page.context["advice"]
    assert (advice.suggestion.kind, advice.suggestion.next_load_kg) == ("stay", None)
    assert advice.suggestion.why == (
        "Pain on 5 Nov 2026, and 0 of 2 pain-free sessions at this level since: "
        "no added load or longer hold yet."
    )
    assert advice.suggestion.why in page.content.decode()

    _on_target(user, loaded, timezone.localdate(), load="10")
    suggestion = user_client.get(reverse("training:log")).context["advice"].suggestion
    assert (suggestion.kind, suggestion.next_load_kg) == ("stay", Decimal("10"))
    assert "1 of 2 pain-free sessions" in suggestion.why


def test_only_rungs_that_hold_a_weight_take_external_load(db):
    assert dict(Variation.objects.values_list("slug", "takes_external_load")) == {
        "floor-glute-bridge": False,
        "two-up-one-down-hip-thrust": False,
        "single-leg-hip-thrust": False,
        "loaded-single-leg-hip-thrust": True,
        "isometric-hold-single-leg-hip-thrust": True,  # the dumbbell is optional there
        "banded-single-leg-hip-thrust": False,  # a band is not a load
        "foot-elevated-single-leg-hip-thrust": False,  # nor is the step under the foot
    }


def test_the_banded_rung_on_target_suggests_no_load(user_client, user):
    banded = Variation.objects.get(slug="banded-single-leg-hip-thrust")
    Profile.objects.filter(user=user).update(level=banded)
    _on_target(user, banded, datetime.date(2026, 11, 5))
    suggestion = user_client.get(reverse("training:log")).context["advice"].suggestion
    assert (suggestion.kind, suggestion.next_load_kg) == ("stay", None)
    assert "kg" not in suggestion.why


def test_pain_in_two_of_the_last_three_sessions_stops_the_exercise(user_client, user, bodyweight):
    Profile.objects.filter(user=user).update(level=bodyweight)
    for day in (2, 5, 8):
        session = _on_target(user, bodyweight, datetime.date(2026, 11, day))
        Set.objects.filter(session=session, position=2).update(pain=day != 5)
    page = user_client.get(reverse("training:log"))
    advice = page.context["advice"]
    assert (advice.suggestion.kind, advice.target) == ("stop", None)
    html = page.content.decode()
    assert "Stop this exercise for now" in html
    assert "see a physiotherapist or doctor" in html
    assert 'action="/log/level/accept/"' not in html


def test_the_level_history_lists_every_change(user_client, user, bodyweight, loaded):
    from training import services

    services.change_level(user, bodyweight, reason="Start", source="start", changed_by=user)
    services.change_level(
        user, loaded, reason="Met the target", source="suggestion", changed_by=user
    )
    html = user_client.get(reverse("training:level-history")).content.decode()
    assert "Single leg hip thrust → Dumbbell or kettlebell single leg hip thrust" in html
    assert "Met the target" in html
    assert (
        services.change_level(user, loaded, reason="again", source="manual", changed_by=user)
        is None
    )


def test_records_per_side_are_computed_in_the_database(user_client, user, loaded):
    logged_session(
        user,
        loaded,
        datetime.date(2026, 11, 1),
        [
            ("left", 10, "10", 0, ""),
            ("left", 6, "15", 0, ""),
            ("left", 8, "15", 3, ""),
            ("right", 12, "12.5", 0, ""),
            ("right", 5, "17.5", 7, ""),
        ],
    )
    records = user_client.get(reverse("training:records")).context["records"]
    (group,) = records
    left, right = group["sides"]
    assert (left["heaviest"], left["heaviest_reps"], left["most_reps"], left["longest_hold"]) == (
        Decimal("15"),
        8,
        10,
        3,
    )
    assert (right["heaviest"], right["heaviest_reps"], right["most_reps"]) == (
        Decimal("17.5"),
        5,
        12,
    )
    # Epley: 15 × (1 + 8/30) = 19; 12.5 × 1.4 = 17.5 and 17.5 × (1 + 5/30) = 20.4166...
    assert left["best_e1rm"].quantize(Decimal("0.01")) == Decimal("19.00")
    assert right["best_e1rm"].quantize(Decimal("0.01")) == Decimal("20.42")
    assert left["rep_maxes"] == {6: Decimal("15"), 8: Decimal("15"), 10: Decimal("10")}


@pytest.mark.parametrize(
    ("left", "right", "lags"),
    [("100", "100", False), ("91", "100", False), ("89", "100", True), ("100", "80", True)],
)
def test_a_side_lagging_over_ten_percent_gets_a_plain_note(left, right, lags):
    class Row:
        left_sets = right_sets = 3

    row = Row()
    row.left_work, row.right_work = Decimal(left), Decimal(right)
    note = balance_note([row])
    assert (note is not None) == lags
    if lags:
        weaker = "left" if Decimal(left) < Decimal(right) else "right"
        assert note.startswith(f"Your {weaker} side did")


def test_the_log_shows_the_balance_note_when_the_left_lags(user_client, user, bodyweight):
    logged_session(
        user,
        bodyweight,
        datetime.date(2026, 11, 1),
        [
            ("left", 8, "0", 0, ""),
            ("right", 12, "0", 0, ""),
        ],
    )
    html = user_client.get(reverse("training:log")).content.decode()
    assert "Your left side did 33.3% less work than your right" in html


def test_today_and_progress_judge_the_balance_over_the_same_sessions(user_client, user, bodyweight):
    # The five newest sessions: the left a little behind; the sixth: the right far behind.
    for day in range(2, 7):
        logged_session(
            user, bodyweight, datetime.date(2026, 11, day), [("left", 10), ("right", 12)]
        )
    logged_session(user, bodyweight, datetime.date(2026, 11, 1), [("left", 100), ("right", 10)])
    today = user_client.get(reverse("training:log")).context["balance"]
    progress = user_client.get(reverse("training:progress")).context["balance_note"]
    assert today == progress
    assert today.startswith("Your left side did 16.7% less work than your right over your last 5")


def test_the_progress_page_draws_accessible_charts(user_client, user, bodyweight):
    make_log(user, bodyweight, sessions=5)
    html = user_client.get(reverse("training:progress")).content.decode()
    assert html.count('role="img"') >= 4
    assert 'aria-labelledby="chart-load-title chart-load-desc"' in html
    assert "chart-line--left" in html
    assert "chart-line--right" in html


def _table_under(html: str, section: str) -> str:
    """The text of the table folded under the chart of `section` ("load-title"), spaces
    made one."""
    part = html[html.index(f'aria-labelledby="{section}"') :]
    part = part[: part.index("</section>")]
    table = part[part.index("<details") : part.index("</details>")]
    return " ".join(re.sub(r"<[^>]+>", " ", table).split())


def test_it_gives_the_load_and_hold_charts_their_numbers_as_tables(user_client, user, loaded):
    """As the balance chart has its table, for a screen reader's user and anyone who needs
    the values: a row per session, newest first, each side's value in the log's unit."""
    logged_session(
        user, loaded, datetime.date(2026, 11, 2), [("left", 10, "20", 3), ("right", 10, "22.5", 0)]
    )
    logged_session(user, loaded, datetime.date(2026, 11, 5), [("left", 8, "25", 5)])
    html = user_client.get(reverse("training:progress")).content.decode()
    assert _table_under(html, "load-title") == (
        "Heaviest load per session, as a table (2 rows) Date Left Right"
        " 5 Nov 2026 25 kg — 2 Nov 2026 20 kg 22.5 kg"
    )
    # Seconds held in the session, as the chart draws them (each rep's hold, all reps).
    assert _table_under(html, "hold-title") == (
        "Hold time per session, as a table (2 rows) Date Left Right"
        " 5 Nov 2026 40 s — 2 Nov 2026 30 s 0 s"
    )
    assert _table_under(html, "volume-title") == (
        "Work per session, as a table (2 rows) Date Left Right 5 Nov 2026 200 — 2 Nov 2026 200 225"
    )
    assert html.count('<div class="table-wrap" data-scroll-area tabindex="0" role="region"') == 4


def test_history_is_paginated(user_client, user, bodyweight):
    make_log(user, bodyweight, sessions=45, sets_per_side=1)
    first = user_client.get(reverse("training:history"))
    assert len(first.context["page"].object_list) == 20
    last = user_client.get(reverse("training:history") + "?page=3")
    assert len(last.context["page"].object_list) == 5
    assert user_client.get(reverse("training:history") + "?page=99").status_code == 200


# Each log page's queries, the session, user and navigation's coach lookups included: the same
# at 6 sets as at 5,000. Each is asked right after the log was written: the progress page then
# first makes the points of the weeks written (training.summaries.make_points_current: in
# its transaction, the lock on PostgreSQL, the marks taken, the old rows deleted, the weeks'
# and the months' made), which the writes made themselves before.
MAKING_POINTS = 6 + (connection.vendor == "postgresql")
LOG_PAGES = {
    "training:log": 16,
    "training:history": 7,
    "training:records": 6,
    "training:progress": 6 + MAKING_POINTS,
}


@pytest.mark.parametrize(("name", "most"), LOG_PAGES.items())
def test_log_pages_run_the_same_queries_for_5000_sets_as_for_a_few(
    client, user, other_user, bodyweight, name, most, django_assert_max_num_queries
):
    Profile.objects.filter(user__in=[user, other_user]).update(level=bodyweight)
    make_log(user, bodyweight, sessions=6, sets_per_side=1)
    make_log(other_user, bodyweight, sessions=834, sets_per_side=3)  # 5,004 sets
    assert Set.objects.filter(session__user=other_user).count() >= 5000

    client.force_login(user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(name)).status_code == 200
    client.force_login(other_user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name)).status_code == 200
    assert len(small.captured_queries) <= most, "\n".join(
        q["sql"][:90] for q in small.captured_queries
    )


def test_the_session_page_query_count_does_not_grow_with_its_sets(
    client, user, bodyweight, django_assert_max_num_queries
):
    _, small, big = make_log(user, bodyweight, sessions=3, sets_per_side=1)
    Set.objects.bulk_create(
        Set(session=big, position=p, side="left" if p % 2 else "right", reps=8)
        for p in range(3, 80)
    )
    client.force_login(user)
    with CaptureQueriesContext(connection) as counted:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(counted.captured_queries)):
        client.get(big.get_absolute_url())


def test_adding_a_set_runs_the_same_queries_whatever_the_history(
    client, user, other_user, bodyweight, django_assert_max_num_queries
):
    """The htmx POST and the fragment it answers: a trainee with a long log pays no more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    *_, short = make_log(user, bodyweight, sessions=2, sets_per_side=1)
    *_, long = make_log(other_user, bodyweight, sessions=400, sets_per_side=3)
    client.force_login(user)
    url = reverse("training:set-create", args=[short.pk])
    with CaptureQueriesContext(connection) as small:
        response = client.post(url, set_data(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    # 6 of them keep the log's summaries (training/summaries.py) that Today, history,
    # records and progress read instead of the whole log.
    assert len(small.captured_queries) <= 23
    client.force_login(other_user)
    url = reverse("training:set-create", args=[long.pk])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.post(url, set_data(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert Set.objects.filter(session=long).count() == 7


def test_the_export_is_a_csv_attachment_of_the_users_own_log(
    user_client, user, other_user, bodyweight
):
    make_log(user, bodyweight, sessions=2, sets_per_side=1)
    make_log(other_user, bodyweight, sessions=3, sets_per_side=1)
    response = user_client.get(reverse("imports:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="hipthrust-log-')
    assert len(response.content.decode().strip().splitlines()) == 1 + 4


def test_importing_a_file_adds_it_and_a_bad_file_adds_nothing(
    user_client, user, other_user, bodyweight
):
    make_log(other_user, bodyweight, sessions=2, sets_per_side=1)
    exported = io.StringIO()
    from imports import csv_io

    csv_io.export_csv(other_user, exported)
    response = import_file(user_client, exported.getvalue().encode())
    assert response.status_code == 302
    assert Set.objects.filter(session__user=user).count() == 4

    lines = exported.getvalue().splitlines()
    # 0 reps would be a hold-only set here (this set has a hold); 101 is over the limit.
    lines[2] = lines[2].replace(",10,", ",101,", 1) if ",10," in lines[2] else lines[2] + ",broken"
    bad = io.BytesIO("\n".join(lines).encode())
    bad.name = "bad.csv"
    before = Set.objects.filter(session__user=user).count()
    response = user_client.post(reverse("imports:import"), {"file": bad})
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["file"])
    assert "Line 3" in message
    assert "Nothing was imported" in message
    assert Set.objects.filter(session__user=user).count() == before


def test_the_demo_trainee_has_months_of_history(db, capsys):
    call_command("seed_demo", force=True)
    out = capsys.readouterr().out
    assert "log in as demo / hipthrust-demo-2026" in out
    assert "log in as coach / hipthrust-coach-2026" in out
    sessions = TrainingSession.objects.filter(user__username="demo")
    assert sessions.count() >= 20
    assert (sessions.last().date - sessions.first().date).days <= -60 or (
        sessions.first().date - sessions.last().date
    ).days >= 60
    assert LevelChange.objects.filter(user__username="demo").count() == 2


def test_the_readme_names_the_demo_trainees_and_the_demo_coachs_login():
    from hipthrust.management.commands import seed_demo

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"`{seed_demo.DEMO_USERNAME}` / `{seed_demo.DEMO_PASSWORD}`" in readme
    assert f"`{seed_demo.COACH_USERNAME}` / `{seed_demo.COACH_PASSWORD}`" in readme


def test_the_demo_trainee_is_refused_outside_the_local_sqlite_default(db):
    with pytest.raises(CommandError, match="only created on the local SQLite"):
        call_command("seed_demo")


def test_the_run_command_skips_the_demo_quietly_off_the_local_default(db, capsys):
    call_command("seed_demo", if_local=True)
    out = capsys.readouterr().out
    assert "no demo trainee" in out
    assert not TrainingSession.objects.exists()
    # It names the database it serves and how to get the demo (the test database is not
    # the local default on either engine).
    assert f"Serving {describe_database(settings.DATABASES['default'])}." in out
    assert "env -u DATABASE_URL make run" in out


def test_the_demo_names_the_database_it_was_made_in(db, capsys):
    call_command("seed_demo", force=True)
    assert f"Serving {describe_database(settings.DATABASES['default'])}." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("database", "words"),
    [
        (
            {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/app/db.sqlite3"},
            "the SQLite database /srv/app/db.sqlite3",
        ),
        (
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "hipthrust",
                "HOST": "127.0.0.1",
                "PORT": 5432,
            },
            'the PostgreSQL database "hipthrust" on 127.0.0.1:5432',
        ),
        (
            {"ENGINE": "django.db.backends.postgresql", "NAME": "hipthrust", "HOST": ""},
            'the PostgreSQL database "hipthrust"',
        ),
    ],
)
def test_make_run_says_which_database_it_serves(database, words):
    assert describe_database(database) == words


def test_each_record_says_the_day_it_was_first_set(user_client, user, loaded):
    first, second, third = (datetime.date(2026, 11, day) for day in (1, 4, 8))
    logged_session(user, loaded, first, [("left", 12, "10", 0, ""), ("right", 8, "10", 5, "")])
    logged_session(user, loaded, second, [("left", 6, "15", 3, ""), ("right", 8, "10", 5, "")])
    # The same heaviest load again, with fewer reps: the record stays the one of the 4th.
    logged_session(user, loaded, third, [("left", 5, "15", 3, "")])
    (group,) = user_client.get(reverse("training:records")).context["records"]
    left, right = group["sides"]
    assert (left["heaviest_on"], left["most_reps_on"], left["longest_hold_on"]) == (
        second,
        first,
        second,
    )
    # Epley: 10 × (1 + 12/30) = 14 on the 1st; 15 × (1 + 6/30) = 18 on the 4th.
    assert left["best_e1rm_on"] == second
    # A tie is the day it was first reached.
    assert (right["heaviest_on"], right["most_reps_on"], right["longest_hold_on"]) == (
        first,
        first,
        first,
    )
    html = user_client.get(reverse("training:records")).content.decode()
    assert '<time class="records__date" datetime="2026-11-04">4 Nov 2026</time>' in html


def test_the_balance_chart_says_which_side_is_behind(user_client, user, bodyweight):
    for day, left, right in [(1, 8, 10), (4, 9, 10), (8, 10, 8), (11, 10, 10)]:
        logged_session(
            user,
            bodyweight,
            datetime.date(2026, 11, day),
            [("left", left, "0", 0, ""), ("right", right, "0", 0, "")],
        )
    response = user_client.get(reverse("training:progress"))
    caption = (
        "Of the last 4 sessions with both sides, the left side was behind in 2, "
        "the right in 1 and 1 was even."
    )
    assert response.context["balance_behind"] == caption
    html = response.content.decode()
    assert f'<p class="chart-caption">The line is whichever side was behind.\n    {caption}' in html
    assert f'<title id="chart-balance-title">Balance between sides. {caption}</title>' in html


def test_the_balance_chart_says_its_values_are_percents_at_the_end_a_phone_opens_on(
    user_client, user, bodyweight
):
    """A phone opens the chart at its newest end, where only the values stand again: the
    axis's name, at the start, is off screen there."""
    for day, left, right in [(1, 8, 10), (4, 9, 10)]:
        logged_session(
            user,
            bodyweight,
            datetime.date(2026, 11, day),
            [("left", left, "0", 0, ""), ("right", right, "0", 0, "")],
        )
    chart = user_client.get(reverse("training:progress")).context["balance_chart"]
    end = re.search(r'<g class="chart-axis chart-axis--y-end"[^>]*>(.*?)</g>', chart).group(1)
    values = re.findall(r">([^<]+)</text>", end)
    assert values[0] == "0%"
    assert all(value.endswith("%") for value in values), values


def test_a_side_that_only_held_is_not_behind_and_holds_no_reps_record(
    user_client, user, bodyweight
):
    """A right side held for 30 s did no reps to compare with the left's 12: no balance
    point of 100% behind, and no "most reps: 0" record."""
    logged_session(
        user,
        bodyweight,
        datetime.date(2026, 10, 12),
        [("left", 12, "0", 0, ""), ("right", 0, "0", 30, "")],
    )
    progress_page = user_client.get(reverse("training:progress"))
    assert progress_page.context["balance_rows"] == []
    assert progress_page.context["balance_behind"] == ""
    # Not "no sessions logged yet": one was, whose sides there is nothing to compare in.
    assert "No session with reps on both sides yet" in progress_page.context["balance_chart"]
    records = user_client.get(reverse("training:records"))
    [group] = records.context["records"]
    right = next(side for side in group["sides"] if side["side"] == "right")
    assert (right["most_reps"], right["longest_hold"]) == (None, 30)
    row = re.search(r"Most reps in a set</th>(.*?)</tr>", records.content.decode(), re.S)
    assert [" ".join(cell.split())[:2] for cell in re.findall(r"<td>(.*?)</td>", row[1], re.S)] == [
        "12",
        "—",
    ]


def test_it_reads_a_loaded_hold_alone_as_its_hold_on_the_records_page_never_as_zero_reps(
    user_client, user, loaded
):
    """A 20 kg top-position hold of 30 s (no reps) is the left side's heaviest load: it
    reads as that hold beside its load, and lists no load for "0 reps"."""
    day = datetime.date(2026, 11, 1)
    logged_session(user, loaded, day, [("left", 0, "20", 30, ""), ("right", 8, "10", 0, "")])
    page = user_client.get(reverse("training:records"))
    html = page.content.decode()
    row = re.search(r"Heaviest load</th>(.*?)</tr>", html, re.S)
    cells = [" ".join(cell.split()) for cell in re.findall(r"<td>(.*?)</td>", row[1], re.S)]
    assert [cell.split(" <time")[0] for cell in cells] == ["20 kg × 30 s hold", "10 kg × 8"]
    assert '<time class="records__date" datetime="2026-11-01">' in cells[0]
    assert "0 reps" not in html
    [group] = page.context["records"]
    left, right = group["sides"]
    assert (left["rep_maxes"], right["rep_maxes"]) == ({}, {8: Decimal("10")})


def test_a_loaded_hold_alone_estimates_no_one_rep_max(user_client, user, loaded):
    """Epley's formula of 0 reps is the load itself: a 40 kg hold would read as a 40 kg
    single, which no rep showed. Only sets of 1 to 12 reps estimate one."""
    day = datetime.date(2026, 11, 1)
    sets = [("left", 0, "40", 30, ""), ("left", 10, "15", 0, ""), ("right", 0, "40", 30, "")]
    logged_session(user, loaded, day, sets)
    [group] = user_client.get(reverse("training:records")).context["records"]
    left, right = group["sides"]
    assert (left["best_e1rm"], right["best_e1rm"]) == (Decimal(20), None)


def test_the_work_chart_says_body_weight_sets_count_reps_alone(user_client, user, bodyweight):
    make_log(user, bodyweight, sessions=2)
    html = user_client.get(reverse("training:progress")).content.decode()
    assert "Work is reps × kg for loaded sets and reps alone for body-weight sets" in html
    assert "Reps × kg (or reps)" in html


def test_every_list_of_l_and_r_work_says_what_l_and_r_are(client, user, coach, bodyweight):
    from coaches import services as coach_services

    coach_services.accept_invitation(coach_services.create_invitation(coach), user)
    make_log(user, bodyweight, sessions=2)
    legend = "<strong>L / R</strong> is the work of the left / right side: reps × kg"
    pages = [
        (user, reverse("training:log")),
        (user, reverse("training:history")),
        (coach, reverse("coaches:athlete", args=[user.pk])),
    ]
    for who, url in pages:
        client.force_login(who)
        html = client.get(url).content.decode()
        assert re.search(r"L [\d,]+ / R\s+[\d,]+", html), url
        assert legend in html, url


def test_a_change_of_level_is_marked_on_the_local_day_it_was_made(user, bodyweight, loaded):
    """Half past midnight in Berlin is still the day before in UTC: the chart's marker
    stands on the day of the trainee who made it, as the advice counts it, whatever zone
    the chart is viewed from."""
    with timezone.override("Europe/Berlin"):
        change = LevelChange.objects.create(
            user=user, from_variation=bodyweight, to_variation=loaded, reason="x", source="manual"
        )
    assert change.day == timezone.localdate(change.changed_at, timezone=BERLIN)
    LevelChange.objects.filter(pk=change.pk).update(
        changed_at=datetime.datetime(2026, 11, 2, 23, 30, tzinfo=datetime.UTC),
        day=datetime.date(2026, 11, 3),
    )
    with timezone.override("Pacific/Pago_Pago"):
        (marker,) = _level_markers(user)
    assert marker.day == datetime.date(2026, 11, 3)
    assert marker.label == f"Level {loaded.level}"


def test_it_marks_only_real_moves_between_rungs_on_the_progress_charts_never_the_start(
    user_client, user, bodyweight, loaded
):
    """The level picked first in the profile changed nothing: no dashed "Level 3" line on
    the charts; the later move up to the loaded rung is the one change marked."""
    response = user_client.post(reverse("training:profile"), {"unit": "kg", "level": bodyweight.pk})
    assert response.status_code == 302
    assert LevelChange.objects.get(user=user).source == "start"
    logged_session(user, bodyweight, days_ago(6), [("left", 12), ("right", 12)])
    services.change_level(user, loaded, reason="Target met", source="manual", changed_by=user)
    LevelChange.objects.filter(user=user, from_variation=bodyweight).update(day=days_ago(3))
    logged_session(user, loaded, days_ago(2), [("left", 8, "10"), ("right", 8, "10")])
    page = user_client.get(reverse("training:progress"))
    for chart in ("load_chart", "volume_chart", "hold_chart", "balance_chart"):
        labels = re.findall(r'class="chart-marker-label"[^>]*>([^<]*)<', page.context[chart])
        assert labels == [f"Level {loaded.level}"], chart


@pytest.mark.parametrize("viewer_zone", ["Pacific/Pago_Pago", "UTC", "Pacific/Kiritimati"])
def test_the_advice_counts_a_session_at_the_new_level_wherever_it_is_read(
    user_client, user, bodyweight, loaded, viewer_zone
):
    # Moved up at 23:50 on 6 Dec in Pago Pago (10:50 on 7 Dec in UTC, 00:50 on 8 Dec in
    # Kiritimati), then a session dated 6 Dec logged: read from UTC the change fell on
    # 7 Dec and the session "before" it, so the same log gave other advice in each zone.
    # Moved to yesterday, as a session more than four weeks old reads as a break.
    shift = days_ago(1) - datetime.date(2026, 12, 7)
    Profile.objects.filter(user=user).update(level=loaded)
    made = datetime.datetime(2026, 12, 7, 10, 50, tzinfo=datetime.UTC) + shift
    day = datetime.date(2026, 12, 6) + shift
    change = LevelChange.objects.create(
        user=user, from_variation=bodyweight, to_variation=loaded, reason="x", source="suggestion"
    )
    LevelChange.objects.filter(pk=change.pk).update(changed_at=made, day=day)
    logged_session(user, loaded, day, [("left", 12), ("right", 12)])
    TrainingSession.objects.filter(user=user).update(
        created_at=made + datetime.timedelta(minutes=5)
    )

    user_client.cookies["tz"] = viewer_zone
    page = " ".join(user_client.get(reverse("training:log")).content.decode().split())
    history = " ".join(user_client.get(reverse("training:level-history")).content.decode().split())

    assert f'<time datetime="{day}">{dateformat.format(day, "j M Y")}</time>' in history
    assert "No session logged at this level" not in page
    assert "Target met" not in page  # one set a side of the three the target asks
    assert "Left side: 1 of 3 sets logged." in page


def test_today_says_once_that_no_session_is_logged_at_the_level(user_client, user):
    # Trained on the rung below, then moved up: nothing logged at the new level yet.
    below = Variation.objects.get(slug="single-leg-hip-thrust")
    logged_session(user, below, timezone.localdate() - datetime.timedelta(days=2), [("left", 12)])
    Profile.objects.filter(user=user).update(
        level=Variation.objects.get(slug="loaded-single-leg-hip-thrust")
    )
    page = " ".join(user_client.get(reverse("training:log")).content.decode().split())
    assert page.count("No session logged at this level yet") == 1


def test_after_a_break_of_years_nothing_is_added_and_nobody_moves_up_on_today_or_for_the_coach(
    client, user, coach, linked, loaded
):
    # A first level pick is no level change: every session of the rung counts, however old.
    Profile.objects.filter(user=user).update(level=loaded)
    for kg in ("20", "22.5", "25"):
        OwnedWeight.objects.create(user=user, kind="dumbbell", load_kg=Decimal(kg))
    old = _on_target(user, loaded, datetime.date(2021, 3, 1), load="20")
    Set.objects.filter(session=old).update(rpe=8)

    client.force_login(user)
    page = client.get(reverse("training:log"))
    suggestion = page.context["advice"].suggestion
    assert (suggestion.kind, suggestion.next_load_kg, suggestion.next_hold_seconds) == (
        "stay",
        None,
        None,
    )
    assert suggestion.why.startswith("Your last session was more than 5 years ago, on 1 Mar 2021")
    assert (
        "after more than 4 weeks away (hipthrust's own choice, not the guide's), restart at a "
        "load you control, 20 kg as last time or less, with no added load, no longer hold and "
        "no move up until a session back shows how it goes." in suggestion.why
    )
    html = " ".join(page.content.decode().split())
    assert "restart at a load you control, 20 kg as last time or less" in html
    assert "Next session:" not in html
    assert "22.5 kg" not in html

    # Two clean sessions long ago are no reason to move up.
    _on_target(user, loaded, datetime.date(2021, 3, 3), load="20")
    told = client.get(reverse("training:log")).context["advice"]
    assert (told.suggestion.kind, told.target) == ("stay", None)
    assert "ago, on 3 Mar 2021" in told.suggestion.why
    client.force_login(coach)
    athlete = client.get(reverse("coaches:athlete", args=[user.pk])).context["advice"]
    assert athlete.suggestion == told.suggestion
    [row] = client.get(reverse("coaches:dashboard")).context["rows"]
    assert "promotion" not in [flag.kind for flag, _ in row["flags"]]


def _right_lags_clean_twice(user, loaded) -> None:
    """Left 3 x 10 at 12.5 kg, right at 10 kg, at the rung's tempo, 4 and 1 days ago."""
    Profile.objects.filter(user=user).update(level=loaded)
    notation = loaded.tempo.tempo.notation
    for day in (days_ago(4), days_ago(1)):
        logged_session(
            user,
            loaded,
            day,
            [("left", 10, "12.5", 0, notation) for _ in range(3)]
            + [("right", 10, "10", 0, notation) for _ in range(3)],
        )


def test_no_move_up_while_one_side_lags_on_today_the_progress_page_or_for_the_coach(
    client, user, coach, linked, loaded
):
    _right_lags_clean_twice(user, loaded)

    client.force_login(user)
    progress = client.get(reverse("training:progress")).context["balance_note"]
    assert progress.startswith("Your right side did 20.0% less work than your left")
    page = client.get(reverse("training:log"))
    told = page.context["advice"]
    assert (told.suggestion.kind, told.target, told.suggestion.weaker_side) == (
        "stay",
        None,
        "right",
    )
    assert told.suggestion.next_load_kg == Decimal("12.5")
    assert (
        "but your right side did 20.0% less work than your left, more than the 10% a side may "
        "lag (hipthrust's own choice, not the guide's): bring the right side up first, add "
        "2.5 kg on it (10 kg → 12.5 kg), then move up." in told.suggestion.why
    )
    html = " ".join(page.content.decode().split())
    assert "Ready to move up" not in html
    assert "bring the right side up first" in html

    client.force_login(coach)
    athlete = client.get(reverse("coaches:athlete", args=[user.pk])).context["advice"]
    assert athlete.suggestion == told.suggestion
    [row] = client.get(reverse("coaches:dashboard")).context["rows"]
    kinds = [flag.kind for flag, _ in row["flags"]]
    assert "lag" in kinds
    assert "promotion" not in kinds


def test_pain_on_an_easier_rung_says_moved_up_only_after_a_move_up_since_it(
    client, user, coach, linked, bodyweight, loaded
):
    # On the loaded rung from the start (a first pick is no change of level), then a session
    # of the rung below that hurt, between two clean ones at the loaded rung.
    Profile.objects.filter(user=user).update(level=loaded)
    LevelChange.objects.create(user=user, to_variation=loaded, reason="x", source="manual")
    _on_target(user, loaded, days_ago(6), load="10")
    hurt = _on_target(user, bodyweight, days_ago(4))
    Set.objects.filter(session=hurt, position=2).update(pain=True)
    _on_target(user, loaded, days_ago(2), load="10")
    day = dateformat.format(days_ago(4), "j M Y")

    client.force_login(user)
    page = client.get(reverse("training:log"))
    told = page.context["advice"].suggestion
    assert (told.kind, told.for_pain, told.next_load_kg) == ("stay", True, Decimal("10"))
    said = (
        f"The painful session on {day} was on an easier rung (level 3) than your level (4): a "
        "harder level asks more of that side, so it trains pain-free here before anything is "
        "added."
    )
    assert told.reasons[0].endswith(said)
    html = " ".join(page.content.decode().split())
    assert "You moved up" not in html
    assert f"The painful session on {day} was on an easier rung" in html
    client.force_login(coach)
    assert (
        client.get(reverse("coaches:athlete", args=[user.pk])).context["advice"].suggestion == told
    )

    # A move up made after the painful session is one since it.
    LevelChange.objects.create(
        user=user, from_variation=bodyweight, to_variation=loaded, reason="x", source="manual"
    )
    LevelChange.objects.filter(from_variation=bodyweight).update(day=days_ago(3))
    client.force_login(user)
    told = client.get(reverse("training:log")).context["advice"].suggestion
    assert told.reasons[0].endswith(
        "You moved up since: a harder level asks more of that side, so it trains pain-free "
        "here before anything is added."
    )


def test_the_lag_advice_adds_load_on_the_weaker_side_only_on_today_and_for_the_coach(
    client, user, coach, linked, loaded
):
    # The why adds 2.5 kg on the right side; no line beside it adds load on both.
    _right_lags_clean_twice(user, loaded)
    client.force_login(user)
    today = " ".join(client.get(reverse("training:log")).content.decode().split())
    client.force_login(coach)
    athlete = client.get(reverse("coaches:athlete", args=[user.pk]))
    coach_page = " ".join(athlete.content.decode().split())
    for html in (today, coach_page):
        assert "bring the right side up first, add 2.5 kg on it (10 kg → 12.5 kg)" in html
        assert "Your right side did less work, so it sets the next target." in html
        assert "add load next session" not in html
    assert not any("add load" in r for r in athlete.context["advice"].suggestion.reasons)


def test_after_a_long_break_the_balance_note_says_when_its_sessions_were(
    client, user, coach, linked, loaded
):
    # Left 3 x 10 at 12.5 kg, right at 10 kg, 40 and 38 days ago: the note beside the break
    # advice names those days, as the advice names its own, on Today and the progress page.
    Profile.objects.filter(user=user).update(level=loaded)
    for days in (40, 38):
        logged_session(
            user,
            loaded,
            days_ago(days),
            [("left", 10, "12.5") for _ in range(3)] + [("right", 10, "10") for _ in range(3)],
        )
    first, last = (dateformat.format(days_ago(days), "j M Y") for days in (40, 38))
    expected = (
        f"Your right side did 20.0% less work than your left over your last 2 sessions, on "
        f"{first} and {last}, before your break. Start each session with the right side and "
        "match its reps on the left."
    )
    client.force_login(user)
    page = client.get(reverse("training:log"))
    assert "restart at a load you control" in page.context["advice"].suggestion.why
    assert page.context["balance"] == expected
    assert expected in " ".join(page.content.decode().split())
    assert client.get(reverse("training:progress")).context["balance_note"] == expected

    # A session back: the note reads as current again.
    logged_session(
        user, loaded, days_ago(0), [("left", 10, "12.5")] * 3 + [("right", 10, "10")] * 3
    )
    note = client.get(reverse("training:log")).context["balance"]
    assert note.startswith(
        "Your right side did 20.0% less work than your left over your last 3 sessions. Start"
    )
