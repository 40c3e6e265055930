import django.utils.timezone
from django.db import migrations, models


# Apart from 0028: PostgreSQL refuses to alter a table its data migration has just written
# in the same transaction while constraint checks are pending.
class Migration(migrations.Migration):
    dependencies = [
        ("training", "0028_level_change_day"),
    ]

    operations = [
        migrations.AlterField(
            model_name="levelchange",
            name="day",
            field=models.DateField(default=django.utils.timezone.localdate),
        ),
    ]
