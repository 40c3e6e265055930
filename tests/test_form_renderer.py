"""The project's form renderer writes the plainest widgets itself (hipthrust/renderers.py):
the very HTML Django's widget templates give, byte for byte."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from hipthrust.renderers import FormRenderer


class DjangosTemplates(FormRenderer):
    """The project's renderer with every widget through Django's own templates."""

    def render(self, template_name, context, request=None):
        return TemplatesSetting.render(self, template_name, context, request=request)


GROUPED = [("Legs", [("left", "Left <L>"), ("right", "Right & co")]), ("both", "Both")]


class EveryWidget(forms.Form):
    text = forms.CharField(help_text="Say it", widget=forms.TextInput(attrs={"class": "a b"}))
    number = forms.IntegerField(
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autofocus": True})
    )
    decimal = forms.DecimalField(widget=forms.NumberInput(attrs={"step": "0.25"}))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField()
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    check = forms.BooleanField(required=False)
    side = forms.ChoiceField(
        choices=[("left", "Left"), ("right", "Right <b>")], widget=forms.RadioSelect
    )
    grouped_radio = forms.ChoiceField(
        choices=GROUPED, widget=forms.RadioSelect(attrs={"class": "c"})
    )
    many = forms.MultipleChoiceField(
        choices=[("1", "One"), ("2", "Two & two")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    effort = forms.ChoiceField(choices=[("", "Not recorded"), ("rpe:8", "RPE 8"), ('x"<', "odd")])
    grouped_select = forms.ChoiceField(choices=GROUPED, required=False)
    select_many = forms.MultipleChoiceField(choices=GROUPED, required=False)
    textarea = forms.CharField(widget=forms.Textarea, required=False)


DATA = [
    None,
    {},
    {
        "text": 'a "quoted" <b>&',
        "number": "0",
        "decimal": "12.50",
        "hidden": "x",
        "email": "not an email",
        "password": "p<w>",
        "date": "2026-03-02",
        "check": "on",
        "side": "right",
        "grouped_radio": "both",
        "many": ["1", "2"],
        "effort": 'x"<',
        "grouped_select": "left",
        "select_many": ["left", "both"],
        "textarea": 'line <one>\n"two" & three',
    },
]
INITIAL = {
    "text": mark_safe("<i>safe</i>"),
    "number": 10,
    "side": "left",
    "effort": "rpe:8",
    "textarea": "0",
}


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("name", list(EveryWidget.base_fields))
def test_it_writes_each_widget_as_djangos_templates_do(data, name):
    ours = EveryWidget(data, initial=INITIAL, renderer=FormRenderer())[name]
    djangos = EveryWidget(data, initial=INITIAL, renderer=DjangosTemplates())[name]
    assert str(ours) == str(djangos)
    assert ours.as_field_group() == djangos.as_field_group()
    assert [option.tag() for option in ours] == [option.tag() for option in djangos]
    assert [str(option) for option in ours] == [str(option) for option in djangos]


def test_it_writes_the_plain_widgets_without_a_template(monkeypatch):
    def no_template(self, template_name):
        raise AssertionError(template_name)

    form = EveryWidget(DATA[-1], renderer=FormRenderer())
    monkeypatch.setattr(TemplatesSetting, "get_template", no_template)
    for name in EveryWidget.base_fields:
        str(form[name])
        [option.tag() for option in form[name]]


def test_it_leaves_a_widgets_own_option_template_to_django():
    class Custom(forms.RadioSelect):
        option_template_name = "django/forms/widgets/input_option.html"

    field = forms.ChoiceField(choices=[("a", "A")], widget=Custom)
    form = forms.Form(renderer=FormRenderer())
    form.fields["pick"] = field
    djangos = forms.Form(renderer=DjangosTemplates())
    djangos.fields["pick"] = field
    assert str(form["pick"]) == str(djangos["pick"])
