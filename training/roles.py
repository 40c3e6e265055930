"""Who may coach, asked cheaply: the main navigation asks on every signed-in page."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q

from core.versions import SharedVersion

COACH_PERMISSION = "training.add_prescription"
# Bumped whenever group memberships or permissions change (training.signals).
ROLES_VERSION = SharedVersion("training:roles-version")
ROLES_TTL = 60 * 60


def can_coach(user) -> bool:
    """user.has_perm(COACH_PERMISSION) for ModelBackend, remembered until roles change."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    key = f"training:can-coach:{ROLES_VERSION.current()}:{user.pk}"
    answer = cache.get(key)
    if answer is None:
        app_label, codename = COACH_PERMISSION.split(".")
        answer = (
            Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            .filter(Q(user=user) | Q(group__user=user))
            .exists()
        )
        cache.set(key, answer, ROLES_TTL)
    return answer
