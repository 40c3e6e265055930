"""Mark the order of the legs as hipthrust's: the source gives none.

0002 had two rungs say, as a fact, to finish a set on one leg before the other, where the
source is silent and the timer offers to alternate legs every rep. The line is replaced
only where it still reads as 0002 left it: a coach's own edit in the admin stays.
"""

from django.db import migrations

# (rung, the line as 0002 wrote it, the line now)
LINES = [
    (
        "two-up-one-down-hip-thrust",
        "Do all the reps for one side, then switch.",
        "hipthrust's plans do all the reps for one side, then switch (the timer can also "
        "alternate legs every rep); the guide gives no order.",
    ),
    (
        "single-leg-hip-thrust",
        "Finish the set on one leg, then do the same on the other.",
        "hipthrust's plans finish the set on one leg, then do the other (the timer can also "
        "alternate legs every rep); the guide gives no order.",
    ),
]


def _replace(apps, old: int, new: int) -> None:
    Variation = apps.get_model("coaching", "Variation")
    for line in LINES:
        for rung in Variation.objects.filter(slug=line[0]):
            steps = rung.how_to.split("\n")
            if line[old] in steps:
                rung.how_to = "\n".join(line[new] if step == line[old] else step for step in steps)
                rung.save(update_fields=["how_to"])


def mark_the_order_as_ours(apps, schema_editor):
    _replace(apps, 1, 2)


def restore_0002(apps, schema_editor):
    _replace(apps, 2, 1)


class Migration(migrations.Migration):
    dependencies = [("coaching", "0008_why_the_hands_steady_the_weight")]

    operations = [migrations.RunPython(mark_the_order_as_ours, restore_0002)]
