"""Once made the throttle's cache table; core/migrations/0001_throttle_cache_table.py does now.

Kept, empty, as history: 0008 depends on it, and databases record it as applied. Doing
nothing is safe on both kinds of database: an existing one already has the table (made
when this ran), and `migrate` on a new one runs core's 0001, which makes it. It cannot
depend on core's 0001: a database that applied this before core had migrations would
then fail `migrate` with an inconsistent history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("training", "0006_set_revision")]

    operations = []
