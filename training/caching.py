"""Pages made from a trainee's log, rendered once per version of that log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coaching.caching import CONTENT_VERSION
from core.caching import VersionedCache, cached_parts
from training.models import Profile

# The guide's content version names them too: the log shows variation names.
LOG_PAGES = VersionedCache("training:page", [CONTENT_VERSION])


def render_log_page(
    request: HttpRequest, profile: Profile, template: str, name: str, build: Callable[[], dict]
) -> HttpResponse:
    """`template` around its `body` partial, which is kept until the log changes.

    The name carries Profile.log_version, which every write to the trainee's log bumps in
    the database (training.models.LogQuerySet, so every server process sees it at once),
    and their unit.
    """
    name = f"{profile.user_id}:{profile.log_version}:{profile.unit}:{name}"
    parts = cached_parts(request, LOG_PAGES, name, template, lambda _: build())
    return render(request, template, parts)
