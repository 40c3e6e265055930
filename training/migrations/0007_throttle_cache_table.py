"""The database cache's table, where throttle counts live without Redis (settings.CACHES).

`createcachetable` is idempotent and makes nothing for other cache backends; running it
from a migration means every `migrate` (make run, make serve, the test databases, a
restore's fresh database) has the table, with no extra deployment step to forget.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("training", "0006_set_revision")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
