"""Stored files (photos, videos) removed through the storage API."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)


def delete_stored(names: list[str]) -> None:
    """Delete each stored file; one that cannot be deleted is logged, never raised, since
    this runs after the rows that named them are gone."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete stored file %s", name, exc_info=True)
