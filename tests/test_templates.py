"""House rules for templates."""

from __future__ import annotations

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django import forms
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class Example(forms.Form):
    reps = forms.IntegerField(help_text="How many", min_value=1)
    side = forms.ChoiceField(choices=[("left", "Left")], widget=forms.RadioSelect, help_text="Leg")


def test_a_field_renders_through_the_one_field_template():
    html = Example({"reps": "0"})["reps"].as_field_group()
    assert '<div class="field field--invalid">' in html
    assert '<div class="field__help" id="id_reps_helptext">How many</div>' in html


@pytest.mark.django_db
def test_a_help_text_that_is_a_list_stays_inside_the_element_that_describes_its_field(client):
    # In a <p>, the password rules' <ul> ended the paragraph: the browser left the described
    # element empty and a screen reader read no rule.
    html = client.get(reverse("training:signup")).content.decode()
    assert re.search(r'<div class="field__help" id="id_password1_helptext"><ul>\s*<li>', html)


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


LINE_LIMIT = 120

# Django's own admin templates, copied to add one line each: their lines stay as Django
# wrote them (so a diff against Django's shows only our addition), and only those.
DJANGO_ADMIN_COPIES = {
    "admin/coaching/edit_inline/stacked.html": "admin/edit_inline/stacked.html",
    "admin/coaching/edit_inline/tabular.html": "admin/edit_inline/tabular.html",
}
DJANGO_ADMIN_TEMPLATES = Path(django.contrib.admin.__file__).parent / "templates"


def _long_lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if len(line) > LINE_LIMIT]


def test_no_template_line_is_over_the_limit():
    too_long = {
        str(path.relative_to(TEMPLATES)): len(lines)
        for path in sorted(TEMPLATES.rglob("*.html"))
        if str(path.relative_to(TEMPLATES)) not in DJANGO_ADMIN_COPIES
        and (lines := _long_lines(path))
    }
    assert too_long == {}


def test_a_long_line_in_an_admin_copy_is_one_of_djangos_own():
    for ours, django_name in DJANGO_ADMIN_COPIES.items():
        djangos = set((DJANGO_ADMIN_TEMPLATES / django_name).read_text().splitlines())
        assert [line for line in _long_lines(TEMPLATES / ours) if line not in djangos] == [], ours
