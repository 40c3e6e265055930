"""No writer can forget to invalidate the cached log pages: every model whose rows they
show writes through LogQuerySet (or sends the signals), and every way to write bumps."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.models import Variation
from training import caching
from training.models import (
    LOG_MODELS,
    LevelChange,
    LevelSource,
    LogQuerySet,
    Profile,
    Set,
    TrainingSession,
    log_version_bumped,
)

from .conftest import make_log

pytestmark = pytest.mark.django_db


def version(user) -> int:
    return Profile.objects.get(user=user).log_version


def _session(user, day=1) -> TrainingSession:
    variation = Variation.objects.get(slug="single-leg-hip-thrust")
    return TrainingSession(user=user, date=datetime.date(2025, 1, day), variation=variation)


def _set(user, position=1) -> Set:
    session = _session(user)
    session.save()
    return Set(session=session, position=position, side="left", reps=8)


def _level_change(user) -> LevelChange:
    variation = Variation.objects.get(slug="single-leg-hip-thrust")
    return LevelChange(user=user, to_variation=variation, reason="t", source=LevelSource.MANUAL)


NEW_ROW = {TrainingSession: _session, Set: _set, LevelChange: _level_change}
EDIT = {TrainingSession: ("notes", "edited"), Set: ("reps", 9), LevelChange: ("reason", "edited")}


def _saved(model, user):
    row = NEW_ROW[model](user)
    row.save()
    return row


def _edit(row) -> list[str]:
    field, value = EDIT[type(row)]
    setattr(row, field, value)
    return [field]


WRITES = (
    "save a new row",
    "bulk_create",
    "save a changed row",
    "delete a row",
    "update a query",
    "delete a query",
    "bulk_update",
)


def test_every_log_model_writes_through_the_bumping_queryset():
    for model in LOG_MODELS:
        assert isinstance(model._default_manager.all(), LogQuerySet), model


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("model", LOG_MODELS, ids=lambda model: model.__name__)
def test_each_way_to_write_a_log_row_bumps_the_log_version(model, write, user, other_user):
    others = version(other_user)
    # A write to a row that exists: its creation bumps too, the write must bump again.
    original = None if write in {"save a new row", "bulk_create"} else _saved(model, user)
    before = version(user)
    if write == "save a new row":
        NEW_ROW[model](user).save()
    elif write == "bulk_create":
        model.objects.bulk_create([NEW_ROW[model](user)])
    elif write == "save a changed row":
        _edit(original)
        original.save()
    elif write == "delete a row":
        original.delete()
    elif write == "update a query":
        model.objects.filter(pk=original.pk).update(**dict([EDIT[model]]))
    elif write == "delete a query":
        model.objects.filter(pk=original.pk).delete()
    elif write == "bulk_update":
        model.objects.bulk_update([original], _edit(original))
    assert version(user) > before
    assert version(other_user) == others


def test_a_row_moved_to_another_trainee_bumps_both_logs(user, other_user):
    session = _saved(TrainingSession, user)
    before = (version(user), version(other_user))
    TrainingSession.objects.filter(pk=session.pk).update(user=other_user)
    assert version(user) > before[0]
    assert version(other_user) > before[1]


def test_a_write_bumps_only_its_trainees_log(user, other_user):
    before = version(other_user)
    for model in LOG_MODELS:
        model.objects.bulk_create([NEW_ROW[model](user)])
        model.objects.filter(pk=_saved(model, user).pk).update(**dict([EDIT[model]]))
    assert version(other_user) == before


def test_writes_inside_a_bump_already_made_skip_theirs(user):
    with transaction.atomic():
        Profile.objects.bump_log_version(user.pk)
        with log_version_bumped(user.pk), CaptureQueriesContext(connection) as queries:
            TrainingSession.objects.bulk_create([NEW_ROW[TrainingSession](user)])
    assert not any("training_profile" in q["sql"] for q in queries.captured_queries)


def test_a_bump_made_already_must_share_the_writes_transaction(user, monkeypatch):
    # As in autocommit, outside the transaction every test runs in:
    monkeypatch.setattr(transaction.get_connection(), "in_atomic_block", False)
    with pytest.raises(TransactionManagementError), log_version_bumped(user.pk):
        pass


def _tables(queries) -> set[str]:
    return set(re.findall(r'(?:FROM|JOIN) "(\w+)"', " ".join(q["sql"] for q in queries)))


@pytest.mark.parametrize("url", [reverse("training:history"), reverse("training:progress")])
def test_the_log_pages_read_only_rows_whose_writes_bump_the_version(
    user, user_client, url, monkeypatch
):
    """A table a cached log body is made from must be one of LOG_MODELS', or the guide's
    content (named by the content version)."""
    make_log(user, Variation.objects.get(slug="single-leg-hip-thrust"), sessions=2)
    _saved(LevelChange, user)
    body_queries = []
    made = caching.cached_parts

    def capturing(*args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            parts = made(*args, **kwargs)
        body_queries.extend(queries.captured_queries)
        return parts

    monkeypatch.setattr(caching, "cached_parts", capturing)
    assert user_client.get(url).status_code == 200
    read = {table for table in _tables(body_queries) if not table.startswith("coaching_")}
    assert read
    assert read <= {model._meta.db_table for model in LOG_MODELS}, read
