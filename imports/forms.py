"""The CSV upload form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from imports import budget as import_budget


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text=(
            "A CSV exported from hipthrust, Strong or Hevy, up to "
            f"{import_budget.MAX_LINES:,} lines and {import_budget.MAX_BYTES // (1024 * 1024)} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, refusal: str = "", **kwargs) -> None:
        """`refusal`: why the upload stopped being read (csv_io/upload.py), shown on the file."""
        super().__init__(*args, **kwargs)
        self.refusal = refusal
        if refusal:
            self.fields["file"].required = False

    def clean_file(self):
        if self.refusal:
            raise ValidationError(self.refusal)
        upload = self.cleaned_data["file"]
        if upload.size > import_budget.MAX_BYTES:
            raise ValidationError(import_budget.too_many_bytes())
        return upload
