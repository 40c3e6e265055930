"""Who may coach, asked cheaply: the main navigation asks on every signed-in page."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Q

from core.caching import Generation

COACH_PERMISSION = "coaches.add_prescription"
# Bumped when a change to group memberships or permissions commits (training.signals).
ROLES = Generation("training:roles")


def can_coach(user) -> bool:
    """user.has_perm(COACH_PERMISSION) for ModelBackend, remembered until roles change."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return ROLES.remember(lambda: _has_coach_permission(user), "training:can-coach", user.pk)


def _has_coach_permission(user) -> bool:
    app_label, codename = COACH_PERMISSION.split(".")
    return (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )
