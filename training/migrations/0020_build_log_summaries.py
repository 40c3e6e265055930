"""Build the log's summaries (0019) for the logs already there: every session's set count
and per-side totals and every trainee's groups of alike sets, as training/summaries.py
keeps them from now on. Plain aggregates, the same on SQLite and PostgreSQL; a few
queries whatever the size of the log, rows written in batches."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import Case, Count, F, Max, Min, Q, Sum, When
from django.db.models.functions import Coalesce, Round

BATCH = 1000
KG_PER_LB = Decimal("0.45359237")  # training/units.py's, by definition of the pound


def _work(side, kg_per):
    load = F("load_kg")
    if kg_per != 1:
        load = load / models.Value(kg_per, output_field=models.DecimalField())
    work = Case(
        When(load_kg__gt=0, then=F("reps") * load),
        default=F("reps"),
        output_field=models.DecimalField(max_digits=20, decimal_places=10),
    )
    return Coalesce(Sum(work, filter=Q(side=side)), Decimal(0), output_field=models.DecimalField())


def _totals():
    totals = {}
    for side in ("left", "right", "both"):
        on_side = Q(side=side)
        totals[f"{side}_work"] = _work(side, 1)
        totals[f"{side}_work_lb"] = Round(
            _work(side, KG_PER_LB),
            2,
            output_field=models.DecimalField(max_digits=20, decimal_places=2),
        )
        totals[f"{side}_hold"] = Coalesce(Sum("hold_seconds", filter=on_side), 0)
        totals[f"{side}_sets"] = Count("pk", filter=on_side)
        totals[f"{side}_max_load"] = Max("load_kg", filter=on_side)
    totals["unknown_sets"] = Count("pk", filter=Q(side="unknown"))
    return totals


def build(apps, schema_editor):
    session_model = apps.get_model("training", "TrainingSession")
    set_model = apps.get_model("training", "Set")
    totals_model = apps.get_model("training", "SessionTotals")
    alike_model = apps.get_model("training", "AlikeSets")
    totals, counts = [], []
    rows = (
        set_model.objects.values("session")
        .annotate(**_totals(), count=Count("pk"))
        .order_by("session")
        .iterator(chunk_size=BATCH)
    )
    for row in rows:
        session_id, count = row.pop("session"), row.pop("count")
        totals.append(totals_model(session_id=session_id, **row))
        counts.append(session_model(pk=session_id, set_count=count))
        if len(totals) == BATCH:
            _write(session_model, totals_model, totals, counts)
            totals, counts = [], []
    _write(session_model, totals_model, totals, counts)
    groups = (
        set_model.objects.values_list(
            "session__user_id",
            "session__variation_id",
            "side",
            "reps",
            "load_kg",
            "hold_seconds",
        )
        .annotate(first_day=Min("session__date"), count=Count("pk"))
        .order_by()
        .iterator(chunk_size=BATCH)
    )
    alike_model.objects.bulk_create(
        (
            alike_model(
                user_id=user_id,
                variation_id=variation_id,
                side=side,
                reps=reps,
                load_kg=load_kg,
                hold_seconds=hold_seconds,
                first_day=first_day,
                set_count=count,
            )
            for user_id, variation_id, side, reps, load_kg, hold_seconds, first_day, count in groups
        ),
        batch_size=BATCH,
    )


def _write(session_model, totals_model, totals, counts):
    totals_model.objects.bulk_create(totals)
    session_model.objects.bulk_update(counts, ["set_count"])


class Migration(migrations.Migration):
    dependencies = [("training", "0019_log_summaries")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop, elidable=False)]
