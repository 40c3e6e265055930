from django import forms
from django.apps import AppConfig

from core.text import ControlCharacterValidator

# Every text field of every form (ours, the admin's, the auth views') refuses a control
# character with a message on the field: see core/text.py. Set as this module is imported,
# while Django reads INSTALLED_APPS and before any form class exists (a form's fields are
# made with the class). Subclasses that name validators of their own do not get it: the
# email and slug validators refuse control characters already, and no model here has a URL.
forms.CharField.default_validators = [ControlCharacterValidator()]


class CoreConfig(AppConfig):
    """What the site's apps share: caching primitives, request guards, form fields,
    throttling and the whole-site backup. It imports neither app."""

    name = "core"
    verbose_name = "Shared"
