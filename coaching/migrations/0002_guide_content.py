"""Load the single leg hip thrust guide so a fresh install shows it with no manual step.

The text paraphrases the project's source material; advance criteria are the
project's own defaults (the source sets none) and coaches can change them in the admin.
The data is frozen here, as a data migration must be: later edits happen in the admin.
"""

from django.db import migrations

EXERCISE = {
    "name": "Single leg hip thrust",
    "slug": "single-leg-hip-thrust",
    "tagline": "One leg at a time: stronger glutes, a steadier pelvis and two sides that match.",
    "summary": (
        "A step-by-step guide to the single leg hip thrust: bench and foot setup, the drive, "
        "the top position, a slow descent, breathing, common mistakes and how to scale it."
    ),
    "purpose": (
        "The single leg hip thrust trains the glutes and hamstrings through hip extension, "
        "one leg at a time. It grows out of the two-legged hip thrust: with one foot on the "
        "floor, each side has to do all of the work on its own, so a weaker side cannot hide "
        "behind the stronger one. That makes it a good tool for evening out differences "
        "between your left and right. Because the load sits on one side, your trunk and hips "
        "also have to keep the pelvis steady, and that stability carries over into sport and "
        "into a more even build."
    ),
    "suited_to": "\n".join(
        [
            "People who can already do a two-legged hip thrust or glute bridge and want more "
            "from each leg.",
            "Anyone who notices one side doing more of the work and wants to even it out.",
            "Athletes who want stronger, steadier hips for running, jumping and changing "
            "direction.",
            "Beginners too: start lower on the ladder, with the floor glute bridge, and climb.",
        ]
    ),
    "muscles": "Glutes and hamstrings, with the trunk and hip stabilisers",
}

# (phase, short cue, explanation), in order within each phase.
CUES = [
    (
        "setup",
        "Lock the bench in place",
        "Push the bench against a wall or a rack so it cannot slide while you drive. Pick a "
        "height that lets your hips travel all the way down and all the way up.",
    ),
    (
        "setup",
        "Shoulder blades on the edge",
        "Sit on the floor with your back to the bench and rest the lower tips of your shoulder "
        "blades on its edge. That edge is the hinge your body turns around.",
    ),
    (
        "setup",
        "Set the foot for a vertical shin",
        "Place your working foot so that, with your hips fully up, the shin stands straight up "
        "from the floor. Move the foot nearer or further until it does: that angle sends the "
        "push through the hip and into the glute.",
    ),
    (
        "setup",
        "Lift the other leg",
        "Take the non-working leg off the floor, bent to about a right angle or held out "
        "straight, and keep it up for the whole set.",
    ),
    (
        "setup",
        "Arms loose and flat",
        "Rest your arms on the bench or the floor without pressing. Pushing through the elbows "
        "takes work away from the hips.",
    ),
    (
        "setup",
        "Brace and tuck before you start",
        "Still seated on the floor, pull your belly button gently toward your spine and tuck "
        "your pelvis a little so your spine is neutral. Only then start the first rep.",
    ),
    (
        "execution",
        "Drive through heel and midfoot",
        "Press the working foot into the floor, mostly through the heel and the middle of the "
        "foot, to start opening the hip.",
    ),
    (
        "execution",
        "Squeeze the working glute",
        "Contract the glute on the working side hard and use it to raise your hips toward the "
        "ceiling.",
    ),
    (
        "execution",
        "Rise to a straight line",
        "Keep rising until your shoulders, hips and knee sit on one straight line, and no higher.",
    ),
    (
        "top",
        "Glute fully squeezed",
        "At the top the working glute is completely contracted. Own the position for a moment "
        "before you lower.",
    ),
    (
        "top",
        "Knee over ankle",
        "The working knee sits straight above the ankle and the shin is vertical.",
    ),
    (
        "top",
        "Ribs down, pelvis slightly tucked",
        "Hold a small backward tilt of the pelvis and keep the trunk braced. The lower back "
        "stays out of an arch, so the glutes and hamstrings keep the tension instead of your "
        "lumbar spine.",
    ),
    (
        "descent",
        "Lower over two to three seconds",
        "Let the hips sink back toward the floor slowly, taking two to three seconds. This "
        "lowering (eccentric) part keeps the muscles working for longer.",
    ),
    (
        "descent",
        "Start each rep from control",
        "Reach the bottom under control and drive again from there: no rebound off the floor.",
    ),
    (
        "breathing",
        "Breathe in on the way down",
        "Take your breath in as the hips lower.",
    ),
    (
        "breathing",
        "Breathe out hard on the drive",
        "Blow the air out forcefully as you push up. It keeps the trunk tight when the effort "
        "is highest.",
    ),
]

# (slug, name, what you see, why it matters, how to fix, fix cue)
FORM_ERRORS = [
    (
        "arched-lower-back",
        "Arching the lower back at the top",
        "The hips keep rising past the straight line from shoulders to knee, the ribs flare "
        "up and the lower back bends into an arch. The trunk has stopped bracing.",
        "The extra height comes from the spine, not the hip: the strain moves off the glutes "
        "and onto the lower back.",
        "At the top, pull your ribcage down and tuck the pelvis slightly so the body makes one "
        "flat line from shoulders to knee. Stop rising when you reach that line.",
        "Ribs down, tuck, stop at the line",
    ),
    (
        "pushing-through-toes",
        "Pushing through the toes",
        "The heel of the working foot lifts or the weight rolls onto the ball of the foot as "
        "you drive.",
        "Driving from the toes hands more of the work to the hamstrings or the front of the "
        "thigh, so the glute gets less of it.",
        "Root the whole foot into the floor, and if it helps, think about pressing through the "
        "heel, so the glutes stay the main movers.",
        "Whole foot down, press the heel",
    ),
    (
        "knee-caving-in",
        "Knee caving inward",
        "The working knee drifts in toward the middle of the body (knee valgus), most often "
        "late in a set or with a heavier load.",
        "The inward turn puts stress on the knee joint and the glute does less of the work.",
        "Push the knee a little outward and keep it lined up with the hip and the ankle from "
        "the bottom of the rep to the top.",
        "Knee out, in line with hip and ankle",
    ),
    (
        "bouncing",
        "Bouncing off the floor",
        "The hips drop fast and rebound from the bottom, and each rep borrows speed from the "
        "last one.",
        "Momentum and elastic rebound do part of the lift, so the muscles do less.",
        "Slow the tempo down, the lowering part most of all, and pause briefly at the top so "
        "every rep is done by muscle alone.",
        "Slow down, pause at the top",
    ),
]

# (slug, name, order, description, lowering, bottom pause, lifting, top hold)
TEMPO_PRESETS = [
    ("steady", "Steady", 1, "A two-second lowering for learning the pattern.", 2, 0, 1, 1),
    ("controlled", "Controlled", 2, "The guide's standard: three seconds down.", 3, 0, 1, 1),
    ("squeeze", "Squeeze", 3, "A longer squeeze at the top of every rep.", 3, 0, 1, 2),
    ("isometric", "Isometric hold", 4, "Hold the top position for five seconds.", 3, 0, 1, 5),
]

# Each rung: level, kind, slug, name, summary, how-to steps, why, equipment,
# takes external load, one side at a time, advance sets, reps, hold seconds, tempo slug.
VARIATIONS = [
    {
        "level": 1,
        "kind": "regression",
        "slug": "floor-glute-bridge",
        "name": "Floor glute bridge",
        "summary": "Both feet on the floor and your back on the ground: the hip drive, "
        "learned with less range and less balance to manage.",
        "how_to": "\n".join(
            [
                "Lie on your back on the floor, knees bent and both feet flat, about hip "
                "width apart.",
                "Rest your arms flat beside you, brace your trunk and tuck the pelvis slightly.",
                "Press through heels and midfeet and squeeze the glutes to lift your hips "
                "until shoulders, hips and knees line up.",
                "Pause, then lower over two to three seconds.",
            ]
        ),
        "why": "Starting from the floor shortens the range of motion and asks far less "
        "stability of you, so you can learn how hip extension feels before working one "
        "leg on its own.",
        "equipment": "None (a mat is comfortable)",
        "takes_external_load": False,
        "one_side_at_a_time": False,
        "advance_sets": 3,
        "advance_reps_per_side": 15,
        "advance_hold_seconds": 0,
        "tempo": "steady",
    },
    {
        "level": 2,
        "kind": "regression",
        "slug": "two-up-one-down-hip-thrust",
        "name": "Two up, one down hip thrust",
        "summary": "Lift with both feet, lower on one: the single-leg descent before the "
        "single-leg drive.",
        "how_to": "\n".join(
            [
                "Set up against the bench as for the full exercise, both feet on the floor.",
                "Drive up with both feet to the straight line from shoulders to knees.",
                "At the top, lift one foot off the floor.",
                "Lower slowly on the other leg alone, then put both feet down and repeat.",
                "Do all the reps for one side, then switch.",
            ]
        ),
        "why": "Both legs share the lift while one leg controls the lowering, the part where "
        "you are strongest. It builds the single-leg control the full movement needs.",
        "equipment": "A bench fixed against a wall or rack",
        "takes_external_load": False,
        "one_side_at_a_time": True,
        "advance_sets": 3,
        "advance_reps_per_side": 10,
        "advance_hold_seconds": 0,
        "tempo": "controlled",
    },
    {
        "level": 3,
        "kind": "standard",
        "slug": "single-leg-hip-thrust",
        "name": "Single leg hip thrust",
        "summary": "The full movement with body weight: one foot down, shoulder blades on "
        "the bench, a straight line at the top.",
        "how_to": "\n".join(
            [
                "Seated on the floor, rest the lower edge of your shoulder blades on a fixed "
                "bench.",
                "Place the working foot so the shin will be vertical at the top; lift the "
                "other leg, bent or straight.",
                "Arms loose and flat, brace your trunk and tuck the pelvis slightly.",
                "Drive through heel and midfoot until shoulders, hips and knee form a "
                "straight line.",
                "Squeeze at the top with the knee over the ankle, then lower over two to "
                "three seconds.",
                "Finish the set on one leg, then do the same on the other.",
            ]
        ),
        "why": "This is the exercise the guide teaches: each leg extends the hip alone, so "
        "it builds glute and hamstring strength and shows up any difference between sides.",
        "equipment": "A bench fixed against a wall or rack",
        "takes_external_load": False,
        "one_side_at_a_time": True,
        "advance_sets": 3,
        "advance_reps_per_side": 12,
        "advance_hold_seconds": 0,
        "tempo": "controlled",
    },
    {
        "level": 4,
        "kind": "progression",
        "slug": "loaded-single-leg-hip-thrust",
        "name": "Dumbbell or kettlebell single leg hip thrust",
        "summary": "The same movement with a dumbbell or kettlebell held across the hip crease.",
        "how_to": "\n".join(
            [
                "Set up as for the bodyweight version.",
                "Rest a dumbbell or kettlebell across the crease of your hips and steady it "
                "with your hands, without pushing it up.",
                "Drive through heel and midfoot to the straight line, squeeze, and lower over "
                "two to three seconds.",
                "Add weight only when every rep on both sides meets the target.",
            ]
        ),
        "why": "The external load raises the mechanical tension on the glutes, which builds "
        "strength and muscle beyond what body weight can.",
        "equipment": "A fixed bench and a dumbbell or kettlebell",
        "takes_external_load": True,
        "one_side_at_a_time": True,
        "advance_sets": 3,
        "advance_reps_per_side": 10,
        "advance_hold_seconds": 0,
        "tempo": "controlled",
    },
    {
        "level": 5,
        "kind": "progression",
        "slug": "isometric-hold-single-leg-hip-thrust",
        "name": "Single leg hip thrust with a top hold",
        "summary": "Hold the top position for a few seconds on every rep.",
        "how_to": "\n".join(
            [
                "Set up as for the single leg hip thrust, with or without a weight at the hips.",
                "Drive up to the straight line from shoulders to knee.",
                "Hold there for a few seconds: glute squeezed, ribs down, knee over ankle.",
                "Lower over two to three seconds and repeat.",
            ]
        ),
        "why": "A pause at the very top adds time under tension where the glute is fully "
        "contracted, and it leaves no room for momentum.",
        "equipment": "A fixed bench; a dumbbell or kettlebell is optional",
        "takes_external_load": True,
        "one_side_at_a_time": True,
        "advance_sets": 3,
        "advance_reps_per_side": 8,
        "advance_hold_seconds": 5,
        "tempo": "isometric",
    },
    {
        "level": 6,
        "kind": "progression",
        "slug": "banded-single-leg-hip-thrust",
        "name": "Banded single leg hip thrust",
        "summary": "A resistance band looped around the knees pulls them inward; you keep "
        "them in line.",
        "how_to": "\n".join(
            [
                "Loop a resistance band around both legs just above the knees.",
                "Set up as for the single leg hip thrust; the band stays taut with the "
                "non-working leg raised.",
                "Drive up while pushing the working knee gently out against the band.",
                "Keep hip, knee and ankle in line all the way up and down.",
            ]
        ),
        "why": "The band tries to pull the knee inward, so the glutes and the hip abductors "
        "have to work harder to keep it tracking over the foot.",
        "equipment": "A fixed bench and a loop resistance band",
        "takes_external_load": True,
        "one_side_at_a_time": True,
        "advance_sets": 3,
        "advance_reps_per_side": 12,
        "advance_hold_seconds": 0,
        "tempo": "squeeze",
    },
    {
        "level": 7,
        "kind": "progression",
        "slug": "foot-elevated-single-leg-hip-thrust",
        "name": "Foot-elevated single leg hip thrust",
        "summary": "The working foot stands on a small plate or step for a deeper bottom position.",
        "how_to": "\n".join(
            [
                "Put a small weight plate or a low step where your working foot goes.",
                "Set up on the bench with the working foot flat on the raised surface.",
                "Lower the hips until you feel the deeper stretch, without bouncing.",
                "Drive up to the straight line, squeeze, and lower slowly.",
            ]
        ),
        "why": "Raising the foot lengthens the range of motion: the hip bends further at the "
        "bottom and the glutes are stretched more before they drive.",
        "equipment": "A fixed bench and a small plate or step",
        "takes_external_load": True,
        "one_side_at_a_time": True,
        "advance_sets": 3,
        "advance_reps_per_side": 12,
        "advance_hold_seconds": 0,
        "tempo": "controlled",
    },
]


def load_guide(apps, schema_editor):
    Exercise = apps.get_model("coaching", "Exercise")
    Cue = apps.get_model("coaching", "Cue")
    FormError = apps.get_model("coaching", "FormError")
    TempoPreset = apps.get_model("coaching", "TempoPreset")
    Variation = apps.get_model("coaching", "Variation")

    exercise = Exercise.objects.create(**EXERCISE)

    order_in_phase: dict[str, int] = {}
    for phase, cue, explanation in CUES:
        order_in_phase[phase] = order_in_phase.get(phase, 0) + 1
        Cue.objects.create(
            exercise=exercise,
            phase=phase,
            order=order_in_phase[phase],
            cue=cue,
            explanation=explanation,
        )

    for order, (slug, name, seen, why, fix, fix_cue) in enumerate(FORM_ERRORS, start=1):
        FormError.objects.create(
            exercise=exercise,
            order=order,
            slug=slug,
            name=name,
            what_you_see=seen,
            why_it_matters=why,
            how_to_fix=fix,
            fix_cue=fix_cue,
        )

    presets = {}
    for slug, name, order, description, lowering, pause, lifting, hold in TEMPO_PRESETS:
        presets[slug] = TempoPreset.objects.create(
            slug=slug,
            name=name,
            order=order,
            description=description,
            lowering_seconds=lowering,
            bottom_pause_seconds=pause,
            lifting_seconds=lifting,
            top_hold_seconds=hold,
        )

    for rung in VARIATIONS:
        Variation.objects.create(exercise=exercise, **{**rung, "tempo": presets[rung["tempo"]]})


def unload_guide(apps, schema_editor):
    apps.get_model("coaching", "Exercise").objects.filter(slug=EXERCISE["slug"]).delete()
    slugs = [preset[0] for preset in TEMPO_PRESETS]
    apps.get_model("coaching", "TempoPreset").objects.filter(slug__in=slugs).delete()


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]

    operations = [migrations.RunPython(load_guide, unload_guide)]
