"""Pages made from a trainee's log, rendered once per version of that log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coaching.caching import content_version
from core.caching import get_versioned, render_parts, set_versioned
from training.models import Profile

LOG_PAGE_TTL = 60 * 60 * 24


def render_log_page(
    request: HttpRequest, profile: Profile, template: str, name: str, build: Callable[[], dict]
) -> HttpResponse:
    """`template` around its `body` partial, which is kept until the log changes.

    The key carries Profile.log_version, which every change to the trainee's sessions,
    sets and level bumps in the database (so every server process sees it at once), their
    unit, and the guide's content version (the log shows variation names).
    """
    key = (
        f"training:page:{profile.user_id}:{profile.log_version}:{profile.unit}:"
        f"{content_version()}:{name}"
    )
    parts = get_versioned(key)
    if parts is None:
        parts = render_parts(request, template, build())
        set_versioned(key, parts, LOG_PAGE_TTL)
    return render(request, template, parts)
