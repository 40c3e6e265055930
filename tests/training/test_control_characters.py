"""NUL and the other control characters, sent to every kind of input the site stores.

PostgreSQL refuses NUL in a text column (a server error) while SQLite keeps it: each input
must refuse it (with a message on the field) the same way on both engines, and save
nothing at all. Tab and newline stay where a text may have several lines (core/text.py).
"""

from __future__ import annotations

import inspect
import io
import uuid
from urllib.parse import urlencode

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from coaches.models import CoachNote, Prescription
from coaching import forms as coaching_forms
from coaching.models import Cue, Phase
from core.text import ControlCharacterValidator
from hipthrust import forms as site_forms
from imports import csv_io
from imports.models import PendingImport
from tests.conftest import PASSWORD
from training import forms as training_forms
from training.models import ImportBatch, OwnedWeight, Profile, Set, TrainingSession
from videos import tasks
from videos.models import SetVideo, VideoComment

pytestmark = pytest.mark.django_db

# NUL (PostgreSQL's server error), ESC (a pasted terminal colour), C1's NEL, and the
# right-to-left override that turns a page's text around.
CHARACTERS = {
    "\x00": "Null characters are not allowed.",
    "\x1b": "U+001B",
    "\x85": "U+0085",
    "\u202e": "U+202E",
}


def _message_for(character: str) -> str:
    found = CHARACTERS[character]
    return found if found.endswith(".") else f"Remove the control character {found}"


def _state() -> dict:
    models = (
        get_user_model(),
        Profile,
        OwnedWeight,
        TrainingSession,
        Set,
        CoachNote,
        Prescription,
        VideoComment,
        PendingImport,
        ImportBatch,
        Cue,
    )
    return {m._meta.label: list(m.objects.order_by("pk").values_list()) for m in models}


def _post(client, url: str, data: dict, encoding: str):
    if encoding == "urlencoded":
        return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    return client.post(url, data)


def _field_errors(response, form_key: str, field: str) -> list[str]:
    assert response.status_code in {200, 400}
    return response.context[form_key].errors[field]


def _assert_refused(errors: list[str], character: str) -> None:
    assert any(error.startswith(_message_for(character)) for error in errors), errors


@pytest.fixture(params=sorted(CHARACTERS))
def character(request) -> str:
    return request.param


@pytest.fixture(params=["urlencoded", "multipart"])
def encoding(request) -> str:
    return request.param


@pytest.fixture
def linked(coach, user):
    from coaches import services

    services.accept_invitation(services.create_invitation(coach), user)
    return coach


def test_a_set_note(user_client, session, character, encoding):
    before = _state()
    url = reverse("training:set-create", args=[session.pk])
    data = {"side": "left", "reps": "10", "effort": "", "note": f"knee{character}in"}
    response = _post(user_client, url, data, encoding)
    _assert_refused(_field_errors(response, "form", "note"), character)
    assert _state() == before


def test_session_notes(user_client, bodyweight, character, encoding):
    before = _state()
    data = {"date": "2026-11-03", "variation": bodyweight.pk, "notes": f"tired{character}out"}
    response = _post(user_client, reverse("training:session-create"), data, encoding)
    _assert_refused(_field_errors(response, "form", "notes"), character)
    assert _state() == before


def test_profile_weights(user_client, bodyweight, character, encoding):
    before = _state()
    data = {"unit": "kg", "level": bodyweight.pk, "dumbbells": f"10{character}, 12"}
    response = _post(user_client, reverse("training:profile"), data, encoding)
    _assert_refused(_field_errors(response, "form", "dumbbells"), character)
    assert _state() == before


def test_a_coach_note(client, linked, user, session, character, encoding):
    client.force_login(linked)
    before = _state()
    url = reverse("coaches:session", args=[user.pk, session.pk])
    response = _post(client, url, {"text": f"hips{character}level", "set": ""}, encoding)
    _assert_refused(_field_errors(response, "form", "text"), character)
    assert _state() == before


def test_a_prescriptions_notes(client, linked, user, bodyweight, character, encoding):
    client.force_login(linked)
    before = _state()
    data = {
        "variation": bodyweight.pk,
        "sets": "3",
        "reps_per_side": "12",
        "load": "",
        "tempo": "3-0-1-1",
        "hold_seconds": "0",
        "side_order": "left-right",
        "sessions_per_week": "3",
        "notes": f"left{character}side first",
    }
    url = reverse("coaches:prescribe", args=[user.pk])
    response = _post(client, url, data, encoding)
    _assert_refused(_field_errors(response, "prescription_form", "notes"), character)
    assert _state() == before


def test_a_video_comment(client, linked, athlete_client, a_set, h264, media_root, character):
    upload = SimpleUploadedFile("clip.mp4", h264.read_bytes(), content_type="video/mp4")
    athlete_client.post(reverse("videos:set-video", args=[a_set.pk]), {"file": upload})
    clip = SetVideo.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.process_video.call(clip.pk)
    client.force_login(linked)
    before = _state()
    url = reverse("videos:comment", args=[clip.pk])
    response = client.post(url, {"at_seconds": "0.5", "text": f"knee{character}in"})
    _assert_refused(_field_errors(response, "comment_form", "text"), character)
    assert _state() == before


def test_a_set_sent_from_the_offline_queue(user_client, session, character, encoding):
    before = _state()
    data = {
        "kind": "set",
        "session": session.pk,
        "unit": "kg",
        "side": "left",
        "reps": "10",
        "effort": "",
        "note": f"a{character}b",
        "submission_id": str(uuid.uuid4()),
    }
    response = _post(user_client, reverse("training:sync"), data, encoding)
    assert response.status_code == 400
    _assert_refused(response.json()["errors"]["note"], character)
    assert _state() == before


def test_a_sign_up(client, character, encoding):
    before = _state()
    data = {
        "username": f"ad{character}a",
        "email": "new@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    response = _post(client, reverse("training:signup"), data, encoding)
    _assert_refused(_field_errors(response, "form", "username"), character)
    assert _state() == before


def test_the_guides_content_in_the_admin(admin_client, exercise, character, encoding):
    before = _state()
    data = {
        "exercise": exercise.pk,
        "phase": Phase.values[0],
        "order": "99",
        "cue": "Ribs down",
        "explanation": f"Keep them{character}down",
        "_save": "Save",
    }
    response = _post(admin_client, reverse("admin:coaching_cue_add"), data, encoding)
    assert response.status_code == 200
    _assert_refused(response.context["adminform"].form.errors["explanation"], character)
    assert _state() == before


def _exported(user) -> str:
    buffer = io.StringIO()
    csv_io.export_csv(user, buffer)
    return buffer.getvalue()


def test_a_csv_file_holding_one_is_refused_by_its_line(user_client, a_set, character):
    lines = _exported(a_set.session.user).splitlines(keepends=True)
    # In the session column, which nothing but the grouping reads: the whole file is kept
    # with the upload, and PostgreSQL refused it there (a server error).
    lines[1] = lines[1].replace(",", f"{character},", 1)
    content = "".join(lines).encode()
    before = _state()
    response = user_client.post(
        reverse("imports:import"), {"file": SimpleUploadedFile("log.csv", content, "text/csv")}
    )
    errors = _field_errors(response, "form", "file")
    code = f"U+{ord(character):04X}"
    assert errors == [
        f"Line 2: this line holds a control character ({code}), which is not text; remove it "
        "(or export the file again) and import it again. Nothing was imported."
    ]
    assert _state() == before


def test_an_uploads_name_is_kept_without_them(user_client, a_set, character):
    content = _exported(a_set.session.user).encode()
    upload = SimpleUploadedFile(f"my{character}log.csv", content, "text/csv")
    response = user_client.post(reverse("imports:import"), {"file": upload})
    assert response.status_code == 302
    assert PendingImport.objects.get().file_name == "mylog.csv"


def test_tab_and_newline_stay_in_a_multi_line_text(user_client, session, bodyweight):
    notes = "Left side first.\r\n\tThen the right."
    url = reverse("training:session-edit", args=[session.pk])
    data = {"date": "2026-11-02", "variation": bodyweight.pk, "notes": notes}
    assert user_client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.notes == notes


def _form_classes():
    modules = (training_forms, coaching_forms, site_forms, auth_forms)
    for module in modules:
        for _, found in inspect.getmembers(module, inspect.isclass):
            if issubclass(found, forms.BaseForm) and found.__module__ == module.__name__:
                yield found


def test_every_text_field_of_every_form_refuses_control_characters(rf, admin_user):
    fields = [
        (form.__name__, name, field)
        for form in _form_classes()
        for name, field in getattr(form, "base_fields", {}).items()
    ]
    request = rf.get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        form = model_admin.get_form(request)
        fields += [(model.__name__, name, field) for name, field in form.base_fields.items()]
    text_fields = [
        (owner, name)
        for owner, name, field in fields
        if isinstance(field, forms.CharField)
        and not any(isinstance(v, ControlCharacterValidator) for v in field.validators)
        and type(field).default_validators is forms.CharField.default_validators
    ]
    assert len(fields) > 50
    assert text_fields == []
