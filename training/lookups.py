"""The one lookup of each of a trainee's own objects for a view, built on
`LogQuerySet.for_user`: anyone else's session or set does not exist for them (404); and
their own profile."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from coaching.caching import ladder, with_rungs
from core.prepared import PreparedWith
from training.models import Profile, Set, TrainingSession


def get_session_for_user(request: HttpRequest, pk: int, **annotations) -> TrainingSession:
    """The session, with what its page asks of it besides (`annotations`) in the same query.

    The owner's unit (owner_unit; None without a profile) always comes along: every page of
    a session shows its weights in it, and a subquery here spares a query of its own. Its
    variation comes from the kept ladder, not a join. Each page's query is compiled once
    (core.prepared): the pages that add a set ask it on every set."""
    found = with_rungs(_SESSIONS.raw(annotations, pk, request.user.pk), rungs=ladder(request))
    if not found:
        raise Http404("No session matches the given query.")
    return found[0]


_SESSIONS = PreparedWith(
    lambda pk, user_id: (
        TrainingSession.objects.for_user(user_id)
        .filter(pk=pk)
        .annotate(
            owner_unit=Subquery(
                Profile.objects.filter(user_id=OuterRef("user_id")).values("unit")[:1]
            )
        )
    )
)


def get_profile_for_user(request: HttpRequest, **annotations) -> Profile:
    """The user's profile with their level and its tempo (from the kept ladder), which
    advice and level pages read, and what the page asks of it besides (`annotations`) in the
    same query, compiled once (core.prepared)."""
    found = _PROFILES.raw(annotations, request.user.pk)
    if not found:  # a user restored without one
        Profile.objects.get_or_create(user=request.user)
        found = _PROFILES.raw(annotations, request.user.pk)
    (profile,) = with_rungs(found, "level", rungs=ladder(request))
    profile.user = request.user  # the advice reads it: no second query for the same row
    return profile


_PROFILES = PreparedWith(lambda user_id: Profile.objects.filter(user_id=user_id))


def get_set_for_user(request: HttpRequest, pk: int) -> Set:
    return get_object_or_404(
        Set.objects.for_user(request.user).select_related("session__variation__tempo"), pk=pk
    )
