"""A page not found that says why and where to go instead: for what the visitor had a
moment ago and is gone (an import's preview a newer upload replaced). The same words for
everyone, so they tell no one whether another's row exists (hipthrust.views.page_not_found
draws them)."""

from django.http import Http404


class GoneSaying(Http404):
    def __init__(self, reason: str, onward_url: str, onward_label: str) -> None:
        super().__init__(reason)
        self.reason, self.onward_url, self.onward_label = reason, onward_url, onward_label
