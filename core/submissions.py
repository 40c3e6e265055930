"""Saved once: a form drawn with a new submission id, kept in a unique column of the row its
post makes, so the same post again (a double click, two tabs, a replayed request, several at
once) gives back what the first made. Every app's forms and services that make a row use it
(the log's sessions and sets, a coach's prescriptions and notes, comments on videos)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import IntegrityError, models, transaction

Row = TypeVar("Row", bound=models.Model)


class SubmittedOnce(forms.Form):
    """A form whose post saves once: drawn with a new submission id, which the write keeps
    (create_once). Optional: a page drawn before the form had one saves as it did."""

    submission_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_id", uuid.uuid4())


class SubmissionConflict(Exception):
    """A submission id already made a row for another owner: a set in another session,
    another user's session, another athlete's prescription."""


def create_once(
    model: type[Row], submission_id: uuid.UUID | None, create: Callable[[], Row], **owner
) -> tuple[Row, bool]:
    """Run `create` (which writes a row of `model` with that submission id) in one
    transaction; returns (row, created). The same id again gives back the row the first
    made: the column's unique constraint decides, as PostgreSQL lets both reach the insert.
    `owner`: the fields that row must share (its user, its session), else
    SubmissionConflict."""
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        # Rarer than a new row, so looked up only then.
        existing = made_by_submission(model, submission_id, **owner)
        if existing is None:
            raise
        return existing, False


def made_by_submission(model: type[Row], submission_id: uuid.UUID | None, **owner) -> Row | None:
    """The row of `model` an earlier post of this submission id made, or None; one made for
    another owner is SubmissionConflict, refused without saying whose it is."""
    if submission_id is None:
        return None
    existing = model.objects.filter(submission_id=submission_id).first()
    if existing is not None and any(getattr(existing, k) != v for k, v in owner.items()):
        raise SubmissionConflict(submission_id)
    return existing
