"""An import you can trust: a preview that writes nothing and is exactly what a save writes,
and an undo that takes back exactly what one import added."""

from __future__ import annotations

import dataclasses
import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaches.models import CoachNote
from imports import budget, csv_io
from imports.csv_io import pending as pending_imports
from imports.csv_io import save as csv_save
from imports.models import PendingImport
from training import services
from training.models import ImportBatch, Profile, Set, TrainingSession
from videos.models import SetVideo

from .test_csv_io import (
    HEADER,
    HEVY,
    STRONG,
    STRONG_NOW,
    STRONG_OLD,
    add_session,
    export_text,
    log_of,
)

pytestmark = pytest.mark.django_db

OURS = HEADER + (
    "1,2024-02-01,single-leg-hip-thrust,First,1,left,10,0,0,3-0-1-1,8,,bouncing,no,\n"
    "1,2024-02-01,single-leg-hip-thrust,First,2,right,9,0,0,3-0-1-1,,2,,no,a note\n"
    "2,2024-02-03,floor-glute-bridge,,1,both,15,0,5,,,,,yes,\n"
)


def upload(client, text: str, name: str = "log.csv"):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("imports:import"), {"file": file})


def uploaded(client, text: str, name: str = "log.csv") -> PendingImport:
    response = upload(client, text, name)
    pending = PendingImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:preview", args=[pending.pk])
    return pending


def preview_page(client, pending: PendingImport):
    response = client.get(reverse("imports:preview", args=[pending.pk]))
    assert response.status_code == 200
    return response


def save(client, pending: PendingImport, digest: str | None = None):
    if digest is None:
        digest = preview_page(client, pending).context["preview"].digest
    return client.post(reverse("imports:save", args=[pending.pk]), {"digest": digest})


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def counts() -> tuple[int, int, int, int]:
    return (
        TrainingSession.objects.count(),
        Set.objects.count(),
        Set.form_errors.through.objects.count(),
        ImportBatch.objects.count(),
    )


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the preview writes nothing ------------------------------------------------------


def test_an_upload_and_its_preview_write_nothing_to_the_log(user_client, user):
    add_session(user, "2024-01-01", "floor-glute-bridge", "", [(1, {"side": "both", "reps": 9})])
    before = counts()

    pending = uploaded(user_client, OURS)
    page = preview_page(user_client, pending)

    assert counts() == before
    assert "2 sessions and 3 sets to add" in text_of(page)


def test_a_file_with_a_bad_row_is_refused_at_upload_and_nothing_is_kept(user_client, user):
    response = upload(user_client, OURS.replace(",15,0,5,", ",101,0,5,"))

    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["file"])
    assert "Line 4" in message
    assert "Nothing was imported" in message
    assert PendingImport.objects.count() == 0
    assert counts() == (0, 0, 0, 0)


def test_a_load_the_set_form_refuses_is_refused_at_upload_by_line_and_column(user_client):
    response = upload(user_client, OURS.replace(",9,0,0,", ",9,22.499999,0,"))

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Line 3: load_kg: A load has at most two decimals (12.25). (got “22.499999”) "
        "Nothing was imported."
    ]
    assert PendingImport.objects.count() == 0
    assert counts() == (0, 0, 0, 0)


def test_a_new_upload_replaces_the_trainees_earlier_one(user_client):
    first = uploaded(user_client, OURS)
    second = upload(user_client, OURS, "again.csv")

    assert second.status_code == 302
    assert list(PendingImport.objects.values_list("file_name", flat=True)) == ["again.csv"]
    assert not PendingImport.objects.filter(pk=first.pk).exists()
    # The first preview, still open in another tab, says what became of it on "Save".
    stale = user_client.post(reverse("imports:save", args=[first.pk]), {"digest": "x"})
    assert stale.status_code == 404
    assert "This preview is no longer kept: it was saved or cancelled" in text_of(stale)
    assert f'href="{reverse("imports:import")}"' in stale.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_a_kilogram_trainee_sees_each_load_the_file_gave_in_pounds_as_stored(user_client):
    pending = uploaded(user_client, STRONG_OLD, "strong.csv")
    page = text_of(preview_page(user_client, pending))
    assert "Loads converted from pounds" in page
    assert "2 25 lb 11.34 kg" in page
    assert "3 25 lb 11.34 kg" in page


@pytest.mark.parametrize(
    ("row", "said"),
    [
        (
            "Glute Bridge (Barbell),1,100,10",
            "A floor glute bridge with a weight, which is not on the ladder (that rung takes "
            "none): 1 row (5), Glute Bridge (Barbell).",
        ),
        (
            "Glute Bridge (Band),1,0,20",
            "A floor glute bridge with a band, which is not on the ladder (that rung is done "
            "without one): 1 row (5), Glute Bridge (Band).",
        ),
    ],
    ids=["weight", "band"],
)
def test_the_preview_says_a_loaded_or_banded_glute_bridge_is_not_on_the_ladder(
    user_client, row, said
):
    text = STRONG_NOW.replace("Glute Bridge,1,0,20", row)
    page = text_of(preview_page(user_client, uploaded(user_client, text, "strong.csv")))

    assert said in page
    assert "Floor glute bridge: 1 set (1 both legs)" in page  # the 45 s hold, as it is
    assert counts() == (0, 0, 0, 0)


def test_the_preview_flags_a_strong_row_given_twice_and_the_save_adds_it_once(user_client):
    second_set = STRONG_NOW.splitlines(keepends=True)[2]
    text = STRONG_NOW.replace(second_set, second_set * 2)
    pending = uploaded(user_client, text, "strong.csv")
    page = text_of(preview_page(user_client, pending))

    assert (
        "A copy of an earlier row of the same set (Strong writes each set once), so its set is "
        "imported once: 1 row (4), Single Leg Hip Thrust (Dumbbell)." in page
    )
    assert "2 sessions and 5 sets to add" in page

    save(user_client, pending)
    assert Set.objects.count() == 5


def test_the_preview_lists_skipped_rows_sides_and_converted_pounds(user_client, user):
    Profile.objects.filter(user=user).update(unit="lb")
    pending = uploaded(user_client, STRONG, "strong.csv")
    page = text_of(preview_page(user_client, pending))

    assert "4 sessions and 7 sets to add" in page
    assert "6 rows skipped" in page
    # One line per session to add, with its sets by side and the rows it was read from.
    assert (
        "5 Mar 2024 , Dumbbell or kettlebell single leg hip thrust: "
        "2 sets (1 left · 1 right); rows 5–6" in page
    )
    assert (
        "7 Mar 2024 , Single leg hip thrust: 3 sets (3 with no side recorded); rows 10–12" in page
    )
    # The row number and the reason of every row left out.
    assert "Another exercise: 2 rows (2, 13), Squat (Barbell), Romanian Deadlift (Barbell)." in page
    assert "A warm-up set: 1 row (3), Glute Bridge." in page
    assert "A two-legged hip thrust, which is not on the ladder: 1 row (8)" in page
    assert "A single-leg glute bridge, which is not on the ladder: 1 row (9)" in page
    assert "Not a set (a rest timer or a note): 1 row (14)" in page
    # Sides read from a note, and sides not recorded, with their rows.
    assert "2 sets: side read from the Notes column (rows 5–6)" in page
    assert "4 sets: no side recorded (rows 7, 10–12)" in page
    # A pounds trainee reads the loads as the file gave them: no kilograms anywhere.
    assert "Loads converted from pounds" not in page
    assert " kg" not in page
    assert "Row 7: “7.3”" in page  # an RPE the set form does not offer, left out
    assert counts() == (0, 0, 0, 0)


# --- the save writes exactly the preview --------------------------------------------


@pytest.mark.parametrize(("unit", "read_in"), [("kg", "kilograms"), ("lb", "pounds")])
def test_a_strong_export_without_its_unit_asks_to_check_the_loads_it_read_in_the_log_unit(
    user_client, user, unit, read_in
):
    Profile.objects.filter(user=user).update(unit=unit)
    page = text_of(preview_page(user_client, uploaded(user_client, STRONG_NOW)))
    assert (
        f"Check the loads below. This export does not say its unit, so its weights were read "
        f"in {read_in}, your log's unit." in page
    )
    # Each set as it will be logged, in the trainee's unit, for them to check.
    assert f"L 10 × 25 {unit} · R 9 × 25 {unit} · 12 × 15 {unit}" not in page  # no side guessed
    assert f"? 10 × 25 {unit} · R 9 × 25 {unit} · ? 12 × 15 {unit}" in page


def test_an_export_that_names_its_unit_is_not_questioned(user_client):
    page = text_of(preview_page(user_client, uploaded(user_client, STRONG_OLD)))
    assert "Check the loads below" not in page


def test_saving_writes_exactly_the_sessions_and_sets_the_preview_showed(user_client, user):
    Profile.objects.filter(user=user).update(unit="lb")
    pending = uploaded(user_client, STRONG, "strong.csv")
    preview = preview_page(user_client, pending).context["preview"]
    shown = [
        (
            s.date.isoformat(),
            s.variation.slug,
            s.notes,
            [
                (n, p.side, p.reps, p.load_kg, p.hold_seconds, p.rpe)
                for n, p in enumerate(s.sets, 1)
            ],
        )
        for s in preview.new
    ]

    response = save(user_client, pending, preview.digest)

    assert response.status_code == 302
    assert response["Location"] == reverse("imports:import")
    saved = [
        (day, slug, notes, [(d[0], d[1], d[2], d[3], d[4], d[6]) for d in sets])
        for day, slug, notes, sets in log_of(user)
    ]
    assert sorted(saved) == sorted(shown)
    batch = ImportBatch.objects.get(owner=user)
    assert (batch.file_name, batch.source, batch.session_count, batch.set_count) == (
        "strong.csv",
        "strong",
        4,
        7,
    )
    assert batch.file_hash == pending.file_hash
    assert set(Set.objects.values_list("import_batch", flat=True)) == {batch.pk}
    assert set(TrainingSession.objects.values_list("import_batch", flat=True)) == {batch.pk}
    assert not PendingImport.objects.exists()


def test_a_failing_save_leaves_nothing_half_written(user_client, user, monkeypatch):
    pending = uploaded(user_client, OURS)
    digest = preview_page(user_client, pending).context["preview"].digest
    link = Set.form_errors.through

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(link.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        save(user_client, pending, digest)

    assert counts() == (0, 0, 0, 0)
    assert PendingImport.objects.filter(pk=pending.pk).exists()


def test_reimporting_a_file_previews_nothing_to_add_and_saving_it_adds_nothing(
    user_client, user, other_user
):
    add_session(
        other_user,
        "2024-01-10",
        "floor-glute-bridge",
        "x",
        [(1, {"side": "both", "reps": 15}), (2, {"side": "both", "reps": 12})],
    )
    add_session(
        other_user, "2024-01-12", "single-leg-hip-thrust", "", [(1, {"side": "left", "reps": 8})]
    )
    exported = export_text(other_user)
    save(user_client, uploaded(user_client, exported))
    before, saved = counts(), log_of(user)

    pending = uploaded(user_client, exported)
    page = preview_page(user_client, pending)

    assert "0 sessions and 0 sets to add" in text_of(page)
    assert "3 sets (2 sessions) already in your log, left out" in text_of(page)
    assert "There is nothing to add: every session of this file is already in your log." in (
        text_of(page)
    )
    assert 'name="digest"' not in page.content.decode()  # no save button
    response = save(user_client, pending)
    assert response.status_code == 302
    assert counts() == before
    assert log_of(user) == saved
    assert not PendingImport.objects.exists()


STRONG_HEADER_ONLY = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE\n"
)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            STRONG_HEADER_ONLY,
            "There is nothing to add: this file has no rows under its header.",
        ),
        (
            STRONG_HEADER_ONLY
            + '"2025-11-03 18:00:00","Legs","40m","Squat (Barbell)","1",100,5,0,0,"","",\n'
            + '"2025-11-03 18:00:00","Legs","40m","Hip Thrust (Barbell)","1",140,8,0,0,"","",\n',
            "There is nothing to add: no row of this file is a set of the ladder's exercises "
            "(the rows left out and why are listed below).",
        ),
    ],
    ids=["header only", "other exercises"],
)
def test_a_file_with_nothing_to_add_says_why_not_that_it_is_already_logged(user_client, text, said):
    page = text_of(preview_page(user_client, uploaded(user_client, text)))
    assert said in page
    assert "already in your log" not in page
    assert "read as a Strong export" in page


def test_the_previews_counts_group_their_thousands(user_client, monkeypatch):
    monkeypatch.setattr(budget, "SYNC_LINES", 2000)  # previewed in the request, not by a job
    rows = "".join(
        f"{n},2024-02-01,single-leg-hip-thrust,,1,left,10,0,0,,,,,no,\n" for n in range(1, 1002)
    )
    page = text_of(preview_page(user_client, uploaded(user_client, HEADER + rows)))
    assert "1,001 sessions and 1,001 sets to add" in page


def test_the_preview_names_our_own_format_and_the_time_zone_of_its_expiry(user_client, settings):
    page = text_of(preview_page(user_client, uploaded(user_client, OURS)))
    assert "read as an export of this log." in page
    assert re.search(r"kept for an hour from the upload, until \d\d:\d\d UTC\.", page)


def test_part_of_a_logged_session_cut_from_the_export_is_already_in_the_log(user_client, user):
    add_session(
        user,
        "2024-01-12",
        "single-leg-hip-thrust",
        "",
        [(n, {"side": ("left", "right")[n % 2], "reps": 8 + n}) for n in range(1, 7)],
    )
    header, *rows = export_text(user).splitlines(keepends=True)
    before = counts()

    page = preview_page(user_client, uploaded(user_client, header + "".join(rows[:3])))

    assert "0 sessions and 0 sets to add" in text_of(page)
    assert "3 sets (1 session) already in your log, left out" in text_of(page)
    assert counts() == before


# --- a save refused: the preview is not what it would save --------------------------


def test_a_save_with_an_altered_digest_is_refused_and_saves_nothing(user_client, user):
    pending = uploaded(user_client, OURS)

    response = save(user_client, pending, "0" * 64)

    assert response.status_code == 302
    assert response["Location"] == reverse("imports:preview", args=[pending.pk])
    assert counts() == (0, 0, 0, 0)
    page = user_client.get(response["Location"])
    assert any("Nothing was saved" in m for m in shown_messages(page))
    assert PendingImport.objects.filter(pk=pending.pk).exists()  # to check and save again


def test_a_log_changed_since_the_preview_refuses_the_save(user_client, user):
    pending = uploaded(user_client, OURS)
    digest = preview_page(user_client, pending).context["preview"].digest
    # The bridge session, logged by hand in another tab after the preview.
    add_session(
        user,
        "2024-02-03",
        "floor-glute-bridge",
        "",
        [(1, {"side": "both", "reps": 15, "hold_seconds": 5})],
    )
    before = counts()

    response = save(user_client, pending, digest)

    assert response["Location"] == reverse("imports:preview", args=[pending.pk])
    assert counts() == before
    assert "1 session and 2 sets to add" in text_of(preview_page(user_client, pending))


def _logged_bridge(user) -> TrainingSession:
    """The file's bridge session, already in the log: the preview leaves it out."""
    return add_session(
        user,
        "2024-02-03",
        "floor-glute-bridge",
        "",
        [(1, {"side": "both", "reps": 15, "hold_seconds": 5})],
    )


def _saved_with_a_late_edit(user_client, monkeypatch, edit):
    """Save the preview, `edit` landing between the save's own check and its write."""
    pending = uploaded(user_client, OURS)
    digest = preview_page(user_client, pending).context["preview"].digest
    real_save = csv_save.save_preview

    def late_edit(who, preview, **kwargs):
        edit()
        return real_save(who, preview, **kwargs)

    monkeypatch.setattr(pending_imports, "save_preview", late_edit)
    return pending, save(user_client, pending, digest)


@pytest.mark.parametrize("edit", ["set", "session day"])
def test_an_edit_under_the_save_that_unmatches_a_logged_session_is_caught_by_the_write(
    user_client, user, monkeypatch, edit
):
    """The preview left the bridge session out as logged; an edit of its set (or its day)
    then lands before the write: saved as previewed, the file's session would be lost."""
    logged = _logged_bridge(user)

    def unmatch() -> None:
        if edit == "set":
            services.update_set(logged.sets.get(), {"reps": 14}, [])
        else:
            logged.date = datetime.date(2024, 2, 4)
            logged.save()

    pending, response = _saved_with_a_late_edit(user_client, monkeypatch, unmatch)

    assert response["Location"] == reverse("imports:preview", args=[pending.pk])
    assert ImportBatch.objects.count() == 0
    assert TrainingSession.objects.count() == 1  # the hand-logged one alone
    assert "2 sessions and 3 sets to add" in text_of(preview_page(user_client, pending))


def test_an_edit_under_the_save_that_leaves_the_duplicates_saves_as_previewed(
    user_client, user, monkeypatch
):
    logged = _logged_bridge(user)

    def note() -> None:
        services.update_set(logged.sets.get(), {"note": "felt good"}, [])

    _, response = _saved_with_a_late_edit(user_client, monkeypatch, note)

    assert response.status_code == 302
    assert ImportBatch.objects.get().session_count == 1


def test_a_save_given_a_mark_of_the_log_with_fewer_parts_checks_the_log_again(user):
    """A preview a save job kept from before the mark had its present parts (an upgrade in
    between) says nothing of them: the write looks at the log again, and saves."""
    preview = csv_io.preview_csv(user, OURS)
    older = dataclasses.replace(preview, log_mark=preview.log_mark[:4])

    saved = csv_save.save_preview(user, older)

    assert (saved.sessions, saved.sets) == (2, 3)


def test_the_save_checks_the_log_again_under_its_lock(user_client, user, monkeypatch):
    """A change that lands between the view's check and the write is caught by the write."""
    pending = uploaded(user_client, OURS)
    digest = preview_page(user_client, pending).context["preview"].digest
    real_save = csv_save.save_preview

    def late_change(who, preview, **kwargs):
        add_session(
            user,
            "2024-02-03",
            "floor-glute-bridge",
            "",
            [(1, {"side": "both", "reps": 15, "hold_seconds": 5, "pain": True})],
        )
        return real_save(who, preview, **kwargs)

    monkeypatch.setattr(pending_imports, "save_preview", late_change)
    response = save(user_client, pending, digest)

    assert response["Location"] == reverse("imports:preview", args=[pending.pk])
    assert ImportBatch.objects.count() == 0
    assert TrainingSession.objects.count() == 1  # the hand-logged one alone


def test_an_expired_upload_is_refused_with_a_clear_message(user_client, user):
    pending = uploaded(user_client, OURS)
    digest = preview_page(user_client, pending).context["preview"].digest
    PendingImport.objects.filter(pk=pending.pk).update(
        created_at=pending.created_at - PendingImport.KEEP_FOR
    )

    response = save(user_client, pending, digest)

    assert response["Location"] == reverse("imports:import")
    page = user_client.get(response["Location"])
    assert shown_messages(page) == [
        "That preview expired: an upload is kept for 60 minutes. Nothing was imported; "
        "upload the file again."
    ]
    assert counts() == (0, 0, 0, 0)
    assert not PendingImport.objects.exists()


def test_a_stored_upload_that_no_longer_matches_its_hash_is_refused(user_client, user):
    pending = uploaded(user_client, OURS)
    digest = preview_page(user_client, pending).context["preview"].digest
    PendingImport.objects.filter(pk=pending.pk).update(text=OURS.replace(",10,", ",12,"))

    response = save(user_client, pending, digest)

    page = user_client.get(response["Location"])
    assert shown_messages(page) == [
        "The stored upload was damaged. Nothing was imported; upload it again."
    ]
    assert counts() == (0, 0, 0, 0)


def test_cancel_discards_the_upload(user_client):
    pending = uploaded(user_client, OURS)

    response = user_client.post(reverse("imports:cancel", args=[pending.pk]))

    assert response.status_code == 302
    assert not PendingImport.objects.exists()
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("name", ["preview", "save", "cancel"])
def test_another_trainees_upload_is_not_found(client, user, other_user, name):
    client.force_login(user)
    pending = uploaded(client, OURS)
    client.force_login(other_user)

    url = reverse(f"imports:{name}", args=[pending.pk])
    response = client.get(url) if name == "preview" else client.post(url, {"digest": ""})

    assert response.status_code == 404
    assert PendingImport.objects.filter(pk=pending.pk).exists()
    assert counts() == (0, 0, 0, 0)


def test_a_file_a_spreadsheet_saved_in_another_encoding_is_refused_with_the_way_out(
    user_client, user
):
    text = STRONG.replace("Gym busy", "Gym busy – café")
    file = SimpleUploadedFile("strong.csv", text.encode("cp1252"), content_type="text/csv")
    response = user_client.post(reverse("imports:import"), {"file": file})
    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert 'save it from a spreadsheet as "CSV UTF-8". Nothing was imported.' in message
    assert not PendingImport.objects.exists()


# --- undo ------------------------------------------------------------------------------


def undo(client, batch: ImportBatch):
    return client.post(reverse("imports:undo", args=[batch.pk]))


def test_undo_removes_exactly_what_the_import_added(user_client, user, other_user):
    add_session(
        user, "2024-02-01", "floor-glute-bridge", "mine", [(1, {"side": "both", "reps": 7})]
    )
    add_session(
        other_user, "2024-02-01", "single-leg-hip-thrust", "", [(1, {"side": "left", "reps": 9})]
    )
    before, theirs = log_of(user), log_of(other_user)
    save(user_client, uploaded(user_client, OURS))
    assert len(log_of(user)) == 3
    batch = ImportBatch.objects.get()

    response = undo(user_client, batch)

    assert response.status_code == 302
    assert log_of(user) == before
    assert log_of(other_user) == theirs
    assert not ImportBatch.objects.exists()
    assert Set.form_errors.through.objects.count() == 0
    page = user_client.get(response["Location"])
    assert shown_messages(page)[-1] == "Import undone: removed 3 sets and 2 sessions."
    assert "1 session logged" in user_client.get(reverse("training:history")).content.decode()


def test_a_set_logged_by_hand_into_an_imported_session_survives_undo(user_client, user):
    save(user_client, uploaded(user_client, OURS))
    session = TrainingSession.objects.get(date=datetime.date(2024, 2, 1))
    by_hand = Set.objects.create(session=session, position=3, side="left", reps=12)

    response = undo(user_client, ImportBatch.objects.get())

    assert list(TrainingSession.objects.all()) == [session]
    assert list(Set.objects.all()) == [by_hand]
    page = user_client.get(response["Location"])
    assert shown_messages(page)[-1] == (
        "Import undone: removed 3 sets and 1 session. 1 session stayed, with what was added "
        "to it since (a set logged by hand, a coach's note or a video); importing the file "
        "again brings its other sets back, as a session of their own."
    )


def test_sets_an_undo_took_from_a_kept_session_come_back_when_imported_again(user_client, user):
    """Hevy's workouts are known by their start (TrainingSession.import_key): the kept
    session, which no longer holds that workout, must not make it look imported."""
    save(user_client, uploaded(user_client, HEVY, "hevy.csv"))
    session = TrainingSession.objects.get(date=datetime.date(2024, 3, 7))
    by_hand = Set.objects.create(session=session, position=9, side="left", reps=12)
    undo(user_client, ImportBatch.objects.get())
    assert list(Set.objects.filter(session__date=datetime.date(2024, 3, 7))) == [by_hand]

    save(user_client, uploaded(user_client, HEVY, "hevy.csv"))

    again = Set.objects.filter(session__date=datetime.date(2024, 3, 7)).exclude(pk=by_hand.pk)
    assert sorted(again.values_list("reps", flat=True)) == [11, 12, 12]
    assert Set.objects.filter(session__user=user).count() == 7  # the file's 6, and by hand


def test_the_newest_import_is_listed_first_so_its_undo_comes_first(user_client, user):
    save(user_client, uploaded(user_client, OURS, "older.csv"))
    save(user_client, uploaded(user_client, HEVY, "newer.csv"))
    # The older one's row made later than its id says (ids and times need not agree).
    ImportBatch.objects.filter(file_name="older.csv").update(
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    page = user_client.get(reverse("imports:import"))
    assert [batch.file_name for batch in page.context["imports"]] == ["newer.csv", "older.csv"]


def test_undo_keeps_an_imported_set_with_a_coachs_note_and_a_session_with_a_video(
    user_client, user, linked_coach, media_root
):
    save(user_client, uploaded(user_client, OURS))
    noted, _ = Set.objects.filter(session__date=datetime.date(2024, 2, 1)).order_by("position")
    filmed = TrainingSession.objects.get(date=datetime.date(2024, 2, 3))
    note = CoachNote.objects.create(
        coach=linked_coach, athlete=user, session=noted.session, set=noted, text="Hips level"
    )
    clip = SetVideo.objects.create(
        owner=user, session=filmed, side="both", original="videos/x/a.mp4", size=1
    )

    response = undo(user_client, ImportBatch.objects.get())

    # What the coach wrote and what the trainee filmed stay, with what they are about.
    assert list(Set.objects.all()) == [noted]
    assert Set.objects.get().import_batch is None
    assert list(CoachNote.objects.all()) == [note]
    assert list(SetVideo.objects.all()) == [clip]
    assert set(TrainingSession.objects.all()) == {noted.session, filmed}
    page = user_client.get(response["Location"])
    assert shown_messages(page)[-1] == (
        "Import undone: removed 2 sets and 0 sessions. 1 set stayed, with the coach's note or "
        "the video on it. 2 sessions stayed, with what was added to them since (a set logged "
        "by hand, a coach's note or a video); importing the file again brings their other sets "
        "back, as a session of their own."
    )


def test_another_trainees_import_cannot_be_undone(client, user, other_user):
    client.force_login(user)
    save(client, uploaded(client, OURS))
    batch = ImportBatch.objects.get()
    before = log_of(user)
    client.force_login(other_user)

    response = undo(client, batch)

    assert response.status_code == 404
    assert log_of(user) == before
    assert ImportBatch.objects.filter(pk=batch.pk).exists()


ALREADY_UNDONE = "This import was already undone (the form was sent twice, or from another tab"


def undo_form(client, batch: ImportBatch) -> dict:
    """The hidden fields of the batch's Undo form, as the import page draws it."""
    page = client.get(reverse("imports:import")).content.decode()
    action = reverse("imports:undo", args=[batch.pk])
    form = page.split(f'action="{action}"')[1].split("</form>")[0]
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_undoing_an_import_twice_says_it_was_already_undone(user_client, user):
    save(user_client, uploaded(user_client, OURS))
    batch = ImportBatch.objects.get()
    form = undo_form(user_client, batch)
    url = reverse("imports:undo", args=[batch.pk])
    assert user_client.post(url, form).status_code == 302
    add_session(user, "2024-02-05", "floor-glute-bridge", "", [(1, {"side": "both", "reps": 7})])
    before = log_of(user)

    again = user_client.post(url, form)  # Back, and sent again; or a double click

    assert again.status_code == 404
    page = text_of(again)
    assert ALREADY_UNDONE in page
    assert "Nothing more was removed." in page
    assert f'<a class="button" href="{reverse("imports:import")}">Go to your imports</a>' in (
        again.content.decode()
    )
    assert log_of(user) == before


def test_another_trainees_import_stays_a_plain_404_existing_or_undone(client, user, other_user):
    client.force_login(user)
    save(client, uploaded(client, OURS))
    batch = ImportBatch.objects.get()
    form = undo_form(client, batch)  # the owner's mark, copied
    before = log_of(user)
    client.force_login(other_user)
    url = reverse("imports:undo", args=[batch.pk])

    refused = client.post(url, form)
    assert refused.status_code == 404
    assert ALREADY_UNDONE not in text_of(refused)
    assert "Nothing you sent was saved" in text_of(refused)
    assert log_of(user) == before
    assert ImportBatch.objects.filter(pk=batch.pk).exists()

    client.force_login(user)
    assert client.post(url, form).status_code == 302
    client.force_login(other_user)
    undone = client.post(url, form)
    assert undone.status_code == 404
    assert ALREADY_UNDONE not in text_of(undone)


def test_an_undo_sent_again_without_its_mark_or_with_a_forged_one_is_a_plain_404(user_client, user):
    save(user_client, uploaded(user_client, OURS))
    batch = ImportBatch.objects.get()
    mark = undo_form(user_client, batch)["had"]
    url = reverse("imports:undo", args=[batch.pk])
    user_client.post(url, {"had": mark})
    for sent in ({}, {"had": ""}, {"had": mark[:-1] + ("A" if mark[-1] != "A" else "B")}):
        answer = user_client.post(url, sent)
        assert answer.status_code == 404
        assert ALREADY_UNDONE not in text_of(answer)


def test_undo_is_all_or_nothing(user_client, user, monkeypatch):
    save(user_client, uploaded(user_client, OURS))
    before = log_of(user)

    def broken(self, *args, **kwargs):
        raise RuntimeError("lost the connection")

    monkeypatch.setattr(ImportBatch, "delete", broken)
    with pytest.raises(RuntimeError):
        undo(user_client, ImportBatch.objects.get())

    assert log_of(user) == before


def test_only_the_last_five_imports_can_be_undone(
    user_client, user, django_capture_on_commit_callbacks
):
    for day in range(1, 7):
        text = HEADER + f"1,2024-03-0{day},single-leg-hip-thrust,,1,left,10,0,0,,,,,no,\n"
        # Each import commits, then lets go of the one now too old to undo.
        with django_capture_on_commit_callbacks(execute=True):
            save(user_client, uploaded(user_client, text, f"day-{day}.csv"))

    batches = ImportBatch.objects.filter(owner=user)
    assert [b.file_name for b in batches] == [f"day-{day}.csv" for day in range(6, 1, -1)]
    # The oldest import's session stays in the log, no longer tied to an import.
    oldest = TrainingSession.objects.get(date=datetime.date(2024, 3, 1))
    assert oldest.import_batch is None
    assert oldest.sets.get().import_batch is None
    page = text_of(user_client.get(reverse("imports:import")))
    assert page.count("Undo this import") == 5
    assert "Only your last 5 imports can be undone" in page


def test_the_import_page_says_how_much_of_an_import_is_left(user_client, user):
    save(user_client, uploaded(user_client, OURS, "mine.csv"))
    Set.objects.filter(reps=9).delete()

    page = text_of(user_client.get(reverse("imports:import")))

    assert "mine.csv" in page
    assert "Added 2 sessions and 3 sets; 2 of those sets are still in your log." in page


def test_a_saved_import_shows_on_the_import_page_with_its_message(user_client):
    response = save(user_client, uploaded(user_client, OURS))
    page = user_client.get(response["Location"])
    assert shown_messages(page) == [
        "Imported 2 sessions and 3 sets. You can undo this import below."
    ]


def test_a_session_edited_since_its_export_is_pointed_out_before_it_is_added_again(
    user_client, user
):
    # A backup re-imported after a set of 2 Feb was corrected in the log: its 2 Feb no longer
    # matched the logged one and came back as a second session, unmentioned.
    add_session(
        user,
        "2024-02-01",
        "single-leg-hip-thrust",
        "First",
        [(1, {"side": "left", "reps": 10}), (2, {"side": "right", "reps": 8})],
    )

    page = text_of(preview_page(user_client, uploaded(user_client, OURS)))

    assert (
        "Check this session before saving. Your log already has a session of the same "
        "variation on 1 Feb 2024 (rows 2–3), with other sets: saving adds a second session "
        "beside it." in page
    )
    assert "3 Feb 2024 (" not in page.split("Check this session")[1].split("If it is")[0]
