from django.contrib import admin

from coaching.forms import IllustrationForm
from coaching.models import Cue, Exercise, FormError, Illustration, TempoPreset, Variation


class CueInline(admin.TabularInline):
    model = Cue
    extra = 0
    fields = ["phase", "order", "cue", "explanation"]


class FormErrorInline(admin.StackedInline):
    model = FormError
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CueInline, FormErrorInline]


@admin.register(Variation)
class VariationAdmin(admin.ModelAdmin):
    list_display = ["level", "name", "kind", "advance_sets", "advance_reps_per_side", "tempo"]
    list_display_links = ["name"]
    list_filter = ["kind", "takes_external_load"]
    search_fields = ["name", "summary"]
    list_select_related = ["tempo"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TempoPreset)
class TempoPresetAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "lowering_seconds",
        "bottom_pause_seconds",
        "lifting_seconds",
        "top_hold_seconds",
    ]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Illustration)
class IllustrationAdmin(admin.ModelAdmin):
    form = IllustrationForm
    list_display = ["alt_text", "placement", "variation", "form_error", "width", "height"]
    list_filter = ["placement"]
    search_fields = ["alt_text", "caption"]
    list_select_related = ["variation", "form_error"]

    def save_model(self, request, obj, form, change) -> None:
        # The form already stored a new photo with its row; a words-only edit still needs saving.
        if form.cleaned_upload is None:
            obj.save()
