"""A load is optional only on a rung that takes external load.

A body-weight rung with "Load is optional" ticked saved, and its page then offered a
dumbbell or kettlebell. A rung saved that way takes no load: the tick is cleared (the safe
reading, nothing added to a body-weight rung), then the database refuses the combination.
"""

from django.db import migrations, models


def clear_contradictions(apps, schema_editor):
    Variation = apps.get_model("coaching", "Variation")
    Variation.objects.filter(takes_external_load=False, load_is_optional=True).update(
        load_is_optional=False
    )


class Migration(migrations.Migration):
    dependencies = [("coaching", "0012_close_ladder_gaps")]

    operations = [
        migrations.RunPython(clear_contradictions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="variation",
            constraint=models.CheckConstraint(
                condition=models.Q(takes_external_load=True) | models.Q(load_is_optional=False),
                name="variation_optional_load_takes_load",
            ),
        ),
    ]
