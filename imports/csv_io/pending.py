"""An uploaded file kept on the server between its preview and the trainee's "save".

The browser sends back only the preview's digest: the file is the one stored, read again and
checked again on "save", and saved only if it still gives exactly the sessions previewed.

A file of up to SYNC_LINES lines (imports/budget.py) is checked and saved in the
request. A larger one is checked by one background job (`run_check`), which keeps the preview
it rendered on the row, and saved by another (`run_save`), which checks it again and writes
it in the same one transaction; the row says how far each has read, and the page polls it. A
job stops, saving nothing, when its row is gone (cancelled, or replaced by a new upload) or
past its budget.
"""

from __future__ import annotations

import datetime
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from core.text import counted, stored_file_name
from imports import budget as import_budget
from imports.csv_io.errors import CsvImportError
from imports.csv_io.preview import Preview, preview_csv, text_hash
from imports.csv_io.save import PreviewOutdated, Saved, save_preview
from imports.models import ImportStatus, PendingImport
from training import summaries

OUTDATED = (
    "Nothing was saved: what this import would add is not what the preview showed "
    "(your log changed since, or the form was altered). Check the preview again."
)


class PendingGone(Exception):
    """The pending import cannot be saved any more; it has been discarded."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class Cancelled(Exception):
    """The job's row is gone or no longer waits for it: it stops and writes nothing."""


def runs_in_background(lines: int) -> bool:
    return lines > import_budget.SYNC_LINES


def busy(user) -> PendingImport | None:
    """The user's import a job is checking or saving now, if any: one at a time. One whose
    worker was killed is marked failed first, and holds back nothing."""
    fail_stale(PendingImport.objects.filter(owner=user))
    fresh = timezone.now() - PendingImport.KEEP_FOR
    return (
        PendingImport.objects.filter(
            owner=user, status__in=PendingImport.IN_PROGRESS, created_at__gt=fresh
        )
        .only("pk", "file_name", "status")
        .first()
    )


def busy_message(running: PendingImport) -> str:
    doing = "saved" if running.status == ImportStatus.SAVING else "checked"
    return (
        f"Your file “{running.file_name or 'CSV'}” is still being {doing}: one import at a "
        "time. Wait until it is done, or cancel it, before uploading another."
    )


def hold(user, *, file_name: str, text: str, unit: str, lines: int = 0) -> PendingImport:
    """Keep an upload until it is saved or cancelled, replacing the user's earlier one (one
    upload at a time, so a forgotten preview holds no more than one file). A large one is
    handed to the check job, which the row is committed with; a small one was checked already."""
    from imports.tasks import check_import

    with transaction.atomic():
        PendingImport.objects.filter(
            created_at__lte=timezone.now() - PendingImport.KEEP_FOR
        ).delete()
        PendingImport.objects.filter(owner=user).delete()
        background = runs_in_background(lines)
        pending = PendingImport.objects.create(
            owner=user,
            file_name=stored_file_name(file_name),
            file_hash=text_hash(text),
            unit=unit,
            text=text,
            lines=lines,
            status=ImportStatus.CHECKING if background else ImportStatus.READY,
        )
        if background:
            check_import.enqueue(pending.pk)
    return pending


def expired_message() -> str:
    minutes = int(PendingImport.KEEP_FOR.total_seconds() // 60)
    return (
        f"That preview expired: an upload is kept for {minutes} minutes. "
        "Nothing was imported; upload the file again."
    )


def _checked(pending: PendingImport, progress=None) -> Preview:
    """The preview of a pending import against the log as it is now; PendingGone if it
    expired or no longer reads (the rules changed since the upload, e.g. a new day)."""
    if pending.is_expired:
        raise PendingGone(expired_message())
    if text_hash(pending.text) != pending.file_hash:
        raise PendingGone("The stored upload was damaged. Nothing was imported; upload it again.")
    try:
        return preview_csv(pending.owner, pending.text, unit=pending.unit, progress=progress)
    except CsvImportError as error:
        raise PendingGone(f"{error} Nothing was imported.") from None


def preview_of(pending: PendingImport) -> Preview:
    """`_checked`, discarding the pending import when it cannot be saved any more."""
    try:
        return _checked(pending)
    except PendingGone:
        pending.delete()
        raise


def save(pending: PendingImport, digest: str) -> Saved:
    """Save the pending import if it still adds exactly what the preview with `digest` showed;
    PreviewOutdated (the pending import kept) if it does not, PendingGone if it is gone."""
    preview = preview_of(pending)
    if not hmac.compare_digest(preview.digest.encode(), digest.encode()):
        raise PreviewOutdated
    saved = save_preview(pending.owner, preview, file_name=pending.file_name)
    pending.delete()
    return saved


def saved_message(saved: Saved) -> str:
    if saved.batch is None:
        return "Nothing was imported: every session in the file is already in your log."
    return (
        f"Imported {counted(saved.sessions, 'session')} and {counted(saved.sets, 'set')}. "
        "You can undo this import below."
    )


# What the preview page shows: rendered from a preview now, or kept from the job's.


@dataclass(frozen=True)
class Shown:
    source: str
    sessions_to_add: int
    digest: str
    summary: SafeString
    details: SafeString


def shown(preview: Preview, *, unit: str) -> Shown:
    """The preview's pieces for a trainee reading loads in `unit`."""
    context = {"preview": preview, "unit": unit}
    return Shown(
        source=preview.source,
        sessions_to_add=len(preview.new),
        digest=preview.digest,
        summary=render_to_string("imports/_import_summary.html", context),
        details=render_to_string("imports/_import_details.html", context),
    )


def kept(pending: PendingImport) -> Shown:
    """The preview the check job rendered: our templates' output, autoescaped as it was
    rendered, and only ever written by `run_check`."""
    return Shown(
        source=pending.source,
        sessions_to_add=pending.sessions_to_add,
        digest=pending.digest,
        summary=mark_safe(pending.summary_html),
        details=mark_safe(pending.details_html),
    )


def start_save(pending: PendingImport, digest: str) -> bool:
    """Hand a checked large import to the save job; False if it is not waiting to be saved."""
    from imports.tasks import save_import

    with transaction.atomic():
        claimed = PendingImport.objects.filter(pk=pending.pk, status=ImportStatus.READY).update(
            status=ImportStatus.SAVING, rows_read=0, job_message="", job_started_at=None
        )
        if claimed:
            save_import.enqueue(pending.pk, digest)
    return bool(claimed)


# The jobs' bodies (videos/tasks.py).


class _Watch:
    """A job's progress report, every PROGRESS_EVERY rows: how far it got, and whether to go
    on (its row still waits for it, its budget is not spent)."""

    def __init__(self, pending_id: int, status: str) -> None:
        self.pending_id, self.status = pending_id, status
        self.stop_at = time.monotonic() + import_budget.JOB_SECONDS

    def __call__(self, rows: int) -> None:
        self.check_time()
        waiting = PendingImport.objects.filter(pk=self.pending_id, status=self.status)
        if not waiting.update(rows_read=rows):
            raise Cancelled

    def check_time(self) -> None:
        if time.monotonic() > self.stop_at:
            raise import_budget.OverBudget


def _fail(pending_id: int, status: str, message: str) -> None:
    PendingImport.objects.filter(pk=pending_id, status=status).update(
        status=ImportStatus.FAILED, job_message=message
    )


def _claim(pending_id: int, status: str) -> PendingImport:
    """The row, marked as started now (fail_stale reads it); Cancelled if it waits no more."""
    if not PendingImport.objects.filter(pk=pending_id, status=status).update(
        job_started_at=timezone.now()
    ):
        raise Cancelled
    return PendingImport.objects.get(pk=pending_id)


def _run(pending_id: int, status: str, body: Callable[[], str]) -> str:
    """A job's body, and what stops it told on its row; whatever stops it saved nothing."""
    try:
        return body()
    except Cancelled:
        return "cancelled"
    except PendingGone as gone:
        _fail(pending_id, status, gone.message)
        return "refused"
    except import_budget.OverBudget:
        _fail(pending_id, status, import_budget.OverBudget.message)
        return "over budget"


def run_check(pending_id: int) -> str:
    """Check a large upload and keep its rendered preview on the row."""
    status = ImportStatus.CHECKING

    def check() -> str:
        pending = _claim(pending_id, status)
        page = shown(_checked(pending, progress=_Watch(pending_id, status)), unit=pending.unit)
        PendingImport.objects.filter(pk=pending_id, status=status).update(
            status=ImportStatus.READY,
            rows_read=pending.lines,
            source=page.source,
            digest=page.digest,
            sessions_to_add=page.sessions_to_add,
            summary_html=str(page.summary),
            details_html=str(page.details),
        )
        return "checked"

    return _run(pending_id, status, check)


def run_save(pending_id: int, digest: str) -> str:
    """Check a large import again and save it, in the one transaction save.py writes in; if
    it would add other than the preview showed, check it again for a new preview."""
    from imports.tasks import check_import

    status = ImportStatus.SAVING

    def outdated() -> str:
        # Back to a check, for a new preview; nothing was saved.
        if PendingImport.objects.filter(pk=pending_id, status=status).update(
            status=ImportStatus.CHECKING, rows_read=0, job_message=OUTDATED, job_started_at=None
        ):
            check_import.enqueue(pending_id)
        return "outdated"

    def save() -> str:
        watch = _Watch(pending_id, status)
        pending = _claim(pending_id, status)
        preview = _checked(pending, progress=watch)
        if not hmac.compare_digest(preview.digest.encode(), digest.encode()):
            return outdated()
        watch.check_time()  # the last moment to stop: the write is short and all or nothing
        try:
            # The rows and the word that they are saved commit together: a worker killed
            # between the two can never leave "being saved" over a saved import.
            with transaction.atomic():
                saved = save_preview(pending.owner, preview, file_name=pending.file_name)
                PendingImport.objects.filter(pk=pending_id).update(
                    status=ImportStatus.SAVED, job_message=saved_message(saved)
                )
        except PreviewOutdated:
            return outdated()
        # The progress points of the weeks it wrote, made here (0.15 to 0.25 s for 20,000 sets
        # over nine years) rather than by the trainee's next visit to the progress page.
        # Should this fail, the weeks stay marked and that visit makes them.
        summaries.make_points_current(pending.owner_id)
        return "saved"

    return _run(pending_id, status, save)


def fail_stale(imports=None, now: datetime.datetime | None = None) -> int:
    """Imports whose job started longer ago than any job may run (import_budget.STALE_AFTER)
    and never ended: its worker was killed. Each is marked failed, nothing of it having been
    saved (a save commits with its SAVED mark), so it no longer holds back the next upload."""
    cutoff = (now or timezone.now()) - import_budget.STALE_AFTER
    stale = (PendingImport.objects if imports is None else imports).filter(
        status__in=PendingImport.IN_PROGRESS, job_started_at__lt=cutoff
    )
    return stale.update(status=ImportStatus.FAILED, job_message=import_budget.STOPPED)
