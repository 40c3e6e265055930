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
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from coaching.models import Variation
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
            help="Quietly do nothing, instead of failing, when not on the local default.",
        )
        parser.add_argument("--weeks", type=int, default=14)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, force: bool = False, weeks: int = 14, seed: int = 7, **options):
        if not force and not is_local_sqlite():
            if options.get("if_local"):
                self.stdout.write("Not the local SQLite default with DEBUG on: no demo trainee.")
                return
            raise CommandError(
                "The demo trainee is only created on the local SQLite database with DJANGO_DEBUG=1."
            )
        User = get_user_model()
        if User.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(f"Demo trainee ready: log in as {DEMO_USERNAME} / {DEMO_PASSWORD}")
            return
        with transaction.atomic():
            user = User.objects.create_user(DEMO_USERNAME, "demo@example.com", DEMO_PASSWORD)
            build_history(user, weeks=weeks, rng=random.Random(seed))
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the demo trainee: log in as {DEMO_USERNAME} / {DEMO_PASSWORD}"
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
    LevelChange.objects.create(
        user=user,
        to_variation=bodyweight,
        reason="Starting level",
        source=LevelSource.START,
        changed_by=user,
    )
    start = today - datetime.timedelta(weeks=weeks)
    days = [start + datetime.timedelta(days=d) for d in range(0, weeks * 7, 7)]
    days = sorted(days + [d + datetime.timedelta(days=3) for d in days])
    switch_at = len(days) // 2
    sets = []
    for index, day in enumerate(days):
        if day > today:
            break
        variation = bodyweight if index < switch_at else loaded
        if index == switch_at:
            change = LevelChange.objects.create(
                user=user,
                from_variation=bodyweight,
                to_variation=loaded,
                reason="Met 3 × 12 per side at 3-0-1-1 in two sessions in a row.",
                source=LevelSource.SUGGESTION,
                changed_by=user,
            )
            LevelChange.objects.filter(pk=change.pk).update(
                changed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(7)))
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
    Set.objects.bulk_create(sets)
