"""`manage.py backup` and `manage.py restore`: a varied database comes back exactly.

The tests are transactional: the restore runs its own real transaction, and the
database is flushed back to a freshly migrated state in between (flush, then the data
migrations' own loaders for the guide and the Coach group).
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import io
import json
import os
import re
import shutil
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.module_loading import module_has_submodule
from PIL import Image

from coaches import services as coach_services
from coaches.models import AuditEntry, CoachNote, FlagReview, Prescription
from coaching.forms import IllustrationForm
from coaching.models import Cue, Exercise, TempoPreset, Variation
from tests.conftest import PASSWORD, make_coach_group, prescription
from training import balance, services
from training.models import LevelChange, LevelSource, OwnedWeight, Profile, Set, TrainingSession
from videos import services as videos
from videos.models import AnalysisStatus, SetVideo, VideoAnalysis, VideoComment, VideoStatus
from videos.pose_data import FormAnalysis, RepReport

pytestmark = pytest.mark.django_db(transaction=True)

NATURAL = (ContentType, Permission)
NATURAL_TARGETS = (ContentType, Permission, Group)


def _migration(name: str):
    return importlib.import_module(name)


def _undo_wiped_models_modules() -> None:
    """Work around training/migrations/0003_coach_group.create_coach_group run against the
    global app registry (tests/conftest.py `guide_content` does): it leaves every app's
    `models_module` None, after which `flush` recreates no content types or permissions."""
    for app_config in apps.get_app_configs():
        if app_config.models_module is None and module_has_submodule(app_config.module, "models"):
            app_config.models_module = importlib.import_module(f"{app_config.name}.models")


def freshly_migrated() -> None:
    """The database as `migrate` leaves it: content types, permissions, guide, Coach group."""
    _undo_wiped_models_modules()
    call_command("flush", interactive=False, verbosity=0)  # post_migrate: types, permissions
    _migration("coaching.migrations.0002_guide_content").load_guide(apps, None)
    _migration("coaching.migrations.0003_figures").assign_figures(apps, None)
    make_coach_group()


@pytest.fixture
def fresh(transactional_db) -> None:
    freshly_migrated()


def _models() -> list[type]:
    return [model for model in apps.get_models() if model._meta.managed and not model._meta.proxy]


def dump_everything() -> dict[str, list]:
    """`dumpdata` of every model: by primary key, except content types and permissions,
    which a fresh database numbers its own way (compared by natural key)."""
    dumped = {}
    for model in _models():
        natural_foreign = model in NATURAL or any(
            field.is_relation and field.concrete and field.related_model in NATURAL_TARGETS
            for field in model._meta.get_fields()
        )
        out = io.StringIO()
        call_command(
            "dumpdata",
            model._meta.label,
            natural_foreign=natural_foreign,
            natural_primary=model in NATURAL,
            stdout=out,
        )
        rows = _same_instant_same_text(json.loads(out.getvalue()))
        if model in NATURAL:
            rows.sort(key=lambda row: json.dumps(row, sort_keys=True))
        dumped[model._meta.label] = rows
    return dumped


# Django's serializer keeps milliseconds: a time whose fraction was under a millisecond
# is written "…:51.000Z" before the round trip and reads back as a whole second, "…:51Z".
_WHOLE_MILLISECOND = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000(Z|[+-]\d\d:\d\d)?$")


def _same_instant_same_text(value):
    if isinstance(value, dict):
        return {key: _same_instant_same_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_same_instant_same_text(item) for item in value]
    if isinstance(value, str):
        return _WHOLE_MILLISECOND.sub(r"\1\2", value)
    return value


def media_state(root) -> dict[str, str]:
    return {
        os.path.relpath(os.path.join(folder, name), root): hashlib.sha256(
            open(os.path.join(folder, name), "rb").read()
        ).hexdigest()
        for folder, _, names in os.walk(root)
        for name in names
    }


def _photo(name="top.jpg", color=(200, 120, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 700), color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def build_varied_state(django_user_model, client) -> dict:
    make = django_user_model.objects.create_user
    exercise = Exercise.objects.get()
    bodyweight = Variation.objects.get(slug="single-leg-hip-thrust")
    bridge = Variation.objects.get(slug="floor-glute-bridge")
    athlete = make("ada", "ada@example.com", PASSWORD, first_name="Ada")
    other = make("grace", "grace@example.com", PASSWORD, is_active=False)
    coach = make("coachy", "c@example.com", PASSWORD, is_staff=True)
    coach.groups.add(Group.objects.get(name="Coach"))
    root = django_user_model.objects.create_superuser("root", "r@example.com", PASSWORD)
    other.user_permissions.add(Permission.objects.get(codename="view_trainingsession"))
    Group.objects.create(name="Editors").permissions.add(
        Permission.objects.get(codename="change_cue")
    )

    # Profile, owned weights and level changes (starting level, then a manual move).
    profile = Profile.objects.get(user=athlete)
    profile.unit = "lb"
    profile.level = bodyweight
    cleaned = {"dumbbells": [Decimal("4.5359237"), Decimal("11.33980925")], "kettlebells": []}
    services.save_profile(profile, cleaned, changed_by=athlete)
    services.change_level(
        athlete, bridge, reason="Knee felt odd", source=LevelSource.MANUAL, changed_by=athlete
    )

    # Sessions and sets, with form errors, pain, notes, unicode, RPE and RIR.
    errors = list(exercise.form_errors.all())
    for day in range(4):
        session = TrainingSession.objects.create(
            user=athlete,
            date=datetime.date(2026, 10, 1) + datetime.timedelta(days=day),
            variation=bodyweight,
            notes=f"Séance {day} — «bien» 💪",
        )
        for position, side in enumerate(["left", "right"], start=1):
            made = Set.objects.create(
                session=session,
                position=position,
                side=side,
                reps=8 + day,
                load_kg=Decimal("11.3398092500"),
                hold_seconds=day,
                tempo="3-0-1-1",
                rpe=Decimal("8.5") if side == "left" else None,
                rir=None if side == "left" else 2,
                pain=day == 3,
                note="wobbly" if day == 2 else "",
            )
            if day % 2:
                made.form_errors.set(errors[:2])
    TrainingSession.objects.create(user=other, date=datetime.date(2026, 9, 1), variation=bridge)

    # Coaching: a link, a pending invitation, a prescription, a note, audit entries.
    coach_services.accept_invitation(coach_services.create_invitation(coach), athlete)
    coach_services.create_invitation(coach)
    coach_services.prescribe(
        coach,
        athlete,
        prescription(
            bodyweight, load_kg=Decimal("4.5359237"), hold_seconds=2, notes="Slow lowering"
        ),
    )
    coach_services.add_coach_note(
        coach, athlete, session, "Hips level — good", session.sets.first()
    )
    coach_services.coach_change_level(
        coach, athlete, bodyweight, reason="Back to the standard rung"
    )
    coach_services.review_flag(coach, athlete, balance.Flag("pain", "Pain", 5, subject="session 1"))

    # A set video with its analysis (JSON, a coach's answer to a suggestion) and a comment.
    clip = SetVideo.objects.create(
        owner=athlete,
        session=session,
        set=made,
        original=default_storage.save("videos/1/a/original.mp4", ContentFile(b"a clip")),
        original_type="video/mp4",
        status=VideoStatus.READY,
        duration_seconds=9.5,
    )
    rep = RepReport(1, 0.5, 4.25, 2.1, 0.8, 1.0, None, 182.5, 3.0, 0.91)
    VideoAnalysis.objects.create(
        video=clip,
        status=AnalysisStatus.DONE,
        result=FormAnalysis(side=None, reps=(rep,), notes=("Séance — «vue» 💪",)).as_json(),
        model="MediaPipe BlazePose full",
        model_version="0.10.21",
        prescribed_tempo="3-0-1-1",
        answers={"1-bounce": "dismissed"},
        attempts=1,
        finished_at=datetime.datetime(2026, 10, 5, 12, 30, tzinfo=datetime.UTC),
    )
    videos.add_comment(clip, coach, Decimal("2.50"), "Hips level", errors[0])

    # The guide edited after migrating, and photos with real files.
    cue = Cue.objects.order_by("pk").first()
    cue.cue = "Drive through the heel (edited)"
    cue.save()
    TempoPreset.objects.create(
        name="Very slow",
        slug="very-slow",
        order=9,
        lowering_seconds=6,
        bottom_pause_seconds=1,
        lifting_seconds=2,
        top_hold_seconds=2,
    )
    for placement, extra, color in [
        ("guide-top", {}, (200, 120, 40)),
        ("variation", {"variation": bodyweight.pk}, (40, 120, 200)),
    ]:
        form = IllustrationForm(
            data={
                "exercise": exercise.pk,
                "placement": placement,
                "order": 1,
                "alt_text": "A person at the top of the thrust",
                "caption": "Ribs down",
                **extra,
            },
            files={"photo": _photo(color=color)},
        )
        assert form.is_valid(), form.errors
        form.save()

    # Admin history, a signed-in session, a throttled login attempt.
    LogEntry.objects.create(
        user=root,
        content_type=ContentType.objects.get_for_model(Cue),
        object_id=str(cue.pk),
        object_repr=str(cue),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Cue"]}}]',
    )
    client.force_login(athlete)
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})

    counts = {
        model: model.objects.count()
        for model in (
            LevelChange,
            OwnedWeight,
            Prescription,
            CoachNote,
            AuditEntry,
            FlagReview,
            Set,
            SetVideo,
            VideoAnalysis,
            VideoComment,
        )
    }
    assert all(counts.values()), counts
    return {"athlete": athlete}


def wipe(media_root) -> None:
    freshly_migrated()
    shutil.rmtree(media_root)
    media_root.mkdir()


def test_backup_and_restore_give_back_the_same_database_and_files(
    fresh, django_user_model, client, media_root, tmp_path
):
    build_varied_state(django_user_model, client)
    before, files = dump_everything(), media_state(media_root)
    assert len(files) >= 10  # originals and renditions
    archive = tmp_path / "backup.zip"

    out = io.StringIO()
    call_command("backup", str(archive), "--with-media", stdout=out)
    assert "media files" in out.getvalue()
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        assert {entry["path"] for entry in manifest["media"]} == set(files)
        assert {entry["path"]: entry["sha256"] for entry in manifest["media"]} == files
        assert all(f"media/{name}" in opened.namelist() for name in files)

    wipe(media_root)
    assert dump_everything() != before
    call_command("restore", str(archive), stdout=io.StringIO())

    assert dump_everything() == before
    assert media_state(media_root) == files
    # A second restore meets a database in use: refused, nothing changed.
    with pytest.raises(CommandError, match="Refusing to restore: the database is not fresh"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert dump_everything() == before
    assert media_state(media_root) == files

    # The restored site works: the password hash, the coach's group, the photo pages.
    ada = django_user_model.objects.get(username="ada")
    assert ada.check_password(PASSWORD)
    client.force_login(ada)
    assert client.get("/log/").status_code == 200
    coach = django_user_model.objects.get(username="coachy")
    assert coach.has_perm("coaches.add_prescription")
    assert client.get("/ladder/single-leg-hip-thrust/").status_code == 200


def test_without_media_the_manifest_lists_files_and_restore_warns_when_they_are_missing(
    fresh, django_user_model, client, media_root, tmp_path
):
    build_varied_state(django_user_model, client)
    before, files = dump_everything(), media_state(media_root)
    archive = tmp_path / "rows-only.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    with zipfile.ZipFile(archive) as opened:
        assert not [name for name in opened.namelist() if name.startswith("media/")]

    wipe(media_root)
    err = io.StringIO()
    call_command("restore", str(archive), stdout=io.StringIO(), stderr=err)
    assert dump_everything() == before
    assert f"{len(files)} media files listed in the backup are missing" in err.getvalue()


def _rewrite(archive, target, change) -> None:
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, change(info.filename, source.read(info.filename)))


def test_a_damaged_or_mismatched_backup_is_refused_before_anything_changes(
    fresh, django_user_model, client, media_root, tmp_path
):
    build_varied_state(django_user_model, client)
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), "--with-media", stdout=io.StringIO())
    wipe(media_root)
    fresh_state = dump_everything()

    damaged = tmp_path / "damaged.zip"
    _rewrite(
        archive,
        damaged,
        lambda name, data: data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("media/") else data,
    )
    with pytest.raises(CommandError, match="does not match its manifest"):
        call_command("restore", str(damaged), stdout=io.StringIO())

    def other_migrations(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["training"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    mismatched = tmp_path / "mismatched.zip"
    _rewrite(archive, mismatched, other_migrations)
    with pytest.raises(CommandError, match="other migrations"):
        call_command("restore", str(mismatched), stdout=io.StringIO())

    not_a_backup = tmp_path / "not.zip"
    not_a_backup.write_bytes(b"PK not really")
    with pytest.raises(CommandError, match="not a zip"):
        call_command("restore", str(not_a_backup), stdout=io.StringIO())

    assert dump_everything() == fresh_state
    assert media_state(media_root) == {}
