"""Each coach marks a video reviewed for themself (VideoReview), instead of one "reviewed"
on the video that hid it from every coach's queue. A video's review is kept as its coach's;
one whose coach's account is gone covered every queue and now covers none, so it goes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def reviews_to_their_coaches(apps, schema_editor):
    videos = apps.get_model("videos", "SetVideo").objects
    apps.get_model("videos", "VideoReview").objects.bulk_create(
        apps.get_model("videos", "VideoReview")(
            video_id=video, coach_id=coach, reviewed_at=reviewed_at
        )
        for video, coach, reviewed_at in videos.filter(
            reviewed_by__isnull=False, reviewed_at__isnull=False
        ).values_list("pk", "reviewed_by", "reviewed_at")
    )


def newest_review_to_the_video(apps, schema_editor):
    videos = apps.get_model("videos", "SetVideo").objects
    for review in apps.get_model("videos", "VideoReview").objects.order_by("reviewed_at", "pk"):
        videos.filter(pk=review.video_id).update(
            reviewed_by_id=review.coach_id, reviewed_at=review.reviewed_at
        )
    if schema_editor.connection.vendor == "postgresql":
        # The rows' foreign keys checked now: PostgreSQL alters no table with checks pending,
        # and the index of reviewed_by and the dropped table's constraints come next.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("videos", "0003_comment_submission_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="VideoReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reviewed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "coach",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "video",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="videos.setvideo",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("video", "coach"), name="videoreview_once_per_coach"
                    )
                ],
            },
        ),
        migrations.RunPython(reviews_to_their_coaches, newest_review_to_the_video),
        migrations.RemoveField(model_name="setvideo", name="reviewed_at"),
        migrations.RemoveField(model_name="setvideo", name="reviewed_by"),
    ]
