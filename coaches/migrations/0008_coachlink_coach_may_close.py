"""A link its coach ended by closing their account is kept without its coach, so the athlete
is told (CoachLink.closed_account). Going back, such links go: a link needed its coach."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_links_without_a_coach(apps, schema_editor):
    apps.get_model("coaches", "CoachLink").objects.filter(coach__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coaches", "0007_coachlink_closed_account"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, drop_links_without_a_coach),
        migrations.AlterField(
            model_name="coachlink",
            name="coach",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="coach_links",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
