"""The database cache's table, where throttle counts live without Redis (settings.CACHES).

core owns the throttle, so core makes its table. `createcachetable` makes only the tables
that are missing (and nothing for other cache backends), so this runs cleanly on a
database where training's 0007 made the table before this migration existed. Running it
from a migration means every `migrate` (make run, make serve, the test databases, a
restore's fresh database) has the table, with no extra deployment step to forget.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
