"""The guide's content generation, which every coach's edit bumps on commit
(coaching/signals.py), and the public pages kept whole under it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse

from core.caching import Generation, cached_page

CONTENT = Generation("coaching:content")


def cached_public_page(view: Callable[..., HttpResponse], **options) -> Callable[..., HttpResponse]:
    return cached_page(CONTENT, view, **options)
