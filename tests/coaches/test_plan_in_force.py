"""Which coach's plan is in force: the athlete's newest, whatever its rung, on every page and
in everything that reads one (Today, the session page and its entry, the timer and the
offline queue, the coach's pages)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from coaches import services
from coaches.models import CoachLink, Prescription
from hipthrust import accounts
from tests.conftest import PASSWORD, as_the_browser_submits, prescription, timer_plan
from training.models import Profile, Set, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def dora(django_user_model):
    user = django_user_model.objects.create_user("dora", "d@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Coach"))
    return user


def _text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def _session_of(user, variation) -> TrainingSession:
    return TrainingSession.objects.create(
        user=user, date=datetime.date.today(), variation=variation
    )


def test_it_takes_a_replaced_plan_out_of_force_on_its_old_rung_everywhere(
    client, coach, user, linked, loaded, bodyweight
):
    old = prescription(loaded, reps_per_side=10, load_kg=Decimal("22.5"), notes="Dumbbell plan")
    services.prescribe(coach, user, old)
    services.prescribe(coach, user, prescription(bodyweight, reps_per_side=10, notes="No load"))
    old_rung = _session_of(user, loaded)
    client.force_login(user)

    today = _text(client, reverse("training:log"))
    assert "No load" in today
    assert "Dumbbell plan" not in today
    response = client.get(old_rung.get_absolute_url())
    page = " ".join(response.content.decode().split())
    assert "22.5 kg" not in page
    assert "The plan from your coach (coach) is for Single leg hip thrust, not this rung." in page
    assert response.context["form"].initial.get("load") is None
    assert Prescription.objects.in_force_for(user.pk, loaded.pk) is None
    assert Prescription.objects.load_kg_for(user.pk, loaded.pk) == 0

    # The timer's sets of the old rung never take the replaced plan's load. Online, with no
    # earlier set of the rung to go by, the page asks for the load and saves nothing; from
    # the offline queue (which cannot be asked) they are saved with none.
    asked = client.post(reverse("training:log-from-timer"), timer_plan(variation=loaded.slug))
    assert asked.status_code == 400
    assert not Set.objects.filter(session__variation=loaded).exists()
    sync = {"kind": "timer", **timer_plan(variation=loaded.slug), "date": "2026-11-12"}
    assert client.post(reverse("training:sync"), sync).status_code == 200
    loads = Set.objects.filter(session__variation=loaded).values_list("load_kg", flat=True)
    assert len(loads) == 4
    assert set(loads) == {Decimal(0)}

    client.force_login(coach)
    athlete = _text(client, reverse("coaches:athlete", args=[user.pk]))
    assert "<strong>Single leg hip thrust</strong>, 3 × 10" in athlete
    assert "Dumbbell plan" not in athlete


def test_it_shows_the_newest_coachs_plan_not_another_coachs_older_one_for_the_rung(
    client, coach, dora, user, linked, loaded, bodyweight
):
    services.prescribe(coach, user, prescription(loaded, load_kg=Decimal(15)))
    services.accept_invitation(services.create_invitation(dora), user)
    services.prescribe(dora, user, prescription(bodyweight, notes="Dora's plan"))
    session = _session_of(user, loaded)
    client.force_login(user)

    assert "From your coach, dora" in _text(client, reverse("training:log"))
    response = client.get(session.get_absolute_url())
    page = " ".join(response.content.decode().split())
    assert "15 kg" not in page
    assert "The plan from your coach (dora) is for Single leg hip thrust, not this rung." in page
    assert response.context["form"].initial.get("load") is None
    client.force_login(coach)
    response = client.get(reverse("coaches:athlete", args=[user.pk]))
    athlete = " ".join(response.content.decode().split())
    assert "Written by dora, in force since" in athlete
    # A plan written from Dora's starts from her numbers, not her words.
    initial = response.context["prescription_form"].initial
    assert (initial["variation"], "notes" in initial) == (bodyweight.pk, False)
    assert "Dora&#x27;s plan</textarea>" not in athlete
    client.force_login(dora)
    initial = client.get(reverse("coaches:athlete", args=[user.pk])).context["prescription_form"]
    assert initial.initial["notes"] == "Dora's plan"


def test_it_brings_no_replaced_plan_back_when_the_newer_plans_link_ends(
    client, coach, dora, user, linked, loaded, bodyweight
):
    services.prescribe(coach, user, prescription(loaded, load_kg=Decimal(15), notes="Coach's"))
    dora_link = services.create_invitation(dora)
    services.accept_invitation(dora_link, user)
    services.prescribe(dora, user, prescription(bodyweight, notes="Dora's plan"))
    session = _session_of(user, loaded)

    services.end_link(dora_link, user)

    assert not Prescription.objects.in_force().exists()
    client.force_login(user)
    assert "From your coach" not in _text(client, reverse("training:log"))
    response = client.get(session.get_absolute_url())
    page = " ".join(response.content.decode().split())
    assert "Your coach's plan" not in page
    assert "The plan from your coach" not in page
    assert response.context["form"].initial.get("load") is None
    client.force_login(coach)
    athlete = _text(client, reverse("coaches:athlete", args=[user.pk]))
    assert "force since" not in athlete
    # Kept in the history.
    assert Prescription.objects.filter(athlete=user).count() == 2


def test_it_brings_no_replaced_plan_back_when_the_newer_plans_coach_closes_their_account(
    client, coach, dora, user, linked, loaded, bodyweight
):
    services.prescribe(coach, user, prescription(loaded, load_kg=Decimal(15), notes="Coach's"))
    services.accept_invitation(services.create_invitation(dora), user)
    services.prescribe(dora, user, prescription(bodyweight, notes="Dora's plan"))

    accounts.close(dora)
    accounts.delete_closed_account.call(dora.pk)

    # Dora's plans went with her account; the plan hers replaced stays replaced.
    assert Prescription.objects.filter(athlete=user).count() == 1
    assert not Prescription.objects.in_force().exists()
    assert Prescription.objects.load_kg_for(user.pk, loaded.pk) == 0
    client.force_login(user)
    assert "From your coach" not in _text(client, reverse("training:log"))
    client.force_login(coach)
    assert "force since" not in _text(client, reverse("coaches:athlete", args=[user.pk]))


def test_it_brings_no_plan_back_when_the_athlete_links_with_its_coach_again(
    client, coach, user, linked, loaded
):
    services.prescribe(coach, user, prescription(loaded, load_kg=Decimal(15), notes="Old link's"))
    services.end_link(linked, user)
    services.accept_invitation(services.create_invitation(coach), user)
    session = _session_of(user, loaded)

    assert not Prescription.objects.in_force().exists()
    assert Prescription.objects.load_kg_for(user.pk, loaded.pk) == 0
    client.force_login(user)
    assert "From your coach" not in _text(client, reverse("training:log"))
    response = client.get(session.get_absolute_url())
    assert "Your coach's plan" not in response.content.decode()
    assert response.context["form"].initial.get("load") is None
    client.force_login(coach)
    athlete = _text(client, reverse("coaches:athlete", args=[user.pk]))
    assert "force since" not in athlete
    assert "Old link's" not in athlete

    # A plan written under the new link is in force at once.
    services.prescribe(coach, user, prescription(loaded, load_kg=Decimal(20)))
    assert Prescription.objects.load_kg_for(user.pk, loaded.pk) == Decimal(20)
    client.force_login(user)
    assert "From your coach, coach" in _text(client, reverse("training:log"))


def test_it_names_the_plan_in_force_on_a_past_day_whatever_was_written_or_ended_since(
    coach, user, linked, loaded, bodyweight
):
    def noon(month: int, day: int) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime(2026, month, day, 12))

    CoachLink.objects.filter(pk=linked.pk).update(accepted_at=noon(10, 1))
    services.prescribe(coach, user, prescription(loaded, notes="October's"))
    Prescription.objects.update(created_at=noon(10, 10))
    services.prescribe(coach, user, prescription(bodyweight, notes="Since the 20th"))
    Prescription.objects.filter(notes="Since the 20th").update(created_at=noon(10, 20))
    Prescription.objects.filter(notes="October's").update(replaced_at=noon(10, 20))
    services.end_link(linked, user)

    def notes_on(month: int, day: int) -> list[str]:
        plans = Prescription.objects.in_force_on(datetime.date(2026, month, day))
        return list(plans.values_list("notes", flat=True))

    assert notes_on(10, 5) == []
    assert notes_on(10, 15) == ["October's"]
    assert notes_on(10, 20) == ["Since the 20th"]  # written that day
    assert notes_on(11, 2) == ["Since the 20th"]
    # The link ended today: no plan today, nor now.
    assert Prescription.objects.in_force_on(timezone.localdate()).count() == 0
    assert not Prescription.objects.in_force().exists()
    october = Prescription.objects.in_force_for(user.pk, loaded.pk, on=datetime.date(2026, 10, 15))
    assert october.notes == "October's"
    assert (
        Prescription.objects.in_force_for(user.pk, loaded.pk, on=datetime.date(2026, 11, 2)) is None
    )


def test_it_suggests_the_prescribed_leg_first_in_every_pair_of_sets(
    client, coach, user, linked, bodyweight
):
    plan = prescription(bodyweight, side_order="right-left", notes="Slow on the way down.")
    services.prescribe(coach, user, plan)
    session = _session_of(user, bodyweight)
    client.force_login(user)
    response = client.get(session.get_absolute_url())
    page = " ".join(response.content.decode().split())
    assert "3-0-1-1</span>, right leg, then left.</p>" in page
    assert "Coach's note: Slow on the way down." in page

    # Each time the trainee takes the set the entry suggests.
    url = reverse("training:set-create", args=[session.pk])
    for _ in range(6):
        taken = as_the_browser_submits(response.context["form"])
        response = client.post(url, {**taken, "effort": "rpe:8"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
    sides = list(session.sets.order_by("position").values_list("side", flat=True))
    assert sides == ["right", "left", "right", "left", "right", "left"]


def test_it_tells_the_coach_when_the_plan_in_force_is_for_another_rung_than_the_level(
    client, coach, user, linked, loaded, bodyweight
):
    Profile.objects.filter(user=user).update(level=loaded)
    services.prescribe(coach, user, prescription(loaded, load_kg=Decimal("22.5")))
    client.force_login(coach)
    url = reverse("coaches:athlete", args=[user.pk])
    assert "while ada is now at" not in _text(client, url)

    moved = {"variation": bodyweight.pk, "reason": "Knee pain on the loaded rung."}
    assert client.post(reverse("coaches:level", args=[user.pk]), moved).status_code == 302
    assert (
        "This plan is for rung 4, Dumbbell or kettlebell single leg hip thrust, while ada is now "
        "at level 3, Single leg hip thrust: write a new plan for their level below."
    ) in _text(client, url)


def test_it_tells_the_athlete_on_today_when_the_plan_is_for_another_rung_than_the_level(
    client, coach, user, linked, loaded, bodyweight
):
    from tests.conftest import todays_plan_card

    Profile.objects.filter(user=user).update(level=bodyweight)
    services.prescribe(coach, user, prescription(bodyweight))
    assert "This plan is for" not in todays_plan_card(client, user)

    # Moved up: the old rung's plan is said to be for it, and a new one asked for.
    Profile.objects.filter(user=user).update(level=loaded)
    card = todays_plan_card(client, user)
    assert (
        "This plan is for rung 3, Single leg hip thrust; you are now at level 4, Dumbbell or "
        "kettlebell single leg hip thrust: ask your coach for a plan for it.</p>"
    ) in card

    # Moved down: and told to train at the level meanwhile, and why.
    services.prescribe(coach, user, prescription(loaded, load_kg=Decimal("22.5")))
    client.force_login(coach)
    moved = {"variation": bodyweight.pk, "reason": "Knee pain on the loaded rung."}
    assert client.post(reverse("coaches:level", args=[user.pk]), moved).status_code == 302
    card = todays_plan_card(client, user)
    assert (
        "This plan is for rung 4, Dumbbell or kettlebell single leg hip thrust; you are now at "
        "level 3, Single leg hip thrust: ask your coach for a plan for it. Until then, train at "
        "your level, not this plan: its rung is harder than the one you were moved back to.</p>"
    ) in card
