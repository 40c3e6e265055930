"""How forms render: every field through the one field template, templates/_field.html, and
the plainest widgets written here rather than through Django's nested widget templates."""

from django.forms import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


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
    (label, help and errors tied to the input for screen readers) everywhere.

    An input, a text area, a select and a list of radios or checkboxes are written by the functions
    below, in the very HTML Django's templates give (tests/test_form_renderer.py compares):
    Django renders them through three or four nested templates each, an option of a select
    or a list through templates of its own, and the set form, rendered on every set
    added, has some thirty of them."""

    field_template_name = "_field.html"
    bound_field_class = FocusingBoundField

    def render(self, template_name, context, request=None):
        write = WIDGETS.get(template_name)
        html = write(context["widget"]) if write else None
        if html is None:
            return super().render(template_name, context, request=request)
        return mark_safe(html.strip())


_DJANGO = "django/forms/widgets/"


def _attrs(attrs: dict) -> str:
    """As Django's attrs.html: each attribute in order, a True one bare, a False one left out."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )


def _text(value) -> str:
    # Django's templates write values with |stringformat:'s', which keeps them safe if
    # they were: str() of a SafeString is still one.
    return conditional_escape(value if isinstance(value, SafeString) else str(value))


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        + f"{value}{_attrs(widget['attrs'])}>\n"
    )


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return (
        format_html('<textarea name="{}"', widget["name"])
        + f"{_attrs(widget['attrs'])}>\n{value}</textarea>\n"
    )


def _input_option(option: dict) -> str:
    if not option["wrap_label"]:
        return _input(option) + "\n"
    label_for = option["attrs"].get("id")
    opening = format_html("<label{}>", format_html(' for="{}"', label_for) if label_for else "")
    return f"{opening}{_input(option)} {conditional_escape(option['label'])}</label>\n"


def _options_are_djangos(widget: dict, *templates: str) -> bool:
    return all(
        option["template_name"] in [_DJANGO + template for template in templates]
        for _, options, _ in widget["optgroups"]
        for option in options
    )


def _option(option: dict) -> str:
    value, label = _text(option["value"]), conditional_escape(option["label"])
    return f'<option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n'


def _select(widget: dict) -> str | None:
    if not _options_are_djangos(widget, "select_option.html"):
        return None  # a widget's own option template: Django's way
    html = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
    for group, options, _ in widget["optgroups"]:
        if group:
            html.append(format_html('\n  <optgroup label="{}">', group))
        for option in options:
            html.append(f"\n  {_option(option)}")
        if group:
            html.append("\n  </optgroup>")
    html.append("\n</select>\n")
    return "".join(html)


def _multiple_input(widget: dict) -> str | None:
    if not _options_are_djangos(widget, "radio_option.html", "checkbox_option.html"):
        return None
    attrs = widget["attrs"]
    html = [
        "<div",
        format_html(' id="{}"', attrs["id"]) if attrs.get("id") else "",
        format_html(' class="{}"', attrs["class"]) if attrs.get("class") else "",
        ">",
    ]
    for group, options, _ in widget["optgroups"]:
        if group:
            html.append(format_html("\n  <div><label>{}</label>", group))
        # An option's template (radio_option.html) adds a line to input_option.html's.
        html.extend(f"<div>\n    {_input_option(option)}\n</div>" for option in options)
        if group:
            html.append("\n  </div>")
    html.append("\n</div>\n")
    return "".join(html)


# Django's widget templates that are written here; any other renders as Django's.
WIDGETS = {
    **{
        f"{_DJANGO}{name}.html": _input
        for name in (
            "input",
            "text",
            "number",
            "email",
            "url",
            "password",
            "hidden",
            "checkbox",
            "date",
            "datetime",
            "time",
            "search",
            "tel",
            "color",
            "file",
        )
    },
    **{
        f"{_DJANGO}{name}.html": _input_option
        for name in ("input_option", "radio_option", "checkbox_option")
    },
    f"{_DJANGO}textarea.html": _textarea,
    f"{_DJANGO}select.html": _select,
    f"{_DJANGO}select_option.html": _option,
    f"{_DJANGO}radio.html": _multiple_input,
    f"{_DJANGO}checkbox_select.html": _multiple_input,
    f"{_DJANGO}multiple_input.html": _multiple_input,
}
