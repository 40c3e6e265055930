from __future__ import annotations

import datetime
import os
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import timezone

from coaching.models import Variation
from tests.training.clips import make_clip
from training import services
from training.models import ImportStatus, PendingImport, Set, TrainingSession


@pytest.fixture
def bodyweight(db) -> Variation:
    return Variation.objects.get(slug="single-leg-hip-thrust")


@pytest.fixture
def loaded(db) -> Variation:
    return Variation.objects.get(slug="loaded-single-leg-hip-thrust")


@pytest.fixture
def bridge(db) -> Variation:
    return Variation.objects.get(slug="floor-glute-bridge")


@pytest.fixture
def session(user, bodyweight) -> TrainingSession:
    return TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 11, 2), variation=bodyweight
    )


@pytest.fixture
def other_session(other_user, bodyweight) -> TrainingSession:
    session = TrainingSession.objects.create(
        user=other_user, date=datetime.date(2026, 11, 2), variation=bodyweight
    )
    Set.objects.create(session=session, position=1, side="left", reps=10)
    return session


@pytest.fixture
def a_set(session) -> Set:
    return Set.objects.create(session=session, position=1, side="left", reps=10)


@pytest.fixture
def h264(tmp_path) -> Path:
    """A second of a phone's H.264 clip, location tag included."""
    return make_clip(tmp_path / "phone.mp4")


@pytest.fixture
def athlete_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def linked_coach(coach, user):
    services.accept_invitation(services.create_invitation(coach), user)
    return coach


def set_data(**overrides) -> dict:
    data = {
        "side": "left",
        "reps": "10",
        "load": "",
        "hold_seconds": "",
        "tempo": "3-0-1-1",
        "effort": "rpe:8",
        "note": "",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def as_the_browser_submits(form) -> dict:
    """A form's fields as its page shows them, as a browser posts them back untouched."""
    return {
        name: value
        for name, value in ((field.name, field.value()) for field in form)
        if value is not None
    }


def make_log(user, variation, *, sessions: int, sets_per_side: int = 3, start=None, load="0"):
    """A log built in bulk: `sessions` sessions, alternating left/right sets, each session
    started at noon of its own day (as a trainee logs it), not all of them now."""
    start = start or datetime.date(2024, 1, 1)
    made = TrainingSession.objects.bulk_create(
        TrainingSession(user=user, date=start + datetime.timedelta(days=i), variation=variation)
        for i in range(sessions)
    )
    # bulk_create stamps auto_now_add fields with now, whatever they were given.
    for s in made:
        s.created_at = timezone.make_aware(datetime.datetime.combine(s.date, datetime.time(12)))
    TrainingSession.objects.bulk_update(made, ["created_at"], batch_size=1000)
    Set.objects.bulk_create(
        Set(
            session=s,
            position=position,
            side="left" if position % 2 else "right",
            reps=8 + position % 3,
            load_kg=Decimal(load),
            hold_seconds=position % 4,
            tempo="3-0-1-1",
        )
        for s in made
        for position in range(1, 2 * sets_per_side + 1)
    )
    return made


def timer_plan(**overrides) -> dict:
    """What the timer's "log these sets" form posts, with a fresh submission id."""
    data = {
        "variation": "single-leg-hip-thrust",
        "tempo": "3-0-1-1",
        "sets": "2",
        "reps": "10",
        "sides": "right-left",
        "hold_seconds": "1",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def import_file(client, content: bytes, name: str = "log.csv"):
    """Upload a CSV, open its preview and save it, as a trainee does; the save's response.
    A file large enough for the background jobs has them run here, as the worker would."""
    from training import tasks

    file = SimpleUploadedFile(name, content, content_type="text/csv")
    uploaded = client.post(reverse("training:import"), {"file": file})
    assert uploaded.status_code == 302, uploaded.status_code
    pk = resolve(uploaded["Location"]).kwargs["pk"]
    if PendingImport.objects.filter(pk=pk, status=ImportStatus.CHECKING).exists():
        assert tasks.check_import.call(pk) == "checked"
    # From the page, as a browser sends it (a test client's context is not thread safe).
    page = client.get(uploaded["Location"]).content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page).group(1)
    saved = client.post(reverse("training:import-save", args=[pk]), {"digest": digest})
    if PendingImport.objects.filter(pk=pk, status=ImportStatus.SAVING).exists():
        assert tasks.save_import.call(pk, digest) == "saved"
    return saved


PINNED = Path(__file__).parent / "pinned"


def assert_pinned(name: str, text: str) -> None:
    """`text` is exactly the pinned file `name`; PIN_UPDATE=1 rewrites the file instead."""
    path = PINNED / name
    if os.environ.get("PIN_UPDATE") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
