"""Signing in by a user name typed in any case. Names are unique whatever their case
(training migration 0025), so "Ada" and "ada" are one account: one to sign in to, and one
count of failed tries for the lockout, which counting each spelling apart would multiply."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from coaches.roles import with_coach_permission
from core.prepared import Prepared


def lockout_name(username: str | None) -> str | None:
    """The name the lockout counts tries under: as the database's index compares names."""
    return username.lower() if username else username


def lockout_name_of(request: HttpRequest, credentials: dict | None) -> str | None:
    """django-axes' AXES_USERNAME_CALLABLE."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return lockout_name(username)


class AnyCaseUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username:
            accounts = get_user_model()._default_manager.filter(username__iexact=username)
            username = accounts.values_list("username", flat=True).first() or username
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user, read with whether they may coach (coaches.roles.can_coach):
        the navigation asks on every page, and a change of role shows on the next one."""
        user = next(iter(_SIGNED_IN_USER.raw(user_id)), None)
        return user if user is not None and self.user_can_authenticate(user) else None


# Compiled once: building the permission's subqueries anew cost more than running them.
_SIGNED_IN_USER = Prepared(
    lambda user_id: with_coach_permission(get_user_model()._default_manager.filter(pk=user_id))
)
