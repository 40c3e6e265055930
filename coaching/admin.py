"""The coaches' admin: the guide's content, in the order and shape the site shows it.

Cues, form errors and ladder rungs are edited as numbered rows on their exercise;
renumbering them (even swapping two numbers) is an ordinary edit. Figures and photos
are previewed where they are chosen, and every object links to the page it changes.
"""

from __future__ import annotations

import hashlib
import json

from django import forms
from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.utils import NestedObjects
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, router, transaction
from django.db.models import Case, Count, Q, Value, When
from django.forms.models import BaseInlineFormSet, model_to_dict
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, get_text_list

from coaching.figures import BUILDERS, figure
from coaching.forms import IllustrationForm
from coaching.models import (
    Cue,
    Exercise,
    FormError,
    Illustration,
    Phase,
    Placement,
    TempoPreset,
    Variation,
)
from coaching.services import close_ladder_gaps
from coaching.svg import render_figure_panels
from core import admin as core_admin

ADMIN_CSS = {"all": ["admin-extra/admin.css"]}

# Where each cue phase and guide photo placement appears on the guide page.
GUIDE_SECTION = {
    Phase.SETUP: "setup",
    Phase.EXECUTION: "execution",
    Phase.TOP: "top-position",
    Phase.DESCENT: "descent",
    Phase.BREATHING: "descent",
    Placement.SETUP: "setup",
    Placement.EXECUTION: "execution",
    Placement.TOP: "top-position",
    Placement.DESCENT: "descent",
}

# Spare numbers that rows being renumbered are parked on while a formset saves.
# PositiveSmallIntegerField stops at 32767 on every database Django supports.
PARKING_NUMBERS = range(30000, 32768)


def phase_rank() -> Case:
    """Cues in the order the guide teaches the phases, not alphabetically."""
    return Case(
        *(When(phase=value, then=Value(rank)) for rank, value in enumerate(Phase.values)),
        output_field=models.IntegerField(),
    )


def guide_section_url(section: str) -> str:
    return f"{reverse('coaching:guide')}#{section}"


def figure_preview_html(key: str) -> str:
    """The drawn figure for `key` as the site shows it, with a link to its PNG."""
    if not key:
        return "No figure chosen."
    if key not in BUILDERS:
        return format_html("Unknown figure “{}”.", key)
    # The SVG is built from the figure code's own geometry and escapes its text;
    # it carries no inline style or script (the CSP would refuse both).
    panels = mark_safe("".join(render_figure_panels(figure(key), id_prefix=f"admin-{key}")))
    return format_html(
        '<div class="admin-extra-figure">{}</div>'
        '<p><a href="{}">Open the figure as a PNG</a> (what the page shares and prints).</p>',
        panels,
        reverse("coaching:figure-image", kwargs={"key": key}),
    )


# Deleting content that trainees' logs point at.
#
# A trainee's logged set keeps the form errors they flagged, a session its rung; deleting
# one would strip it from everyone's history (or, protected, be refused by the database).
# So such deletions are refused while any log refers to the content, and otherwise left to
# superusers where the content is flagged in logs: editing content is a coach's job, taking
# it away is not. Logs live in other apps (coaching never imports them), so the references
# are found from the relations those apps declare to this one, `related_name="+"` ones
# included. The refusal counts those rows and never names one: they are other people's logs.

# How a row of another app reads when counted ("12 sessions"); others by their verbose names.
LOG_ROW_NAMES = {
    "training.trainingsession": ("session", "sessions"),
    "training.profile": ("trainee’s current level", "trainees’ current levels"),
    "training.alikesets": ("record of alike sets", "records of alike sets"),
    "training.set": ("logged set", "logged sets"),
    "coaches.prescription": ("plan", "plans"),
}


def _log_row_name(model, count: int) -> str:
    opts = model._meta
    singular, plural = LOG_ROW_NAMES.get(
        opts.label_lower, (opts.verbose_name, opts.verbose_name_plural)
    )
    return f"{count} {singular if count == 1 else plural}"


def _relations_from_other_apps(model) -> dict:
    """{model of another app: [field names of its relations to `model`]}, hidden ones too."""
    found: dict = {}
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        related = relation.related_model
        # An auto-created many-to-many table is counted through its field instead.
        if related._meta.app_label == model._meta.app_label or related._meta.auto_created:
            continue
        found.setdefault(related, []).append(relation.field.name)
    return found


def history_references(objs) -> list[str]:
    """One sentence per object that rows of another app (trainees' logs, coaches' plans)
    still refer to: how many of each kind, never whose or which."""
    sentences = []
    for obj in objs:
        counts = []
        for related, names in _relations_from_other_apps(type(obj)).items():
            refers = Q()
            for name in names:
                refers |= Q(**{name: obj})
            if count := related._base_manager.filter(refers).distinct().count():
                counts.append(_log_row_name(related, count))
        if counts:
            verb = "uses" if len(counts) == 1 and counts[0].startswith("1 ") else "use"
            sentences.append(
                f"“{obj}” cannot be deleted while {get_text_list(counts, 'and')} {verb} it; "
                "edit it instead."
            )
    return sentences


def _collector(objs) -> NestedObjects:
    """What deleting `objs` would take with it, every cascade followed past the rows that
    protect some of it (`protected`)."""
    collector = NestedObjects(using=router.db_for_write(type(objs[0])), origin=objs)
    collector.collect(objs)
    return collector


def collected_content(objs) -> list[models.Model]:
    """Every row of this app that deleting `objs` deletes with them (cascades included)."""
    objs = list(objs)
    if not objs:
        return []
    return [
        instance
        for model, instances in _collector(objs).model_objs.items()
        if model._meta.app_label == "coaching"
        for instance in instances
    ]


def log_deletions(request, objs) -> None:
    """A DELETION entry in the admin's log for each row, as the admin makes for the one
    deleted on its own page; cascaded and inline deletions would otherwise leave none."""
    if objs:
        LogEntry.objects.log_actions(request.user.pk, objs, DELETION, change_message="")


# Saving a change page over edits made elsewhere.
#
# A change page posts every field it shows, its inline rows' too, so saving a page opened
# before another edit (a cue on its own page, a rung's reps) put the old values back. Each
# change page carries a fingerprint of what it showed: the values of the fields its forms
# edit, the main row's and each inline row's, and which rows those are. A post whose page
# showed other values than the database now holds is refused whole. Not the content
# generation: it moves with any edit of any content (another exercise's cue, a photo), and
# with the token's eviction from the cache or, without Redis, in each process on its own,
# so it would refuse saves that lose nothing.

STALE_PAGE = (
    "This content was changed elsewhere since you opened this page: nothing was saved; "
    "reload to see the changes and make yours again."
)
PAGE_FINGERPRINT = "page_fingerprint"


def _shown_values(rows, names) -> list:
    return sorted(([row.pk, model_to_dict(row, fields=names)] for row in rows), key=lambda r: r[0])


class ContentAdmin(core_admin.ModelAdmin):
    """Content admin: a deletion is refused while trainees' logs refer to what it would
    delete, and every row it takes with it is audited. A saved slug stays as it is. A change
    page saved over edits made since it was drawn is refused (see above)."""

    change_form_template = "admin/coaching/change_form.html"

    def page_fingerprint(self, request, obj, *, lock: bool = False) -> str:
        """What the change page of `obj` shows of the database, as a digest; `lock` holds
        those rows until the transaction ends, so nothing changes between check and save."""
        fields = list(super().get_form(request, obj, change=True).base_fields)
        manager = self.model._default_manager
        rows = manager.select_for_update() if lock else manager
        shown = [_shown_values(rows.filter(pk=obj.pk), fields)]
        for formset, inline in self.get_formsets_with_inlines(request, obj):
            queryset = inline.model._default_manager.filter(**{formset.fk.name: obj})
            queryset = queryset.select_for_update() if lock else queryset
            shown.append(_shown_values(queryset, list(formset.form.base_fields)))
        text = json.dumps(shown, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not change or obj is None:
            return form
        admin_ = self

        class DrawnForm(form):
            page_fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                if not self.is_bound:
                    self.initial[PAGE_FINGERPRINT] = admin_.page_fingerprint(request, obj)

            def clean(self):
                # The admin's change view runs in a transaction: the rows stay locked to its end.
                drawn = self.cleaned_data.get(PAGE_FINGERPRINT)
                if drawn != admin_.page_fingerprint(request, obj, lock=True):
                    self.add_error(None, ValidationError(STALE_PAGE, code="stale_page"))
                return super().clean()

        DrawnForm.__name__ = DrawnForm.__qualname__ = form.__name__
        return DrawnForm

    def get_readonly_fields(self, request, obj=None):
        # A slug is in addresses people keep: links, bookmarks, a prescription's timer plan,
        # the pages a device keeps offline. Changed, every one of them answered 404.
        fields = super().get_readonly_fields(request, obj)
        return (
            [*fields, "slug"] if obj is not None and "slug" in self.prepopulated_fields else fields
        )

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        objs = list(objs)
        if not objs:
            return deleted, model_count, perms_needed, protected
        collector = _collector(objs)
        outside = {row for row in collector.protected if row._meta.app_label != "coaching"}
        if outside:
            # Django names each protecting row (other people's sessions, levels and plans)
            # and, lacking the right to delete them, reads as if the deletion would take
            # them: both give way to the counts below. Content protecting content is named.
            perms_needed = perms_needed - {row._meta.verbose_name for row in outside}
            protected = [
                self._protected_row(row, request)
                for row in collector.protected
                if row not in outside
            ]
        references = history_references(collected_content(objs))
        return deleted, model_count, perms_needed, [*protected, *references]

    def _protected_row(self, row, request) -> str:
        """A row of this app that protects the deleted ones, as Django lists it."""
        opts = row._meta
        admin_of_row = self.admin_site.get_model_admin(type(row))
        if admin_of_row.has_change_permission(request, row):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
            return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, row)
        return f"{capfirst(opts.verbose_name)}: {row}"

    def delete_model(self, request, obj) -> None:
        with transaction.atomic(using=router.db_for_write(self.model)):
            # The admin logs `obj` itself (log_deletions); these are what goes with it.
            log_deletions(request, [o for o in collected_content([obj]) if o != obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic(using=router.db_for_write(self.model)):
            chosen = set(queryset)
            log_deletions(request, [o for o in collected_content(chosen) if o not in chosen])
            super().delete_queryset(request, queryset)


class HistoryContentAdmin(ContentAdmin):
    """Content that trainees flag in their logs: only superusers delete it."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


# Numbered inline rows.


class NumberedInlineFormSet(BaseInlineFormSet):
    """Rows numbered within their exercise (cues within their phase), edited together.

    An inline form does not check its number against the stored rows (its exercise is
    left out of that check), so the formset checks the submitted numbers against each
    other and refuses two rows sharing one with a clear message. Django then saves the
    rows one by one, so saving first parks the moved rows on spare numbers: a swap never
    meets the unique constraint halfway.
    """

    number_field = "order"
    group_fields: tuple[str, ...] = ()

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request  # who deletes rows, for the admin's log

    def clean(self) -> None:
        messages = self._refuse_shared_numbers() + self._refuse_referenced_deletions()
        super().clean()
        if messages:
            raise ValidationError(messages)

    def _refuse_referenced_deletions(self) -> list[str]:
        messages = []
        for form in self.initial_forms:
            if not self._should_delete_form(form) or form.instance.pk is None:
                continue
            if found := history_references(collected_content([form.instance])):
                form.add_error(None, found[0])
                messages.extend(found)
        return messages

    def _refuse_shared_numbers(self) -> list[str]:
        rows_by_key: dict[tuple, list[forms.Form]] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            number = form.cleaned_data.get(self.number_field)
            group = tuple(form.cleaned_data.get(name) for name in self.group_fields)
            if number is not None and None not in group:
                rows_by_key.setdefault((*group, number), []).append(form)

        opts = self.model._meta
        number_label = opts.get_field(self.number_field).verbose_name
        messages: list[str] = []
        for (*group, number), rows in rows_by_key.items():
            if len(rows) < 2:
                continue
            where = "".join(
                f" in the “{dict(opts.get_field(name).flatchoices).get(value, value)}” "
                f"{opts.get_field(name).verbose_name}"
                for name, value in zip(self.group_fields, group, strict=True)
            )
            count = "Two" if len(rows) == 2 else str(len(rows))
            messages.append(
                f"{count} {opts.verbose_name_plural}{where} have {number_label} {number}: "
                f"give each its own {number_label}."
            )
            for form in rows:
                form.add_error(self.number_field, f"Another row also has {number}.")
        return messages

    def save(self, commit: bool = True):
        if not commit:
            return super().save(commit=False)
        with transaction.atomic(using=router.db_for_write(self.model)):
            self._park_moved_rows()
            return super().save()

    def delete_existing(self, obj, commit: bool = True) -> None:
        if commit:
            log_deletions(self.request, collected_content([obj]))
        super().delete_existing(obj, commit=commit)

    def _park_moved_rows(self) -> None:
        key_fields = {self.number_field, *self.group_fields}
        moved = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk is not None
            and (self._should_delete_form(form) or key_fields & set(form.changed_data))
        ]
        if not moved:
            return
        rows = self.model._default_manager.filter(**{self.fk.name: self.instance})
        taken = set(rows.values_list(self.number_field, flat=True))
        taken |= {
            form.cleaned_data.get(self.number_field)
            for form in self.forms
            if hasattr(form, "cleaned_data")
        }
        spare = (number for number in PARKING_NUMBERS if number not in taken)
        for pk in moved:
            rows.filter(pk=pk).update(**{self.number_field: next(spare)})


class CueFormSet(NumberedInlineFormSet):
    number_field = "order"
    group_fields = ("phase",)


class FormErrorFormSet(NumberedInlineFormSet):
    number_field = "order"


class VariationFormSet(NumberedInlineFormSet):
    number_field = "level"

    def save(self, commit: bool = True):
        if not commit:
            return super().save(commit=False)
        with transaction.atomic(using=router.db_for_write(self.model)):
            saved = super().save()
            if self.deleted_objects:
                close_ladder_gaps([self.instance.pk])
            return saved


class ContentInline:
    """An inline whose deletions only NumberedInlineFormSet refuses, in counts.

    Django's own inline form refuses a deletion that protected rows block by naming each of
    them: every trainee's session, level and plan on a rung, whoever's they are."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Form(formset.form):
            def hand_clean_DELETE(self) -> None:
                return  # the formset's clean refuses it (history_references)

        formset.form = Form
        return formset


class SavedSlugInlineForm(forms.ModelForm):
    """An inline row whose saved slug is shown, not offered for change, as on the object's
    own page (ContentAdmin.get_readonly_fields says why); a new row still chooses its own."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "slug" in self.fields:
            self.fields["slug"].disabled = True  # what is posted for it is ignored
            self.fields["slug"].help_text = "Kept once saved, so links to the page keep working."


class DescribedTabularInline(ContentInline, admin.TabularInline):
    """A tabular inline with a line of guidance under its heading (`description`)."""

    template = "admin/coaching/edit_inline/tabular.html"
    description = ""


class DescribedStackedInline(ContentInline, admin.StackedInline):
    template = "admin/coaching/edit_inline/stacked.html"
    description = ""


class CueInline(DescribedTabularInline):
    model = Cue
    formset = CueFormSet
    extra = 0
    fields = ["phase", "order", "cue", "explanation"]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}
    description = (
        "The guide lists each phase's cues by their order number, lowest first. To move a "
        "cue, change its number (swapping two numbers is fine); no two cues in one phase "
        "may share a number. Breathing cues appear in the descent section."
    )

    def get_queryset(self, request):
        return super().get_queryset(request).order_by(phase_rank(), "order")


class FormErrorInline(DescribedStackedInline):
    model = FormError
    form = SavedSlugInlineForm
    formset = FormErrorFormSet
    extra = 0
    show_change_link = True
    fields = [
        "order",
        "name",
        "slug",
        "what_you_see",
        "why_it_matters",
        "how_to_fix",
        "fix_cue",
        "figure",
    ]
    ordering = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}
    description = (
        "Troubleshooting shows these by their order number, lowest first; change the numbers "
        "to reorder them. The slug is the error's page address, kept once saved so old links "
        "keep working. "
        "“Change” opens the error with a preview of its figure."
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Trainees flag these on their sets: deleting one is for superusers (see above).
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class VariationInline(DescribedStackedInline):
    model = Variation
    form = SavedSlugInlineForm
    formset = VariationFormSet
    extra = 0
    show_change_link = True
    # Twelve inputs do not fit one table row beside the admin's sidebar at 1280 px, so each
    # rung gets a few short lines, its level first.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("level", "kind", "figure"),
                    ("name", "slug"),
                    ("equipment", "takes_external_load", "one_side_at_a_time"),
                    ("advance_sets", "advance_reps_per_side", "advance_hold_seconds"),
                    "tempo",
                ]
            },
        )
    ]
    ordering = ["level"]
    classes = ["admin-extra-ladder"]
    description = (
        "The ladder, easiest first. Level 1 is the first rung; to reorder, change the levels "
        "(swapping two is fine, sharing one is not). To move up, an athlete manages the "
        "advance sets × reps per side at the tempo, holding the top for the hold seconds. "
        "“Change” opens a rung's steps, reasons and figure; add new rungs from Variations."
    )

    def has_add_permission(self, request, obj=None) -> bool:
        # A rung needs its summary, steps and reasons, which these rows leave out; it is
        # added on its own page (the model permission still decides whether it may be).
        return False


# Admins.


@admin.register(Exercise)
class ExerciseAdmin(HistoryContentAdmin):
    list_display = ["name", "tagline", "cue_count", "form_error_count", "variation_count"]
    search_fields = ["name", "tagline", "summary"]
    ordering = ["pk"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "summary"]}),
        ("About the exercise", {"fields": ["purpose", "suited_to", "muscles"]}),
    ]
    inlines = [CueInline, FormErrorInline, VariationInline]

    class Media:
        css = ADMIN_CSS

    def get_formset_kwargs(self, request, obj, inline, prefix):
        return {**super().get_formset_kwargs(request, obj, inline, prefix), "request": request}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _cues=Count("cues", distinct=True),
                _form_errors=Count("form_errors", distinct=True),
                _variations=Count("variations", distinct=True),
            )
        )

    @admin.display(description="Cues", ordering="_cues")
    def cue_count(self, obj: Exercise) -> int:
        return obj._cues

    @admin.display(description="Form errors", ordering="_form_errors")
    def form_error_count(self, obj: Exercise) -> int:
        return obj._form_errors

    @admin.display(description="Variations", ordering="_variations")
    def variation_count(self, obj: Exercise) -> int:
        return obj._variations


@admin.register(Cue)
class CueAdmin(ContentAdmin):
    list_display = ["cue", "phase", "order", "exercise", "on_site"]
    list_display_links = ["cue"]
    list_filter = ["phase", "exercise"]
    search_fields = ["cue", "explanation"]
    list_select_related = ["exercise"]
    ordering = ["exercise", phase_rank().asc(), "order"]
    fields = ["exercise", "phase", "order", "cue", "explanation"]

    def view_on_site(self, obj: Cue) -> str:
        return guide_section_url(GUIDE_SECTION[obj.phase])

    @admin.display(description="On the site")
    def on_site(self, obj: Cue) -> str:
        return format_html('<a href="{}">Guide section</a>', self.view_on_site(obj))


@admin.register(FormError)
class FormErrorAdmin(HistoryContentAdmin):
    list_display = ["order", "name", "fix_cue", "figure", "exercise"]
    list_display_links = ["name"]
    list_filter = ["exercise", "figure"]
    search_fields = ["name", "slug", "what_you_see", "how_to_fix", "fix_cue"]
    list_select_related = ["exercise"]
    ordering = ["exercise", "order"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["figure_preview"]
    fieldsets = [
        (None, {"fields": ["exercise", "order", "name", "slug"]}),
        ("Explanation", {"fields": ["what_you_see", "why_it_matters", "how_to_fix", "fix_cue"]}),
        (
            "Figure",
            {
                "fields": ["figure", "figure_preview"],
                "description": "The preview shows the saved figure; save to see a new choice.",
            },
        ),
    ]

    class Media:
        css = ADMIN_CSS

    @admin.display(description="Preview")
    def figure_preview(self, obj: FormError) -> str:
        return figure_preview_html(obj.figure)


@admin.register(Variation)
class VariationAdmin(ContentAdmin):
    list_display = [
        "level",
        "name",
        "kind",
        "advance_criteria",
        "tempo",
        "takes_external_load",
        "one_side_at_a_time",
    ]
    list_display_links = ["name"]
    list_filter = ["kind", "takes_external_load", "one_side_at_a_time", "tempo", "exercise"]
    search_fields = ["name", "slug", "summary", "equipment"]
    list_select_related = ["tempo", "exercise"]
    ordering = ["exercise", "level"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["figure_preview"]
    fieldsets = [
        (None, {"fields": ["exercise", "level", "kind", "name", "slug", "summary"]}),
        ("How to do it", {"fields": ["how_to", "how_to_notes", "why", "equipment"]}),
        (
            "Advance criteria",
            {
                "fields": [
                    ("advance_sets", "advance_reps_per_side", "advance_hold_seconds"),
                    "tempo",
                    ("takes_external_load", "load_is_optional"),
                    "one_side_at_a_time",
                ],
                "description": "What an athlete must manage, at this tempo, to move up a rung.",
            },
        ),
        (
            "Figure",
            {
                "fields": ["figure", "figure_preview"],
                "description": "The preview shows the saved figure; save to see a new choice.",
            },
        ),
    ]

    class Media:
        css = ADMIN_CSS

    # The rungs above a deleted one move down in the same transaction: levels run from 1
    # without a gap (Variation.clean), and the ladder reads "Level 7 of 6" otherwise.

    def delete_model(self, request, obj) -> None:
        with transaction.atomic(using=router.db_for_write(self.model)):
            super().delete_model(request, obj)
            close_ladder_gaps([obj.exercise_id])

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic(using=router.db_for_write(self.model)):
            exercise_ids = set(queryset.values_list("exercise_id", flat=True))
            super().delete_queryset(request, queryset)
            close_ladder_gaps(exercise_ids)

    @admin.display(description="To move up")
    def advance_criteria(self, obj: Variation) -> str:
        return obj.advance_target

    @admin.display(description="Preview")
    def figure_preview(self, obj: Variation) -> str:
        return figure_preview_html(obj.figure)


@admin.register(TempoPreset)
class TempoPresetAdmin(ContentAdmin):
    list_display = ["name", "notation", "description", "order", "variation_count"]
    list_display_links = ["name"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    ordering = ["order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "order", "description"]}),
        (
            "Seconds per phase",
            {
                "fields": [
                    (
                        "lowering_seconds",
                        "bottom_pause_seconds",
                        "lifting_seconds",
                        "top_hold_seconds",
                    )
                ],
                "description": "In the order of the notation: lower, pause, lift, hold.",
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_variations=Count("variations"))

    @admin.display(description="Tempo")
    def notation(self, obj: TempoPreset) -> str:
        return obj.tempo.notation

    @admin.display(description="Used by", ordering="_variations")
    def variation_count(self, obj: TempoPreset) -> str:
        return f"{obj._variations} variation{'' if obj._variations == 1 else 's'}"


@admin.register(Illustration)
class IllustrationAdmin(ContentAdmin):
    form = IllustrationForm
    list_display = ["thumbnail", "alt_text", "placement", "shows", "order", "size"]
    list_display_links = ["thumbnail", "alt_text"]
    list_filter = [
        "placement",
        ("variation", admin.RelatedOnlyFieldListFilter),
        ("form_error", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    search_fields = ["alt_text", "caption", "variation__name", "form_error__name"]
    list_select_related = ["variation", "form_error"]
    ordering = ["placement", "order", "pk"]
    readonly_fields = ["rendition_previews", "size", "created_at"]
    fieldsets = [
        (
            "Where it appears",
            {
                "fields": ["exercise", "placement", "variation", "form_error", "order"],
                "description": (
                    "Name the variation or form error only when the placement is one; "
                    "photos in one place are shown by order, lowest first."
                ),
            },
        ),
        ("Photo", {"fields": ["photo", "alt_text", "caption"]}),
        ("Stored", {"fields": ["rendition_previews", "size", "created_at"]}),
    ]

    class Media:
        css = ADMIN_CSS

    def get_fieldsets(self, request, obj=None):
        # Nothing is stored until a photo is uploaded.
        return self.fieldsets if obj else self.fieldsets[:2]

    def save_model(self, request, obj, form, change) -> None:
        # The form already stored a new photo with its row; a words-only edit still needs saving.
        if form.cleaned_upload is None:
            obj.save()

    def view_on_site(self, obj: Illustration) -> str | None:
        if obj.placement == Placement.VARIATION and obj.variation_id:
            return obj.variation.get_absolute_url()
        if obj.placement == Placement.FORM_ERROR and obj.form_error_id:
            return obj.form_error.get_absolute_url()
        section = GUIDE_SECTION.get(obj.placement)
        return guide_section_url(section) if section else None

    @admin.display(description="Shows")
    def shows(self, obj: Illustration) -> str:
        return str(obj.variation or obj.form_error or "")

    @admin.display(description="Original size")
    def size(self, obj: Illustration) -> str:
        return f"{obj.width} × {obj.height}" if obj.width else "—"

    @admin.display(description="Photo")
    def thumbnail(self, obj: Illustration) -> str:
        smallest = sorted(obj.fallback or obj.renditions, key=lambda r: r["width"])[:1]
        if not smallest:
            return "—"
        rendition = smallest[0]
        return format_html(
            '<img class="admin-extra-thumb-small" src="{}" width="{}" height="{}" alt="{}" '
            'loading="lazy">',
            default_storage.url(rendition["name"]),
            rendition["width"],
            rendition["height"],
            obj.alt_text,
        )

    @admin.display(description="Renditions")
    def rendition_previews(self, obj: Illustration) -> str:
        if not obj.renditions:
            return "Made when a photo is uploaded."
        renditions = sorted(obj.renditions, key=lambda r: (r["width"], r["content_type"]))
        items = format_html_join(
            "",
            '<li><a href="{}"><img class="admin-extra-thumb" src="{}" width="{}" height="{}" '
            'alt="{}" loading="lazy"></a><span>{} × {} · {}</span></li>',
            (
                (
                    default_storage.url(r["name"]),
                    default_storage.url(r["name"]),
                    r["width"],
                    r["height"],
                    f"{obj.alt_text} ({r['width']} px, {_format_name(r['content_type'])})",
                    r["width"],
                    r["height"],
                    _format_name(r["content_type"]),
                )
                for r in renditions
            ),
        )
        return format_html('<ul class="admin-extra-renditions">{}</ul>', items)


def _format_name(content_type: str) -> str:
    return content_type.removeprefix("image/").upper()
