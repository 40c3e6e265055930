"""Create a demo trainee with a few months of history, for a local look around.

Runs only against the local SQLite default with DEBUG on, so it can never put a
known password on a real deployment.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from coaches import services
from coaching.models import Variation
from training import summaries
from training.models import (
    LevelChange,
    LevelSource,
    OwnedWeight,
    Profile,
    Set,
    TrainingSession,
    WeightKind,
)

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "hipthrust-demo-2026"
COACH_USERNAME = "coach"
COACH_PASSWORD = "hipthrust-coach-2026"


def describe_database(database: dict) -> str:
    """The database `make run` serves, in words: an exported DATABASE_URL is never a surprise."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"the SQLite database {database['NAME']}"
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    vendor = {"postgresql": "PostgreSQL", "mysql": "MySQL"}.get(engine, engine)
    place = f" on {database['HOST']}:{database['PORT']}" if database.get("HOST") else ""
    return f'the {vendor} database "{database["NAME"]}"{place}'


def is_local_sqlite() -> bool:
    database = settings.DATABASES["default"]
    default_path = str(settings.BASE_DIR / "db.sqlite3")
    return (
        settings.DEBUG
        and database["ENGINE"] == "django.db.backends.sqlite3"
        and str(database["NAME"]) == default_path
    )


class Command(BaseCommand):
    help = "Create the demo trainee (local SQLite with DEBUG on only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Skip the local-only check.")
        parser.add_argument(
            "--if-local",
            action="store_true",
            help="Off the local default, say which database is served and make no demo.",
        )
        parser.add_argument("--weeks", type=int, default=14)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, force: bool = False, weeks: int = 14, seed: int = 7, **options):
        serving = describe_database(settings.DATABASES["default"])
        if not force and not is_local_sqlite():
            if options.get("if_local"):
                self.stdout.write(
                    f"Serving {serving}. It is not the local SQLite default with DEBUG on: "
                    "no demo trainee or coach there. For the demo, run `env -u DATABASE_URL "
                    "make run` (SQLite in db.sqlite3 beside manage.py)."
                )
                return
            raise CommandError(
                "The demo trainee is only created on the local SQLite database with DJANGO_DEBUG=1."
            )
        User = get_user_model()
        with transaction.atomic():
            user = User.objects.filter(username=DEMO_USERNAME).first()
            if user is None:
                user = User.objects.create_user(DEMO_USERNAME, "demo@example.com", DEMO_PASSWORD)
                build_history(user, weeks=weeks, rng=random.Random(seed))
            if not User.objects.filter(username=COACH_USERNAME).exists():
                build_coach(user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Serving {serving}.\n"
                f"Demo trainee: log in as {DEMO_USERNAME} / {DEMO_PASSWORD}\n"
                f"Demo coach (the review queue at /coach/, the guide's editor at /admin/): "
                f"log in as {COACH_USERNAME} / {COACH_PASSWORD}"
            )
        )


def build_history(user, *, weeks: int, rng: random.Random, today: datetime.date | None = None):
    """Two sessions a week: bodyweight first, then dumbbells; the left side lags a little."""
    today = today or timezone.localdate()
    bodyweight = Variation.objects.get(slug="single-leg-hip-thrust")
    loaded = Variation.objects.get(slug="loaded-single-leg-hip-thrust")
    profile = Profile.objects.get(user=user)
    profile.unit = "kg"
    profile.level = bodyweight
    profile.save()
    OwnedWeight.objects.bulk_create(
        OwnedWeight(user=user, kind=WeightKind.DUMBBELL, load_kg=Decimal(kg))
        for kg in ("5", "7.5", "10", "12.5", "15", "17.5", "20")
    )
    start = today - datetime.timedelta(weeks=weeks)
    _dated_change(user, None, bodyweight, "Starting level", LevelSource.START, start)
    days = [start + datetime.timedelta(days=d) for d in range(0, weeks * 7, 7)]
    days = sorted(days + [d + datetime.timedelta(days=3) for d in days])
    switch_at = len(days) // 2
    sets = []
    for index, day in enumerate(days):
        if day > today:
            break
        variation = bodyweight if index < switch_at else loaded
        if index == switch_at:
            _dated_change(
                user,
                bodyweight,
                loaded,
                "Met 3 × 12 per side at 3-0-1-1 in two sessions in a row.",
                LevelSource.SUGGESTION,
                day,
            )
            profile.level = loaded
            profile.save(update_fields=["level"])
        session = TrainingSession.objects.create(user=user, date=day, variation=variation)
        progress = index if index < switch_at else index - switch_at
        position = 0
        for _ in range(3):
            for side in ("left", "right"):
                position += 1
                base = 8 + progress // 2
                reps = min(base, 12 if variation == bodyweight else 10)
                if side == "left" and rng.random() < 0.5:
                    reps -= 1  # the weaker side
                load = Decimal(0)
                if variation == loaded:
                    load = Decimal("7.5") + Decimal("2.5") * (progress // 4)
                sets.append(
                    Set(
                        session=session,
                        position=position,
                        side=side,
                        reps=max(reps, 5),
                        load_kg=load,
                        tempo="3-0-1-1",
                        rpe=Decimal(rng.choice(["7", "7.5", "8"])),
                    )
                )
    # One twinge in the second-to-last session, so the coach's queue has something to show.
    sessions = list(TrainingSession.objects.filter(user=user).order_by("-date")[:2])
    if len(sessions) == 2:
        for a_set in sets:
            if a_set.session is sessions[1] or a_set.session.pk == sessions[1].pk:
                a_set.pain = a_set.position == 5
                a_set.note = "Twinge in the left knee" if a_set.pain else ""
    Set.objects.bulk_create(sets)
    summaries.rebuild(get_user_model().objects.filter(pk=user.pk))


def _dated_change(user, from_variation, to_variation, reason, source, day) -> None:
    change = LevelChange.objects.create(
        user=user,
        from_variation=from_variation,
        to_variation=to_variation,
        reason=reason,
        source=source,
        changed_by=user,
    )
    # auto_now_add stamps today; the history should read as it happened.
    LevelChange.objects.filter(pk=change.pk).update(
        changed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(7))), day=day
    )


def build_coach(athlete):
    """A staff coach in the Coach group, linked to the demo trainee, with a prescription."""
    coach = get_user_model().objects.create_user(
        COACH_USERNAME, "coach@example.com", COACH_PASSWORD, is_staff=True
    )
    coach.groups.add(Group.objects.get(name="Coach"))
    link = services.create_invitation(coach)
    services.accept_invitation(link, athlete)
    level = Profile.objects.get(user=athlete).level
    services.prescribe(
        coach,
        athlete,
        {
            "variation": level,
            "sets": 3,
            "reps_per_side": level.advance_reps_per_side,
            "load_kg": Decimal("15"),
            "tempo": level.tempo.tempo.notation,
            "hold_seconds": 0,
            "sessions_per_week": 2,
            "notes": "Start each session with the left side.",
        },
    )
    latest = TrainingSession.objects.filter(user=athlete).order_by("-date").first()
    if latest is not None:
        services.add_coach_note(
            coach, athlete, latest, "Good control on the way down. Keep the ribs down at the top."
        )
