from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The public origin for canonical and Open Graph URLs."""
    origin = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    return {"site_origin": origin, "canonical_url": origin + request.path}
