"""Who may coach, asked in one query: the main navigation asks on signed-in pages."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Q

COACH_PERMISSION = "training.add_prescription"


def can_coach(user) -> bool:
    """user.has_perm(COACH_PERMISSION) for ModelBackend, in one EXISTS (has_perm reads every
    permission of the user and their groups)."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    app_label, codename = COACH_PERMISSION.split(".")
    return (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )
