"""The sign-in form, the password forms, the admin's form for an account, and closing one's
account."""

from __future__ import annotations

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    SetPasswordForm,
    UserChangeForm,
)
from django.core.exceptions import ValidationError

from training.forms import held_by_another_account


class LoginForm(AuthenticationForm):
    # The id of its errors' summary (templates/_form_errors.html), which describes its fields.
    errors_id = "login-errors"
    # Django's says both fields may be case-sensitive: a user name is found in any case here
    # (hipthrust/auth.py), so only the password's case is said to matter.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Enter a correct user name and password. The password is case-sensitive; the "
            "user name is not."
        ),
    }

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError:
            # "Enter a correct username and password" belongs to neither field alone: both
            # are marked wrong and described by it, so a screen reader on either hears it.
            for name in ("username", "password"):
                attrs = self.fields[name].widget.attrs
                attrs.update({"aria-invalid": "true", "aria-describedby": self.errors_id})
            raise

    def clean_username(self) -> str:
        # Checked here so an absurd name never reaches authentication or the throttle's log.
        username = self.cleaned_data["username"]
        if len(username) > 150:
            raise ValidationError("A username has at most 150 characters.")
        return username


class AccountChangeForm(UserChangeForm):
    """Refuses, on its field, an email or user name another account holds in another case,
    which the database refuses too (a 500 in the admin before)."""

    def clean_username(self) -> str:
        return self._held_by_this_account_alone("username", "user name")

    def clean_email(self) -> str:
        return self._held_by_this_account_alone("email", "email")

    def _held_by_this_account_alone(self, field: str, name: str) -> str:
        value = self.cleaned_data[field]
        if value and held_by_another_account(field, value, self.instance):
            raise ValidationError(f"Another account already uses this {name}, in any case.")
        return value


class _RulesBesideTheNewPassword:
    """A new password too short or too common is said beside it, under its rules, not beside
    the confirmation (Django's place), which only says the two differ."""

    def validate_password_for_user(self, user, password_field_name="new_password2") -> None:
        super().validate_password_for_user(user, "new_password1")


class ChangePasswordForm(_RulesBesideTheNewPassword, PasswordChangeForm):
    pass


class NewPasswordForm(_RulesBesideTheNewPassword, SetPasswordForm):
    """The new password a reset link sets."""


class CloseAccountForm(forms.Form):
    """The account's password, asked again before it is closed for good."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Asked again so that nobody else at this device can close it.",
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("That is not your password. Nothing was closed or deleted.")
        return password
