"""The shared model choice fields: a number too big for a key is an invalid choice, and the
choices are read by one plain query (no server-side cursor on PostgreSQL)."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.models import FormError, Variation
from core.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField

pytestmark = pytest.mark.django_db


class RungForm(forms.Form):
    rung = BoundedModelChoiceField(queryset=Variation.objects.order_by("level"))
    errors_seen = BoundedModelMultipleChoiceField(
        queryset=FormError.objects.order_by("pk"), required=False
    )


def test_it_renders_each_fields_choices_with_one_plain_query():
    with CaptureQueriesContext(connection) as queries:
        html = str(RungForm()["rung"]) + str(RungForm()["errors_seen"])
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == 2
    assert not any("DECLARE" in sql or "CURSOR" in sql for sql in statements)
    for variation in Variation.objects.all():
        assert f'value="{variation.pk}"' in html


def test_it_offers_every_choice_in_order_after_the_empty_one():
    choices = list(RungForm().fields["rung"].choices)
    assert choices[0] == ("", "---------")
    assert [str(value) for value, _ in choices[1:]] == [
        str(pk) for pk in Variation.objects.order_by("level").values_list("pk", flat=True)
    ]


@pytest.mark.parametrize("value", [str(2**63), str(-(2**63) - 1), "9" * 40])
def test_it_refuses_a_key_too_big_for_the_database_as_an_invalid_choice(value):
    form = RungForm({"rung": value, "errors_seen": [value]})
    assert not form.is_valid()
    assert form.errors["rung"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert form.errors["errors_seen"] == [
        f"Select a valid choice. {value} is not one of the available choices."
    ]
