import datetime

from django.db import migrations, models
from django.db.models import Case, F, OuterRef, Subquery, Sum, When
from django.db.models.functions import Coalesce


def time_held(apps, schema_editor):
    """Each side's hold total becomes its time held at the top (training.models.TIME_HELD:
    the hold on every rep, or a hold on its own), where it was the holds as written; only
    sessions with a set of several reps and a hold change. Their weeks' progress points,
    counted from those totals, are marked to be made again (StaleProgressWeek), as a write
    of their sets marks them."""
    Set = apps.get_model("training", "Set")
    SessionTotals = apps.get_model("training", "SessionTotals")
    StaleProgressWeek = apps.get_model("training", "StaleProgressWeek")
    changed = (
        Set.objects.filter(reps__gt=1, hold_seconds__gt=0)
        .values_list("session__user_id", "session__date", "session_id")
        .distinct()
    )
    weeks = {
        (user_id, day - datetime.timedelta(days=day.weekday()))
        for user_id, day, _ in changed.iterator(chunk_size=2000)
    }
    held = Case(
        When(reps__gt=0, then=F("reps") * F("hold_seconds")),
        default=F("hold_seconds"),
        output_field=models.PositiveIntegerField(),
    )
    for side in ("left", "right", "both"):
        of_side = (
            Set.objects.filter(session_id=OuterRef("session_id"), side=side)
            .order_by()
            .values("session_id")
            .annotate(total=Sum(held))
            .values("total")
        )
        SessionTotals.objects.filter(
            **{f"{side}_hold__gt": 0}, session_id__in=Subquery(changed.values("session_id"))
        ).update(**{f"{side}_hold": Coalesce(Subquery(of_side), 0)})
    StaleProgressWeek.objects.bulk_create(
        (StaleProgressWeek(user_id=user_id, week=week) for user_id, week in sorted(weeks)),
        batch_size=2000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0030_session_revision"),
    ]

    operations = [
        migrations.RunPython(time_held, migrations.RunPython.noop, elidable=True),
    ]
