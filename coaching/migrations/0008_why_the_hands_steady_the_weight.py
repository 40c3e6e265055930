"""Say why the loaded rung's hands steady the weight, where the guide has the arms flat.

The source keeps the arms relaxed and flat so the elbows take no work from the hips; 0002
had the loaded rung "steady it with your hands" without a word on why that is not the same
mistake. The text is replaced only where it still reads as 0007 left it: a coach's own
edit in the admin is theirs and stays.
"""

from django.db import migrations

# (model, lookup, field, as 0007 left it, as it reads now)
CHANGES = [
    (
        "Variation",
        {"slug": "loaded-single-leg-hip-thrust"},
        "how_to",
        "\n".join(
            [
                "Set up as for the bodyweight version.",
                "Rest a dumbbell or kettlebell across the crease of your hips and steady it "
                "with your hands, without pushing it up.",
                "Drive through heel and midfoot to the straight line, squeeze, and lower over "
                "two to three seconds.",
                "hipthrust suggests more weight only once every rep on both sides meets the "
                "target; the guide gives no rule for it.",
            ]
        ),
        "\n".join(
            [
                "Set up as for the bodyweight version.",
                "Rest a dumbbell or kettlebell across the crease of your hips. The guide keeps "
                "the arms loose and flat so the elbows take no work from the hips; a weight on "
                "the hips can roll, so hipthrust adds one thing: let your hands steady it, "
                "holding it in place without pushing it up or pressing through the elbows.",
                "Drive through heel and midfoot to the straight line, squeeze, and lower over "
                "two to three seconds.",
                "hipthrust suggests more weight only once every rep on both sides meets the "
                "target; the guide gives no rule for it.",
            ]
        ),
    ),
]


def _apply(apps, old_index: int, new_index: int) -> None:
    for change in CHANGES:
        model, lookup, field = change[:3]
        rows = apps.get_model("coaching", model).objects.filter(
            **lookup, **{field: change[old_index]}
        )
        rows.update(**{field: change[new_index]})


def say_why_the_hands_steady_it(apps, schema_editor):
    _apply(apps, 3, 4)


def restore_0007(apps, schema_editor):
    _apply(apps, 4, 3)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0007_honest_content"),
    ]

    operations = [migrations.RunPython(say_why_the_hands_steady_it, restore_0007)]
