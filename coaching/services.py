"""Writes that span the database and file storage, or several rows of the ladder."""

from __future__ import annotations

import io
import uuid
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import router, transaction

from coaching import images
from coaching.models import Illustration, Variation
from core.files import delete_stored

# How the cleaned original is stored: metadata-free, in its own format.
ORIGINAL_SAVE_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90, "method": 4},
}


def save_illustration(
    illustration: Illustration,
    clean: images.CleanImage,
    renditions: list[images.Rendition],
    *,
    original_name: str,
) -> Illustration:
    """Store the photo and its renditions, then the row; on any failure, leave nothing behind."""
    stem = f"illustrations/{uuid.uuid4().hex[:12]}-{_safe_stem(original_name)}"
    previous = illustration.stored_names() if illustration.pk else []
    written: list[str] = []
    try:
        original = io.BytesIO()
        clean.image.save(
            original, clean.source_format, **ORIGINAL_SAVE_OPTIONS[clean.source_format]
        )
        extension = images.ALLOWED_FORMATS[clean.source_format]
        name = default_storage.save(f"{stem}{extension}", ContentFile(original.getvalue()))
        written.append(name)
        recorded = []
        for rendition in renditions:
            path = default_storage.save(
                f"{stem}-{rendition.width}w{rendition.extension}", ContentFile(rendition.data)
            )
            written.append(path)
            recorded.append(
                {
                    "name": path,
                    "width": rendition.width,
                    "height": rendition.height,
                    "content_type": rendition.content_type,
                }
            )
        illustration.image = name
        illustration.width, illustration.height = clean.width, clean.height
        illustration.renditions = recorded
        with transaction.atomic():
            illustration.save()
            # Old files go only once the new row is committed.
            transaction.on_commit(lambda: delete_stored(previous))
    except BaseException:
        delete_stored(written)
        raise
    return illustration


def _safe_stem(filename: str) -> str:
    stem = PurePosixPath(filename.replace("\\", "/")).stem
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem.lower()).strip("-")
    return cleaned[:40] or "photo"


def close_ladder_gaps(exercise_ids) -> None:
    """Number each exercise's rungs from 1 without a gap, in their order (Variation.clean's
    rule), after rungs were deleted: the rungs above a deleted one move down one.

    Logs, plans and levels point at rungs by id, never by level, so they keep their rung.
    Each rung moves down to a number no rung holds by then, so the unique level per exercise
    holds at every step; saved one by one, each bumps the guide's cached pages."""
    with transaction.atomic(using=router.db_for_write(Variation)):
        for exercise_id in set(exercise_ids):
            rungs = Variation.objects.select_for_update().filter(exercise_id=exercise_id)
            for level, rung in enumerate(rungs.order_by("level"), start=1):
                if rung.level != level:
                    rung.level = level
                    rung.save(update_fields=["level"])
