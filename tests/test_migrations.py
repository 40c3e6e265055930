"""The split of training into coaches, videos and imports moves models, never rows.

A database migrated only as far as the last migration before the split (what the site ran
until then), holding a row of every model that moved, migrates forward with every row, its
content types and the coach group's permissions kept, on whichever engine runs the suite;
and the log's summaries, new since, are built for the log it holds.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from coaches.models import AuditEntry, CoachLink, CoachNote, FlagReview, Prescription
from coaching.models import Variation
from imports.models import PendingImport
from tests.training.test_summaries import kept, recounted
from training.models import LevelChange, SessionTotals, StaleProgressWeek, TrainingSession
from videos.models import SetVideo, VideoComment, VideoReview, VideoUpload


def _before_the_split(loader: MigrationLoader) -> list[tuple[str, str | None]]:
    """Training's migration before the one that hands its models to the new apps, which
    have no migrations yet then."""
    (split,) = [
        key for key in loader.disk_migrations if key[1].endswith("_models_move_to_their_apps")
    ]
    (previous,) = [key for key in loader.get_migration(*split).dependencies if key[0] == "training"]
    return [previous, ("coaches", None), ("videos", None), ("imports", None)]


MOVED = {
    "coaches": ["coachlink", "prescription", "coachnote", "flagreview", "auditentry"],
    "videos": ["setvideo", "videocomment", "videoupload"],
    "imports": ["pendingimport"],
}


def _fill_the_old_tables(apps) -> None:
    """A row of every model that moved, written through the models as they were."""
    user_model = apps.get_model("auth", "User")
    athlete = user_model.objects.create(username="athlete-before-split")
    coach = user_model.objects.create(username="coach-before-split")
    variation = apps.get_model("coaching", "Variation").objects.get(slug="single-leg-hip-thrust")
    error = apps.get_model("coaching", "FormError").objects.first()
    session = apps.get_model("training", "TrainingSession").objects.create(
        user=athlete, date=datetime.date(2026, 11, 2), variation=variation
    )
    a_set = apps.get_model("training", "Set").objects.create(
        session=session, position=1, side="left", reps=10
    )
    # A log for 0020 to build the summaries of: sides, loads, holds, two days, an empty session.
    later = apps.get_model("training", "TrainingSession").objects.create(
        user=athlete, date=datetime.date(2026, 11, 4), variation=variation
    )
    for position, (side, reps, load, hold) in enumerate(
        [("left", 10, "0", 0), ("right", 8, "12.5", 2), ("left", 10, "0", 0), ("both", 3, "5", 1)],
        start=1,
    ):
        apps.get_model("training", "Set").objects.create(
            session=later,
            position=position,
            side=side,
            reps=reps,
            load_kg=Decimal(load),
            hold_seconds=hold,
        )
    apps.get_model("training", "TrainingSession").objects.create(
        user=athlete, date=datetime.date(2026, 11, 5), variation=variation
    )
    old = {name: apps.get_model("training", name) for names in MOVED.values() for name in names}
    now = timezone.now()
    old["coachlink"].objects.create(coach=coach, athlete=athlete, code="c0de", accepted_at=now)
    old["prescription"].objects.create(
        athlete=athlete, coach=coach, variation=variation, sets=3, reps_per_side=10, tempo="3-0-1-1"
    )
    old["coachnote"].objects.create(
        coach=coach, athlete=athlete, session=session, set=a_set, text="Knee over ankle."
    )
    old["flagreview"].objects.create(athlete=athlete, kind="pain", subject="1", reviewed_by=coach)
    old["auditentry"].objects.create(
        actor=coach, athlete=athlete, action="prescribed", detail="3 x 10"
    )
    video = old["setvideo"].objects.create(
        owner=athlete, session=session, set=a_set, original="videos/1/a/clip.mp4"
    )
    old["videocomment"].objects.create(
        video=video,
        author=coach,
        at_seconds=Decimal("1.5"),
        text="Pause here.",
        form_error=error,
    )
    old["videoupload"].objects.create(
        id=uuid.uuid4(), owner=athlete, session=session, set=a_set, size=10, expires_at=now
    )
    old["pendingimport"].objects.create(
        owner=athlete, file_hash="0" * 64, unit="kg", text="date,side,reps\n"
    )


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_the_split_migrates_with_every_row_kept(guide_content):
    executor = MigrationExecutor(connection)
    before = _before_the_split(executor.loader)
    executor.migrate(before)
    executor.loader.build_graph()
    _fill_the_old_tables(executor.loader.project_state(before[0]).apps)
    # What the site made before: its content types, and the coach group's permissions on them.
    ContentType.objects.clear_cache()
    for names in MOVED.values():
        for name in names:
            ContentType.objects.get_or_create(app_label="training", model=name)
    tables_before = set(connection.introspection.table_names())

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    # Only the log's summaries are new (training 0019, and the progress page's points 0021),
    # built for the log there (0020, 0022), the weeks whose points wait to be made (0023),
    # the video analysis (videos 0002) and each coach's review of a video (videos 0004).
    summaries = {
        "training_sessiontotals",
        "training_alikesets",
        "training_progresspoints",
        "training_staleprogressweek",
    }
    analyses = {"videos_videoanalysis", "videos_videoreview"}
    assert set(connection.introspection.table_names()) == tables_before | summaries | analyses
    athlete = get_user_model().objects.get(username="athlete-before-split")
    assert kept(athlete) == recounted(athlete)
    assert sorted(athlete.training_sessions.values_list("set_count", flat=True)) == [0, 1, 4]
    for model in (CoachLink, Prescription, CoachNote, FlagReview, AuditEntry):
        assert model.objects.filter(athlete__username="athlete-before-split").count() == 1
    assert SetVideo.objects.get(owner__username="athlete-before-split").set.reps == 10
    assert VideoComment.objects.get(video__owner__username="athlete-before-split").text == (
        "Pause here."
    )
    assert VideoUpload.objects.filter(owner__username="athlete-before-split").count() == 1
    assert PendingImport.objects.filter(owner__username="athlete-before-split").count() == 1
    for app, names in MOVED.items():
        assert set(
            ContentType.objects.filter(model__in=names).values_list("app_label", flat=True)
        ) == {app}
    coach_group = Group.objects.get(name="Coach")
    assert coach_group.permissions.filter(
        content_type__app_label="coaches", codename="add_prescription"
    ).exists()


def _back_to(*migrations: tuple[str, str]):
    """Migrate the test database back to `migrations`; the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate(list(migrations))
    executor.loader.build_graph()
    return executor.loader.project_state(list(migrations)).apps


def _forward_to_the_end() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_level_change_made_before_its_day_was_kept_gets_its_day_in_the_sites_zone(
    guide_content, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    apps = _back_to(("training", "0027_level_source_approved"))
    athlete = apps.get_model("auth", "User").objects.create(username="moved-up-before")
    variations = apps.get_model("coaching", "Variation").objects.order_by("level")
    change = apps.get_model("training", "LevelChange").objects.create(
        user=athlete, to_variation=variations[1], reason="x", source="suggestion"
    )
    half_past_midnight_in_berlin = datetime.datetime(2026, 11, 2, 23, 30, tzinfo=datetime.UTC)
    type(change).objects.filter(pk=change.pk).update(changed_at=half_past_midnight_in_berlin)

    _forward_to_the_end()

    assert LevelChange.objects.get(pk=change.pk).day == datetime.date(2026, 11, 3)


def test_the_hold_totals_kept_before_become_the_time_held_and_their_weeks_are_counted_again(
    guide_content,
):
    apps = _back_to(("training", "0030_session_revision"))
    athlete = apps.get_model("auth", "User").objects.create(username="held-before")
    variation = apps.get_model("coaching", "Variation").objects.get(slug="single-leg-hip-thrust")
    session = apps.get_model("training", "TrainingSession").objects.create(
        user=athlete, date=datetime.date(2026, 11, 4), variation=variation, set_count=2
    )
    sets = apps.get_model("training", "Set").objects
    sets.create(session=session, position=1, side="left", reps=8, hold_seconds=5)
    sets.create(session=session, position=2, side="left", reps=0, hold_seconds=30)
    zero = {f"{side}_{m}": 0 for side in ("left", "right", "both") for m in ("work", "work_lb")}
    apps.get_model("training", "SessionTotals").objects.create(
        session=session,
        **zero,
        left_hold=35,  # the holds as written
        left_sets=2,
        right_hold=0,
        right_sets=0,
        both_hold=0,
        both_sets=0,
        unknown_sets=0,
    )

    _forward_to_the_end()

    assert SessionTotals.objects.get(session_id=session.pk).left_hold == 8 * 5 + 30
    weeks = StaleProgressWeek.objects.filter(user_id=athlete.pk).values_list("week", flat=True)
    assert list(weeks) == [datetime.date(2026, 11, 2)]


def test_flag_and_video_reviews_made_before_each_coach_reviewed_alone_stay_their_coachs(
    guide_content,
):
    users = get_user_model().objects
    athlete, coach = users.create(username="reviewed-before"), users.create(username="its-coach")
    session = TrainingSession.objects.create(
        user=athlete,
        date=datetime.date(2026, 11, 4),
        variation=Variation.objects.get(slug="single-leg-hip-thrust"),
    )
    apps = _back_to(
        ("videos", "0003_comment_submission_id"), ("coaches", "0003_coachnote_submission_id")
    )
    flags = apps.get_model("coaches", "FlagReview").objects
    kept = flags.create(
        athlete_id=athlete.pk, kind="pain", subject="session 1", reviewed_by_id=coach.pk
    )
    flags.create(athlete_id=athlete.pk, kind="lag", subject="session 1")  # coach gone
    reviewed_at = timezone.now() - datetime.timedelta(days=2)
    clips = apps.get_model("videos", "SetVideo").objects
    clip = clips.create(
        owner_id=athlete.pk,
        session_id=session.pk,
        side="left",
        original="videos/1/a.mp4",
        reviewed_by_id=coach.pk,
        reviewed_at=reviewed_at,
    )

    _forward_to_the_end()

    assert list(FlagReview.objects.values_list("pk", "reviewed_by__username")) == [
        (kept.pk, "its-coach")
    ]
    assert list(VideoReview.objects.values_list("video", "coach__username", "reviewed_at")) == [
        (clip.pk, "its-coach", reviewed_at)
    ]

    # And back: one review per flag and a video's newest review on it, as they were kept.
    second = users.create(username="second-coach")
    FlagReview.objects.create(
        athlete_id=athlete.pk, kind="pain", subject="session 1", reviewed_by_id=second.pk
    )
    VideoReview.objects.create(video_id=clip.pk, coach_id=second.pk)
    apps = _back_to(
        ("videos", "0003_comment_submission_id"), ("coaches", "0003_coachnote_submission_id")
    )
    old_flags = apps.get_model("coaches", "FlagReview").objects
    assert list(old_flags.values_list("pk", flat=True)) == [kept.pk]
    old_clip = apps.get_model("videos", "SetVideo").objects.get(pk=clip.pk)
    assert old_clip.reviewed_by_id == second.pk
    _forward_to_the_end()


def test_plans_written_before_each_kept_its_replacement_are_marked_replaced(guide_content):
    users = get_user_model().objects
    athlete, coach = users.create(username="planned-before"), users.create(username="planner")
    variation = Variation.objects.get(slug="single-leg-hip-thrust")
    apps = _back_to(("coaches", "0005_invitation_label_and_declined"))
    plans = apps.get_model("coaches", "Prescription").objects
    plan = {"athlete_id": athlete.pk, "coach_id": coach.pk, "variation_id": variation.pk}
    first, second, newest = (
        plans.create(**plan, sets=3, reps_per_side=n, tempo="2-0-1-1") for n in (8, 10, 12)
    )

    _forward_to_the_end()

    replaced = dict(Prescription.objects.values_list("pk", "replaced_at"))
    assert replaced == {first.pk: second.created_at, second.pk: newest.created_at, newest.pk: None}
