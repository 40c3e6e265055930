"""Build the progress page's points (0021) for the logs already there, from each session's
totals, as training/summaries.py keeps them from now on (training/thinning.py makes the
rows): each session read once, one trainee at a time, rows written in batches."""

import itertools

from django.db import migrations

from training import thinning

BATCH = 1000
SIDES = ("left", "right", "both")
SERIES = ("max_load", "work", "work_lb", "hold")


def _rows(totals_model):
    rows = (
        totals_model.objects.order_by("session__user_id", "session__date", "session_id")
        .values_list(
            "session__user_id",
            "session__date",
            "session_id",
            *(f"{side}_sets" for side in SIDES),
            *(f"{side}_{series}" for side in SIDES for series in SERIES),
        )
        .iterator(chunk_size=BATCH)
    )
    for user_id, sessions in itertools.groupby(rows, key=lambda row: row[0]):
        by_side = {side: [] for side in SIDES}
        every = []
        for _, day, pk, *counts_and_values in sessions:
            counts, values = counts_and_values[: len(SIDES)], counts_and_values[len(SIDES) :]
            every.append((day, pk, ()))
            for n, side in enumerate(SIDES):
                if counts[n]:
                    by_side[side].append((day, pk, values[n * len(SERIES) : (n + 1) * len(SERIES)]))
        for row in thinning.period_rows(by_side, SERIES):
            yield {"user_id": user_id, **row}
        for row in thinning.period_rows({"any": every}, ()):
            yield {"user_id": user_id, **row}


def build(apps, schema_editor):
    totals_model = apps.get_model("training", "SessionTotals")
    points_model = apps.get_model("training", "ProgressPoints")
    points_model.objects.bulk_create(
        (points_model(**row) for row in _rows(totals_model)), batch_size=BATCH
    )


class Migration(migrations.Migration):
    dependencies = [("training", "0021_progress_points")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop, elidable=False)]
