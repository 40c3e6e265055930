from functools import partial

from django.http import HttpRequest

from training.roles import can_coach

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
    "training:export": "log",
    "training:import": "log",
    "training:import-preview": "log",
    "training:import-save": "log",
    "training:import-cancel": "log",
    "training:import-undo": "log",
    "training:log-from-timer": "log",
    "training:offline-log": "log",
    "training:set-video": "log",
    "training:side-video": "log",
    "training:video-delete": "log",
    # The set form filled from a video: the log's own form.
    "training:video-log-set": "log",
    "training:coach-dashboard": "coach",
    "training:coach-invite": "coach",
    "training:coach-invite-cancel": "coach",
    "training:coach-athlete": "coach",
    "training:coach-prescribe": "coach",
    "training:coach-level": "coach",
    "training:coach-approve": "coach",
    "training:coach-flag-review": "coach",
    "training:coach-session": "coach",
    "training:coach-end": "coach",
}


def navigation(request: HttpRequest) -> dict:
    match = request.resolver_match
    return {
        # A callable: the template calls it only where it asks, for a signed-in visitor.
        "can_coach": partial(can_coach, request.user),
        "nav_current": NAV_ITEMS.get(match.view_name) if match else None,
    }
