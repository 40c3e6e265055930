"""Every admin, ours and the other packages' (accounts, groups, login attempts, background
tasks), answers an action on ids that name no row as for no selection: never a 500."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin import ModelAdmin

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_every_registered_admin_shares_the_projects_base():
    assert all(isinstance(admin.site.get_model_admin(m), ModelAdmin) for m in REGISTERED)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("selected", ["abc", "1e3", str(2**70)])
def test_an_action_on_ids_that_are_no_rows_answers_without_a_500(admin_client, model, selected):
    rows = model._default_manager.count()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = admin_client.post(
        url, {"action": "delete_selected", "_selected_action": [selected], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert model._default_manager.count() == rows
