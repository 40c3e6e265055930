from django.http import HttpRequest

from core.site import site_origin


def site(request: HttpRequest) -> dict[str, str]:
    """The public origin for canonical and Open Graph URLs."""
    origin = site_origin(request)
    return {"site_origin": origin, "canonical_url": origin + request.path}
