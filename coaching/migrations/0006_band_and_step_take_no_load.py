"""A band and a raised foot are not an external load: those rungs suggest no added weight.

The guide adds load only with a dumbbell or kettlebell across the hip crease; the banded
and foot-elevated rungs make the movement harder by other means, and their pages name
no weight. Marked as taking external load, the advice told people to "add 2.5 kg" there.
"""

from django.db import migrations

NO_LOAD = ["banded-single-leg-hip-thrust", "foot-elevated-single-leg-hip-thrust"]


def take_no_load(apps, schema_editor):
    Variation = apps.get_model("coaching", "Variation")
    Variation.objects.filter(slug__in=NO_LOAD).update(takes_external_load=False)


def take_load(apps, schema_editor):
    Variation = apps.get_model("coaching", "Variation")
    Variation.objects.filter(slug__in=NO_LOAD).update(takes_external_load=True)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0005_harden"),
    ]

    operations = [migrations.RunPython(take_no_load, take_load)]
