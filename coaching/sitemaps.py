from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from coaching.models import FormError, Variation


class StaticPagesSitemap(Sitemap):
    priority = 0.8

    def items(self) -> list[str]:
        return ["coaching:home", "coaching:guide", "coaching:variation-list", "coaching:timer"]

    def location(self, item: str) -> str:
        return reverse(item)


class VariationSitemap(Sitemap):
    priority = 0.6

    def items(self) -> QuerySet[Variation]:
        return Variation.objects.order_by("exercise_id", "level")


class FormErrorSitemap(Sitemap):
    priority = 0.5

    def items(self) -> QuerySet[FormError]:
        return FormError.objects.order_by("exercise_id", "order")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "variations": VariationSitemap,
    "form-errors": FormErrorSitemap,
}
