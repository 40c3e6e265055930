"""A CSV import's budget: refused past its size as it streams in, throttled per trainee, and a
large file checked and saved by background jobs whose page follows them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from imports import budget as import_budget
from imports import tasks
from imports.csv_io import reading
from imports.models import ImportStatus, PendingImport
from training.models import (
    ImportBatch,
    ProgressPoints,
    Set,
    StaleProgressWeek,
    TrainingSession,
)

from .test_csv_io import HEADER, add_session, log_of, row
from .test_import_preview import OURS, counts, shown_messages, text_of, upload

pytestmark = pytest.mark.django_db

# Six sessions of two sets: 13 lines with the header.
LARGE = HEADER + "".join(
    row(session=str(n), date=f"2024-04-{n:02d}", position=str(position), side=side)
    for n in range(1, 7)
    for position, side in ((1, "left"), (2, "right"))
)


@pytest.fixture
def in_background(monkeypatch):
    """Files over 4 lines count as large: they go to the jobs."""
    monkeypatch.setattr(import_budget, "SYNC_LINES", 4)


def uploaded(client, text: str) -> PendingImport:
    assert upload(client, text).status_code == 302
    return PendingImport.objects.get()


def file_error(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


def page_of(pending: PendingImport) -> str:
    return reverse("imports:preview", args=[pending.pk])


def queued() -> list[tuple[str, list]]:
    return [(job.task_path, job.args_kwargs["args"]) for job in DBTaskResult.objects.ready()]


# --- refused before a row is read ----------------------------------------------------


def test_a_file_over_the_line_limit_is_refused_as_it_arrives_before_any_row_is_read(
    user_client, monkeypatch
):
    def parsed(*args, **kwargs):
        raise AssertionError("a row was read")

    monkeypatch.setattr(reading, "records", parsed)
    lines = "x\n" * (import_budget.MAX_LINES + 1)

    message = file_error(upload(user_client, lines))

    assert message == (
        "The file has more than 20,000 lines, the most one import takes; split it into smaller "
        "files and import them one after another. Nothing was imported."
    )
    assert not PendingImport.objects.exists()


def test_a_file_at_the_line_limit_without_a_last_line_break_is_still_read(user_client, monkeypatch):
    monkeypatch.setattr(import_budget, "MAX_LINES", 4)
    assert upload(user_client, OURS.rstrip("\n")).status_code == 302
    assert PendingImport.objects.get().lines == 4


def test_a_file_over_the_byte_limit_is_refused_on_its_field(user_client):
    message = file_error(upload(user_client, "x" * (import_budget.MAX_BYTES + 1)))
    assert message.startswith("The file is larger than 5 MB, the most one import takes;")
    assert not PendingImport.objects.exists()


def test_the_form_states_the_limits(user_client):
    page = text_of(user_client.get(reverse("imports:import")))
    assert "up to 20,000 lines and 5 MB" in page


def test_the_counted_upload_still_needs_its_csrf_token(user, in_background):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get(reverse("imports:import"))
    token = browser.cookies["csrftoken"].value
    file = SimpleUploadedFile("log.csv", LARGE.encode(), content_type="text/csv")
    assert browser.post(reverse("imports:import"), {"file": file}).status_code == 403
    assert not PendingImport.objects.exists()
    file.seek(0)
    sent = browser.post(reverse("imports:import"), {"file": file, "csrfmiddlewaretoken": token})
    assert sent.status_code == 302
    assert PendingImport.objects.get().lines == 13


def test_an_expired_check_says_so_and_is_discarded(user_client, in_background):
    pending = uploaded(user_client, LARGE)
    PendingImport.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - PendingImport.KEEP_FOR
    )
    page = user_client.get(page_of(pending), follow=True)
    assert shown_messages(page)[0].startswith("That preview expired")
    assert not PendingImport.objects.exists()
    # Nor does it hold back the next upload.
    assert upload(user_client, OURS).status_code == 302


# --- throttled per trainee ----------------------------------------------------------


def test_a_trainee_past_the_hourly_import_limit_is_refused_with_a_message(
    user_client, client, other_user, settings
):
    settings.CSV_IMPORTS_PER_HOUR = 2
    for _ in range(2):
        assert upload(user_client, OURS).status_code == 302
    assert file_error(upload(user_client, OURS)) == (
        "You have uploaded 2 files in the last hour, the most we take; try again in 60 minutes."
    )
    # Another trainee is counted apart.
    client.force_login(other_user)
    assert upload(client, OURS).status_code == 302


def test_a_file_refused_at_upload_does_not_count_against_the_hourly_limit(user_client, settings):
    settings.CSV_IMPORTS_PER_HOUR = 2
    refused = [
        OURS.encode("utf-16"),
        OURS.replace("First", "Première").encode("latin-1"),
        OURS.replace("a note", "a\x00note").encode(),
        OURS.replace("2024-02-03", "2024-02-30").encode(),
    ]
    for content in refused * 3:
        file = SimpleUploadedFile("log.csv", content, content_type="text/csv")
        message = file_error(user_client.post(reverse("imports:import"), {"file": file}))
        assert message.endswith("Nothing was imported."), message
    # Files taken into a preview still count.
    for _ in range(2):
        assert upload(user_client, OURS).status_code == 302
    assert file_error(upload(user_client, OURS)).startswith(
        "You have uploaded 2 files in the last hour, the most we take;"
    )


def test_a_second_upload_while_one_is_being_checked_is_refused(user_client, in_background):
    assert upload(user_client, LARGE, "big.csv").status_code == 302
    message = file_error(upload(user_client, OURS))
    assert message == (
        "Your file “big.csv” is still being checked: one import at a time. Wait until it is "
        "done, or cancel it, before uploading another."
    )
    assert PendingImport.objects.get().file_name == "big.csv"
    page = text_of(user_client.get(reverse("imports:import")))
    assert "big.csv is being checked: see how far it got" in page


def _started(pending: PendingImport, ago: datetime.timedelta) -> None:
    """As if a worker claimed the job `ago`; a killed one never ends it."""
    PendingImport.objects.filter(pk=pending.pk).update(job_started_at=timezone.now() - ago)


def test_an_import_whose_worker_was_killed_frees_the_next_upload(user_client, in_background):
    pending = uploaded(user_client, LARGE)
    _started(pending, import_budget.STALE_AFTER + datetime.timedelta(seconds=1))
    assert upload(user_client, OURS).status_code == 302
    assert PendingImport.objects.get().pk != pending.pk


def test_an_import_whose_job_is_running_still_holds_back_the_next_upload(
    user_client, in_background
):
    pending = uploaded(user_client, LARGE)
    _started(pending, import_budget.STALE_AFTER - datetime.timedelta(seconds=30))
    assert "still being checked" in file_error(upload(user_client, OURS))
    assert PendingImport.objects.get().status == ImportStatus.CHECKING


@pytest.mark.parametrize("status", [ImportStatus.CHECKING, ImportStatus.SAVING])
def test_the_sweep_marks_an_import_its_killed_worker_left_failed_and_says_why(
    user_client, in_background, status
):
    pending = uploaded(user_client, LARGE)
    PendingImport.objects.filter(pk=pending.pk).update(status=status)
    _started(pending, import_budget.STALE_AFTER + datetime.timedelta(minutes=1))
    call_command("requeue_videos", stdout=io.StringIO())
    pending.refresh_from_db()
    assert (pending.status, pending.job_message) == (ImportStatus.FAILED, import_budget.STOPPED)
    assert shown_messages(user_client.get(page_of(pending), follow=True)) == [import_budget.STOPPED]
    assert counts() == (0, 0, 0, 0)


def test_the_sweep_leaves_a_job_within_its_time_and_one_still_queued(user_client, in_background):
    running = uploaded(user_client, LARGE)
    _started(running, datetime.timedelta(seconds=10))
    call_command("requeue_videos", stdout=io.StringIO())
    assert PendingImport.objects.get().status == ImportStatus.CHECKING
    PendingImport.objects.update(job_started_at=None)  # queued, not yet claimed
    call_command("requeue_videos", stdout=io.StringIO())
    assert PendingImport.objects.get().status == ImportStatus.CHECKING


def test_a_job_marks_its_import_started_when_it_claims_it(user_client, in_background):
    pending = uploaded(user_client, LARGE)
    assert pending.job_started_at is None
    tasks.check_import.call(pending.pk)
    pending.refresh_from_db()
    assert pending.status == ImportStatus.READY
    assert timezone.now() - pending.job_started_at < datetime.timedelta(minutes=1)


def test_a_large_file_with_a_control_character_is_refused_before_it_is_kept(
    user_client, in_background
):
    lines = LARGE.splitlines(keepends=True)
    lines[4] = lines[4].replace("2024", "2024\x00", 1)
    message = file_error(upload(user_client, "".join(lines)))
    assert message.startswith("Line 5: this line holds a control character (U+0000)")
    assert not PendingImport.objects.exists()


def test_a_tiny_file_part_after_the_csv_does_not_make_a_large_file_small(
    user_client, in_background
):
    extra = SimpleUploadedFile("x.txt", b"x", content_type="text/plain")
    big = SimpleUploadedFile("log.csv", LARGE.encode(), content_type="text/csv")
    response = user_client.post(reverse("imports:import"), {"file": big, "extra": extra})
    assert response.status_code == 302
    assert PendingImport.objects.get().status == ImportStatus.CHECKING  # left to the job


def test_a_save_queued_long_after_its_check_is_not_taken_for_a_killed_job(
    user_client, in_background
):
    pending = uploaded(user_client, LARGE)
    tasks.check_import.call(pending.pk)
    _started(pending, import_budget.STALE_AFTER * 2)  # the trainee read the preview a while
    digest = user_client.get(page_of(pending)).context["shown"].digest
    user_client.post(reverse("imports:save", args=[pending.pk]), {"digest": digest})
    call_command("requeue_videos", stdout=io.StringIO())
    assert PendingImport.objects.get().status == ImportStatus.SAVING
    assert tasks.save_import.call(pending.pk, digest) == "saved"


def test_a_boosted_visit_to_a_checked_preview_gets_the_page_not_a_client_redirect(
    user_client, in_background
):
    pending = uploaded(user_client, LARGE)
    tasks.check_import.call(pending.pk)
    response = user_client.get(page_of(pending), HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert response.status_code == 200
    assert "HX-Redirect" not in response
    assert "6 sessions and 12 sets to add" in text_of(response)


# --- a large file goes to the jobs ---------------------------------------------------


def test_a_small_file_is_still_checked_in_the_request(user_client):
    pending = uploaded(user_client, OURS)
    assert pending.status == ImportStatus.READY
    assert not DBTaskResult.objects.exists()


def test_a_large_file_is_checked_by_a_job_while_its_page_shows_the_progress(
    user_client, in_background
):
    response = upload(user_client, LARGE)
    pending = PendingImport.objects.get()
    assert response["Location"] == page_of(pending)
    assert (pending.status, pending.lines) == (ImportStatus.CHECKING, 13)
    assert queued() == [("imports.tasks.check_import", [pending.pk])]

    page = user_client.get(page_of(pending))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Waiting for its turn." in text_of(page)
    # It asks again by itself, and the same address is a link for a browser without htmx.
    assert f'hx-get="{page_of(pending)}" hx-trigger="every 2s"' in html
    assert f'href="{page_of(pending)}">Refresh</a>' in html
    poll = user_client.get(
        page_of(pending), headers={"HX-Request": "true", "HX-Target": "import-progress"}
    )
    assert poll.content.decode().lstrip().startswith('<section id="import-progress"')

    PendingImport.objects.filter(pk=pending.pk).update(rows_read=6)  # as the job reports
    assert "Read 6 of 13 lines." in text_of(user_client.get(page_of(pending)))

    assert tasks.check_import.call(pending.pk) == "checked"
    pending.refresh_from_db()
    assert (pending.status, pending.rows_read) == (ImportStatus.READY, 13)
    done = user_client.get(
        page_of(pending), headers={"HX-Request": "true", "HX-Target": "import-progress"}
    )
    assert done["HX-Redirect"] == page_of(pending)


def test_the_jobs_preview_is_the_one_the_request_would_show_and_its_save_is_one_write(
    user_client, user, in_background, monkeypatch
):
    add_session(user, "2023-04-01", "single-leg-hip-thrust", "", [(1, {"side": "left", "reps": 5})])
    pending = uploaded(user_client, LARGE)
    tasks.check_import.call(pending.pk)
    kept = user_client.get(page_of(pending))
    assert "6 sessions and 12 sets to add" in text_of(kept)
    digest = kept.context["shown"].digest

    # The same file checked in the request shows the same page.
    monkeypatch.setattr(import_budget, "SYNC_LINES", 1000)
    PendingImport.objects.all().delete()
    upload(user_client, LARGE)
    live = user_client.get(page_of(PendingImport.objects.get()))
    assert text_of(live) == text_of(kept)
    PendingImport.objects.all().delete()
    monkeypatch.setattr(import_budget, "SYNC_LINES", 4)
    pending = uploaded(user_client, LARGE)
    tasks.check_import.call(pending.pk)

    before = counts()
    saving = user_client.post(reverse("imports:save", args=[pending.pk]), {"digest": digest})
    assert saving["Location"] == page_of(pending)
    assert counts() == before  # nothing written until the job runs
    assert "Saving" in text_of(user_client.get(page_of(pending)))
    # Being saved, it cannot be cancelled.
    refused = user_client.post(reverse("imports:cancel", args=[pending.pk]), follow=True)
    assert shown_messages(refused) == [
        "The import is being saved and can no longer be cancelled; undo it once saved."
    ]
    assert PendingImport.objects.filter(pk=pending.pk).exists()

    assert tasks.save_import.call(pending.pk, digest) == "saved"
    batch = ImportBatch.objects.get()
    assert (batch.session_count, batch.set_count) == (6, 12)
    finished = user_client.get(page_of(pending), follow=True)
    assert shown_messages(finished) == [
        "Imported 6 sessions and 12 sets. You can undo this import below."
    ]
    assert not PendingImport.objects.exists()

    user_client.post(reverse("imports:undo", args=[batch.pk]))
    assert TrainingSession.objects.count() == 1
    assert Set.objects.count() == 1


def test_the_save_job_makes_the_progress_points_of_the_weeks_it_wrote(
    user_client, user, in_background
):
    """The trainee's first look at their progress after an import finds the points made:
    the job makes them, not that page's request."""
    pending = uploaded(user_client, LARGE)
    tasks.check_import.call(pending.pk)
    digest = user_client.get(page_of(pending)).context["shown"].digest
    user_client.post(reverse("imports:save", args=[pending.pk]), {"digest": digest})
    assert tasks.save_import.call(pending.pk, digest) == "saved"
    assert not StaleProgressWeek.objects.filter(user=user).exists()
    week = ProgressPoints.objects.get(
        user=user, period=ProgressPoints.WEEK, side=ProgressPoints.ANY_SIDE
    )
    assert (week.start, week.sessions) == (datetime.date(2024, 4, 1), 6)


def test_a_bad_row_in_a_large_file_is_reported_by_its_job_and_nothing_is_kept(
    user_client, in_background
):
    last = row(session="6", date="2024-04-06", position="2", side="right")
    bad = LARGE.replace(
        last, row(session="6", date="2024-04-06", position="2", side="right", reps="101")
    )
    pending = uploaded(user_client, bad)
    assert tasks.check_import.call(pending.pk) == "refused"
    finished = user_client.get(page_of(pending), follow=True)
    assert finished.redirect_chain[-1][0] == reverse("imports:import")
    (message,) = shown_messages(finished)
    assert message.startswith("Line 13: reps: Reps must be at most 100.")
    assert message.endswith("Nothing was imported.")
    assert not PendingImport.objects.exists()
    assert counts() == (0, 0, 0, 0)


def test_a_check_past_its_budget_stops_and_says_so(user_client, in_background, monkeypatch):
    monkeypatch.setattr(reading, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(import_budget, "JOB_SECONDS", -1)  # spent before it starts
    pending = uploaded(user_client, LARGE)
    assert tasks.check_import.call(pending.pk) == "over budget"
    (message,) = shown_messages(user_client.get(page_of(pending), follow=True))
    assert message.startswith("Checking this file took longer than the")
    assert counts() == (0, 0, 0, 0)


def test_a_save_past_its_budget_writes_nothing(user_client, in_background, monkeypatch):
    pending = uploaded(user_client, LARGE)
    tasks.check_import.call(pending.pk)
    digest = user_client.get(page_of(pending)).context["shown"].digest
    user_client.post(reverse("imports:save", args=[pending.pk]), {"digest": digest})
    monkeypatch.setattr(import_budget, "JOB_SECONDS", -1)
    assert tasks.save_import.call(pending.pk, digest) == "over budget"
    assert counts() == (0, 0, 0, 0)
    pending.refresh_from_db()
    assert pending.status == ImportStatus.FAILED


def test_a_cancelled_check_stops_its_job(user_client, in_background, monkeypatch):
    pending = uploaded(user_client, LARGE)
    monkeypatch.setattr(reading, "PROGRESS_EVERY", 2)

    def cancel_midway(*args, **kwargs):
        PendingImport.objects.filter(pk=pending.pk).delete()
        return original(*args, **kwargs)

    original = reading.rows
    monkeypatch.setattr(reading, "rows", cancel_midway)
    assert tasks.check_import.call(pending.pk) == "cancelled"
    assert not PendingImport.objects.exists()


def test_a_log_changed_before_the_save_job_gets_a_new_preview_and_saves_nothing(
    user_client, user, in_background
):
    pending = uploaded(user_client, LARGE)
    tasks.check_import.call(pending.pk)
    digest = user_client.get(page_of(pending)).context["shown"].digest
    user_client.post(reverse("imports:save", args=[pending.pk]), {"digest": digest})
    # One of the file's sessions gets logged meanwhile.
    add_session(
        user,
        "2024-04-01",
        "single-leg-hip-thrust",
        "",
        [(1, {"side": "left", "reps": 12}), (2, {"side": "right", "reps": 12})],
    )
    logged = log_of(user)
    assert tasks.save_import.call(pending.pk, digest) == "outdated"
    assert log_of(user) == logged
    assert queued()[-1] == ("imports.tasks.check_import", [pending.pk])
    assert tasks.check_import.call(pending.pk) == "checked"
    page = user_client.get(page_of(pending))
    assert shown_messages(page)[0].startswith("Nothing was saved: what this import would add")
    assert "5 sessions and 10 sets to add" in text_of(page)
