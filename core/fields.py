"""Form fields shared by the apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

# Primary keys are 64-bit; a bigger number must be "not a valid choice", not a database
# error (SQLite raises OverflowError for it).
PK_RANGE = range(-(2**63), 2**63)


def _check_pk(field: forms.Field, value) -> None:
    if value in field.empty_values:
        return
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return  # Django's own lookup reports a non-number as an invalid choice
    if number not in PK_RANGE:
        raise ValidationError(
            field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ListedChoices(forms.models.ModelChoiceIterator):
    """A model field's choices read by one plain query. Django's iterator() reads them
    through a server-side cursor on PostgreSQL (three round trips: declare, fetch, close) to
    spare memory on huge tables; our choices (a ladder's rungs, a guide's form errors, a
    session's sets) are a few dozen rows at most."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class BoundedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices

    def to_python(self, value):
        _check_pk(self, value)
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ListedChoices

    def _check_values(self, value):
        for item in value or ():
            try:
                _check_pk(self, item)
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                ) from None
        return super()._check_values(value)
