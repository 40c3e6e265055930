from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from coaching.models import FormError, Variation


class SiteSitemap(Sitemap):
    """Addresses on DJANGO_SITE_URL when it is set, not on the Host (and port) asked."""

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).netloc
        return super().get_domain(site)


class StaticPagesSitemap(SiteSitemap):
    priority = 0.8

    def items(self) -> list[str]:
        return ["coaching:home", "coaching:guide", "coaching:variation-list", "coaching:timer"]

    def location(self, item: str) -> str:
        return reverse(item)


class VariationSitemap(SiteSitemap):
    priority = 0.6

    def items(self) -> QuerySet[Variation]:
        return Variation.objects.order_by("exercise_id", "level")


class FormErrorSitemap(SiteSitemap):
    priority = 0.5

    def items(self) -> QuerySet[FormError]:
        return FormError.objects.order_by("exercise_id", "order")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "variations": VariationSitemap,
    "form-errors": FormErrorSitemap,
}
