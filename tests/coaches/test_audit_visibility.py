"""The audit of what was done for an athlete: a closed coach's entries go with the account,
as the closing page promises, and a coach reads only what was written while they coached."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from coaches import services
from coaches.models import AuditEntry, CoachLink
from hipthrust import accounts
from tests.conftest import PASSWORD, prescription
from videos import services as videos
from videos.models import SetVideo

pytestmark = pytest.mark.django_db


def _a_coach(django_user_model, name: str):
    coach = django_user_model.objects.create_user(
        name, f"{name}@example.com", PASSWORD, is_staff=True
    )
    coach.groups.add(Group.objects.get(name="Coach"))
    return coach


@pytest.fixture
def cody(django_user_model, user):
    """ada's first coach."""
    cody = _a_coach(django_user_model, "cody")
    services.accept_invitation(services.create_invitation(cody), user)
    return cody


def _audit_section(client, athlete) -> str:
    """The athlete page's "Changes made for this athlete"."""
    page = client.get(reverse("coaches:athlete", args=[athlete.pk])).content.decode()
    return page.split('id="audit-title"', 1)[1].split("</section>", 1)[0]


def _coached_by_cody(cody, user, a_set, bodyweight, loaded, media_root) -> list[str]:
    """cody writes a note, a plan, a level move and a video comment for ada: their words."""
    services.add_coach_note(cody, user, a_set.session, "cody note for ana")
    services.prescribe(cody, user, prescription(bodyweight, notes="cody's plan words"))
    services.coach_change_level(cody, user, loaded, reason="cody level reason")
    clip = SetVideo(owner=user, session=a_set.session, set=a_set)
    clip.original.save("set.mp4", ContentFile(b"not really a video"), save=False)
    clip.save()
    videos.add_comment(clip, cody, Decimal("1.5"), "Hips higher", None)
    return ["cody note for ana", "cody level reason", "Prescribed", "Commented on"]


def test_a_closed_coachs_entries_are_deleted_and_never_shown_to_the_next_coach(
    client, django_user_model, user, cody, a_set, bodyweight, loaded, media_root
):
    written = _coached_by_cody(cody, user, a_set, bodyweight, loaded, media_root)
    assert AuditEntry.objects.filter(actor=cody).count() == 4
    accounts.close(cody)
    assert accounts.delete_closed_account.call(cody.pk) == "deleted"
    assert not AuditEntry.objects.filter(actor__isnull=True).exists()
    assert not AuditEntry.objects.filter(detail__contains="cody note for ana").exists()
    # ada's own history stays hers.
    assert AuditEntry.objects.filter(actor=user, action="link-accepted").exists()

    dora = _a_coach(django_user_model, "dora")
    services.accept_invitation(services.create_invitation(dora), user)
    client.force_login(dora)
    audit = _audit_section(client, user)
    assert "Accepted dora as coach." in audit
    for words in [*written, "(deleted user)", "Accepted cody as coach."]:
        assert words not in audit


def test_a_new_coach_reads_only_what_was_written_since_their_link_was_accepted(
    client, django_user_model, user, cody, a_set
):
    services.add_coach_note(cody, user, a_set.session, "before dora came")
    days_ago = timezone.now() - datetime.timedelta(days=3)
    AuditEntry.objects.update(created_at=days_ago)
    CoachLink.objects.filter(coach=cody).update(accepted_at=days_ago)
    dora = _a_coach(django_user_model, "dora")
    services.accept_invitation(services.create_invitation(dora), user)
    services.add_coach_note(cody, user, a_set.session, "while both coach")
    services.add_coach_note(dora, user, a_set.session, "dora's own")

    seen = AuditEntry.objects.visible_to(dora).filter(athlete=user)
    details = {entry.detail.split(": ", 1)[-1] for entry in seen}
    assert details == {"Accepted dora as coach.", "while both coach", "dora's own"}
    client.force_login(dora)
    audit = _audit_section(client, user)
    assert "while both coach" in audit
    assert "before dora came" not in audit
    admin = client.get(reverse("admin:coaches_auditentry_changelist")).content.decode()
    assert "while both coach" in admin
    assert "before dora came" not in admin
    # cody, who coached all along, reads all of it.
    assert AuditEntry.objects.visible_to(cody).filter(athlete=user).count() == 5


def test_a_coach_whose_link_ended_reads_nothing_and_on_return_only_their_own_and_new_entries(
    django_user_model, user, cody, a_set
):
    dora = _a_coach(django_user_model, "dora")
    services.accept_invitation(services.create_invitation(dora), user)
    services.add_coach_note(dora, user, a_set.session, "dora before leaving")
    link = CoachLink.objects.active().get(coach=dora)
    services.end_link(link, dora)
    assert not AuditEntry.objects.visible_to(dora).exists()
    days_ago = timezone.now() - datetime.timedelta(days=3)
    AuditEntry.objects.update(created_at=days_ago)
    CoachLink.objects.filter(coach=dora).update(accepted_at=days_ago, ended_at=days_ago)
    services.add_coach_note(cody, user, a_set.session, "while dora was away")
    services.accept_invitation(services.create_invitation(dora), user)
    details = [entry.detail for entry in AuditEntry.objects.visible_to(dora)]
    assert any("dora before leaving" in detail for detail in details)
    assert not any("while dora was away" in detail for detail in details)


def test_the_entries_of_accounts_closed_before_are_deleted_by_the_migration(user, cody, a_set):
    services.add_coach_note(cody, user, a_set.session, "cody note for ana")
    AuditEntry.objects.filter(actor=cody).update(actor=None)  # as closing left them
    migration = importlib.import_module("coaches.migrations.0009_delete_audit_of_deleted_accounts")
    migration.delete_orphans(django_apps, None)
    assert not AuditEntry.objects.filter(detail__contains="cody note").exists()
    assert AuditEntry.objects.filter(actor=user, action="link-accepted").exists()
