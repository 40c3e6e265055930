"""The guide's content generation, bumped when a coach's edit commits (coaching/signals.py),
and what is kept under it: the public pages whole, and the ladder the log pages read."""

from functools import partial

from coaching.models import Variation
from core.caching import Generation, cached_page

CONTENT = Generation("coaching:content")
cached_public_page = partial(cached_page, CONTENT)


def ladder() -> list[Variation]:
    """Every rung in order, with its tempo (Variation.objects.ladder()): the same for everyone,
    so kept under the content generation instead of read on every page of the log."""
    return CONTENT.remember(lambda: list(Variation.objects.ladder()), "coaching:ladder")
