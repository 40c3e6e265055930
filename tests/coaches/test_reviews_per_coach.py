"""Each coach of an athlete marks flags and videos reviewed for themself: one coach's
"reviewed" hides nothing from another."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from coaches import services
from coaches.models import FlagReview
from tests.conftest import PASSWORD
from training.models import Set, TrainingSession
from videos.models import SetVideo, VideoReview, VideoStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def dora(django_user_model, user):
    """A second coach of ada's, not staff."""
    dora = django_user_model.objects.create_user("dora", "dora@example.com", PASSWORD)
    dora.groups.add(Group.objects.get(name="Coach"))
    services.accept_invitation(services.create_invitation(dora), user)
    return dora


@pytest.fixture
def painful(user, bodyweight):
    session = TrainingSession.objects.create(
        user=user, date=timezone.localdate(), variation=bodyweight
    )
    Set.objects.create(session=session, position=1, side="left", reps=8, pain=True)
    return session


def _pain_subject(user) -> str:
    painful = Set.objects.filter(session__user=user, pain=True)
    return f"painful sets {painful.count()}, newest {painful.latest('pk').pk}"


def _pain(client) -> str:
    [row] = client.get(reverse("coaches:dashboard")).context["rows"]
    if any(flag.kind == "pain" for flag, _ in row["flags"]):
        return "open"
    return "reviewed" if any(flag.kind == "pain" for flag, _, _ in row["reviewed_flags"]) else ""


def test_one_coachs_review_of_a_flag_leaves_it_open_for_another(
    client, linked_coach, dora, user, painful
):
    coach = linked_coach
    review = {"kind": "pain", "subject": _pain_subject(user)}
    client.force_login(coach)
    client.post(reverse("coaches:flag-review", args=[user.pk]), review)
    assert _pain(client) == "reviewed"

    client.force_login(dora)
    assert _pain(client) == "open"
    page = reverse("coaches:session", args=[user.pk, painful.pk]) + "?flag=pain"
    html = client.get(page).content.decode()
    assert "Reviewed by" not in html
    assert "Mark reviewed" in html

    client.post(reverse("coaches:flag-review", args=[user.pk]), review)
    assert _pain(client) == "reviewed"
    assert sorted(FlagReview.objects.values_list("reviewed_by__username", flat=True)) == [
        "coach",
        "dora",
    ]


@pytest.fixture
def clip(user, painful):
    return SetVideo.objects.create(
        owner=user,
        session=painful,
        set=painful.sets.get(),
        original="videos/1/original.mp4",
        status=VideoStatus.READY,
        duration_seconds=5,
    )


def test_one_coachs_review_of_a_video_leaves_it_to_review_for_another(
    client, linked_coach, dora, user, painful, clip
):
    client.force_login(linked_coach)
    assert client.post(reverse("videos:reviewed", args=[clip.pk])).status_code == 302
    assert list(SetVideo.objects.to_review_by(linked_coach)) == []
    assert "Video to review:" not in client.get(reverse("coaches:dashboard")).content.decode()
    session_page = reverse("coaches:session", args=[user.pk, painful.pk])
    assert "· reviewed" in " ".join(client.get(session_page).content.decode().split())

    client.force_login(dora)
    assert list(SetVideo.objects.to_review_by(dora)) == [clip]
    assert "Video to review:" in client.get(reverse("coaches:dashboard")).content.decode()
    assert "· to review" in " ".join(client.get(session_page).content.decode().split())
    assert "Mark reviewed" in client.get(clip.get_absolute_url()).content.decode()

    # The athlete's question puts it back for every coach.
    client.post(reverse("videos:reviewed", args=[clip.pk]))
    client.force_login(user)
    client.post(reverse("videos:comment", args=[clip.pk]), {"at_seconds": "1", "text": "Knee?"})
    assert not VideoReview.objects.exists()
    assert list(SetVideo.objects.to_review_by(linked_coach)) == [clip]
    assert list(SetVideo.objects.to_review_by(dora)) == [clip]
