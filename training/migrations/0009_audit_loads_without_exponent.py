"""Prescription audit entries written before the load was spelled as a plain number read
"1E+1 kg" (Decimal.normalize() of 10 kg): they are rewritten as "10 kg", in the
kilograms they were written in. Newer entries already spell the load as every page does.
"""

import re
from decimal import Decimal

from django.db import migrations

EXPONENT_LOAD = re.compile(r"\b(\d+(?:\.\d+)?E\+\d+) kg\b")


def plain_loads(detail: str) -> str:
    return EXPONENT_LOAD.sub(lambda m: f"{Decimal(m.group(1)):f} kg", detail)


def rewrite_exponent_loads(apps, schema_editor):
    AuditEntry = apps.get_model("training", "AuditEntry")
    for entry in AuditEntry.objects.filter(action="prescription", detail__contains="E+"):
        detail = plain_loads(entry.detail)
        if detail != entry.detail:
            AuditEntry.objects.filter(pk=entry.pk).update(detail=detail)


class Migration(migrations.Migration):
    dependencies = [("training", "0008_flag_review")]

    operations = [migrations.RunPython(rewrite_exponent_loads, migrations.RunPython.noop)]
