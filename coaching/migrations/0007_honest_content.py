"""Say only what the source says, and say whose the presets' seconds are.

The content of 0002 made claims the source material does not (that the lowering is the
part where you are strongest, that the hips get stronger "for running, jumping and
changing direction", ...), and called a preset's three seconds "the guide's standard"
where the guide asks for two to three. Each text is replaced only where it still reads
as 0002 loaded it: a coach's own edit in the admin is theirs and stays.
"""

from django.db import migrations

# (model, lookup, field, as 0002 loaded it, as it reads now)
CHANGES = [
    (
        "Exercise",
        {"slug": "single-leg-hip-thrust"},
        "tagline",
        "One leg at a time: stronger glutes, a steadier pelvis and two sides that match.",
        "One leg at a time: stronger glutes and hamstrings, steadier hips, and a check on "
        "whether both sides pull their weight.",
    ),
    (
        "Exercise",
        {"slug": "single-leg-hip-thrust"},
        "purpose",
        "The single leg hip thrust trains the glutes and hamstrings through hip extension, "
        "one leg at a time. It grows out of the two-legged hip thrust: with one foot on the "
        "floor, each side has to do all of the work on its own, so a weaker side cannot hide "
        "behind the stronger one. That makes it a good tool for evening out differences "
        "between your left and right. Because the load sits on one side, your trunk and hips "
        "also have to keep the pelvis steady, and that stability carries over into sport and "
        "into a more even build.",
        "The single leg hip thrust trains the glutes and hamstrings through hip extension, "
        "one leg at a time. It grows out of the two-legged hip thrust: with one foot on the "
        "floor, each side has to do all of the work on its own, so a weaker side cannot hide "
        "behind the stronger one. That makes it a good tool for evening out differences "
        "between your left and right. Because the load sits on one side, your trunk and hips "
        "also have to keep the pelvis steady; the guide says that stability pays off in "
        "athletic performance and a more balanced build.",
    ),
    (
        "Exercise",
        {"slug": "single-leg-hip-thrust"},
        "suited_to",
        "\n".join(
            [
                "People who can already do a two-legged hip thrust or glute bridge and want more "
                "from each leg.",
                "Anyone who notices one side doing more of the work and wants to even it out.",
                "Athletes who want stronger, steadier hips for running, jumping and changing "
                "direction.",
                "Beginners too: start lower on the ladder, with the floor glute bridge, and climb.",
            ]
        ),
        "\n".join(
            [
                "People who can already do a two-legged hip thrust or glute bridge and want more "
                "from each leg.",
                "Anyone who notices one side doing more of the work and wants to even it out.",
                "Athletes: the guide credits the hip and trunk stability it asks for with better "
                "athletic performance.",
                "Beginners too: start lower on the ladder, with the floor glute bridge, and climb.",
            ]
        ),
    ),
    (
        "Cue",
        {"phase": "breathing", "cue": "Breathe out hard on the drive"},
        "explanation",
        "Blow the air out forcefully as you push up. It keeps the trunk tight when the effort "
        "is highest.",
        "Blow the air out forcefully as you push up: it goes with the braced trunk the whole "
        "movement needs.",
    ),
    (
        "Variation",
        {"slug": "floor-glute-bridge"},
        "how_to",
        "\n".join(
            [
                "Lie on your back on the floor, knees bent and both feet flat, about hip "
                "width apart.",
                "Rest your arms flat beside you, brace your trunk and tuck the pelvis slightly.",
                "Press through heels and midfeet and squeeze the glutes to lift your hips "
                "until shoulders, hips and knees line up.",
                "Pause, then lower over two to three seconds.",
            ]
        ),
        "\n".join(
            [
                "Lie on your back on the floor, knees bent and both feet flat.",
                "Rest your arms flat beside you, brace your trunk and tuck the pelvis slightly.",
                "Press through heels and midfeet and squeeze the glutes to lift your hips "
                "until shoulders, hips and knees line up.",
                "Pause, then lower over two to three seconds.",
            ]
        ),
    ),
    (
        "Variation",
        {"slug": "floor-glute-bridge"},
        "why",
        "Starting from the floor shortens the range of motion and asks far less "
        "stability of you, so you can learn how hip extension feels before working one "
        "leg on its own.",
        "Starting from the floor shortens the range of motion and asks less stability of "
        "you, so you can learn how hip extension feels before working one leg on its own.",
    ),
    (
        "Variation",
        {"slug": "two-up-one-down-hip-thrust"},
        "why",
        "Both legs share the lift while one leg controls the lowering, the part where "
        "you are strongest. It builds the single-leg control the full movement needs.",
        "Both legs share the lift, then one leg alone lowers you, slowly. One leg does part "
        "of the work on its own before it has to do all of it.",
    ),
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
                "Add weight only when every rep on both sides meets the target.",
            ]
        ),
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
    ),
    (
        "Variation",
        {"slug": "loaded-single-leg-hip-thrust"},
        "why",
        "The external load raises the mechanical tension on the glutes, which builds "
        "strength and muscle beyond what body weight can.",
        "The weight raises the mechanical tension on the glutes, which the guide says "
        "promotes more strength and muscle growth.",
    ),
    (
        "Variation",
        {"slug": "banded-single-leg-hip-thrust"},
        "how_to",
        "\n".join(
            [
                "Loop a resistance band around both legs just above the knees.",
                "Set up as for the single leg hip thrust; the band stays taut with the "
                "non-working leg raised.",
                "Drive up while pushing the working knee gently out against the band.",
                "Keep hip, knee and ankle in line all the way up and down.",
            ]
        ),
        "\n".join(
            [
                "Loop a resistance band around both knees.",
                "Set up as for the single leg hip thrust, the non-working leg raised.",
                "Drive up while pushing the working knee gently out against the band.",
                "Keep hip, knee and ankle in line all the way up and down.",
            ]
        ),
    ),
    (
        "TempoPreset",
        {"slug": "steady"},
        "description",
        "A two-second lowering for learning the pattern.",
        "Two seconds down: the short end of the guide's two to three.",
    ),
    (
        "TempoPreset",
        {"slug": "controlled"},
        "description",
        "The guide's standard: three seconds down.",
        "The guide lowers over two to three seconds; this preset takes three.",
    ),
    (
        "TempoPreset",
        {"slug": "squeeze"},
        "description",
        "A longer squeeze at the top of every rep.",
        "The guide's brief pause at the top, counted as two seconds on every rep.",
    ),
    (
        "TempoPreset",
        {"slug": "isometric"},
        "description",
        "Hold the top position for five seconds.",
        "Hold the top for a few seconds (we start at 5), as the guide's progression says.",
    ),
]


def _apply(apps, old_index: int, new_index: int) -> None:
    for change in CHANGES:
        model, lookup, field = change[:3]
        rows = apps.get_model("coaching", model).objects.filter(
            **lookup, **{field: change[old_index]}
        )
        rows.update(**{field: change[new_index]})


def tell_only_the_source(apps, schema_editor):
    _apply(apps, 3, 4)


def restore_0002(apps, schema_editor):
    _apply(apps, 4, 3)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0006_band_and_step_take_no_load"),
    ]

    operations = [migrations.RunPython(tell_only_the_source, restore_0002)]
