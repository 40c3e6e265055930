"""Several writers adding sets to one session at once lose none (PostgreSQL locks the row)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections

from coaching.models import Variation
from training import services
from training.models import Set, TrainingSession

WRITERS = 8
SETS_EACH = 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers with a file lock"
)
def test_concurrent_writers_adding_sets_to_one_session_lose_none(guide_content, user):
    bodyweight = Variation.objects.get(slug="single-leg-hip-thrust")
    session = TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 11, 2), variation=bodyweight
    )
    barrier = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def writer(side: str) -> None:
        try:
            barrier.wait()
            for _ in range(SETS_EACH):
                services.add_set(session, {"side": side, "reps": 10})
        except BaseException as error:  # reported below, after the threads join
            failures.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=writer, args=("left" if i % 2 else "right",))
        for i in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    positions = sorted(Set.objects.filter(session=session).values_list("position", flat=True))
    assert positions == list(range(1, WRITERS * SETS_EACH + 1))
