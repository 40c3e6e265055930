"""What every app's admin shares."""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError

from core.fields import PK_RANGE


class ModelAdmin(admin.ModelAdmin):
    """An action run on ids that name no row of the model (a hand-edited or stale form: "abc",
    a number past the key's range) acts on the ids that do, and with none left answers as
    for no selection; Django would answer 500."""

    def response_action(self, request, queryset):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        keys = [value for value in selected if self._names_a_row(value)]
        if keys != selected:
            request.POST = request.POST.copy()
            request.POST.setlist(ACTION_CHECKBOX_NAME, keys)
        return super().response_action(request, queryset)

    def _names_a_row(self, value: str) -> bool:
        try:
            key = self.model._meta.pk.to_python(value)
        except ValidationError:
            return False
        return not isinstance(key, int) or key in PK_RANGE
