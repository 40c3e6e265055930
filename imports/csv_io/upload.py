"""The import's upload, counted as its bytes arrive: past the budget it stops being read."""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from imports import budget as import_budget


class CountingUploadHandler(FileUploadHandler):
    """Counts the upload's bytes and lines chunk by chunk, over every file part of the body (a
    tiny part after the CSV must not reset the count), handing each chunk on to Django's own
    handlers; past MAX_BYTES or MAX_LINES it stops the upload (the rest of the body is read
    and dropped, so the answer reaches the browser) and says why in `refusal`."""

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.lines = 0
        self.bytes = 0
        self.last_byte = b""
        self.refusal = ""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.bytes += len(raw_data)
        self.lines += raw_data.count(b"\n")
        self.last_byte = raw_data[-1:] or self.last_byte
        if self.bytes > import_budget.MAX_BYTES:
            self.refusal = import_budget.too_many_bytes()
        elif self.line_count > import_budget.MAX_LINES:
            self.refusal = import_budget.too_many_lines()
        if self.refusal:
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file

    @property
    def line_count(self) -> int:
        """Lines so far, the last counted even without its line break."""
        unterminated = self.bytes and self.last_byte != b"\n"
        return self.lines + (1 if unterminated else 0)
