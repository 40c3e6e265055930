"""Say hipthrust's notes under a rung's steps, not as the last numbered step.

0008 and 0009 ended three rungs' steps with a note about the site's planning (the order of
the legs, when to add weight), which the page numbered as the next step of the exercise.
Those lines move to the new `how_to_notes`, shown under the list. A line moves only where
it still reads as those migrations left it: a coach's own edit in the admin stays.
"""

from django.db import migrations, models

# (rung, the note as the last of its steps)
NOTES = [
    (
        "two-up-one-down-hip-thrust",
        "hipthrust's plans do all the reps for one side, then switch (the timer can also "
        "alternate legs every rep); the guide gives no order.",
    ),
    (
        "single-leg-hip-thrust",
        "hipthrust's plans finish the set on one leg, then do the other (the timer can also "
        "alternate legs every rep); the guide gives no order.",
    ),
    (
        "loaded-single-leg-hip-thrust",
        "hipthrust suggests more weight only once every rep on both sides meets the "
        "target; the guide gives no rule for it.",
    ),
]


def move_notes_under_the_steps(apps, schema_editor):
    Variation = apps.get_model("coaching", "Variation")
    for slug, note in NOTES:
        for rung in Variation.objects.filter(slug=slug):
            steps = rung.how_to.split("\n")
            if note in steps:
                rung.how_to = "\n".join(step for step in steps if step != note)
                rung.how_to_notes = "\n".join(filter(None, [rung.how_to_notes, note]))
                rung.save(update_fields=["how_to", "how_to_notes"])


def restore_0009(apps, schema_editor):
    Variation = apps.get_model("coaching", "Variation")
    for slug, note in NOTES:
        for rung in Variation.objects.filter(slug=slug):
            notes = rung.how_to_notes.split("\n")
            if note in notes:
                rung.how_to = "\n".join([rung.how_to, note])
                rung.how_to_notes = "\n".join(line for line in notes if line != note)
                rung.save(update_fields=["how_to", "how_to_notes"])


class Migration(migrations.Migration):
    dependencies = [("coaching", "0009_side_order_is_ours")]

    operations = [
        migrations.AddField(
            model_name="variation",
            name="how_to_notes",
            field=models.TextField(
                blank=True,
                help_text="Notes shown under the steps, not numbered as one (hipthrust's own "
                "planning, say), one per line.",
            ),
        ),
        migrations.RunPython(move_notes_under_the_steps, restore_0009),
    ]
