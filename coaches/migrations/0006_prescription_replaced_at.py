"""Each plan keeps when a newer one for its athlete replaced it, so a replaced plan stays
replaced when the newer one goes (with its coach's account). Plans written before are marked
from the plans that follow them."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Q, Subquery


def mark_the_plans_already_replaced(apps, schema_editor):
    plans = apps.get_model("coaches", "Prescription").objects
    newer = plans.filter(athlete=OuterRef("athlete")).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    first_newer = newer.order_by("created_at", "pk").values("created_at")[:1]
    plans.filter(Exists(newer)).update(replaced_at=Subquery(first_newer))


class Migration(migrations.Migration):
    dependencies = [
        ("coaches", "0005_invitation_label_and_declined"),
    ]

    operations = [
        migrations.AddField(
            model_name="prescription",
            name="replaced_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(mark_the_plans_already_replaced, migrations.RunPython.noop),
    ]
