from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What the site's apps share: caching primitives, request guards, form fields,
    throttling and the whole-site backup. It imports neither app."""

    name = "core"
    verbose_name = "Shared"
