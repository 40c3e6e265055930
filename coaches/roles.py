"""Who may coach, asked cheaply: the main navigation asks on every signed-in page, so the
signed-in user is read with the answer (hipthrust.auth), in the query that reads them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, QuerySet

COACH_PERMISSION = "coaches.add_prescription"


def with_coach_permission(users: QuerySet) -> QuerySet:
    """`users`, each with `holds_coach_permission`: the permission given to them or to a
    group of theirs, as ModelBackend.has_perm reads it."""
    app_label, codename = COACH_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return users.annotate(
        holds_coach_permission=Exists(permission.filter(user=OuterRef("pk")))
        | Exists(permission.filter(group__user=OuterRef("pk")))
    )


def can_coach(user) -> bool:
    """user.has_perm(COACH_PERMISSION) for ModelBackend, read once per user object (as
    has_perm is): with the user when the backend read them, else in a query of its own."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "holds_coach_permission"):
        users = with_coach_permission(get_user_model().objects.filter(pk=user.pk))
        user.holds_coach_permission = users.values_list("holds_coach_permission", flat=True)[0]
    return user.holds_coach_permission
