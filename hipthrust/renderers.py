"""How forms render: every field through the one field template, templates/_field.html."""

from django.forms import BoundField
from django.forms.renderers import TemplatesSetting


def first_invalid_field(form) -> str | None:
    """The name of the first shown field, in the form's order, that has an error."""
    if not form.is_bound or not form.errors:
        return None
    return next(
        (
            name
            for name, field in form.fields.items()
            if name in form.errors and not field.widget.is_hidden
        ),
        None,
    )


class FocusingBoundField(BoundField):
    """After a refused submission the first wrong field takes the focus (autofocus), not the
    one a form focuses when it is fresh (the set form's Reps): the person starts where the
    first thing to fix is."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        first = first_invalid_field(self.form)
        if first is not None:
            # False drops an autofocus the widget itself declares (Django omits False attrs).
            attrs["autofocus"] = self.name == first
        return attrs


class FormRenderer(TemplatesSetting):
    """Django's template-based renderer, so `{{ field.as_field_group }}` uses our field markup
    (label, help and errors tied to the input for screen readers) everywhere."""

    field_template_name = "_field.html"
    bound_field_class = FocusingBoundField
