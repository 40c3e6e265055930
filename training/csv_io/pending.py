"""An uploaded file kept on the server between its preview and the trainee's "save".

The browser sends back only the preview's digest: the file is the one stored, read again and
checked again on "save", and saved only if it still gives exactly the sessions previewed.
"""

from __future__ import annotations

import hmac

from django.utils import timezone

from core.text import stored_file_name
from training.csv_io.errors import CsvImportError
from training.csv_io.preview import Preview, preview_csv, text_hash
from training.csv_io.save import PreviewOutdated, Saved, save_preview
from training.models import PendingImport


class PendingGone(Exception):
    """The pending import cannot be saved any more; it has been discarded."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def hold(user, *, file_name: str, text: str, unit: str) -> PendingImport:
    """Keep a checked upload until it is saved or cancelled, replacing the user's earlier one
    (one upload at a time, so a forgotten preview holds no more than one file)."""
    PendingImport.objects.filter(created_at__lte=timezone.now() - PendingImport.KEEP_FOR).delete()
    PendingImport.objects.filter(owner=user).delete()
    return PendingImport.objects.create(
        owner=user,
        file_name=stored_file_name(file_name),
        file_hash=text_hash(text),
        unit=unit,
        text=text,
    )


def preview_of(pending: PendingImport) -> Preview:
    """The preview of a pending import, against the log as it is now; PendingGone if it
    expired or no longer reads (the rules changed since the upload, e.g. a new day)."""
    if pending.is_expired:
        pending.delete()
        minutes = int(PendingImport.KEEP_FOR.total_seconds() // 60)
        raise PendingGone(
            f"That preview expired: an upload is kept for {minutes} minutes. "
            "Nothing was imported; upload the file again."
        )
    if text_hash(pending.text) != pending.file_hash:
        pending.delete()
        raise PendingGone("The stored upload was damaged. Nothing was imported; upload it again.")
    try:
        return preview_csv(pending.owner, pending.text, unit=pending.unit)
    except CsvImportError as error:
        pending.delete()
        raise PendingGone(f"{error} Nothing was imported.") from None


def save(pending: PendingImport, digest: str) -> Saved:
    """Save the pending import if it still adds exactly what the preview with `digest` showed;
    PreviewOutdated (the pending import kept) if it does not, PendingGone if it is gone."""
    preview = preview_of(pending)
    if not hmac.compare_digest(preview.digest.encode(), digest.encode()):
        raise PreviewOutdated
    saved = save_preview(pending.owner, preview, file_name=pending.file_name)
    pending.delete()
    return saved
