"""Each coach reviews a flag for themself: the coach who marked a flag reviewed is part of its
key. Every row keeps its coach (reviewed_by); a review whose coach's account is gone covered
every coach's queue and now covers none, so it goes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_reviews_of_no_coach(apps, schema_editor):
    apps.get_model("coaches", "FlagReview").objects.filter(reviewed_by__isnull=True).delete()


def keep_the_first_review_of_each_flag(apps, schema_editor):
    """Going back to one review per flag: the earliest of its coaches' reviews stays."""
    reviews = apps.get_model("coaches", "FlagReview").objects
    seen = set()
    extra = []
    for pk, key in (
        (row[0], row[1:])
        for row in reviews.order_by("reviewed_at", "pk").values_list(
            "pk", "athlete_id", "kind", "subject"
        )
    ):
        if key in seen:
            extra.append(pk)
        seen.add(key)
    reviews.filter(pk__in=extra).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coaches", "0003_coachnote_submission_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_reviews_of_no_coach, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="flagreview", name="flagreview_once_per_flag"),
        migrations.RunPython(migrations.RunPython.noop, keep_the_first_review_of_each_flag),
        migrations.AlterField(
            model_name="flagreview",
            name="reviewed_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="flagreview",
            constraint=models.UniqueConstraint(
                fields=("athlete", "kind", "subject", "reviewed_by"),
                name="flagreview_once_per_flag_and_coach",
            ),
        ),
    ]
