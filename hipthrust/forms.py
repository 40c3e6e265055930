"""The sign-in form."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class LoginForm(AuthenticationForm):
    def clean_username(self) -> str:
        # Checked here so an absurd name never reaches authentication or the throttle's log.
        username = self.cleaned_data["username"]
        if len(username) > 150:
            raise ValidationError("A username has at most 150 characters.")
        return username
