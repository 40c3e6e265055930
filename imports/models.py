"""A CSV upload between its preview and its save."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from training.models import Unit


class ImportStatus(models.TextChoices):
    READY = "ready", "Ready to save"
    CHECKING = "checking", "Being checked"  # by a background job (large files)
    SAVING = "saving", "Being saved"  # by a background job
    SAVED = "saved", "Saved"
    FAILED = "failed", "Failed"


class PendingImport(models.Model):
    """An uploaded file between its preview and the trainee's "save": kept on the server, so
    what is saved is the file previewed and nothing the browser sends back.

    A file of more than import_budget.SYNC_LINES lines is checked and saved by background
    jobs: the row says how far they got, keeps the preview they rendered, and what became of
    the save (imports/csv_io/pending.py)."""

    KEEP_FOR = timedelta(hours=1)
    IN_PROGRESS = (ImportStatus.CHECKING, ImportStatus.SAVING)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_hash = models.CharField(max_length=64, help_text="SHA-256 of the text.")
    unit = models.CharField(max_length=2, choices=Unit.choices)  # the unit it was read in
    text = models.TextField()
    lines = models.PositiveIntegerField(default=0)  # as counted while it was uploaded
    status = models.CharField(max_length=10, choices=ImportStatus, default=ImportStatus.READY)
    rows_read = models.PositiveIntegerField(default=0)  # how far the running job has read
    job_started_at = models.DateTimeField(null=True, blank=True)  # the running job's start
    # A job's word for the trainee: why it failed, what it saved, or why the preview is new.
    job_message = models.TextField(blank=True)
    # The preview a job rendered (its pieces as preview pages show them), and its digest.
    source = models.CharField(max_length=20, blank=True)
    digest = models.CharField(max_length=64, blank=True)
    sessions_to_add = models.PositiveIntegerField(default=0)
    summary_html = models.TextField(blank=True)
    details_html = models.TextField(blank=True)

    class Meta:
        db_table = "training_pendingimport"  # the table made before the split: nothing renamed
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name or 'CSV'}, uploaded {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def progress_percent(self) -> int:
        return min(100, self.rows_read * 100 // self.lines) if self.lines else 0

    @property
    def expires_at(self):
        return self.created_at + self.KEEP_FOR

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
