from __future__ import annotations

import datetime
import re
from decimal import Decimal
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coaches import services
from coaches.models import CoachLink
from tests.conftest import PASSWORD
from training import forms
from training.models import LevelChange, OwnedWeight, Profile
from training.services import change_level
from training.units import to_kg

pytestmark = pytest.mark.django_db


def test_the_signup_form_lets_the_browser_fill_in_each_field(client):
    html = client.get(reverse("training:signup")).content.decode()
    fields = {
        re.search(r'name="([^"]+)"', tag).group(1): re.search(r'autocomplete="([^"]+)"', tag)
        for tag in re.findall(r"<input\b[^>]*>", html)
        if 'type="hidden"' not in tag
    }
    assert {name: found and found.group(1) for name, found in fields.items()} == {
        "username": "username",
        "email": "email",
        "password1": "new-password",
        "password2": "new-password",
    }


def test_signing_up_creates_the_account_and_its_profile_and_logs_in(client):
    response = client.post(
        reverse("training:signup"),
        {
            "username": "lin",
            "email": "Lin@Example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("training:profile")
    user = get_user_model().objects.get(username="lin")
    assert user.email == "lin@example.com"
    assert Profile.objects.get(user=user).unit == "kg"
    assert client.get(reverse("training:log")).status_code == 200


@pytest.mark.parametrize(
    ("taken", "field", "message"),
    [
        ({"email": "Ada@Example.com"}, "email", "An account already uses this email."),
        ({"username": "ADA"}, "username", "A user with that username already exists."),
    ],
)
def test_two_sign_ups_at_once_make_one_account_and_tell_the_other_on_the_field(
    client, user, monkeypatch, taken, field, message
):
    # The second sign-up's look-up ran before the first one's account was written, so it
    # passed: the database refuses the row, and the form says why.
    monkeypatch.setattr(forms.SignupForm, "clean_email", lambda form: form.cleaned_data["email"])
    monkeypatch.setattr(
        forms.SignupForm, "clean_username", lambda form: form.cleaned_data["username"]
    )
    data = {"username": "new", "email": "new@example.com", "password1": PASSWORD}
    response = client.post(reverse("training:signup"), {**data, "password2": PASSWORD, **taken})
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["ada"]
    assert not Profile.objects.exclude(user=user).exists()


@pytest.mark.parametrize("taken", [{"email": "ADA@example.com"}, {"username": "Ada"}])
def test_the_database_keeps_one_account_per_email_and_name_in_any_case(user, taken):
    fields = {"username": "other", "email": "other@example.com", **taken}
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create(**fields)


def test_accounts_without_an_email_may_be_many(db):
    get_user_model().objects.create(username="one")
    get_user_model().objects.create(username="two")
    assert get_user_model().objects.filter(email="").count() == 2


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "ada@example.com"}, "email", "already uses this email"),
        ({"password2": "different-password-99"}, "password2", "didn’t match"),
        ({"password1": "123", "password2": "123"}, "password1", "too short"),
        ({"username": "ada"}, "username", "already exists"),
    ],
)
def test_signup_refuses_bad_input_on_the_field(client, user, fields, field, message):
    data = {
        "username": "new",
        "email": "new@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    response = client.post(reverse("training:signup"), {**data, **fields})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert get_user_model().objects.count() == 1


def test_the_log_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("training:log"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('training:log')}"


def test_logging_in_and_out(client, user):
    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert response["Location"] == reverse("training:log")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("training:log")).status_code == 302


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/log/history/", "/log/history/"),
        ("//evil.example/", "/log/"),
        # Safe as given, but 4,500 characters once percent-encoded: too long to be safe.
        ("{" * 1500, "/log/"),
    ],
)
def test_logging_in_follows_next_only_to_a_safe_address(client, user, next_url, lands_on):
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == lands_on
    assert "_auth_user_id" in client.session


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, user):
    client.post(reverse("password_reset"), {"email": "ada@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "a-brand-new-password-77"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_a_new_password_too_short_is_said_beside_it_when_changed_or_reset(client, user):
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "too short" in " ".join(response.context["form"].errors["new_password1"])
    assert "new_password2" not in response.context["form"].errors
    client.logout()
    client.post(reverse("password_reset"), {"email": "ada@example.com"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 200
    assert "too short" in " ".join(response.context["form"].errors["new_password1"])
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_the_password_ends_the_other_sessions(client, user, django_user_model):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(user)
    client.force_login(user)
    new = "another-new-password-88"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(reverse("training:log")).status_code == 200
    assert elsewhere.get(reverse("training:log")).status_code == 302


def test_the_profile_offers_the_whole_log_to_download_as_a_file_not_a_swapped_page(user_client):
    html = user_client.get(reverse("training:profile")).content.decode()
    assert (
        f'<a href="{reverse("imports:export")}" hx-boost="false">Download your whole log</a>'
        in html
    )


def test_the_profile_keeps_unit_level_and_owned_weights_exactly(user_client, user, bodyweight):
    response = user_client.post(
        reverse("training:profile"),
        {"unit": "lb", "level": bodyweight.pk, "dumbbells": "10, 15, 22.5", "kettlebells": "35"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert (profile.unit, profile.level) == ("lb", bodyweight)
    dumbbells = list(
        OwnedWeight.objects.filter(user=user, kind="dumbbell").values_list("load_kg", flat=True)
    )
    assert dumbbells == [Decimal("4.5359237"), Decimal("6.80388555"), Decimal("10.205828325")]
    change = LevelChange.objects.get(user=user)
    assert (change.to_variation, change.source, change.from_variation) == (
        bodyweight,
        "start",
        None,
    )
    page = user_client.get(reverse("training:profile")).content.decode()
    assert 'value="10, 15, 22.5"' in page


def _owned(user, kind: str) -> list[Decimal]:
    loads = OwnedWeight.objects.filter(user=user, kind=kind).values_list("load_kg", flat=True)
    return sorted(loads)


def test_switching_the_unit_keeps_the_weights_owned_when_their_lists_are_left_as_shown(
    user_client, user, bodyweight
):
    url = reverse("training:profile")
    lists = {"dumbbells": "5, 7.5", "kettlebells": "8"}
    user_client.post(url, {"unit": "kg", "level": bodyweight.pk, **lists})
    assert 'value="5, 7.5"' in user_client.get(url).content.decode()

    response = user_client.post(url, {"unit": "lb", "level": bodyweight.pk, **lists})

    assert response.status_code == 302
    assert (_owned(user, "dumbbell"), _owned(user, "kettlebell")) == ([5, Decimal("7.5")], [8])
    page = user_client.get(url).content.decode()
    assert 'value="11.02, 16.53"' in page
    assert 'value="17.64"' in page
    # Back to kg with the pound lists as shown: the same weights, not 4.9986 kg.
    shown = {"dumbbells": "11.02, 16.53", "kettlebells": "17.64"}
    user_client.post(url, {"unit": "kg", "level": bodyweight.pk, **shown})
    assert (_owned(user, "dumbbell"), _owned(user, "kettlebell")) == ([5, Decimal("7.5")], [8])


def test_a_weight_added_as_the_unit_is_switched_is_read_in_the_unit_chosen(
    user_client, user, bodyweight
):
    url = reverse("training:profile")
    user_client.post(
        url, {"unit": "kg", "level": bodyweight.pk, "dumbbells": "5", "kettlebells": "8"}
    )

    # Pounds chosen, a kettlebell added to the list as it showed in kilograms.
    lists = {"dumbbells": "5", "kettlebells": "8, 20"}
    response = user_client.post(url, {"unit": "lb", "level": bodyweight.pk, **lists})

    assert response.status_code == 302
    assert _owned(user, "dumbbell") == [5]
    assert _owned(user, "kettlebell") == [8, to_kg(Decimal(20), "lb")]
    assert 'value="17.64, 20"' in user_client.get(url).content.decode()


@pytest.mark.parametrize(
    ("unit", "stored", "shown", "added"),
    [
        # 11.02 lb once typed in pounds, shown in kilograms as 5.
        ("kg", [Decimal("4.9985879174"), Decimal(10)], "5, 10", "12.5"),
        # 5 kg and 7.5 kg, shown in pounds rounded to 11.02 and 16.53.
        ("lb", [Decimal(5), Decimal("7.5")], "11.02, 16.53", "25"),
    ],
)
def test_it_changes_no_stored_weight_whose_number_is_saved_as_shown(
    user_client, user, bodyweight, unit, stored, shown, added
):
    Profile.objects.update_or_create(user=user, defaults={"unit": unit, "level": bodyweight})
    for load in stored:
        OwnedWeight.objects.create(user=user, kind="dumbbell", load_kg=load)
    url = reverse("training:profile")
    assert f'value="{shown}"' in user_client.get(url).content.decode()
    data = {"unit": unit, "level": bodyweight.pk, "kettlebells": ""}

    user_client.post(url, {**data, "dumbbells": shown})
    assert _owned(user, "dumbbell") == stored

    # Another weight added to the list: those left as shown are still the same weights.
    response = user_client.post(url, {**data, "dumbbells": f"{shown}, {added}"})

    assert response.status_code == 302
    assert _owned(user, "dumbbell") == sorted([*stored, to_kg(Decimal(added), unit)])


@pytest.mark.parametrize("weights", ["ten", "-5", "0", "12.345", "2000"])
def test_the_profile_refuses_weights_that_are_not_weights(user_client, user, bodyweight, weights):
    response = user_client.post(
        reverse("training:profile"),
        {"unit": "kg", "level": bodyweight.pk, "dumbbells": weights, "kettlebells": ""},
    )
    assert response.status_code == 200
    assert "dumbbells" in response.context["form"].errors
    assert not OwnedWeight.objects.filter(user=user).exists()
    assert Profile.objects.get(user=user).level is None


@pytest.mark.parametrize("weights", ["1,5", "5, 7,5, 10", "12,25"])
def test_a_comma_between_digits_is_asked_about_not_read_as_two_weights(
    user_client, user, bodyweight, weights
):
    response = user_client.post(
        reverse("training:profile"),
        {"unit": "kg", "level": bodyweight.pk, "dumbbells": weights, "kettlebells": ""},
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["dumbbells"]
    assert "could be one weight or two" in message
    assert not OwnedWeight.objects.filter(user=user).exists()


def test_weights_listed_with_a_comma_and_a_space_are_each_kept(user_client, user, bodyweight):
    user_client.post(
        reverse("training:profile"),
        {"unit": "kg", "level": bodyweight.pk, "dumbbells": "5, 7.5,  10 ;12.5", "kettlebells": ""},
    )
    kept = (
        OwnedWeight.objects.filter(user=user).order_by("load_kg").values_list("load_kg", flat=True)
    )
    assert list(kept) == [5, Decimal("7.5"), 10, Decimal("12.5")]


def test_the_password_pages_post_to_themselves(client, user):
    page = client.get(reverse("password_reset")).content.decode()
    assert f'action="{reverse("password_reset")}"' in page
    client.force_login(user)
    page = client.get(reverse("password_change")).content.decode()
    assert f'action="{reverse("password_change")}"' in page


@pytest.mark.parametrize(("kg", "shown"), [("100", "100"), ("20.0000000000", "20"), ("7.5", "7.5")])
def test_an_owned_weight_reads_as_a_plain_number_of_kilograms(user, kg, shown):
    weight = OwnedWeight.objects.create(user=user, kind="dumbbell", load_kg=Decimal(kg))
    weight.refresh_from_db()
    assert str(weight) == f"Dumbbell {shown} kg"


def test_a_user_restored_without_a_profile_reads_kilograms_and_gets_one(user_client, user):
    Profile.objects.filter(user=user).delete()
    assert Profile.objects.unit_of(user) == "kg"
    assert Profile.objects.filter(user=user).exists()
    Profile.objects.filter(user=user).delete()
    assert user_client.get(reverse("training:records")).context["unit"] == "kg"


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [("", "/coach/"), ("/log/history/", "/log/history/"), ("//evil.example/", "/coach/")],
)
def test_a_coach_lands_on_the_review_queue_unless_next_says_otherwise(
    client, coach, next_url, lands_on
):
    data = {"username": coach.username, "password": PASSWORD}
    response = client.post(reverse("login"), {**data, "next": next_url} if next_url else data)
    assert response.status_code == 302
    assert response["Location"] == lands_on


def _join_url(coach) -> str:
    return reverse("coaches:join", args=[services.create_invitation(coach).code])


def _sign_up(client, next_url: str | None):
    data = {"username": "lin", "email": "lin@example.com", "password1": PASSWORD}
    data["password2"] = PASSWORD
    query = f"?{urlencode({'next': next_url})}" if next_url is not None else ""
    return client.post(reverse("training:signup") + query, {**data, "next": next_url or ""})


def test_a_coachs_invitation_survives_signing_up_and_asks_for_consent_right_after(client, coach):
    join = _join_url(coach)
    landing = client.get(join)
    assert landing.status_code == 200  # who invites them and to what, before any login
    login_page = client.get(f"{reverse('login')}?next={quote(join)}").content.decode()
    signup_link = f"{reverse('training:signup')}?next={quote(join)}"
    # The header's, the invitation's "New here?" and the form's
    assert login_page.count(f'href="{signup_link}"') == 3

    signup_page = client.get(signup_link).content.decode()
    assert f'name="next" value="{join}"' in signup_page
    assert signup_page.count(f'href="{reverse("login")}?next={quote(join)}"') == 2

    response = _sign_up(client, join)
    assert (response.status_code, response["Location"]) == (302, join)
    consent = client.get(join).content.decode()
    assert "coach would like to coach you" in consent
    assert "Accept coach as my coach" in consent
    assert not CoachLink.objects.active().exists()  # nothing is accepted without the consent
    client.post(join)
    link = CoachLink.objects.get(coach=coach)
    assert link.athlete.username == "lin"


def test_an_expired_invitation_still_says_so_after_signing_up(client, coach, settings):
    settings.INVITATION_DAYS = 3
    join = _join_url(coach)
    CoachLink.objects.update(created_at=timezone.now() - datetime.timedelta(days=3, minutes=1))
    response = _sign_up(client, join)
    assert response["Location"] == join
    page = client.get(join).content.decode()
    assert "This invitation expired on" in page
    assert "Accept coach as my coach" not in page


@pytest.mark.parametrize("next_url", ["//evil.example/", "https://evil.example/coach/", "{" * 1500])
def test_signing_up_follows_next_only_to_a_safe_address(client, next_url):
    page = client.get(f"{reverse('training:signup')}?{urlencode({'next': next_url})}")
    assert 'name="next"' not in page.content.decode()
    response = _sign_up(client, next_url)
    assert response["Location"] == reverse("training:profile")


def test_someone_signed_in_who_opens_sign_up_goes_on_to_next(client, user, coach):
    join = _join_url(coach)
    client.force_login(user)
    response = client.get(f"{reverse('training:signup')}?{urlencode({'next': join})}")
    assert response["Location"] == join


def _levelled(user, variation) -> None:
    change_level(user, variation, reason="start", source="start", changed_by=user)


def test_a_profile_saved_from_a_page_opened_before_a_coachs_level_change_keeps_that_change(
    user_client, user, coach, bodyweight, bridge
):
    _levelled(user, bodyweight)
    url = reverse("training:profile")
    shown = f'name="level_shown" value="{bodyweight.pk}"'
    assert shown in user_client.get(url).content.decode()
    # Meanwhile the coach moves the athlete back a rung.
    change_level(user, bridge, reason="Knee", source="coach", changed_by=coach)
    response = user_client.post(
        url,
        {"unit": "lb", "level": bodyweight.pk, "level_shown": bodyweight.pk, "dumbbells": ""},
        follow=True,
    )
    profile = Profile.objects.get(user=user)
    assert (profile.unit, profile.level) == ("lb", bridge)
    assert list(LevelChange.objects.values_list("to_variation", flat=True).order_by("pk")) == [
        bodyweight.pk,
        bridge.pk,
    ]
    said = [str(message) for message in response.context["messages"]]
    assert said == [
        f"Profile saved. Your level was changed to {bridge.name} while this page was open; "
        "it stays as it is."
    ]


def test_a_level_chosen_in_the_profile_wins_over_one_changed_meanwhile(
    user_client, user, coach, bodyweight, bridge, loaded
):
    _levelled(user, bodyweight)
    change_level(user, bridge, reason="Knee", source="coach", changed_by=coach)
    user_client.post(
        reverse("training:profile"),
        {"unit": "kg", "level": loaded.pk, "level_shown": bodyweight.pk, "dumbbells": ""},
    )
    assert Profile.objects.get(user=user).level == loaded
    assert LevelChange.objects.latest("pk").from_variation == bridge
