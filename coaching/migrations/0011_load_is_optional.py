"""Say where the weight is optional: the top-hold rung is done with or without one.

Its equipment and its steps say a dumbbell or kettlebell is optional, but as a rung that
takes external load its page said the weight was there to log, as on the loaded rung.
"""

from django.db import migrations, models

OPTIONAL = ["isometric-hold-single-leg-hip-thrust"]


def mark_optional(apps, schema_editor):
    Variation = apps.get_model("coaching", "Variation")
    Variation.objects.filter(slug__in=OPTIONAL, takes_external_load=True).update(
        load_is_optional=True
    )


class Migration(migrations.Migration):
    dependencies = [("coaching", "0010_how_to_notes")]

    operations = [
        migrations.AddField(
            model_name="variation",
            name="load_is_optional",
            field=models.BooleanField(
                default=False,
                help_text="With external load taken: the rung is also done without a weight.",
            ),
        ),
        migrations.RunPython(mark_optional, migrations.RunPython.noop),
    ]
