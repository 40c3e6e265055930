"""A set video's upload and its comments."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from coaching.models import FormError
from core.fields import BoundedModelChoiceField
from core.submissions import SubmittedOnce
from videos import processing as video


class FilmOrChooseInput(forms.FileInput):
    """Two buttons for one video: "Film now" opens the phone's camera (capture), "Choose a
    clip" the files and gallery, which a capture input never offers on Android or iOS. Both
    post as the same field; the one picked last counts (static/js/video-upload.mjs empties
    the other)."""

    template_name = "videos/_film_or_choose.html"
    use_fieldset = True  # the field's label is the group's legend; each button has its own

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # A template cannot read "aria-invalid" by name; neither input is `required` (either
        # one will do, and an empty form gets the server's own sentence).
        context["widget"]["invalid"] = context["widget"]["attrs"].get("aria-invalid") == "true"
        return context


class VideoUploadForm(forms.Form):
    """One clip of a set or a side; what it is comes from its bytes (videos/processing.py), never
    its name."""

    file = forms.FileField(
        label="Video of this set",
        help_text=(
            "Film the set now with your phone's camera, or choose a clip you filmed: up to "
            f"{video.MAX_SECONDS} seconds and {video.describe_bytes(video.MAX_BYTES)} "
            "(MP4, MOV or WebM). Location and other "
            "details your phone stores in the file are removed."
        ),
        allow_empty_file=True,  # refused below with a sentence of our own
        widget=FilmOrChooseInput,
    )

    def __init__(self, *args, label: str = "Video of this set", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.probe = video.probe(upload, upload.size)
        except video.VideoRejected as rejected:
            raise ValidationError(str(rejected)) from rejected
        return upload


class VideoCommentForm(SubmittedOnce):
    at_seconds = forms.DecimalField(
        label="At (seconds)",
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        help_text="Pause the video at the moment: this fills in by itself.",
        # Django's own speak of digits in total; what is asked is a moment of the video.
        error_messages={
            "max_digits": "Give a moment within the video, in seconds (12.25).",
            "max_whole_digits": "Give a moment within the video, in seconds (12.25).",
            "max_decimal_places": "Give the seconds with at most two decimals (12.25).",
        },
    )
    text = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Comment"
    )
    form_error = BoundedModelChoiceField(
        queryset=FormError.objects.order_by("name"),
        required=False,
        label="Form error",
        empty_label="None",
    )

    def __init__(self, *args, duration: float, by_owner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.duration = Decimal(str(round(duration, 2)))
        self.fields["at_seconds"].max_value = self.duration
        if by_owner:
            # The athlete answers or asks in words; tagging form errors is the coach's.
            del self.fields["form_error"]
            self.fields["text"].label = "Your reply or question"

    def clean_at_seconds(self) -> Decimal:
        moment = self.cleaned_data["at_seconds"]
        if moment > self.duration:
            raise ValidationError(f"The video is {self.duration} seconds long.")
        return moment

    def clean(self):
        cleaned = super().clean()
        cleaned["text"] = (cleaned.get("text") or "").strip()
        if not cleaned["text"] and not cleaned.get("form_error") and not self.errors:
            if "form_error" in self.fields:
                raise ValidationError("Write a comment or choose a form error.")
            raise ValidationError("Write what you want to say.")
        return cleaned
