import django.utils.timezone
from django.db import migrations, models


def days_from_the_moments(apps, schema_editor):
    """A change made before its day was kept falls on its day in the site's time zone (the
    zone the advice read it in when no browser said another): batched, so a long history
    is never held in memory at once."""
    LevelChange = apps.get_model("training", "LevelChange")
    pending = LevelChange.objects.filter(day__isnull=True).order_by("pk")
    while batch := list(pending.only("pk", "changed_at")[:2000]):
        for change in batch:
            change.day = django.utils.timezone.localdate(change.changed_at)
        LevelChange.objects.bulk_update(batch, ["day"])


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0027_level_source_approved"),
    ]

    operations = [
        migrations.AddField(
            model_name="levelchange",
            name="day",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(days_from_the_moments, migrations.RunPython.noop, elidable=True),
    ]
