"""The audit entries of accounts already deleted: closing kept them, with the words of the
coach who closed ("Note on ...: <the note>"), under no one's name. Closing now deletes
them (hipthrust/accounts.py); these go too, as the closing page promised. An entry loses its
actor only when that account is deleted."""

from django.db import migrations


def delete_orphans(apps, schema_editor):
    AuditEntry = apps.get_model("coaches", "AuditEntry")
    AuditEntry.objects.filter(actor__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coaches", "0008_coachlink_coach_may_close"),
    ]

    operations = [
        migrations.RunPython(delete_orphans, migrations.RunPython.noop),
    ]
