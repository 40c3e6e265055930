"""Writes that touch several rows: each runs in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Subquery

from coaching.models import FormError, Variation
from core.submissions import SubmissionConflict, create_once, made_by_submission
from training import sides, summaries
from training.models import (
    SET_FIELDS,
    LevelChange,
    LevelSource,
    OwnedWeight,
    Profile,
    Set,
    Side,
    TrainingSession,
    WeightKind,
    carried_tempo,
)


def delete_empty_sessions(user, *, started_before) -> int:
    """Delete `user`'s sessions started before then and still abandoned (without a set, a
    video or a coach's note); how many.

    Locked first, as add_set locks a session: a set being added meanwhile either lands
    before (and the session stays) or finds the session gone.
    """
    with transaction.atomic():
        started = TrainingSession.objects.for_user(user).filter(created_at__lt=started_before)
        locked = list(started.select_for_update().values_list("pk", flat=True))
        empty = TrainingSession.objects.filter(pk__in=locked).abandoned()
        _, deleted = empty.delete()
    return deleted.get(TrainingSession._meta.label, 0)


def create_session(
    user, fields: dict, *, submission_id: uuid.UUID | None = None, sets: list[dict] = ()
) -> tuple[TrainingSession, bool]:
    """A new session with `sets` (positions in order); returns (session, created).

    The same submission_id again, from a double-clicked button, a replayed request or
    several at once, gives back the session it already made instead of a second one.
    """
    existing = made_by_submission(TrainingSession, submission_id, user_id=user.pk)
    if existing is not None:
        return existing, False

    def create() -> TrainingSession:
        session = TrainingSession.objects.create(user=user, submission_id=submission_id, **fields)
        if sets:
            made = Set.objects.bulk_create(
                Set(session=session, position=position, **set_fields)
                for position, set_fields in enumerate(sets, start=1)
            )
            summaries.sets_changed({session.pk}, added=summaries.marks_of_new(made))
        return session

    return create_once(TrainingSession, submission_id, create, user_id=user.pk)


def _count_in_new_sets(session: TrainingSession, count: int) -> None:
    """Count `count` sets about to be written into the session's set count, its row locked
    by that UPDATE until the transaction ends: concurrent writers take places one at a time,
    and the count needs no statement of its own (summaries.sets_changed(counted=True))."""
    # Written out: the ORM took longer to build this UPDATE (0.25 ms) than the engine to run it.
    table = connection.ops.quote_name(TrainingSession._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET set_count = set_count + %s WHERE id = %s", [count, session.pk]
        )


def add_set(
    session: TrainingSession,
    fields: dict,
    form_errors: list[FormError] | tuple = (),
    *,
    submission_id: uuid.UUID | None = None,
    position: int | None = None,
) -> tuple[Set, bool]:
    """Append a set (or put it back at `position`); returns (set, created).

    The same submission_id twice, from a double-clicked button or a replayed request,
    gives back the set it already made instead of a second one.
    """

    def create() -> Set:
        nonlocal position
        _count_in_new_sets(session, 1)
        if position is None or session.sets.filter(position=position).exists():
            position = Set.after_last(session.pk)
        # Its summaries kept here rather than by the saved set's signal, which would
        # lock the session again.
        (new_set,) = Set.objects.bulk_create(
            [Set(session=session, position=position, submission_id=submission_id, **fields)]
        )
        summaries.sets_changed({session.pk}, added=summaries.marks_of_new([new_set]), counted=True)
        if form_errors:
            new_set.form_errors.set(form_errors)
        return new_set

    return create_once(Set, submission_id, create, session_id=session.pk)


def copy_set(
    source: Set, *, side: str | None = None, submission_id: uuid.UUID | None = None
) -> Set:
    """The same numbers again; pain, effort, form errors and the note were about that one
    set, so they stay behind. The same submission id again gives back the copy it made."""
    fields = {name: getattr(source, name) for name in SET_FIELDS}
    fields.update(side=side or source.side, pain=False, note="", rpe=None, rir=None)
    fields["tempo"] = carried_tempo(source.tempo, source.session.variation)
    new_set, _ = add_set(source.session, fields, [], submission_id=submission_id)
    return new_set


def delete_set(existing: Set) -> str:
    """Delete one set, leaving what was made of it to its session: a coach's note about it
    becomes a note on the session, and its videos clips of its side, so deleting the copy of
    a set logged twice loses no film. Says what stayed, or "".

    A set of unrecorded side names no side for a clip: its videos go with it. The notes and
    videos are reached by their relations' names alone (coaches, videos), written here so
    the deletion and the keeping are one transaction."""
    with transaction.atomic():
        noted = existing.coach_notes.update(set=None)
        filmed = 0
        if existing.side in sides.NAMED:
            filmed = existing.videos.update(set=None, side=existing.side)
        existing.delete()
    kept = []
    if filmed:
        of = "the whole session" if existing.side == Side.BOTH else f"the {existing.side} side"
        kept.append(f"its video as a clip of {of}" if filmed == 1 else f"its videos, of {of}")
    if noted:
        kept.append("the coach's note on it" if noted == 1 else "the coach's notes on it")
    return f"The session keeps {' and '.join(kept)}." if kept else ""


class NothingToRestore(Exception):
    """The undo snapshot names no session of this user."""


class SideNoLongerFits(Exception):
    """The session's variation changed since the deletion and has no such side now."""

    def __init__(self, side: str, variation: Variation) -> None:
        was = "on both legs at once" if side == sides.BOTH else f"on the {side} leg"
        now = "one leg at a time" if variation.one_side_at_a_time else "on both legs at once"
        super().__init__(
            f"The deleted set cannot come back: it was {was}, and this session is now "
            f"{variation.name}, done {now}."
        )


def snapshot_set(existing: Set) -> dict:
    """What undoing the set's deletion needs, in a form the request session can store (JSON):
    with the coach's notes and the videos that delete_set leaves to the session, so that the
    undo hangs them on the set again. Its submission id (the set's own, else a new one) makes
    the undo happen once, however many tabs send it."""
    fields = {name: getattr(existing, name) for name in SET_FIELDS}
    fields["load_kg"] = str(existing.load_kg)
    fields["rpe"] = None if existing.rpe is None else str(existing.rpe)
    return {
        "session": existing.session_id,
        "position": existing.position,
        "submission_id": str(existing.submission_id or uuid.uuid4()),
        "fields": fields,
        "form_errors": list(existing.form_errors.values_list("pk", flat=True)),
        "notes": list(existing.coach_notes.values_list("pk", flat=True)),
        "videos": list(existing.videos.values_list("pk", flat=True)),
        "label": f"{existing.get_side_display()} · {existing.amount}",
    }


def restore_set(user, snapshot: dict) -> Set:
    """Put a deleted set back where it was, in the user's own session only, on a side its
    variation still has (an emptied session's variation may have changed since)."""
    fields = dict(snapshot["fields"])
    fields["load_kg"] = Decimal(fields["load_kg"])
    fields["rpe"] = None if fields["rpe"] is None else Decimal(fields["rpe"])
    with transaction.atomic():
        session = (
            TrainingSession.objects.select_related("variation__exercise")
            .filter(pk=snapshot["session"], user=user)
            .first()
        )
        if session is None:
            raise NothingToRestore(snapshot["session"])
        if fields["side"] not in sides.recordable(session.variation.one_side_at_a_time):
            raise SideNoLongerFits(fields["side"], session.variation)
        # Form errors deleted or moved to another exercise since are left out.
        errors = list(session.variation.exercise.form_errors.filter(pk__in=snapshot["form_errors"]))
        # A snapshot kept in a login's session from before it carried an id has none.
        once = snapshot.get("submission_id")
        restored, _ = add_set(
            session,
            fields,
            errors,
            position=snapshot["position"],
            submission_id=uuid.UUID(once) if once else None,
        )
        # What the deletion left to the session, unless it has been hung elsewhere since.
        session.coach_notes.filter(pk__in=snapshot.get("notes", ()), set=None).update(set=restored)
        session.videos.filter(
            pk__in=snapshot.get("videos", ()), set=None, side=restored.side
        ).update(set=restored, side="")
    return restored


class StaleEdit(Exception):
    """The set or session changed after the form was opened; `current` holds its newer
    values."""

    def __init__(self, current: Set | TrainingSession):
        name = type(current).__name__
        super().__init__(f"{name} {current.pk} is at revision {current.revision}.")
        self.current = current


def update_set(existing: Set, fields: dict, form_errors, *, revision: int | None = None) -> Set:
    """Save an edit; with `revision` (the one the form was opened at), only over that one."""
    with transaction.atomic():
        # Its session first, as every writer of a session's sets locks them (setting sides,
        # adding a set): the other way round, two writers could each wait for the other.
        TrainingSession.objects.select_for_update().filter(pk=existing.session_id).first()
        current = Set.objects.select_for_update().get(pk=existing.pk)
        _save_over(current, fields, revision)
        current.form_errors.set(form_errors)
    return current


def update_session(
    existing: TrainingSession, fields: dict, *, revision: int | None = None
) -> TrainingSession:
    """Save an edit of its date, variation or notes; with `revision` (the one the form was
    opened at), only over that one (StaleEdit, as update_set)."""
    with transaction.atomic():
        current = TrainingSession.objects.select_for_update().get(pk=existing.pk)
        _save_over(current, fields, revision)
    return current


def _save_over(current: Set | TrainingSession, fields: dict, revision: int | None) -> None:
    """Write `fields` to the locked row, and move its revision, unless it moved past the
    `revision` its form was opened at (StaleEdit)."""
    if revision is not None and current.revision != revision:
        raise StaleEdit(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.revision += 1
    current.save()


class StaleSides(Exception):
    """The sets of unknown side changed since the trainee saw them."""


def assign_sides(session: TrainingSession, pattern: str, *, expected: list[int]) -> int:
    """Give the session's sets of unknown side their sides, in position order, all at once.

    `expected` are the sets the trainee saw; if another tab changed them meanwhile, nothing
    is changed. Returns how many sets were given a side.
    """
    with transaction.atomic():
        TrainingSession.objects.select_for_update().filter(pk=session.pk).first()
        unknown = list(session.sets.filter(side=Side.UNKNOWN).order_by("position"))
        if [s.pk for s in unknown] != expected:
            raise StaleSides(session.pk)
        changed = Set.objects.filter(pk__in=expected)
        before = summaries.marks_of(changed)
        for done, side in zip(unknown, sides.in_order(pattern, len(unknown)), strict=True):
            done.side = side
            done.revision += 1  # an edit: a form opened before it saves over it no more
        Set.objects.bulk_update(unknown, ["side", "revision"])
        summaries.sets_changed({session.pk}, removed=before, added=summaries.marks_of(changed))
    return len(unknown)


def replace_owned_weights(user, kind: str, loads_kg: list[Decimal]) -> None:
    with transaction.atomic():
        OwnedWeight.objects.filter(user=user, kind=kind).delete()
        OwnedWeight.objects.bulk_create(
            OwnedWeight(user=user, kind=kind, load_kg=load) for load in loads_kg
        )


def save_profile(profile: Profile, cleaned: dict, *, changed_by) -> None:
    """Unit, level and owned weights together; a level change is recorded in the history."""
    with transaction.atomic():
        previous = Profile.objects.select_for_update().get(pk=profile.pk).level
        profile.save()
        replace_owned_weights(profile.user, WeightKind.DUMBBELL, cleaned["dumbbells"])
        replace_owned_weights(profile.user, WeightKind.KETTLEBELL, cleaned["kettlebells"])
        if profile.level_id and (previous is None or previous.pk != profile.level_id):
            LevelChange.objects.create(
                user=profile.user,
                from_variation=previous,
                to_variation=profile.level,
                reason="Starting level" if previous is None else "Changed in the profile",
                source=LevelSource.START if previous is None else LevelSource.MANUAL,
                changed_by=changed_by,
            )


def change_level(
    user, to_variation: Variation, *, reason: str, source: str, changed_by
) -> LevelChange | None:
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(user=user)
        if profile.level_id == to_variation.pk:
            return None
        change = LevelChange.objects.create(
            user=user,
            from_variation=profile.level,
            to_variation=to_variation,
            reason=reason[:500],
            source=source,
            changed_by=changed_by,
        )
        profile.level = to_variation
        profile.dismissed_suggestion = ""
        profile.save(update_fields=["level", "dismissed_suggestion"])
    return change


# Coaching: every change a coach makes for an athlete is written to the audit log.


@dataclass(frozen=True)
class TimerLog:
    session: TrainingSession
    joined: bool  # the sets went into a session of that day that already existed


def log_timer_sets(
    user,
    variation,
    *,
    day,
    sides: list[str],
    reps: int,
    tempo: str,
    hold_seconds: int,
    submission_id: uuid.UUID,
    last_hold: int = 0,
    load_kg: Decimal = Decimal(0),
    loads_kg: dict[str, Decimal] | None = None,
) -> TimerLog:
    """The sets the timer counted, added to `day`'s session of that variation, or to a new
    one when there is none: one day of one variation is one session, however often the
    timer is used. The online "Log these sets" and the offline queue both come here. The
    timer knows no load: the callers give the one the trainee confirmed or the one each side
    was most likely done with (`timer_loads_kg`), `load_kg` for every set or `loads_kg` by side.

    The submission id names the sets, so the same post again (a double click, a replayed
    queue) gives back the session they went into and adds nothing.

    A set's hold is the hold of every rep (its time held is reps x hold): `hold_seconds`,
    the tempo's. A longer hold on the last rep (`last_hold`) is said in each set's note:
    counted as every rep's, it made 12 reps with a 20 s last hold 240 s held, not 31 s.
    """
    set_ids = [uuid.uuid5(submission_id, str(number)) for number in range(len(sides))]
    logged = _timer_log_by_submission(user, submission_id, set_ids[0], day, variation)
    if logged is not None:
        return TimerLog(logged, joined=False)
    sets = [
        {
            "side": side,
            "reps": reps,
            "load_kg": loads_kg[side] if loads_kg is not None else load_kg,
            "tempo": tempo,
            "hold_seconds": hold_seconds,
            "note": f"Last rep held {last_hold} s at the top." if last_hold else "",
        }
        for side in sides
    ]
    try:
        with transaction.atomic():
            # One timer log at a time per trainee, so two at once cannot both find no
            # session of the day and start one each.
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            session = (
                TrainingSession.objects.for_user(user)
                .on_day(day)
                .filter(variation=variation)
                .first()
            )
            joined = session is not None
            if session is None:
                session = TrainingSession.objects.create(
                    user=user, date=day, variation=variation, notes="Logged from the tempo timer."
                )
            _count_in_new_sets(session, len(sets))
            made = Set.objects.bulk_create(
                Set(
                    session=session,
                    position=Set.after_last(session.pk, nth),
                    submission_id=set_id,
                    **fields,
                )
                for nth, (set_id, fields) in enumerate(zip(set_ids, sets, strict=True), start=1)
            )
            summaries.sets_changed({session.pk}, added=summaries.marks_of_new(made), counted=True)
    except IntegrityError:
        # The same submission committed first in a parallel request.
        logged = _timer_log_by_submission(user, submission_id, set_ids[0], day, variation)
        if logged is None:
            raise
        return TimerLog(logged, joined=False)
    return TimerLog(session, joined=joined)


def timer_loads_kg(
    user, variation: Variation, sides_done: list[str], prescribed_kg: Decimal
) -> dict[str, Decimal] | None:
    """The load of each side's sets the timer logs of `variation`, when the trainee typed
    none: a rung taking no weight, body weight; else the coach's load (`prescribed_kg`),
    else the load of the trainee's newest set of that rung on each side, read in one query.
    None when a side's load is not known (no earlier set, or one at body weight on a rung
    that needs a weight): body weight there would read as a drop in load, so it is asked."""
    worked = sorted(set(sides_done))
    if not variation.takes_external_load or prescribed_kg:
        return dict.fromkeys(worked, prescribed_kg)
    latest = (
        Variation.objects.filter(pk=variation.pk)
        .values(
            **{
                side: Subquery(
                    Set.objects.recent_on_side(user.pk, variation.pk, side, 1).values("load_kg")
                )
                for side in worked
            }
        )
        .first()
    )
    loads = {side: latest[side] for side in worked} if latest else {}
    if any(loads.get(side) is None for side in worked):
        return None
    if not variation.load_is_optional and not all(loads.values()):
        return None
    return loads


def _timer_log_by_submission(
    user, submission_id: uuid.UUID, first_set_id: uuid.UUID, day, variation
) -> TrainingSession | None:
    """The session a timer log already went into: its first set carries the id's first
    derived id (a log from before that, the session its own id, of that day and rung; a
    session of another is another entry that used the id)."""
    first = Set.objects.filter(submission_id=first_set_id).select_related("session").first()
    if first is not None:
        if first.session.user_id != user.pk:
            raise SubmissionConflict(submission_id)
        return first.session
    earlier = made_by_submission(TrainingSession, submission_id, user_id=user.pk)
    if earlier is not None and (earlier.date, earlier.variation_id) != (day, variation.pk):
        raise SubmissionConflict(submission_id)
    return earlier
