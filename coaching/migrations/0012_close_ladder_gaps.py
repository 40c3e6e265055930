"""Number each ladder's rungs from 1 without a gap again.

Deleting a middle rung used to leave its level empty: the ladder read 1, 2, 3, 4, 6, 7, a
rung page "Level 7 of 6", and every later save of the exercise page was refused on an
untouched rung. Deletions now move the rungs above down (coaching.services.close_ladder_gaps);
this does the same for a ladder a deletion left with a gap. Logs point at rungs by id, never
by level, so every one keeps its rung.
"""

from django.db import migrations


def close_gaps(apps, schema_editor):
    Variation = apps.get_model("coaching", "Variation")
    for exercise_id in set(Variation.objects.values_list("exercise_id", flat=True)):
        rungs = Variation.objects.filter(exercise_id=exercise_id).order_by("level")
        for level, rung in enumerate(rungs, start=1):
            if rung.level != level:
                Variation.objects.filter(pk=rung.pk).update(level=level)


class Migration(migrations.Migration):
    dependencies = [("coaching", "0011_load_is_optional")]

    operations = [migrations.RunPython(close_gaps, migrations.RunPython.noop)]
