from functools import cache, partial

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from coaches.roles import can_coach
from core.site import site_origin


def site(request: HttpRequest) -> dict[str, str]:
    """The public origin for canonical and Open Graph URLs."""
    origin = site_origin(request)
    return {"site_origin": origin, "canonical_url": origin + request.path}


# The main navigation's item for each page, by URL name. A name left out has no current
# item (tests/test_templates.py names those). It reads only where the page is, never who
# asks: cached public pages render their frame from a shared request.
NAV_ITEMS = {
    "coaching:home": "home",
    "coaching:guide": "guide",
    "coaching:form-error-detail": "guide",
    "coaching:variation-list": "ladder",
    "coaching:variation-detail": "ladder",
    "coaching:timer": "timer",
    "training:log": "log",
    "training:session-create": "log",
    "training:session-detail": "log",
    "training:session-edit": "log",
    "training:session-delete": "log",
    "training:empty-sessions-delete": "log",
    "training:set-create": "log",
    "training:set-repeat": "log",
    "training:set-mirror": "log",
    "training:set-restore": "log",
    "training:set-sides": "log",
    "training:set-edit": "log",
    "training:set-delete": "log",
    "training:level-history": "log",
    "training:level-accept": "log",
    "training:level-dismiss": "log",
    "training:history": "log",
    "training:records": "log",
    "training:progress": "log",
    "imports:export": "log",
    "imports:import": "log",
    "imports:preview": "log",
    "imports:save": "log",
    "imports:cancel": "log",
    "imports:undo": "log",
    "training:log-from-timer": "log",
    "training:offline-log": "log",
    "videos:set-video": "log",
    "videos:side-video": "log",
    "videos:delete": "log",
    # The set form filled from a video: the log's own form.
    "videos:log-set": "log",
    "coaches:dashboard": "coach",
    "coaches:invite": "coach",
    "coaches:invite-cancel": "coach",
    "coaches:athlete": "coach",
    "coaches:prescribe": "coach",
    "coaches:level": "coach",
    "coaches:approve": "coach",
    "coaches:flag-review": "coach",
    "coaches:session": "coach",
    "coaches:end": "coach",
}


# The links every page's frame (base.html, the log's subnav) holds, by the name the template
# reads (frame_urls.<name>). They take no arguments, so they are reversed once a process (per
# script prefix), not about twenty times a page.
FRAME_URLS = {
    "service_worker": "service-worker",
    "sync": "training:sync",
    "offline_log": "training:offline-log",
    "manifest": "web-manifest",
    "home": "coaching:home",
    "guide": "coaching:guide",
    "ladder": "coaching:variation-list",
    "timer": "coaching:timer",
    "log": "training:log",
    "coach": "coaches:dashboard",
    "profile": "training:profile",
    "logout": "logout",
    "login": "login",
    "signup": "training:signup",
    "history": "training:history",
    "records": "training:records",
    "progress": "training:progress",
    "level_history": "training:level-history",
}


@cache
def _frame_urls(script_prefix: str) -> dict[str, str]:
    return {name: reverse(url_name) for name, url_name in FRAME_URLS.items()}


def navigation(request: HttpRequest) -> dict:
    match = request.resolver_match
    return {
        # A callable: the template calls it only where it asks, for a signed-in visitor.
        "can_coach": partial(can_coach, request.user),
        "nav_current": NAV_ITEMS.get(match.view_name) if match else None,
        "frame_urls": _frame_urls(get_script_prefix()),
    }
