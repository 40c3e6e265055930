"""The Coach role: a group with exactly the permissions a coach needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COACH_GROUP = "Coach"
CONTENT = ["exercise", "cue", "formerror", "variation", "tempopreset", "illustration"]
# Coaches read their athletes' logs (the panel filters to their own athletes) and write
# prescriptions and notes; they never edit an athlete's sets.
TRAINING = {
    "trainingsession": ["view"],
    "set": ["view"],
    "levelchange": ["view"],
    "prescription": ["view", "add"],
    "coachnote": ["view", "add"],
    "auditentry": ["view"],
}


def wanted() -> list[tuple[str, str]]:
    perms = [
        ("coaching", f"{action}_{model}")
        for model in CONTENT
        for action in ("view", "add", "change", "delete")
    ]
    perms += [
        ("training", f"{action}_{model}")
        for model, actions in TRAINING.items()
        for action in actions
    ]
    return perms


def create_coach_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the group
    # can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    assign_coach_permissions(apps, schema_editor)


def assign_coach_permissions(apps, schema_editor):
    """The group and its permissions, once the permissions exist."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=COACH_GROUP)
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in wanted()
    ]
    group.permissions.set(permissions)


def remove_coach_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=COACH_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_coaching_links"),
        ("coaching", "0004_illustrations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_coach_group, remove_coach_group)]
