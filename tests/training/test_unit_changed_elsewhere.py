"""A set form drawn before the trainee switched kg and lb (in another tab, on another device)
saves no load read in the wrong unit: it is refused, converted, on its field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import set_data
from training.fields import load_in_kg
from training.models import Profile, Set

pytestmark = pytest.mark.django_db

REFUSED = (
    "This form showed loads in kg, but your weights are in lb now (changed in another tab or "
    "on another device). 20 kg is 44.09 lb, now in the box: check it and save again."
)


@pytest.fixture
def in_pounds(user):
    Profile.objects.update_or_create(user=user, defaults={"unit": "lb"})


def test_the_set_forms_say_which_unit_they_show(user_client, session):
    existing = Set.objects.create(session=session, position=1, side="left", reps=8)
    for url in (session.get_absolute_url(), reverse("training:set-edit", args=[existing.pk])):
        assert (
            '<input type="hidden" name="unit" value="kg">' in user_client.get(url).content.decode()
        )


def test_a_new_set_typed_in_kg_after_a_switch_to_lb_is_refused_and_not_saved(
    user_client, session, in_pounds
):
    url = reverse("training:set-create", args=[session.pk])
    response = user_client.post(url, set_data(load="20", unit="kg"))
    assert response.status_code == 200
    assert response.context["form"].errors["load"] == [REFUSED]
    assert not Set.objects.exists()
    # Drawn again in the unit now in force, the load converted in its box, with the
    # kilograms it shows: sent again as it comes back, it saves the weight meant, exactly.
    html = response.content.decode()
    assert '<input type="hidden" name="unit" value="lb">' in html
    assert 'name="load" value="44.09"' in html
    assert '<input type="hidden" name="load_kg_shown" value="20"' in html
    user_client.post(url, set_data(load="44.09", unit="lb", load_kg_shown="20"))
    assert Set.objects.get().load_kg == Decimal(20)


def test_a_converted_load_changed_before_saving_is_saved_as_typed(user_client, session, in_pounds):
    url = reverse("training:set-create", args=[session.pk])
    user_client.post(url, set_data(load="45", unit="lb", load_kg_shown="20"))
    assert Set.objects.get().load_kg == load_in_kg(Decimal("45"), "lb")


@pytest.mark.parametrize("shown", ["", "many", "-20", "1e9", "20.00000000001"])
def test_kilograms_shown_that_cannot_be_a_load_are_ignored(user_client, session, shown):
    url = reverse("training:set-create", args=[session.pk])
    user_client.post(url, set_data(load="20", unit="kg", load_kg_shown=shown))
    assert Set.objects.get().load_kg == Decimal(20)


def test_an_edit_opened_in_kg_and_sent_after_a_switch_to_lb_keeps_the_stored_load(
    user_client, session, in_pounds
):
    existing = Set.objects.create(
        session=session, position=1, side="left", reps=8, load_kg=Decimal(20)
    )
    url = reverse("training:set-edit", args=[existing.pk])
    response = user_client.post(url, set_data(reps="11", load="20", unit="kg", revision="0"))
    assert response.context["form"].errors["load"] == [REFUSED]
    assert 'name="load" value="44.09"' in response.content.decode()
    existing.refresh_from_db()
    assert (existing.reps, existing.load_kg) == (8, Decimal(20))


@pytest.mark.parametrize("unit", ["kg", None])
def test_body_weight_or_a_form_in_the_unit_in_force_is_saved(user_client, session, unit):
    url = reverse("training:set-create", args=[session.pk])
    assert user_client.post(url, set_data(load="20", unit=unit)).status_code in (200, 302)
    Profile.objects.filter(user=session.user).update(unit="lb")
    user_client.post(url, set_data(load="", unit="kg"))
    assert list(Set.objects.values_list("load_kg", flat=True)) == [Decimal(20), Decimal(0)]
