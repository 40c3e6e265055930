"""CSV export and import: upload, preview, save, cancel, undo."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from core import throttle
from core.not_found import GoneSaying
from core.text import counted
from imports import csv_io
from imports.csv_io import pending as pending_imports
from imports.csv_io.reading import refuse_control_characters
from imports.csv_io.upload import CountingUploadHandler
from imports.forms import ImportForm
from imports.models import ImportStatus, PendingImport
from training.lookups import had, had_mark
from training.models import ImportBatch, Profile


@login_required
@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    buffer = io.StringIO()
    csv_io.export_csv(request.user, buffer, unit=Profile.objects.unit_of(request.user))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="hipthrust-log-{stamp}.csv"'
    return response


def _get_pending_import_for_user(request: HttpRequest, pk: int) -> PendingImport:
    pending = PendingImport.objects.filter(pk=pk, owner=request.user).first()
    if pending is None:
        # Most often a preview left open in another tab: say what became of it.
        raise GoneSaying(
            "This preview is no longer kept: it was saved or cancelled (in another tab, "
            "perhaps), a newer upload replaced it, or its hour is up. Your import page shows "
            "what was saved.",
            reverse("imports:import"),
            "Go to your imports",
        )
    return pending


def _get_import_for_user(request: HttpRequest, pk: int) -> ImportBatch:
    batch = ImportBatch.objects.filter(pk=pk, owner=request.user).first()
    if batch is not None:
        return batch
    if had(request, "import", pk) is None:  # never theirs, or no mark from their page
        raise Http404("No import matches the given query.")
    # Most often its undo sent twice (a double click, Back and send again, another tab).
    raise GoneSaying(
        "This import was already undone (the form was sent twice, or from another tab or "
        "device), or newer imports have put it past the last ones that can be undone. "
        "Nothing more was removed.",
        reverse("imports:import"),
        "Go to your imports",
    )


def _undoable(request: HttpRequest) -> list[ImportBatch]:
    """The trainee's imports that can still be undone, newest first, each with how many of
    its sets are left and the mark its undo is sent with (lookups.had_mark)."""
    # Ordered here: a query that counts (GROUP BY) ignores the model's ordering, and the
    # first Undo must be the newest import's.
    batches = list(
        ImportBatch.objects.filter(owner=request.user)
        .annotate(sets_left=Count("sets"))
        .order_by("-created_at", "-pk")[: ImportBatch.KEEP]
    )
    for batch in batches:
        batch.had = had_mark("import", request.user.pk, batch.pk)
    return batches


@csrf_exempt  # checked below, once the counting handler is in place to read the body
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    """Upload a file: counted as it arrives and refused past the budget before a row is read
    (imports/budget.py); then checked whole, here or by a job, and kept for its
    preview. Nothing is imported yet."""
    counter = CountingUploadHandler(request)
    request.upload_handlers.insert(0, counter)
    return _import_upload(request, counter)


@csrf_protect
def _import_upload(request: HttpRequest, counter: CountingUploadHandler) -> HttpResponse:
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, refusal=counter.refusal)
    limit = settings.CSV_IMPORTS_PER_HOUR
    if request.method == "POST" and form.is_valid():
        if running := pending_imports.busy(request.user):
            form.add_error("file", pending_imports.busy_message(running))
        elif not throttle.allow("csv-import", str(request.user.pk), limit=limit, window=60 * 60):
            minutes = throttle.free_in("csv-import", str(request.user.pk), limit=limit)
            when = f"in {counted(minutes, 'minute')}" if minutes else "later"
            form.add_error(
                "file",
                f"You have uploaded {counted(limit, 'file')} in the last hour, the most we "
                f"take; try again {when}.",
            )
        else:
            upload = form.cleaned_data["file"]
            unit = Profile.objects.unit_of(request.user)
            try:
                text = upload.read().decode("utf-8-sig")
                refuse_control_characters(text)  # a job's file is kept before it is read
                if not pending_imports.runs_in_background(counter.line_count):
                    csv_io.preview_csv(request.user, text, unit=unit)
            except UnicodeDecodeError:
                refusal = (
                    "The file is not UTF-8 text, which the apps' CSV exports are: import the "
                    'file as the app exported it, or save it from a spreadsheet as "CSV UTF-8". '
                    "Nothing was imported."
                )
            except csv_io.CsvImportError as error:
                refusal = f"{error} Nothing was imported."
            else:
                pending = pending_imports.hold(
                    request.user,
                    file_name=upload.name,
                    text=text,
                    unit=unit,
                    lines=counter.line_count,
                )
                return redirect("imports:preview", pk=pending.pk)
            # A refused file is no upload: fixing one by trial and error locks no one out of
            # the hour's. Its slot was held while it was read, so a flood is still counted.
            throttle.give_back("csv-import", str(request.user.pk), limit=limit)
            form.add_error("file", refusal)
    return render(
        request,
        "imports/import.html",
        {
            "form": form,
            "running": pending_imports.busy(request.user),
            "imports": _undoable(request),
            "keep": ImportBatch.KEEP,
            "title": "Import a CSV",
            "description": "Import your log from a CSV.",
        },
    )


@login_required
@require_safe
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview; while a job checks or saves the file, its progress, which asks again
    every few seconds (htmx) and gives way to the preview, or the import page, when done."""
    pending = _get_pending_import_for_user(request, pk)
    if pending.is_expired:
        pending.delete()
        messages.error(request, pending_imports.expired_message())
        return redirect("imports:import")
    if pending.in_progress:
        template = "imports/import_progress.html"
        if request.htmx and request.htmx.target == "import-progress":
            template += "#import-progress"
        return render(
            request,
            template,
            {"pending": pending, "title": "Import in progress", "description": "Import a CSV."},
        )
    if request.htmx and not request.htmx.boosted:
        return HttpResponseClientRedirect(request.path)  # the job ended: a whole new page
    if pending.status in (ImportStatus.FAILED, ImportStatus.SAVED):
        if pending.status == ImportStatus.FAILED:
            messages.error(request, pending.job_message)
        elif pending.sessions_to_add:
            messages.success(request, pending.job_message)
        else:
            messages.info(request, pending.job_message)
        pending.delete()
        return redirect("imports:import")
    try:
        if pending.summary_html:
            shown = pending_imports.kept(pending)
        else:
            shown = pending_imports.shown(pending_imports.preview_of(pending), unit=pending.unit)
    except csv_io.PendingGone as gone:
        messages.error(request, gone.message)
        return redirect("imports:import")
    if pending.job_message:  # the save job found the log changed: this is the new preview
        messages.error(request, pending.job_message)
        PendingImport.objects.filter(pk=pending.pk).update(job_message="")
    return render(
        request,
        "imports/import_preview.html",
        {
            "pending": pending,
            "shown": shown,
            "title": "Check the import",
            "description": "What the import would add to your log, before anything is saved.",
        },
    )


@login_required
@require_POST
def import_save(request: HttpRequest, pk: int) -> HttpResponse:
    pending = _get_pending_import_for_user(request, pk)
    digest = request.POST.get("digest", "")
    if pending_imports.runs_in_background(pending.lines):
        pending_imports.start_save(pending, digest)
        return redirect("imports:preview", pk=pending.pk)
    try:
        saved = pending_imports.save(pending, digest)
    except csv_io.PendingGone as gone:
        messages.error(request, gone.message)
        return redirect("imports:import")
    except csv_io.PreviewOutdated:
        messages.error(request, pending_imports.OUTDATED)
        return redirect("imports:preview", pk=pending.pk)
    notify = messages.info if saved.batch is None else messages.success
    notify(request, pending_imports.saved_message(saved))
    return redirect("imports:import")


@login_required
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    pending = _get_pending_import_for_user(request, pk)
    if pending.status == ImportStatus.SAVING and not pending.is_expired:
        messages.error(
            request, "The import is being saved and can no longer be cancelled; undo it once saved."
        )
        return redirect("imports:preview", pk=pending.pk)
    pending.delete()  # a job checking it stops at its next progress report
    messages.info(request, "Import cancelled. Nothing was saved.")
    return redirect("imports:import")


@login_required
@require_POST
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_import_for_user(request, pk)
    undone = csv_io.undo_import(batch)
    summary = (
        f"Import undone: removed {counted(undone.sets, 'set')} and "
        f"{counted(undone.sessions, 'session')}."
    )
    if undone.kept_sets:
        summary += (
            f" {counted(undone.kept_sets, 'set')} stayed, with the coach's note or the video on "
            f"{pluralize(undone.kept_sets, 'it,them')}."
        )
    if undone.kept_sessions:
        summary += (
            f" {counted(undone.kept_sessions, 'session')} stayed, with what was added to "
            f"{pluralize(undone.kept_sessions, 'it,them')} since (a set logged by hand, a "
            f"coach's note or a video); importing the file again brings "
            f"{pluralize(undone.kept_sessions, 'its,their')} other sets back, as a session of "
            "their own."
        )
    messages.success(request, summary)
    return redirect("imports:import")
