"""Every URL the project has, against every role: the exact status, and nothing leaking.

A new URL pattern without a row here fails test_every_url_is_in_the_matrix.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from coaches import services as coach_services
from coaches.models import AuditEntry, CoachLink
from imports.csv_io import HIPTHRUST_COLUMNS
from imports.csv_io import pending as pending_imports
from tests.conftest import PASSWORD
from training import services
from training.models import LevelChange, Set, TrainingSession
from videos.models import AnalysisStatus, SetVideo, VideoAnalysis, VideoStatus, VideoUpload
from videos.pose_data import FormAnalysis, RepReport

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "athlete", "other_athlete", "coach", "other_coach", "staff", "superuser"]


@pytest.fixture
def world(django_user_model, exercise, media_root):
    make = django_user_model.objects.create_user
    coach_group = Group.objects.get(name="Coach")
    people = {
        "athlete": make("athlete", "a@example.com", PASSWORD),
        "other_athlete": make("other", "o@example.com", PASSWORD),
        "coach": make("coachy", "c@example.com", PASSWORD, is_staff=True),
        "other_coach": make("coach2", "c2@example.com", PASSWORD, is_staff=True),
        "staff": make("staffer", "s@example.com", PASSWORD, is_staff=True),
        "superuser": django_user_model.objects.create_superuser("root", "r@example.com", PASSWORD),
    }
    for name in ("coach", "other_coach"):
        people[name].groups.add(coach_group)
    coach_services.accept_invitation(
        coach_services.create_invitation(people["coach"]), people["athlete"]
    )
    variation = exercise.variations.get(slug="single-leg-hip-thrust")
    session = TrainingSession.objects.create(
        user=people["athlete"],
        date=datetime.date(2026, 11, 2),
        variation=variation,
        notes="zz-private",
    )
    a_set = Set.objects.create(session=session, position=1, side="left", reps=9)
    link = CoachLink.objects.get(athlete=people["athlete"])
    invitation = coach_services.create_invitation(people["coach"])
    row = "1,2026-11-03,single-leg-hip-thrust,,1,left,8,0,0,,,,,no,"
    upload = ",".join(HIPTHRUST_COLUMNS) + "\n" + row + "\n"
    pending = pending_imports.hold(people["athlete"], file_name="log.csv", text=upload, unit="kg")
    clip = SetVideo.objects.create(
        owner=people["athlete"],
        session=session,
        set=a_set,
        original=default_storage.save("videos/1/a/original.mp4", ContentFile(b"zz-private")),
        poster=default_storage.save("videos/1/a/poster.jpg", ContentFile(b"zz-private")),
        original_type="video/mp4",
        status=VideoStatus.READY,
        duration_seconds=1,
    )
    rep = RepReport(1, 0.2, 0.9, 0.3, None, 0.2, 0.1, 178.0, 2.0, 0.9)
    VideoAnalysis.objects.create(
        video=clip,
        status=AnalysisStatus.DONE,
        result=FormAnalysis(side=None, reps=(rep,), notes=("zz-private",)).as_json(),
    )
    upload = VideoUpload.objects.create(
        owner=people["athlete"],
        session=session,
        set=a_set,
        size=1000,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    return {
        "video": clip,
        "upload": upload,
        "people": people,
        "session": session,
        "set": a_set,
        "link": link,
        "invitation": invitation,
        "pending": pending,
        "variation": variation,
        "error": exercise.form_errors.first(),
    }


ALL_200 = dict.fromkeys(ROLES, 200)
OWNER_ONLY = {
    "anonymous": 302,
    "athlete": 200,
    "other_athlete": 404,
    "coach": 404,
    "other_coach": 404,
    "staff": 404,
    "superuser": 404,
}
SIGNED_IN = {role: (302 if role == "anonymous" else 200) for role in ROLES}
COACH_AREA = {
    "anonymous": 302,
    "athlete": 404,
    "other_athlete": 404,
    "coach": 200,
    "other_coach": 200,
    "staff": 404,
    "superuser": 200,
}
THEIR_COACH = {**COACH_AREA, "other_coach": 404}
# A set video: its owner and their linked coach (a superuser coaches everyone).
VIDEO_VIEWERS = {**OWNER_ONLY, "coach": 200, "superuser": 200}
ADMIN_INDEX = {
    "anonymous": 302,
    "athlete": 302,
    "other_athlete": 302,
    "coach": 200,
    "other_coach": 200,
    "staff": 200,
    "superuser": 200,
}
ADMIN_LIST = {**ADMIN_INDEX, "staff": 403}
ADMIN_OBJECT = {**ADMIN_LIST, "other_coach": 404}


def _s(w):
    return w["session"].pk


MATRIX = [
    # (url name, method, args builder, expected status per role, data)
    ("coaching:home", "get", lambda w: [], ALL_200, None),
    ("coaching:guide", "get", lambda w: [], ALL_200, None),
    ("coaching:variation-list", "get", lambda w: [], ALL_200, None),
    ("coaching:variation-detail", "get", lambda w: [w["variation"].slug], ALL_200, None),
    ("coaching:variation-keyframes", "get", lambda w: [w["variation"].slug], ALL_200, None),
    ("coaching:form-error-detail", "get", lambda w: [w["error"].slug], ALL_200, None),
    ("coaching:guide-sheet", "get", lambda w: [], ALL_200, None),
    ("coaching:guide-sheet-png", "get", lambda w: [], dict.fromkeys(ROLES, 301), None),
    ("coaching:figure-image", "get", lambda w: ["guide-top"], ALL_200, None),
    ("coaching:timer", "get", lambda w: [], ALL_200, None),
    ("robots-txt", "get", lambda w: [], ALL_200, None),
    ("health", "get", lambda w: [], ALL_200, None),
    ("favicon", "get", lambda w: [], dict.fromkeys(ROLES, 301), None),
    ("service-worker", "get", lambda w: [], ALL_200, None),
    ("web-manifest", "get", lambda w: [], ALL_200, None),
    ("start", "get", lambda w: [], dict.fromkeys(ROLES, 302), None),
    ("offline", "get", lambda w: [], ALL_200, None),
    ("training:offline-log", "get", lambda w: [], ALL_200, None),
    ("training:sync", "get", lambda w: [], SIGNED_IN, None),
    # A set naming no session of the sender's: none found (ownership: test_offline_sync.py).
    (
        "training:sync",
        "post",
        lambda w: [],
        {role: (302 if role == "anonymous" else 404) for role in ROLES},
        {"kind": "set"},
    ),
    ("media", "get", lambda w: ["illustrations/missing.webp"], dict.fromkeys(ROLES, 404), None),
    ("django.contrib.sitemaps.views.sitemap", "get", lambda w: [], ALL_200, None),
    ("login", "get", lambda w: [], ALL_200, None),
    (
        "training:signup",
        "get",
        lambda w: [],
        {r: (200 if r == "anonymous" else 302) for r in ROLES},
        None,
    ),
    ("password_reset", "get", lambda w: [], ALL_200, None),
    ("password_change", "get", lambda w: [], SIGNED_IN, None),
    ("training:profile", "get", lambda w: [], SIGNED_IN, None),
    ("close-account", "get", lambda w: [], SIGNED_IN, None),
    # Without the password nothing closes; a superuser is refused (test_close_account.py).
    (
        "close-account",
        "post",
        lambda w: [],
        {**SIGNED_IN, "superuser": 403},
        {"password": "not the password"},
    ),
    # Only the page after closing has something to show: anyone else goes home.
    ("account-closed", "get", lambda w: [], dict.fromkeys(ROLES, 302), None),
    ("training:log", "get", lambda w: [], SIGNED_IN, None),
    ("training:history", "get", lambda w: [], SIGNED_IN, None),
    ("training:records", "get", lambda w: [], SIGNED_IN, None),
    ("training:progress", "get", lambda w: [], SIGNED_IN, None),
    ("training:level-history", "get", lambda w: [], SIGNED_IN, None),
    ("imports:export", "get", lambda w: [], SIGNED_IN, None),
    ("imports:import", "get", lambda w: [], SIGNED_IN, None),
    ("imports:preview", "get", lambda w: [w["pending"].pk], OWNER_ONLY, None),
    ("training:session-detail", "get", lambda w: [_s(w)], OWNER_ONLY, None),
    ("training:session-edit", "get", lambda w: [_s(w)], OWNER_ONLY, None),
    ("training:set-edit", "get", lambda w: [w["set"].pk], OWNER_ONLY, None),
    ("training:set-create", "post", lambda w: [_s(w)], OWNER_ONLY, {"reps": "0"}),
    # An empty form: the owner is told what is missing (400), anyone else finds nothing.
    ("training:set-sides", "post", lambda w: [_s(w)], {**OWNER_ONLY, "athlete": 400}, {}),
    ("videos:set-video", "get", lambda w: [w["set"].pk], OWNER_ONLY, None),
    # An empty form: the owner is told to choose a file (400), anyone else finds nothing.
    ("videos:set-video", "post", lambda w: [w["set"].pk], {**OWNER_ONLY, "athlete": 400}, {}),
    ("videos:side-video", "get", lambda w: [_s(w), "left"], OWNER_ONLY, None),
    ("videos:side-video", "post", lambda w: [_s(w), "left"], {**OWNER_ONLY, "athlete": 400}, {}),
    # Chunked uploads: opened by the owner only (no size given: 400), each owner-only.
    (
        "videos:set-upload-start",
        "post",
        lambda w: [w["set"].pk],
        {**OWNER_ONLY, "athlete": 400},
        {},
    ),
    (
        "videos:side-upload-start",
        "post",
        lambda w: [_s(w), "right"],
        {**OWNER_ONLY, "athlete": 400},
        {},
    ),
    ("videos:upload", "get", lambda w: [w["upload"].pk], OWNER_ONLY, None),
    # No Content-Range: the owner is told what to send (400).
    (
        "videos:upload",
        "put",
        lambda w: [w["upload"].pk],
        {**OWNER_ONLY, "athlete": 400},
        {},
    ),
    ("videos:detail", "get", lambda w: [w["video"].pk], VIDEO_VIEWERS, None),
    ("videos:file", "get", lambda w: [w["video"].pk, "play"], VIDEO_VIEWERS, None),
    ("videos:file", "get", lambda w: [w["video"].pk, "poster"], VIDEO_VIEWERS, None),
    (
        "videos:file",
        "get",
        lambda w: [w["video"].pk, "other"],
        {**OWNER_ONLY, "athlete": 404},
        None,
    ),
    # The analysis as data: whoever may watch the video.
    ("videos:analysis", "get", lambda w: [w["video"].pk], VIDEO_VIEWERS, None),
    # "Log this set from the video": the set form filled for its owner, nothing saved.
    ("videos:log-set", "get", lambda w: [w["video"].pk], OWNER_ONLY, None),
    # Only the coach answers the camera's suggestions; naming none is 400.
    (
        "videos:suggestion",
        "post",
        lambda w: [w["video"].pk],
        {**OWNER_ONLY, "athlete": 404, "coach": 400, "superuser": 400},
        {},
    ),
    # The coach comments and the athlete replies (an empty comment is 400); only the coach
    # marks reviewed.
    (
        "videos:comment",
        "post",
        lambda w: [w["video"].pk],
        {**OWNER_ONLY, "athlete": 400, "coach": 400, "superuser": 400},
        {},
    ),
    (
        "videos:reviewed",
        "post",
        lambda w: [w["video"].pk],
        {**OWNER_ONLY, "athlete": 404, "coach": 302, "superuser": 302},
        {},
    ),
    # Last of the video's rows: the owner deletes it, and it is gone for everyone after.
    (
        "videos:delete",
        "post",
        lambda w: [w["video"].pk],
        {**OWNER_ONLY, "athlete": 302},
        {},
    ),
    ("training:log-from-timer", "post", lambda w: [], dict.fromkeys(ROLES, 302), {}),
    ("coaches:dashboard", "get", lambda w: [], COACH_AREA, None),
    ("coaches:athlete", "get", lambda w: [w["people"]["athlete"].pk], THEIR_COACH, None),
    (
        "coaches:session",
        "get",
        lambda w: [w["people"]["athlete"].pk, _s(w)],
        THEIR_COACH,
        None,
    ),
    ("coaches:prescribe", "post", lambda w: [w["people"]["athlete"].pk], THEIR_COACH, {}),
    ("coaches:level", "post", lambda w: [w["people"]["athlete"].pk], THEIR_COACH, {}),
    (
        "coaches:approve",
        "post",
        lambda w: [w["people"]["athlete"].pk],
        {**THEIR_COACH, "coach": 302, "superuser": 302},
        {},
    ),
    # An empty form names no raised flag: the athlete's coaches are told so and sent back.
    (
        "coaches:flag-review",
        "post",
        lambda w: [w["people"]["athlete"].pk],
        {**THEIR_COACH, "coach": 302, "superuser": 302},
        {},
    ),
    (
        "coaches:join",
        "get",
        lambda w: [w["invitation"].code],
        ALL_200,  # signed out, the invitation's landing: who invites them, sign up or log in
        None,
    ),
    ("admin:index", "get", lambda w: [], ADMIN_INDEX, None),
    ("admin:training_trainingsession_changelist", "get", lambda w: [], ADMIN_LIST, None),
    ("admin:training_trainingsession_change", "get", lambda w: [_s(w)], ADMIN_OBJECT, None),
    ("admin:training_levelchange_changelist", "get", lambda w: [], ADMIN_LIST, None),
    ("admin:coaches_prescription_changelist", "get", lambda w: [], ADMIN_LIST, None),
    ("admin:coaches_coachnote_changelist", "get", lambda w: [], ADMIN_LIST, None),
    ("admin:coaches_auditentry_changelist", "get", lambda w: [], ADMIN_LIST, None),
    (
        "admin:coaches_coachlink_changelist",
        "get",
        lambda w: [],
        {**ADMIN_LIST, "coach": 403, "other_coach": 403},
        None,
    ),
    ("admin:coaching_exercise_changelist", "get", lambda w: [], ADMIN_LIST, None),
    ("admin:coaching_variation_changelist", "get", lambda w: [], ADMIN_LIST, None),
    ("admin:coaching_illustration_changelist", "get", lambda w: [], ADMIN_LIST, None),
]


@pytest.mark.parametrize("row", MATRIX, ids=[f"{row[1]} {row[0]}" for row in MATRIX])
def test_the_permission_matrix(client, world, row):
    name, method, args, expected, data = row
    url = reverse(name, args=args(world))
    seen = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["people"][role])
        response = getattr(client, method)(url, data or {})
        seen[role] = response.status_code
    assert seen == expected


def test_another_coachs_lists_and_searches_show_nothing_of_the_athlete(client, world):
    client.force_login(world["people"]["other_coach"])
    for name in [
        "admin:training_trainingsession_changelist",
        "admin:training_levelchange_changelist",
        "admin:coaches_auditentry_changelist",
    ]:
        html = client.get(reverse(name), {"q": "athlete"}).content.decode()
        assert "zz-private" not in html
        assert ">athlete<" not in html
        assert re.search(r'<p class="paginator">\s*0 ', html)
    dashboard = client.get(reverse("coaches:dashboard")).content.decode()
    assert ">athlete<" not in dashboard


def test_their_coach_sees_the_athlete_in_lists_and_search(client, world):
    client.force_login(world["people"]["coach"])
    html = client.get(
        reverse("admin:training_trainingsession_changelist"), {"q": "athlete"}
    ).content.decode()
    assert "1 training session" in html


def test_the_panel_is_read_only_for_coaches(client, world):
    client.force_login(world["people"]["coach"])
    url = reverse("admin:training_trainingsession_change", args=[world["session"].pk])
    html = client.get(url).content.decode()
    assert 'name="_save"' not in html
    response = client.post(url, {"notes": "changed"})
    assert response.status_code == 403
    world["session"].refresh_from_db()
    assert world["session"].notes == "zz-private"


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                continue  # the admin is covered by the rows above, model by model
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


# URLs that need a one-time token or only make sense as a step in a flow.
FLOW_STEPS = {
    "logout",
    "password_change_done",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "training:session-create",
    "training:session-delete",
    "training:empty-sessions-delete",
    "training:set-repeat",
    "training:set-mirror",
    "training:set-restore",
    "training:set-delete",
    "training:level-accept",
    "training:level-dismiss",
    "coaches:invite",
    "coaches:invite-cancel",
    "coaches:end",
    # Declining ends the invitation, which its coach sees: tests/coaches/test_invitations.py.
    "coaches:join-decline",
    # The import's save, cancel and undo: tests/imports/test_import_preview.py, owner included.
    "imports:save",
    "imports:cancel",
    "imports:undo",
}


def test_every_url_is_in_the_matrix_or_a_tested_flow_step():
    covered = {row[0] for row in MATRIX} | FLOW_STEPS
    missing = sorted(set(_named_patterns()) - covered)
    assert missing == []


def test_the_coachs_panel_links_to_nothing_the_coach_cannot_open(client, world):
    coach = world["people"]["coach"]
    client.force_login(coach)
    athlete = world["people"]["athlete"]
    pages = [reverse("admin:training_trainingsession_change", args=[world["session"].pk])]
    entry = AuditEntry.objects.filter(athlete=athlete).first()
    pages.append(reverse("admin:coaches_auditentry_change", args=[entry.pk]))
    services.change_level(
        athlete, world["variation"], reason="start", source="start", changed_by=coach
    )
    change = LevelChange.objects.get(user=athlete)
    pages.append(reverse("admin:training_levelchange_change", args=[change.pk]))
    for page in pages:
        html = client.get(page).content.decode()
        assert "/admin/auth/user/" not in html, page
        assert "athlete" in html


def test_every_personal_url_is_under_a_personal_prefix(world):
    """An address whose answer differs by who asks is never stored by a cache nor kept by
    the service worker: both read settings.PERSONAL_PATH_PREFIXES."""
    personal = {
        reverse(name, args=args(world))
        for name, _, args, expected, _ in MATRIX
        if len(set(expected.values())) > 1
    }
    assert personal
    outside = sorted(url for url in personal if not url.startswith(settings.PERSONAL_PATH_PREFIXES))
    assert outside == []


def test_a_video_is_seen_by_those_who_see_its_owners_log_in_the_admin(client, world):
    """The video pages and the admin ask the same question (CoachLinkQuerySet.athletes_of):
    a superuser, the athlete's coach and another coach each see the athlete in both or in
    neither, also once the athlete's account is deactivated."""
    athlete = world["people"]["athlete"]
    video_url = reverse("videos:detail", args=[world["video"].pk])
    admin_url = reverse("admin:training_trainingsession_change", args=[_s(world)])

    def seen_by(role):
        client.force_login(world["people"][role])
        return client.get(video_url).status_code, client.get(admin_url).status_code

    roles = ["coach", "other_coach", "superuser"]
    assert {role: seen_by(role) for role in roles} == {
        "coach": (200, 200),
        "other_coach": (404, 404),
        "superuser": (200, 200),
    }
    athlete.is_active = False
    athlete.save()
    assert {role: seen_by(role) for role in roles} == dict.fromkeys(roles, (404, 404))
