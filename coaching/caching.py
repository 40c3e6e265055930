"""The guide's content generation, bumped when a coach's edit commits (coaching/signals.py),
and the public pages kept whole under it."""

from functools import partial

from core.caching import Generation, cached_page

CONTENT = Generation("coaching:content")
cached_public_page = partial(cached_page, CONTENT)
