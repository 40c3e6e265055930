"""The log pages are no longer cached per trainee, so nothing reads the version every write
to a log bumped: the column goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0015_tempo_constraint_as_tempo_rules"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="profile",
            name="log_version",
        ),
    ]
