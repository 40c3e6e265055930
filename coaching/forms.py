from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from coaching import images
from coaching.models import Illustration, Placement
from coaching.services import save_illustration
from core.fields import BoundedModelChoiceField


class IllustrationForm(forms.ModelForm):
    """Upload a photo: Pillow checks it, strips its metadata and makes the renditions here,
    so a bad file is refused on the field before anything touches storage."""

    photo = forms.FileField(
        help_text=(
            f"A JPEG, PNG or WebP photo, up to {images.MAX_UPLOAD_BYTES // (1024 * 1024)} MB and "
            f"{images.MAX_PIXELS // 1_000_000} megapixels. Location and camera data are removed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp"}),
    )

    class Meta:
        model = Illustration
        fields = [
            "exercise",
            "placement",
            "variation",
            "form_error",
            "order",
            "alt_text",
            "caption",
        ]
        field_classes = {
            "exercise": BoundedModelChoiceField,
            "variation": BoundedModelChoiceField,
            "form_error": BoundedModelChoiceField,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cleaned_upload: images.CleanImage | None = None
        self.prepared_renditions: list[images.Rendition] = []
        if self.instance.pk:
            # Keeping the current photo is fine when editing only the words.
            self.fields["photo"].required = False

    def clean_alt_text(self) -> str:
        alt_text = " ".join(self.cleaned_data["alt_text"].split())
        if not alt_text:
            raise ValidationError("Describe what the photo shows, for people who cannot see it.")
        return alt_text

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return upload
        try:
            clean = images.clean_upload(upload, upload.name)
            renditions = images.make_renditions(clean)
        except images.ImageRejected as rejected:
            raise ValidationError(str(rejected), code="invalid_image") from None
        self.cleaned_upload = clean
        self.prepared_renditions = renditions
        return upload

    def clean(self) -> dict:
        data = super().clean()
        placement = data.get("placement")
        variation, form_error = data.get("variation"), data.get("form_error")
        if placement == Placement.VARIATION and not variation:
            self.add_error("variation", "Choose the variation this photo shows.")
        if placement == Placement.FORM_ERROR and not form_error:
            self.add_error("form_error", "Choose the form error this photo shows.")
        if placement != Placement.VARIATION and variation:
            self.add_error("variation", "Only photos placed on a variation name one.")
        if placement != Placement.FORM_ERROR and form_error:
            self.add_error("form_error", "Only photos placed on a form error name one.")
        return data

    def save(self, commit: bool = True) -> Illustration:
        illustration = super().save(commit=False)
        if self.cleaned_upload is not None:
            return save_illustration(
                illustration,
                self.cleaned_upload,
                self.prepared_renditions,
                original_name=self.cleaned_data["photo"].name,
            )
        if commit:
            illustration.save()
        return illustration

    def save_m2m(self) -> None:  # the model has no many-to-many fields
        pass
