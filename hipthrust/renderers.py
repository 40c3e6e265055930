"""How forms render: every field through the one field template, templates/_field.html."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's template-based renderer, so `{{ field.as_field_group }}` uses our field markup
    (label, help and errors tied to the input for screen readers) everywhere."""

    field_template_name = "_field.html"
