"""Coaches and athletes: invitations, access, prescriptions, levels, notes, flags, audit."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from coaches import review_queue, services
from coaches.models import AuditEntry, CoachLink, CoachNote, FlagReview, Prescription
from coaching.models import Variation
from tests.conftest import (
    PASSWORD,
    as_the_browser_submits,
    make_log,
    prescription,
    prescription_form,
)
from training import balance, summaries
from training.models import LevelChange, Profile, Set, TrainingSession
from videos.models import SetVideo, VideoReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_coach(django_user_model):
    user = django_user_model.objects.create_user(
        "coach2", "c2@example.com", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Coach"))
    return user


def _client(client, who):
    client.force_login(who)
    return client


def test_a_deactivated_coachs_link_no_longer_shows_their_athlete(coach, user, linked, session):
    """The admin, the coach panel, videos and review all ask athletes_of: a link counts
    only while both accounts are active."""
    assert list(CoachLink.objects.athletes_of(coach)) == [user]
    coach.is_active = False
    coach.save()
    assert list(CoachLink.objects.athletes_of(coach)) == []


def test_a_superuser_coaches_every_active_athlete_and_no_deactivated_one(
    django_user_model, user, other_user, session, other_session
):
    """The permission matrix's rule, written once: a superuser is every active trainee's
    coach, linked or not; a deactivated account is nobody's athlete."""
    root = django_user_model.objects.create_superuser("root", "r@example.com", PASSWORD)
    assert set(CoachLink.objects.athletes_of(root)) == {user, other_user}
    other_user.is_active = False
    other_user.save()
    assert set(CoachLink.objects.athletes_of(root)) == {user}


def test_a_coach_invites_and_the_athlete_accepts(client, coach, user):
    _client(client, coach).post(reverse("coaches:invite"))
    link = CoachLink.objects.get(coach=coach)
    assert link.athlete is None
    assert len(link.code) >= 16

    client.force_login(user)
    page = client.get(reverse("coaches:join", args=[link.code]))
    assert "coach would like to coach you" in page.content.decode()
    response = client.post(reverse("coaches:join", args=[link.code]))
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.athlete, link.is_active) == (user, True)
    assert AuditEntry.objects.filter(athlete=user, action="link-accepted").exists()

    client.force_login(coach)
    assert user.username in client.get(reverse("coaches:dashboard")).content.decode()


def test_an_invitation_works_once_and_not_for_the_coach_themself(client, coach, user, other_user):
    link = services.create_invitation(coach)
    services.accept_invitation(link, user)
    _client(client, other_user).post(reverse("coaches:join", args=[link.code]))
    link.refresh_from_db()
    assert link.athlete == user
    own = services.create_invitation(coach)
    with pytest.raises(ValueError, match="cannot coach yourself"):
        services.accept_invitation(own, coach)
    assert client.get(reverse("coaches:join", args=["nope"])).status_code == 404


def test_ending_the_link_takes_the_coachs_access_away_at_once(client, coach, user, linked, session):
    client.force_login(coach)
    athlete_page = reverse("coaches:athlete", args=[user.pk])
    assert client.get(athlete_page).status_code == 200

    client.force_login(user)
    client.post(reverse("coaches:end", args=[linked.pk]))
    linked.refresh_from_db()
    assert linked.ended_by == user

    client.force_login(coach)
    assert client.get(athlete_page).status_code == 404
    session_page = reverse("coaches:session", args=[user.pk, session.pk])
    assert client.get(session_page).status_code == 404
    # Out of the queue, and no way to the log left on the page: only said to be gone.
    dashboard = client.get(reverse("coaches:dashboard")).content.decode()
    assert f'id="athlete-{user.pk}"' not in dashboard
    assert athlete_page not in dashboard
    assert f"{user.username} ended your coaching" in dashboard
    admin_change = reverse("admin:training_trainingsession_change", args=[session.pk])
    assert client.get(admin_change).status_code == 404


def test_the_session_page_heads_with_the_coachs_plan_for_its_rung(
    client, coach, user, linked, loaded, bodyweight
):
    plan = prescription(loaded, sets=4, reps_per_side=8, load_kg=Decimal(20), tempo="2-1-1-0")
    services.prescribe(coach, user, plan)
    on_plan = TrainingSession.objects.create(
        user=user, date=datetime.date.today(), variation=loaded
    )
    Set.objects.create(session=on_plan, position=1, side="left", reps=8, load_kg=20)
    other_rung = TrainingSession.objects.create(
        user=user, date=datetime.date.today(), variation=bodyweight
    )
    client.force_login(user)

    page = " ".join(client.get(on_plan.get_absolute_url()).content.decode().split())
    assert "Your coach's plan (coach): 4 × 8 per side with 20 kg at" in page
    assert "To move up a level: 3 × 10 per side" in page
    other = " ".join(client.get(other_rung.get_absolute_url()).content.decode().split())
    assert "Your coach's plan" not in other
    assert "Target 3 × 12 per side" in other


def test_an_ended_links_prescription_is_no_longer_in_force_anywhere(
    client, coach, other_coach, user, linked, loaded
):
    services.prescribe(
        coach, user, prescription(loaded, load_kg=Decimal("40"), notes="Coach one's plan")
    )
    second = services.create_invitation(other_coach)
    services.accept_invitation(second, user)
    session = TrainingSession.objects.create(
        user=user, date=datetime.date.today(), variation=loaded
    )
    client.force_login(other_coach)
    shared = " ".join(
        client.get(reverse("coaches:athlete", args=[user.pk])).content.decode().split()
    )
    assert "Written by coach, in force since" in shared, "another coach's plan names its author"

    services.end_link(linked, user)

    assert Prescription.objects.in_force().count() == 0
    assert Prescription.objects.in_force_for(user.pk, loaded.pk) is None
    assert Prescription.objects.load_kg_for(user.pk, loaded.pk) == 0
    page = client.get(reverse("coaches:athlete", args=[user.pk]))
    assert "force since" not in page.content.decode()
    assert "Coach one's plan" not in page.content.decode()
    client.force_login(user)
    assert "From your coach" not in client.get(reverse("training:log")).content.decode()
    entry = client.get(session.get_absolute_url()).context["form"]
    assert entry.initial.get("load") != Decimal("40")
    # Kept in the history: the audit still says what was prescribed.
    assert Prescription.objects.filter(athlete=user).count() == 1


def test_a_load_on_a_body_weight_rung_is_refused_on_its_field(
    client, coach, user, linked, bodyweight
):
    client.force_login(coach)
    form = prescription_form(bodyweight, load="40")
    response = client.post(reverse("coaches:prescribe", args=[user.pk]), form)
    assert response.status_code == 200
    assert "is done at body weight: leave the load empty" in " ".join(
        response.context["prescription_form"].errors["load"]
    )
    assert not Prescription.objects.exists()


def test_a_load_far_from_the_athletes_recent_sets_is_asked_about_once(
    client, coach, user, linked, loaded
):
    make_log(user, loaded, sessions=2, load="15")
    client.force_login(coach)
    url = reverse("coaches:prescribe", args=[user.pk])
    response = client.post(url, prescription_form(loaded, load="500"))
    assert response.status_code == 200
    [message] = response.context["prescription_form"].errors["load"]
    assert message == (
        "500 kg is far from ada's recent sets of this rung (15 kg), and every set they log "
        "from it takes it. Correct it, or tick “Yes, prescribe 500 kg”."
    )
    assert 'value="load_kg=500"' in response.content.decode()
    assert not Prescription.objects.exists()

    # Ticked: saved as typed. An ordinary step (20 kg) is not asked about at all.
    confirmed = prescription_form(loaded, load="500", confirm="load_kg=500")
    assert client.post(url, confirmed).status_code == 302
    assert Prescription.objects.get().load_kg == Decimal(500)
    assert client.post(url, prescription_form(loaded, load="20")).status_code == 302
    # The plan in force's load, kept while the reps change, is not asked about again.
    client.post(url, prescription_form(loaded, load="500", confirm="load_kg=500"))
    assert (
        client.post(url, prescription_form(loaded, load="500", reps_per_side=10)).status_code == 302
    )


def test_a_load_on_a_rung_not_loaded_yet_is_held_to_the_athletes_loads_of_any_rung(
    client, coach, user, linked, loaded
):
    held = Variation.objects.get(slug="isometric-hold-single-leg-hip-thrust")
    make_log(user, loaded, sessions=2, load="15")
    client.force_login(coach)
    response = client.post(
        reverse("coaches:prescribe", args=[user.pk]),
        prescription_form(held, load="150", tempo="3-0-1-5"),
    )
    assert response.status_code == 200
    assert (
        "recent sets of any rung (15 kg)" in response.context["prescription_form"].errors["load"][0]
    )


def test_a_coach_stops_coaching_an_athlete_from_their_page(client, coach, user, linked):
    client.force_login(coach)
    athlete_page = reverse("coaches:athlete", args=[user.pk])
    page = client.get(athlete_page).content.decode()
    end = reverse("coaches:end", args=[linked.pk])
    assert f'action="{end}"' in page
    response = client.post(end, follow=True)
    assert response.redirect_chain[-1][0] == reverse("coaches:dashboard")
    assert "You no longer coach ada" in response.content.decode()
    linked.refresh_from_db()
    assert linked.ended_by == coach
    assert client.get(athlete_page).status_code == 404


def test_a_both_legs_prescription_says_reps_not_per_side_nor_a_leg_order(
    client, coach, user, linked, bridge
):
    client.force_login(coach)
    form = prescription_form(bridge, reps_per_side=10, tempo="2-0-1-1")
    assert client.post(reverse("coaches:prescribe", args=[user.pk]), form).status_code == 302
    shown = " ".join(
        client.get(reverse("coaches:athlete", args=[user.pk])).content.decode().split()
    )
    assert f"<strong>{bridge.name}</strong>, 3 × 10 reps," in shown
    audit = AuditEntry.objects.get(athlete=user, action="prescription").detail
    assert audit.startswith(f"Prescribed {bridge.name}: 3 × 10 reps, ")
    assert "leg" not in audit
    client.force_login(user)
    log = " ".join(client.get(reverse("training:log")).content.decode().split())
    assert f"<strong>{bridge.name}</strong>: 3 × 10 reps, tempo" in log
    assert "per side" not in log


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sets", "0", "Sets: from 1 to 10."),
        ("sets", "11", "Sets: from 1 to 10."),
        ("sessions_per_week", "0", "Sessions a week: from 1 to 14."),
        ("load", "12.345", "A load has at most two decimals (12.25)."),
        # Too many decimals for the column's digits too: the decimals are the slip to name.
        ("load", "12.345678901234567890", "A load has at most two decimals (12.25)."),
        ("load", "123456789", "That is more than any load; check the number."),
    ],
)
def test_a_prescription_is_refused_in_the_apps_own_words(
    client, coach, user, linked, loaded, field, value, message
):
    client.force_login(coach)
    form = prescription_form(loaded, **{"load": "10", field: value})
    refused = client.post(reverse("coaches:prescribe", args=[user.pk]), form)
    assert refused.context["prescription_form"].errors == {field: [message]}
    assert not Prescription.objects.exists()


def test_a_prescription_reaches_the_athletes_log_timer_link_and_set_entry(
    client, coach, user, linked, loaded
):
    client.force_login(coach)
    response = client.post(
        reverse("coaches:prescribe", args=[user.pk]),
        {
            "variation": loaded.pk,
            "sets": 3,
            "reps_per_side": 8,
            "load": "12.5",
            "tempo": "3-0-1-2",
            "hold_seconds": 2,
            "sessions_per_week": 3,
            "notes": "Left side first",
        },
    )
    assert response.status_code == 302
    prescription = Prescription.objects.get(athlete=user)
    assert (prescription.load_kg, prescription.tempo, prescription.coach) == (
        Decimal("12.5"),
        "3-0-1-2",
        coach,
    )
    assert AuditEntry.objects.get(athlete=user, action="prescription").actor == coach

    client.force_login(user)
    log = client.get(reverse("training:log")).content.decode()
    assert "From your coach, coach" in log
    assert "3 × 8 per side with 12.5 kg" in log
    # The hold is on every rep, so it is the tempo's hold at the top, not a long last hold.
    assert (
        f"/timer/?variation={loaded.slug}&amp;tempo=3-0-1-2&amp;sets=3&amp;reps=8"
        "&amp;sides=left-right&amp;last_hold=0" in log
    )
    session = TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 11, 3), variation=loaded
    )
    entry = client.get(session.get_absolute_url()).context["form"]
    assert (entry.initial["reps"], entry.initial["load"], entry.initial["tempo"]) == (
        8,
        Decimal("12.5"),
        "3-0-1-2",
    )


@pytest.mark.parametrize(
    ("unit", "load", "shown"),
    [
        ("kg", "100", "100 kg"),
        ("kg", "10", "10 kg"),
        ("kg", "12.50", "12.5 kg"),
        ("kg", "", "Body weight"),
        # Entered in pounds, stored as 20.41165665 kg: the history reads what was entered.
        ("lb", "45", "45 lb"),
        ("lb", "22.5", "22.5 lb"),
    ],
)
def test_the_prescription_audit_spells_the_load_as_every_page_does(
    client, coach, user, linked, loaded, unit, load, shown
):
    Profile.objects.filter(user=coach).update(unit=unit)
    client.force_login(coach)
    client.post(
        reverse("coaches:prescribe", args=[user.pk]),
        {
            "variation": loaded.pk,
            "sets": 3,
            "reps_per_side": 8,
            "load": load,
            "tempo": "3-0-1-2",
            "hold_seconds": 0,
            "sessions_per_week": 2,
        },
    )
    detail = AuditEntry.objects.get(athlete=user, action="prescription").detail
    assert f"per side, {shown}, tempo" in detail
    history = client.get(reverse("coaches:athlete", args=[user.pk])).content.decode()
    assert f"per side, {shown}, tempo" in history


def test_a_bad_prescription_is_refused_on_its_field(client, coach, user, linked, loaded):
    client.force_login(coach)
    response = client.post(
        reverse("coaches:prescribe", args=[user.pk]),
        {
            "variation": loaded.pk,
            "sets": 0,
            "reps_per_side": 8,
            "tempo": "fast",
            "hold_seconds": 0,
            "sessions_per_week": 2,
        },
    )
    assert response.status_code == 200
    errors = response.context["prescription_form"].errors
    assert set(errors) == {"sets", "tempo"}
    assert not Prescription.objects.exists()


def test_it_keeps_the_prescription_note_when_editing(client, coach, user, linked, loaded):
    client.force_login(coach)
    prescribe = reverse("coaches:prescribe", args=[user.pk])
    first = {
        "variation": loaded.pk,
        "sets": 4,
        "reps_per_side": 8,
        "load": "12.5",
        "tempo": "3-0-1-2",
        "hold_seconds": 2,
        "side_order": "right-left",
        "sessions_per_week": 3,
        "notes": "Start each session with the left side.",
    }
    assert client.post(prescribe, first).status_code == 302

    page = client.get(reverse("coaches:athlete", args=[user.pk]))
    shown = as_the_browser_submits(page.context["prescription_form"])
    # Every stored field is filled in, none left blank, and a new submission id.
    assert set(shown) == {*first, "submission_id"}
    client.post(prescribe, {**shown, "load": "15"})

    replaced = Prescription.objects.first()
    assert replaced.load_kg == Decimal(15)
    assert (replaced.notes, replaced.sets, replaced.side_order, replaced.sessions_per_week) == (
        "Start each session with the left side.",
        4,
        "right-left",
        3,
    )


def test_moving_an_athlete_to_the_level_they_are_at_says_nothing_changed(
    client, coach, user, linked, loaded
):
    Profile.objects.filter(user=user).update(level=loaded)
    client.force_login(coach)
    response = client.post(
        reverse("coaches:level", args=[user.pk]),
        {"variation": loaded.pk, "reason": "Stay here"},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [f"ada is already at {loaded.name}; nothing changed, nothing was recorded."]
    assert not LevelChange.objects.filter(user=user).exists()
    assert not AuditEntry.objects.filter(athlete=user, action="level").exists()


def test_a_coach_moves_the_level_with_a_reason_kept_in_the_history(
    client, coach, user, linked, loaded
):
    client.force_login(coach)
    refused = client.post(
        reverse("coaches:level", args=[user.pk]), {"variation": loaded.pk, "reason": "  "}
    )
    assert "reason" in refused.context["level_form"].errors
    client.post(
        reverse("coaches:level", args=[user.pk]),
        {"variation": loaded.pk, "reason": "Ready for a dumbbell"},
    )
    assert Profile.objects.get(user=user).level == loaded
    change = LevelChange.objects.get(user=user)
    assert (change.source, change.changed_by, change.reason) == (
        "coach",
        coach,
        "Ready for a dumbbell",
    )
    entry = AuditEntry.objects.get(athlete=user, action="level")
    assert "Ready for a dumbbell" in entry.detail
    client.force_login(user)
    history = client.get(reverse("training:level-history")).content.decode()
    assert "Changed by their coach, coach" in history
    assert "by coach" not in history


def _target_session(user, variation, day):
    session = TrainingSession.objects.create(user=user, date=day, variation=variation)
    made = Set.objects.bulk_create(
        Set(session=session, position=i + 1, side=side, reps=12, tempo="3-0-1-1")
        for i, side in enumerate(["left", "right"] * 3)
    )
    # A bulk write passes the receivers by: its summaries are counted as a service does.
    summaries.sets_changed({session.pk}, added=summaries.marks_of_new(made))
    return session


def test_a_coach_approves_the_promotion_the_rules_suggest(
    client, coach, user, linked, bodyweight, loaded
):
    Profile.objects.filter(user=user).update(level=bodyweight)
    _target_session(user, bodyweight, timezone.localdate() - datetime.timedelta(days=6))
    _target_session(user, bodyweight, timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(coach)
    page = client.get(reverse("coaches:athlete", args=[user.pk]))
    advice = page.context["advice"]
    assert advice.suggestion.kind == "advance"
    client.post(reverse("coaches:approve", args=[user.pk]), {"fingerprint": "stale"})
    assert Profile.objects.get(user=user).level == bodyweight
    client.post(reverse("coaches:approve", args=[user.pk]), {"fingerprint": advice.fingerprint})
    assert Profile.objects.get(user=user).level == loaded
    change = LevelChange.objects.get(user=user)
    assert (change.source, change.changed_by) == ("approved", coach)
    assert "Approved the promotion" in AuditEntry.objects.get(athlete=user, action="level").detail
    # The athlete accepted nothing: their history says who did.
    client.force_login(user)
    history = " ".join(client.get(reverse("training:level-history")).content.decode().split())
    assert "Suggested move, approved by their coach, coach" in history
    assert "Accepted suggestion" not in history
    # Still so once the coach's account is gone.
    coach.delete()
    history = " ".join(client.get(reverse("training:level-history")).content.decode().split())
    assert "Suggested move, approved by a coach" in history


def test_coach_notes_on_a_session_and_a_set_reach_the_athlete(client, coach, user, linked, session):
    a_set = Set.objects.create(session=session, position=1, side="left", reps=9)
    client.force_login(coach)
    url = reverse("coaches:session", args=[user.pk, session.pk])
    client.post(url, {"text": "Slow the lowering", "set": a_set.pk})
    client.post(url, {"text": "Good session"})
    assert CoachNote.objects.filter(athlete=user).count() == 2
    day = dateformat.format(session.date, "j M Y")
    assert sorted(
        AuditEntry.objects.filter(athlete=user, action="note").values_list("detail", flat=True)
    ) == [
        f"Note on set 1 on the left in the session of {day}: Slow the lowering",
        f"Note on the session of {day}: Good session",
    ]
    client.force_login(user)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Notes from your coach" in page
    assert "Slow the lowering" in page
    assert "about set 1 on the left" in page


TODAY = datetime.date(2026, 11, 23)


def _stats(**overrides):
    base = {
        "today": TODAY,
        "first_session": TODAY - datetime.timedelta(days=10),
        "last_session": TODAY - datetime.timedelta(days=1),
    }
    return balance.AthleteStats(**{**base, **overrides})


@pytest.mark.parametrize(
    ("overrides", "kinds"),
    [
        ({}, []),
        ({"pain_session_id": 4}, ["pain"]),
        ({"form_error_sessions": 2}, ["form-errors"]),
        ({"form_error_sessions": 1}, []),
        ({"lag_percent": Decimal("10.0"), "lagging_side": "left"}, []),
        ({"lag_percent": Decimal("10.1"), "lagging_side": "left"}, ["lag"]),
        ({"promotion_waiting": True}, ["promotion"]),
        ({"last_session": TODAY - datetime.timedelta(days=22)}, ["inactive"]),
        ({"last_session": None, "first_session": None}, ["inactive"]),
        # Joined, or coached, within the window: not idle for three weeks yet.
        ({"last_session": None, "first_session": None, "active_since": TODAY}, []),
        (
            {"last_session": TODAY - datetime.timedelta(days=40), "active_since": TODAY},
            [],
        ),
        (
            {"last_session": None, "active_since": TODAY - datetime.timedelta(days=22)},
            ["inactive"],
        ),
        (
            {
                "first_session": TODAY - datetime.timedelta(days=60),
                "best_recent": (Decimal(10), 10, 0),
                "best_before": (Decimal(10), 12, 0),
            },
            ["stalled"],
        ),
        (
            {
                "first_session": TODAY - datetime.timedelta(days=60),
                "best_recent": (Decimal("12.5"), 10, 0),
                "best_before": (Decimal(10), 12, 0),
            },
            [],
        ),
        # Away for two months but joined or linked lately (not idle yet): no session in the
        # window is no "no progress" either.
        (
            {
                "first_session": TODAY - datetime.timedelta(days=90),
                "last_session": TODAY - datetime.timedelta(days=60),
                "active_since": TODAY - datetime.timedelta(days=2),
                "best_before": (Decimal(10), 12, 0),
            },
            [],
        ),
        (
            {
                "first_session": TODAY - datetime.timedelta(days=60),
                "last_session": TODAY - datetime.timedelta(days=21),
                "active_since": TODAY,
                "best_before": (Decimal(10), 12, 0),
            },
            [],
        ),
        # A session within the window that did no better: stalled.
        (
            {
                "first_session": TODAY - datetime.timedelta(days=60),
                "last_session": TODAY - datetime.timedelta(days=20),
                "active_since": TODAY,
                "best_recent": (Decimal(10), 12, 0),
                "best_before": (Decimal(10), 12, 0),
            },
            ["stalled"],
        ),
        (
            {"pain_session_id": 1, "promotion_waiting": True, "form_error_sessions": 3},
            ["pain", "promotion", "form-errors"],
        ),
    ],
)
def test_review_flags(overrides, kinds):
    assert [flag.kind for flag in balance.flags(_stats(**overrides))] == kinds


@pytest.mark.parametrize(
    ("done", "per_week", "days", "plan_age", "expected"),
    [
        (2, 2, 7, 40, 100),
        (1, 2, 7, 40, 50),
        (9, 2, 30, 40, 105),
        (0, 3, 30, 40, 0),
        (3, None, 7, 40, None),
        # A plan younger than the window is not judged over it: given today, not "12%".
        (1, 2, 7, 0, None),
        (1, 2, 30, 0, None),
        (2, 2, 7, 7, 100),
        (2, 2, 30, 7, None),
        (9, 2, 30, 30, 105),
    ],
)
def test_compliance_compares_done_with_prescribed(done, per_week, days, plan_age, expected):
    stats = _stats(
        sessions_7d=done,
        sessions_30d=done,
        sessions_per_week=per_week,
        prescribed_on=TODAY - datetime.timedelta(days=plan_age),
    )
    assert balance.compliance(stats, days) == expected


def test_a_plan_given_today_is_new_on_the_queue_not_twelve_percent_kept(
    client, coach, user, linked, bodyweight
):
    services.prescribe(coach, user, prescription(bodyweight, sessions_per_week=2))
    TrainingSession.objects.create(user=user, date=timezone.localdate(), variation=bodyweight)
    client.force_login(coach)
    page = client.get(reverse("coaches:dashboard"))
    [row] = page.context["rows"]
    assert (row["compliance_7"], row["compliance_30"]) == (None, None)
    cell = re.search(r'data-label="Done vs prescribed[^>]*>(.*?)</td>', page.content.decode(), re.S)
    assert " ".join(cell[1].split()) == f"New plan, since {timezone.localdate():%-d %b}"


def test_the_queue_flags_pain_and_links_to_the_sets_behind_it(
    client, coach, user, linked, bodyweight
):
    today = timezone.localdate()
    session = TrainingSession.objects.create(user=user, date=today, variation=bodyweight)
    Set.objects.create(session=session, position=1, side="left", reps=8, pain=True)
    client.force_login(coach)
    html = client.get(reverse("coaches:dashboard")).content.decode()
    link = reverse("coaches:session", args=[user.pk, session.pk]) + "?flag=pain"
    assert f'href="{link}">Pain flagged in the last two weeks' in html
    flagged = client.get(link).content.decode()
    assert "set-row--flagged" in flagged


def test_the_athletes_page_shows_the_coach_what_the_athlete_is_told_after_pain(
    client, coach, user, linked, bodyweight
):
    Profile.objects.filter(user=user).update(level=bodyweight)
    session = TrainingSession.objects.create(
        user=user, date=timezone.localdate(), variation=bodyweight
    )
    Set.objects.create(session=session, position=1, side="left", reps=8, pain=True)
    client.force_login(user)
    told = client.get(reverse("training:log")).context["advice"].suggestion
    client.force_login(coach)
    page = client.get(reverse("coaches:athlete", args=[user.pk]))
    html = " ".join(page.content.decode().split())
    assert told.kind in ("stop", "step_back")
    assert "ada is told:" in html
    assert told.why in html


def test_the_queue_sorts_and_runs_the_same_queries_for_five_athletes_as_for_one(
    client, coach, linked, django_user_model, bodyweight
):
    def add_athletes(numbers):
        for n in numbers:
            athlete = django_user_model.objects.create_user(f"a{n}", f"a{n}@example.com", PASSWORD)
            services.accept_invitation(services.create_invitation(coach), athlete)
            session = TrainingSession.objects.create(
                user=athlete,
                date=timezone.localdate() - datetime.timedelta(days=n),
                variation=bodyweight,
            )
            # An empty session counts for nothing (SessionQuerySet.with_sets): each has a set.
            Set.objects.create(session=session, position=1, side="left", reps=10, pain=True)

    def queries() -> int:
        with CaptureQueriesContext(connection) as run:
            assert client.get(reverse("coaches:dashboard") + "?sort=name").status_code == 200
        return len(run.captured_queries)

    client.force_login(coach)
    add_athletes([0])
    queries()  # the first request of a login may write its session: not the page's cost
    one = queries()
    add_athletes(range(1, 5))
    assert queries() == one <= 12
    # With a level, an athlete's advice reads their newest sessions: one query each, the
    # rest (their levels, last changes and weights) read for all of them at once.
    Profile.objects.filter(user__username__startswith="a").update(level=bodyweight)
    assert queries() == one + 5
    response = client.get(reverse("coaches:dashboard") + "?sort=name")
    names = [row["athlete"].username for row in response.context["rows"]]
    assert names == sorted(names)
    last = client.get(reverse("coaches:dashboard") + "?sort=last").context["rows"]
    assert last[0]["athlete"].username == "a0"


def test_a_coachs_invitation_never_reaches_a_stranger_through_the_page_cache(client, coach):
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    client.force_login(coach)
    client.post(reverse("coaches:invite"))  # the coach does not open the dashboard
    client.post(reverse("logout"))
    del client.cookies[settings.SESSION_COOKIE_NAME]  # as a browser drops a deleted cookie
    link = CoachLink.objects.get(coach=coach)
    own = client.get(reverse("coaching:home")).content.decode()
    assert "Invitation ready" in own
    assert link.code not in own, "the secret link is never in a message"
    stranger = Client().get(reverse("coaching:home")).content.decode()
    assert "Invitation ready" not in stranger
    assert link.code not in stranger


def test_the_invitation_link_is_shown_on_the_coachs_own_dashboard_only(client, coach, other_coach):
    client.force_login(coach)
    response = client.post(reverse("coaches:invite"), follow=True)
    link = CoachLink.objects.get(coach=coach)
    assert response.redirect_chain[-1][0].endswith("#invite-title")
    html = response.content.decode()
    # In the list alone (not in the message): the link shown, and its Copy button's.
    url = f"http://testserver/coach/join/{link.code}/"
    assert html.count(link.code) == 2
    assert f"<code>{url}</code>" in html
    assert f'data-copy="{url}"' in html
    assert "expires" in html
    client.force_login(other_coach)
    assert link.code not in client.get(reverse("coaches:dashboard")).content.decode()


def test_an_invitation_expires_after_the_configured_days(client, coach, user, settings):
    settings.INVITATION_DAYS = 7
    link = services.create_invitation(coach)
    CoachLink.objects.filter(pk=link.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    client.force_login(user)
    page = client.get(reverse("coaches:join", args=[link.code])).content.decode()
    assert "This invitation expired on" in page
    assert "Accept coach as my coach" not in page
    response = client.post(reverse("coaches:join", args=[link.code]), follow=True)
    assert "This invitation has expired" in response.content.decode()
    link.refresh_from_db()
    assert link.athlete is None
    client.force_login(coach)
    assert link.code not in client.get(reverse("coaches:dashboard")).content.decode()
    settings.INVITATION_DAYS = 8  # the setting decides, not a date stored at creation
    assert CoachLink.objects.open_invitations().filter(pk=link.pk).exists()


def test_the_coachs_session_page_shows_each_sets_effort_as_the_trainees_log_does(
    client, coach, user, linked, session
):
    Set.objects.create(session=session, position=1, side="left", reps=10, rpe=Decimal("8.5"))
    Set.objects.create(session=session, position=2, side="right", reps=10, rir=2)
    Set.objects.create(session=session, position=3, side="left", reps=9)
    client.force_login(coach)
    html = client.get(reverse("coaches:session", args=[user.pk, session.pk])).content
    html = html.decode()
    assert "RPE 8.5" in html
    assert "2 in reserve" in html
    assert html.count("RPE") == 1  # a set logged without effort claims none
    client.force_login(user)
    own = client.get(session.get_absolute_url()).content.decode()
    assert "RPE 8.5" in own
    assert "2 in reserve" in own


def test_the_coachs_session_page_links_every_video_reviewed_or_not(
    client, coach, user, linked, session, media_root
):
    filmed = Set.objects.create(session=session, position=1, side="left", reps=10)
    reviewed = SetVideo.objects.create(
        owner=user,
        session=session,
        set=filmed,
        original="videos/x/a.mp4",
        size=1,
        status="ready",
    )
    VideoReview.objects.create(video=reviewed, coach=coach)
    side_clip = SetVideo.objects.create(
        owner=user,
        session=session,
        side="right",
        original="videos/x/b.mp4",
        size=1,
        status="ready",
    )
    client.force_login(coach)
    page = client.get(reverse("coaches:session", args=[user.pk, session.pk])).content.decode()
    text = " ".join(page.split())
    assert f'href="{reviewed.get_absolute_url()}"' in page
    assert f'href="{side_clip.get_absolute_url()}"' in page

    # Each named with when it was filmed: two clips of one side are told apart.
    def filmed(clip) -> str:
        return f"{timezone.localtime(clip.created_at):%-d %b, %H:%M}"

    assert f"Set 1 on the left, filmed {filmed(reviewed)}</a> · reviewed" in text
    assert f"Right side, filmed {filmed(side_clip)}</a> · to review" in text


def test_no_two_elements_of_the_athletes_page_share_an_id(client, coach, user, linked):
    client.force_login(coach)
    page = client.get(reverse("coaches:athlete", args=[user.pk])).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert [name for name in set(ids) if ids.count(name) > 1] == []
    assert '<label for="id_level_variation">Move to</label>' in page


def _painful_session(user, variation, day=None):
    session = TrainingSession.objects.create(
        user=user, date=day or timezone.localdate(), variation=variation
    )
    Set.objects.create(session=session, position=1, side="left", reps=8, pain=True)
    return session


def _pain_subject(user) -> str:
    """The pain flag's subject: how many painful sets, and the newest."""
    painful = Set.objects.filter(session__user=user, pain=True)
    return f"painful sets {painful.count()}, newest {painful.latest('pk').pk}"


def _flag_kinds(response):
    return {
        row["athlete"].username: (
            [flag.kind for flag, _ in row["flags"]],
            [flag.kind for flag, _, _ in row["reviewed_flags"]],
        )
        for row in response.context["rows"]
    }


def test_a_coach_marks_the_pain_flag_reviewed_and_the_queue_lists_it_after_open_flags(
    client, coach, user, other_user, linked, bodyweight
):
    _painful_session(user, bodyweight)
    services.accept_invitation(services.create_invitation(coach), other_user)
    TrainingSession.objects.create(
        user=other_user,
        date=timezone.localdate() - datetime.timedelta(days=30),
        variation=bodyweight,
    )
    # Here, and coached, for longer than the idle window.
    long_ago = timezone.now() - datetime.timedelta(days=40)
    type(other_user).objects.filter(pk=other_user.pk).update(date_joined=long_ago)
    CoachLink.objects.filter(athlete=other_user).update(accepted_at=long_ago)
    client.force_login(coach)
    queue = client.get(reverse("coaches:dashboard"))
    assert [row["athlete"] for row in queue.context["rows"]] == [user, other_user]
    assert _flag_kinds(queue)["ada"] == (["pain"], [])

    response = client.post(
        reverse("coaches:flag-review", args=[user.pk]),
        {"kind": "pain", "subject": _pain_subject(user)},
    )
    # Back at the athlete's row of the queue, which the message names.
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('coaches:dashboard')}#athlete-{user.pk}",
    )
    assert f'<tr id="athlete-{user.pk}">' in client.get(response["Location"]).content.decode()
    review_ = FlagReview.objects.get(athlete=user)
    assert (review_.kind, review_.subject, review_.reviewed_by) == (
        "pain",
        _pain_subject(user),
        coach,
    )
    assert timezone.now() - review_.reviewed_at < datetime.timedelta(minutes=1)
    assert AuditEntry.objects.filter(athlete=user, action="flag-reviewed").count() == 1

    queue = client.get(reverse("coaches:dashboard"))
    # The athlete with an open flag (inactive) now comes first; the reviewed pain stays in sight.
    assert [row["athlete"] for row in queue.context["rows"]] == [other_user, user]
    assert _flag_kinds(queue)["ada"] == ([], ["pain"])
    html = queue.content.decode()
    table = html[html.index('<table class="queue">') :]  # past the "Marked reviewed" message
    assert table.index("No session in three weeks") < table.index("Pain flagged in the last")
    assert "Reviewed</p>" in html
    assert "by coach," in html

    # Marking it again (a second tab, a double click) keeps the first review.
    client.post(
        reverse("coaches:flag-review", args=[user.pk]),
        {"kind": "pain", "subject": _pain_subject(user)},
    )
    assert FlagReview.objects.count() == 1
    assert AuditEntry.objects.filter(athlete=user, action="flag-reviewed").count() == 1


def test_an_athlete_told_to_stop_comes_first_with_a_stronger_pill_a_review_does_not_hide(
    client, coach, user, other_user, linked, bodyweight, exercise
):
    Profile.objects.filter(user=user).update(level=bodyweight)
    for days_ago in (3, 1):
        _painful_session(user, bodyweight, timezone.localdate() - datetime.timedelta(days=days_ago))
    # grace: one twinge and form errors in two sessions, more flags than ada's pain alone.
    services.accept_invitation(services.create_invitation(coach), other_user)
    error = exercise.form_errors.first()
    older = TrainingSession.objects.create(
        user=other_user,
        date=timezone.localdate() - datetime.timedelta(days=2),
        variation=bodyweight,
    )
    Set.objects.create(session=older, position=1, side="left", reps=8).form_errors.add(error)
    _painful_session(other_user, bodyweight).sets.get().form_errors.add(error)
    client.force_login(user)
    assert client.get(reverse("training:log")).context["advice"].suggestion.kind == "stop"

    client.force_login(coach)
    queue = client.get(reverse("coaches:dashboard"))
    assert [row["athlete"] for row in queue.context["rows"]] == [user, other_user]
    assert _flag_kinds(queue)["ada"] == (["stop", "pain"], [])
    html = " ".join(queue.content.decode().split())
    assert 'class="flag flag--stop"' in html
    assert "Told to stop this exercise for pain</a>" in html

    client.post(
        reverse("coaches:flag-review", args=[user.pk]),
        {"kind": "pain", "subject": _pain_subject(user)},
    )
    stop = next(flag for flag in review_queue.athlete_flags(user, timezone.localdate()))
    refused = client.post(
        reverse("coaches:flag-review", args=[user.pk]),
        {"kind": "stop", "subject": stop.subject},
        follow=True,
    )
    assert "That flag is no longer raised; nothing changed." in refused.content.decode()
    queue = client.get(reverse("coaches:dashboard"))
    assert [row["athlete"] for row in queue.context["rows"]] == [user, other_user]
    assert _flag_kinds(queue)["ada"] == (["stop"], ["pain"])
    assert "Told to stop this exercise for pain" in queue.content.decode()


def test_the_queue_says_the_athlete_asked_or_replied_on_a_video_back_to_review(
    client, coach, user, linked, session
):
    from videos.models import VideoComment

    filmed = Set.objects.create(session=session, position=1, side="left", reps=10)
    clip = SetVideo.objects.create(
        owner=user,
        session=session,
        set=filmed,
        original="videos/x/a.mp4",
        size=1,
        status="ready",
        duration_seconds=5,
    )
    client.force_login(coach)

    def shown() -> str:
        html = client.get(reverse("coaches:dashboard")).content.decode()
        return " ".join(html[html.index('id="videos-title"') :].split())

    assert "Video to review: ada, Mon 2 Nov, set 1 on the left, uploaded" in shown()
    client.post(reverse("videos:reviewed", args=[clip.pk]))
    client.force_login(user)
    client.post(reverse("videos:comment", args=[clip.pk]), {"at_seconds": "1", "text": "Knee?"})
    asked = VideoComment.objects.get(author=user).created_at
    client.force_login(coach)
    when = f"{timezone.localtime(asked):%-d %b, %H:%M}"
    assert f"ada asked about a video: Mon 2 Nov, set 1 on the left, {when}</a>" in shown()
    assert "uploaded" not in shown()

    client.post(reverse("videos:comment", args=[clip.pk]), {"at_seconds": "1", "text": "Fine."})
    client.post(reverse("videos:reviewed", args=[clip.pk]))
    client.force_login(user)
    client.post(reverse("videos:comment", args=[clip.pk]), {"at_seconds": "2", "text": "Thanks"})
    replied = VideoComment.objects.filter(author=user).latest("pk").created_at
    client.force_login(coach)
    when = f"{timezone.localtime(replied):%-d %b, %H:%M}"
    assert f"ada replied on a video: Mon 2 Nov, set 1 on the left, {when}</a>" in shown()


def test_a_new_painful_session_raises_the_reviewed_pain_flag_again(
    client, coach, user, linked, bodyweight
):
    _painful_session(user, bodyweight, timezone.localdate() - datetime.timedelta(days=2))
    services.review_flag(coach, user, balance.Flag("pain", "Pain", 5, subject=_pain_subject(user)))
    client.force_login(coach)
    assert _flag_kinds(client.get(reverse("coaches:dashboard")))["ada"] == ([], ["pain"])
    _painful_session(user, bodyweight)
    assert _flag_kinds(client.get(reverse("coaches:dashboard")))["ada"] == (["pain"], [])


def test_another_painful_set_in_a_reviewed_session_raises_the_pain_flag_again(
    client, coach, user, linked, bodyweight
):
    """New pain on the other leg, in the session already reviewed, or ticked on an older
    set afterwards, is news to the coach."""
    painful = _painful_session(user, bodyweight)
    older = Set.objects.create(session=painful, position=2, side="right", reps=8)
    client.force_login(coach)
    review_it = {"kind": "pain", "subject": _pain_subject(user)}
    client.post(reverse("coaches:flag-review", args=[user.pk]), review_it)
    assert _pain_flag(client) == "reviewed"

    Set.objects.create(session=painful, position=3, side="right", reps=6, pain=True)
    assert _pain_flag(client) == "open"
    review_it = {"kind": "pain", "subject": _pain_subject(user)}
    client.post(reverse("coaches:flag-review", args=[user.pk]), review_it)
    assert _pain_flag(client) == "reviewed"

    older.pain = True
    older.save()
    assert _pain_flag(client) == "open"
    # Reviewed again, then a set's pain taken back (or old sets leaving the two weeks): no
    # news, the flag stays reviewed.
    review_it = {"kind": "pain", "subject": _pain_subject(user)}
    client.post(reverse("coaches:flag-review", args=[user.pk]), review_it)
    older.pain = False
    older.save()
    assert _pain_flag(client) == "reviewed"


@pytest.mark.parametrize(
    ("now", "reviewed", "covered"),
    [
        ("painful sets 2, newest 40", "painful sets 2, newest 40", True),
        ("painful sets 1, newest 40", "painful sets 2, newest 40", True),  # pain taken back
        ("painful sets 1, newest 30", "painful sets 3, newest 40", True),  # aged out
        ("painful sets 3, newest 40", "painful sets 2, newest 40", False),  # an old set ticked
        ("painful sets 2, newest 41", "painful sets 2, newest 40", False),  # a new set
        ("painful sets 2, newest 40", "session 12", False),  # reviewed before the count
    ],
)
def test_a_pain_review_covers_the_flag_until_there_is_more_or_newer_pain(now, reviewed, covered):
    assert balance.pain_covered_by(now, reviewed) is covered


def _pain_flag(client) -> str:
    raised, reviewed = _flag_kinds(client.get(reverse("coaches:dashboard")))["ada"]
    return "open" if "pain" in raised else "reviewed" if "pain" in reviewed else "none"


def test_the_session_page_offers_to_mark_the_flag_that_led_there_reviewed(
    client, coach, user, linked, bodyweight
):
    painful = _painful_session(user, bodyweight)
    client.force_login(coach)
    page = reverse("coaches:session", args=[user.pk, painful.pk]) + "?flag=pain"
    html = client.get(page).content.decode()
    assert f'name="subject" value="{_pain_subject(user)}"' in html
    response = client.post(
        reverse("coaches:flag-review", args=[user.pk]),
        {"kind": "pain", "subject": _pain_subject(user), "next": page},
    )
    assert response["Location"] == page
    html = client.get(page).content.decode()
    assert "Reviewed by coach," in html
    assert 'name="subject"' not in html
    # `next` goes nowhere off the site.
    response = client.post(
        reverse("coaches:flag-review", args=[user.pk]),
        {"kind": "pain", "subject": _pain_subject(user), "next": "//evil.example/"},
    )
    assert response["Location"] == f"{reverse('coaches:dashboard')}#athlete-{user.pk}"


def test_a_note_answering_a_flag_keeps_the_flag_and_its_mark_reviewed(
    client, coach, user, linked, bodyweight
):
    painful = _painful_session(user, bodyweight)
    client.force_login(coach)
    page = reverse("coaches:session", args=[user.pk, painful.pk]) + "?flag=pain"
    assert f'action="{page}"' in client.get(page).content.decode()

    response = client.post(page, {"text": "Rest it this week."})
    assert (response.status_code, response["Location"]) == (302, page)
    assert "Mark reviewed" in client.get(response["Location"]).content.decode()
    refused = client.post(page, {"text": "x" * 1001})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Mark reviewed" in html
    assert f'action="{page}"' in html
    assert CoachNote.objects.count() == 1


def test_a_flag_the_queue_does_not_raise_is_not_carried_through_the_note_form(
    client, coach, user, linked, session
):
    client.force_login(coach)
    page = reverse("coaches:session", args=[user.pk, session.pk])
    html = client.get(page + '?flag="><b>x').content.decode()
    assert f'action="{page}"' in html
    response = client.post(page + "?flag=nonsense", {"text": "Fine."})
    assert response["Location"] == page


def test_only_the_athletes_own_coach_marks_a_flag_reviewed(
    client, coach, other_coach, user, linked, bodyweight
):
    from django.test import Client

    _painful_session(user, bodyweight)
    url = reverse("coaches:flag-review", args=[user.pk])
    data = {"kind": "pain", "subject": _pain_subject(user)}
    client.force_login(other_coach)
    assert client.post(url, data).status_code == 404
    client.force_login(user)
    assert client.post(url, data).status_code == 404
    client.force_login(coach)
    assert client.get(url, data).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coach)
    assert strict.post(url, data).status_code == 403
    assert not FlagReview.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "pain", "subject": "session 999999"},  # not what raised the flag
        {"kind": "lag", "subject": "session 1"},  # a flag not raised at all
        {"kind": "pain"},
        {},
    ],
)
def test_a_flag_not_raised_now_is_not_marked_reviewed(
    client, coach, user, linked, bodyweight, data
):
    _painful_session(user, bodyweight)
    client.force_login(coach)
    response = client.post(reverse("coaches:flag-review", args=[user.pk]), data, follow=True)
    assert "That flag is no longer raised; nothing changed." in response.content.decode()
    assert not FlagReview.objects.exists()
    assert not AuditEntry.objects.filter(action="flag-reviewed").exists()


def test_old_prescription_audits_lose_the_exponent_in_their_loads(coach, user):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    name = "0009_audit_loads_without_exponent"
    migration = importlib.import_module(f"training.migrations.{name}")
    # The models as that migration saw them (the audit has moved to coaches since).
    apps = MigrationLoader(connection).project_state(("training", name)).apps
    old = "Prescribed Loaded: 3 × 8 per side, {} kg, tempo 3-0-1-2, hold 0 s, 2 sessions a week."
    for load in ("1E+1", "2.5E+2", "12.5"):
        services.audit(coach, user, "prescription", old.format(load))
    services.audit(coach, user, "note", "Note: try 1E+1 kg")  # a coach's own words stay
    migration.rewrite_exponent_loads(apps, None)
    details = set(AuditEntry.objects.values_list("detail", flat=True))
    assert details == {
        old.format("10"),
        old.format("250"),
        old.format("12.5"),
        "Note: try 1E+1 kg",
    }


def test_an_athletes_page_runs_the_same_queries_for_a_long_history(
    client, coach, user, other_user, bodyweight
):
    """The coach reads an athlete's newest sessions, level, changes and audit: as many queries
    for an athlete with 3,000 sets as for one with 12."""
    for athlete in (user, other_user):
        services.accept_invitation(services.create_invitation(coach), athlete)
    Profile.objects.filter(user__in=[user, other_user]).update(level=bodyweight)
    make_log(user, bodyweight, sessions=6, sets_per_side=1)
    make_log(other_user, bodyweight, sessions=500, sets_per_side=3)
    client.force_login(coach)

    def queries(athlete) -> int:
        url = reverse("coaches:athlete", args=[athlete.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as run:
            assert client.get(url).status_code == 200
        return len(run.captured_queries)

    assert queries(user) == queries(other_user)
