"""House rules for templates."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class Example(forms.Form):
    reps = forms.IntegerField(help_text="How many", min_value=1)
    side = forms.ChoiceField(choices=[("left", "Left")], widget=forms.RadioSelect, help_text="Leg")


def test_a_field_renders_through_the_one_field_template():
    html = Example({"reps": "0"})["reps"].as_field_group()
    assert '<div class="field field--invalid">' in html
    assert '<p class="field__help" id="id_reps_helptext">How many</p>' in html


def test_every_id_a_field_is_described_by_is_on_the_page():
    form = Example({"reps": "0", "side": "right"})
    for name in ("reps", "side"):
        html = form[name].as_field_group()
        described = re.findall(r'aria-describedby="([^"]+)"', html)
        assert described, name
        for ids in described:
            for target in ids.split():
                assert f'id="{target}"' in html, (name, target)


def test_no_template_includes_the_field_template_by_hand():
    by_hand = [
        path.relative_to(TEMPLATES)
        for path in TEMPLATES.rglob("*.html")
        if 'include "_field.html"' in path.read_text()
    ]
    assert by_hand == []
