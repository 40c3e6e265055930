from functools import partial

from django.conf import settings
from django.http import HttpRequest

from training.roles import can_coach


def site(request: HttpRequest) -> dict[str, str]:
    """The public origin for canonical and Open Graph URLs."""
    origin = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    return {"site_origin": origin, "canonical_url": origin + request.path}


def navigation(request: HttpRequest) -> dict:
    # A callable: the template calls it only where it asks, for a signed-in visitor.
    return {"can_coach": partial(can_coach, request.user)}
