"""What a device sends from its offline queue (training/sync_views.py): each entry saved
exactly once under its submission id, however often it arrives; what is refused answered
with the reason and nothing half-saved."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coaching.models import FormError, Variation
from tests.conftest import set_data, timer_plan
from training.models import Profile, Set, TrainingSession

pytestmark = pytest.mark.django_db

SYNC = reverse("training:sync")


def _set(client, session_ref: dict, **fields):
    return client.post(SYNC, {"kind": "set", "unit": "kg", **session_ref, **set_data(**fields)})


def test_it_tells_the_device_who_is_signed_in_and_the_token_to_send_with(user_client, user):
    response = user_client.get(SYNC)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json()["user"] == user.pk
    assert len(response.json()["csrf"]) >= 32


def test_a_signed_out_device_is_sent_to_log_in_and_nothing_is_saved(client, session):
    response = _set(client, {"session": session.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Set.objects.exists()


def test_a_set_sent_twice_is_saved_once_and_the_replay_names_the_saved_set(user_client, session):
    submission = str(uuid.uuid4())
    first = _set(user_client, {"session": session.pk}, submission_id=submission, load="20")
    again = _set(user_client, {"session": session.pk}, submission_id=submission, load="20")
    saved = Set.objects.get()
    assert first.status_code == again.status_code == 200
    assert first.json() == {**again.json(), "created": True}
    assert again.json()["set"] == saved.pk
    assert again.json()["created"] is False
    assert (saved.side, saved.reps, saved.load_kg, saved.submission_id) == (
        "left",
        10,
        Decimal(20),
        uuid.UUID(submission),
    )


def test_a_session_started_offline_is_created_once_with_the_sets_that_name_it(
    user_client, user, loaded
):
    submission = str(uuid.uuid4())
    session = {"kind": "session", "variation": loaded.pk, "date": "2026-11-30"}
    session["submission_id"] = submission
    assert user_client.post(SYNC, session).status_code == 200
    replay = user_client.post(SYNC, session)
    assert replay.json()["created"] is False
    for side, load in (("left", "20"), ("right", "22.5")):
        answer = _set(user_client, {"session_submission_id": submission}, side=side, load=load)
        assert answer.status_code == 200
    made = TrainingSession.objects.get(user=user)
    assert made.date == datetime.date(2026, 11, 30)
    assert made.variation == loaded
    assert list(made.sets.values_list("position", "side", "load_kg")) == [
        (1, "left", Decimal(20)),
        (2, "right", Decimal("22.5")),
    ]


def test_it_refuses_a_value_out_of_range_with_the_field_and_saves_nothing(user_client, session):
    response = _set(user_client, {"session": session.pk}, reps="800")
    assert response.status_code == 400
    assert response.json()["errors"] == {"reps": ["Reps must be at most 100."]}
    assert response.json()["refused"] == "The set could not be saved."
    assert not Set.objects.exists()


def test_it_refuses_a_set_whose_session_was_deleted_meanwhile(user_client, session):
    pk = session.pk
    session.delete()
    response = _set(user_client, {"session": pk})
    assert response.status_code == 404
    assert "no longer in your log" in response.json()["refused"]
    assert not Set.objects.exists()


def test_another_users_session_does_not_exist_for_the_queue(user_client, other_session):
    for ref in ({"session": other_session.pk}, {"session_submission_id": str(uuid.uuid4())}):
        assert _set(user_client, ref).status_code == 404
    assert other_session.sets.count() == 1


def test_a_set_logged_in_another_unit_than_the_profile_has_now_is_refused(
    user_client, user, session
):
    Profile.objects.update_or_create(user=user, defaults={"unit": "lb"})
    response = _set(user_client, {"session": session.pk}, load="30")
    assert response.status_code == 409
    assert "in lb now" in response.json()["refused"]
    assert not Set.objects.exists()
    # With the load as the set form shows it in lb now, and the kilograms that is: fixed
    # and sent as shown, it saves 30 kg, not the 66.14 lb shown read back.
    answer = response.json()
    assert (answer["unit"], answer["load"], answer["load_kg_shown"]) == ("lb", "66.14", "30")
    fixed = {"unit": "lb", "load": "66.14", "load_kg_shown": "30"}
    assert _set(user_client, {"session": session.pk}, **fixed).status_code == 200
    assert Set.objects.get().load_kg == Decimal(30)


@pytest.mark.parametrize("load", ["", "heavy"])
def test_a_set_in_another_unit_whose_load_cannot_be_read_is_refused_without_one(
    user_client, user, session, load
):
    Profile.objects.update_or_create(user=user, defaults={"unit": "lb"})
    answer = _set(user_client, {"session": session.pk}, load=load).json()
    assert answer["unit"] == "lb"
    assert "load" not in answer


def test_a_set_far_from_the_recent_ones_is_refused_with_the_confirm_that_saves_it(
    user_client, session
):
    for _ in range(3):
        _set(user_client, {"session": session.pk}, reps="10")
    far = _set(user_client, {"session": session.pk}, reps="90")
    assert far.status_code == 400
    confirm = far.json()["confirm"]
    assert confirm == "reps=90"
    saved = _set(user_client, {"session": session.pk}, reps="90", confirm=confirm)
    assert saved.status_code == 200
    assert session.sets.filter(reps=90).count() == 1


def _device(user) -> tuple[Client, dict]:
    # As the device sends: the token in its header, checked, as in production (the CSRF
    # check is what reads the body first).
    device = Client(enforce_csrf_checks=True)
    device.force_login(user)
    return device, {"HTTP_X_CSRFTOKEN": device.get(SYNC).json()["csrf"]}


def test_an_entry_too_large_to_read_is_refused_as_json_the_device_keeps(user, session, settings):
    device, token = _device(user)
    note = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    entry = {"kind": "set", "session": session.pk, **set_data(note=note)}
    response = device.post(SYNC, entry, **token)
    assert response.status_code == 413
    assert response.json() == {
        "refused": "This is larger than the log takes: shorten its note, or discard it.",
        "errors": {},
    }
    assert not Set.objects.exists()


def test_an_entry_with_more_fields_than_any_is_refused_as_json(user, session, settings):
    device, token = _device(user)
    fields = {f"field{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = device.post(SYNC, {"kind": "set", "session": session.pk, **fields}, **token)
    assert response.status_code == 400
    assert response.json()["refused"] == (
        "This entry cannot be read (more fields than any entry): discard it."
    )
    assert not Set.objects.exists()


def test_an_entry_over_the_sites_size_cap_is_refused_as_json(user, session, settings):
    device, token = _device(user)
    settings.MAX_REQUEST_BYTES = 1024
    entry = {"kind": "set", "session": session.pk, **set_data(note="x" * 2000)}
    response = device.post(SYNC, entry, **token)
    assert response.status_code == 413
    assert response.json()["errors"] == {}
    assert not Set.objects.exists()


def test_it_refuses_an_entry_without_its_submission_id(user_client, session):
    response = _set(user_client, {"session": session.pk}, submission_id=None)
    assert response.status_code == 400
    assert "submission_id" in response.json()["errors"]
    assert user_client.post(SYNC, {"kind": "nonsense"}).status_code == 400


def test_timer_sets_logged_offline_are_saved_once_on_the_day_they_were_logged(user_client, user):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    plan = {"kind": "timer", **timer_plan(), "date": yesterday.isoformat()}
    assert user_client.post(SYNC, plan).status_code == 200
    assert user_client.post(SYNC, plan).status_code == 200
    session = TrainingSession.objects.get(user=user)
    assert session.date == yesterday
    assert session.sets.count() == 4


def test_timer_sets_synced_later_join_that_days_session_of_the_variation(user_client, user):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    earlier = TrainingSession.objects.create(
        user=user, date=yesterday, variation=Variation.objects.get(slug="single-leg-hip-thrust")
    )
    Set.objects.create(session=earlier, position=1, side="left", reps=12)
    plan = {"kind": "timer", **timer_plan(), "date": yesterday.isoformat()}
    first = user_client.post(SYNC, plan).json()
    replayed = user_client.post(SYNC, plan).json()
    assert (first["session"], first["joined"], replayed["session"]) == (
        earlier.pk,
        True,
        earlier.pk,
    )
    assert list(TrainingSession.objects.filter(user=user)) == [earlier]
    assert list(earlier.sets.values_list("position", flat=True)) == [1, 2, 3, 4, 5]


def test_timer_sets_under_the_id_of_a_session_entry_are_refused_not_answered_saved(
    user_client, user, loaded
):
    # The device drops an entry answered 200: these sets were lost, the answer naming
    # the other entry's session, of another day and rung.
    reused = str(uuid.uuid4())
    started = {"kind": "session", "variation": loaded.pk, "date": "2026-11-10"}
    assert user_client.post(SYNC, {**started, "submission_id": reused}).status_code == 200
    plan = {"kind": "timer", **timer_plan(), "date": "2026-11-12", "submission_id": reused}

    answer = user_client.post(SYNC, plan)

    assert answer.status_code == 409
    assert "already used" in answer.json()["refused"]
    made = TrainingSession.objects.get(user=user)
    assert (made.date, made.variation, made.sets.count()) == (
        datetime.date(2026, 11, 10),
        loaded,
        0,
    )


def test_the_offline_log_page_is_the_same_for_everyone_and_names_no_one(client, user):
    anonymous = client.get(reverse("training:offline-log")).content.decode()
    client.force_login(user)
    signed_in = client.get(reverse("training:offline-log")).content.decode()
    assert "Log sets offline" in anonymous
    assert "single-leg-hip-thrust" in anonymous  # the ladder, for a session started offline
    assert user.username not in anonymous
    assert "csrfmiddlewaretoken" not in anonymous
    assert 'data-offline-queue="set"' in signed_in


class _SetFormControls(HTMLParser):
    """The controls of a page's set form (the one marked data-offline-queue="set"): for each
    name, the values it offers (a choice's options, radios and boxes) or its type."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.controls: dict[str, set[str]] = {}
        self.attrs: dict[str, dict] = {}
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "form" and found.get("data-offline-queue") == "set":
            self.inside = True
        if not self.inside:
            return
        if tag in ("input", "textarea", "select") and found.get("name"):
            name = found["name"]
            self.attrs[name] = found
            offers = self.controls.setdefault(name, set())
            if found.get("type") in ("radio", "checkbox"):
                offers.add(found.get("value", "on"))
            elif tag != "select":
                offers.add(found.get("type", tag))
            self.select = name if tag == "select" else None
        if tag == "option" and self.select:
            self.controls[self.select].add(found.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def _set_form(html: str) -> _SetFormControls:
    parser = _SetFormControls()
    parser.feed(html)
    return parser


def test_the_offline_log_page_has_the_session_pages_set_form_field_for_field(user_client, session):
    online = _set_form(user_client.get(session.get_absolute_url()).content.decode())
    offline = _set_form(user_client.get(reverse("training:offline-log")).content.decode())
    online.controls.pop("csrfmiddlewaretoken")
    # The session page names the unit it shows; the offline page, the same for everyone,
    # has its script send the trainee's (offline-log.mjs).
    assert online.controls.pop("unit") == {"hidden"}  # its type
    assert offline.controls.keys() == online.controls.keys()
    for name in ("effort", "form_errors", "tempo", "reps", "load", "hold_seconds", "pain", "note"):
        assert offline.controls[name] == online.controls[name], name
    assert len(offline.controls["form_errors"]) == FormError.objects.count() > 0
    # Every side the ladder has: the page's script shows those of the chosen session.
    assert offline.controls["side"] == {"left", "right", "both"}
    # The same page for everyone: each device gives its own submission ids.
    assert "value" not in offline.attrs["submission_id"]
    assert "data-fresh-id" in offline.attrs["submission_id"]
    assert "value" not in offline.attrs["tempo"], "the chosen session's tempo, from the page"


def test_the_offline_log_page_names_each_rungs_tempo_for_its_set_form(client, loaded):
    html = client.get(reverse("training:offline-log")).content.decode()
    assert f'"tempo": "{loaded.tempo.tempo.notation}"' in html


def test_a_set_sent_from_the_queue_keeps_its_tempo_effort_form_errors_pain_and_note(
    user_client, session
):
    errors = list(FormError.objects.order_by("pk")[:2])
    data = {
        "kind": "set",
        "unit": "kg",
        "session": session.pk,
        **set_data(tempo="4-0-1-2", effort="rir:2", pain="on", note="left knee drifted"),
        "form_errors": [str(e.pk) for e in errors],
    }
    assert user_client.post(SYNC, data).status_code == 200
    saved = Set.objects.get()
    assert (saved.tempo, saved.rpe, saved.rir, saved.pain, saved.note) == (
        "4-0-1-2",
        None,
        2,
        True,
        "left knee drifted",
    )
    assert list(saved.form_errors.order_by("pk")) == errors


def test_the_offline_log_page_still_answers_before_the_ladder_has_a_rung(client):
    Profile.objects.update(level=None)
    Variation.objects.all().delete()
    response = client.get(reverse("training:offline-log"))
    assert response.status_code == 200
    assert 'data-offline-queue="session"' in response.content.decode()


@pytest.mark.parametrize("reference", ["²", "9" * 5000, "-1", "1 "])
def test_a_session_reference_that_is_no_id_is_an_unknown_session_not_an_error(
    user_client, reference
):
    response = _set(user_client, {"session": reference})
    assert response.status_code == 404
    assert not Set.objects.exists()
