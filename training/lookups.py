"""The one lookup of each of a trainee's own objects for a view, built on
`LogQuerySet.for_user`: anyone else's session or set does not exist for them (404)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from training.models import Set, TrainingSession


def get_session_for_user(request: HttpRequest, pk: int) -> TrainingSession:
    return get_object_or_404(
        TrainingSession.objects.for_user(request.user).select_related("variation__tempo"), pk=pk
    )


def get_set_for_user(request: HttpRequest, pk: int) -> Set:
    return get_object_or_404(
        Set.objects.for_user(request.user).select_related("session__variation__tempo"), pk=pk
    )
