"""The athlete side of the coach panel: read-only, and only the coach's own athletes.

Another athlete's rows are not in any list, search or count, and their change
pages answer 404 (not a redirect that would confirm they exist).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404

from coaches.models import AuditEntry, CoachLink, CoachNote, Prescription
from core import admin as core_admin
from training.models import SET_FIELDS, LevelChange, Set, TrainingSession


def _person(field: str, label: str):
    """A user shown as plain text: coaches cannot open user accounts, so no link to one."""

    @admin.display(description=label)
    def show(model_admin, obj) -> str:
        person = getattr(obj, field)
        return person.get_username() if person else "—"

    return show


class OwnAthletesOnly(core_admin.ModelAdmin):
    athlete_field = "user"

    def get_queryset(self, request):
        # The superuser too: what they see here is what they see in the coach panel.
        athletes = CoachLink.objects.athletes_of(request.user)
        return super().get_queryset(request).filter(**{f"{self.athlete_field}__in": athletes})

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404("No such object.")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class SetInline(admin.TabularInline):
    model = Set
    extra = 0
    can_delete = False
    fields = ["position", *SET_FIELDS]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrainingSession)
class TrainingSessionAdmin(OwnAthletesOnly):
    list_display = ["date", "user", "variation"]
    list_filter = ["variation"]
    search_fields = ["user__username", "notes"]
    date_hierarchy = "date"
    list_select_related = ["user", "variation"]
    athlete = _person("user", "Athlete")
    readonly_fields = ["athlete", "date", "variation", "notes", "created_at"]
    fields = readonly_fields
    inlines = [SetInline]


@admin.register(LevelChange)
class LevelChangeAdmin(OwnAthletesOnly):
    list_display = ["changed_at", "user", "from_variation", "to_variation", "source", "changed_by"]
    list_filter = ["source"]
    search_fields = ["user__username", "reason"]
    list_select_related = ["user", "from_variation", "to_variation", "changed_by"]
    athlete = _person("user", "Athlete")
    by = _person("changed_by", "Changed by")
    readonly_fields = fields = [
        "athlete", "from_variation", "to_variation", "changed_at", "source", "by", "reason",
    ]  # fmt: skip


@admin.register(Prescription)
class PrescriptionAdmin(OwnAthletesOnly):
    athlete_field = "athlete"
    list_display = ["created_at", "athlete", "variation", "sets", "reps_per_side", "coach"]
    search_fields = ["athlete__username", "notes"]
    list_select_related = ["athlete", "variation", "coach"]
    athlete_name = _person("athlete", "Athlete")
    coach_name = _person("coach", "Coach")
    readonly_fields = fields = [
        "athlete_name", "coach_name", "variation", "sets", "reps_per_side", "load_kg", "tempo",
        "hold_seconds", "sessions_per_week", "notes", "created_at",
    ]  # fmt: skip


@admin.register(CoachNote)
class CoachNoteAdmin(OwnAthletesOnly):
    athlete_field = "athlete"
    list_display = ["created_at", "athlete", "coach", "text"]
    search_fields = ["athlete__username", "text"]
    list_select_related = ["athlete", "coach"]
    athlete_name = _person("athlete", "Athlete")
    coach_name = _person("coach", "Coach")
    readonly_fields = fields = ["athlete_name", "coach_name", "session", "text", "created_at"]


@admin.register(AuditEntry)
class AuditEntryAdmin(OwnAthletesOnly):
    athlete_field = "athlete"
    list_display = ["created_at", "actor", "athlete", "action", "detail"]
    list_filter = ["action"]
    search_fields = ["athlete__username", "detail"]
    list_select_related = ["actor", "athlete"]
    actor_name = _person("actor", "Who")
    athlete_name = _person("athlete", "Athlete")
    readonly_fields = fields = ["created_at", "actor_name", "athlete_name", "action", "detail"]

    def get_queryset(self, request):
        # Narrower than their athletes' rows: what was written while this coach coached.
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=AuditEntry.objects.visible_to(request.user).values("pk"))
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the audit trail is kept


@admin.register(CoachLink)
class CoachLinkAdmin(core_admin.ModelAdmin):
    """Superusers only: coaches manage their links from the coach dashboard."""

    list_display = ["coach", "athlete", "created_at", "accepted_at", "ended_at"]
    search_fields = ["coach__username", "athlete__username"]
    list_select_related = ["coach", "athlete"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser
