"""How much CSV an import may be, and how much worker time it may take (ours).

Measured on the 2-core reference machine: checking a file (its preview) costs about 0.12 ms
a row, saving it about 0.25 ms a row more, 50,000 rows 11-22 s in all, and meanwhile that
web worker answers nobody. So a file is counted as it arrives and refused past MAX_LINES or
MAX_BYTES before a row is parsed; up to SYNC_LINES it is checked and saved in the request,
as before (well under a second); a larger one is checked and saved by a background job
(videos/tasks.py), whose page shows its progress. A job past JOB_SECONDS stops, saving
nothing (a save is one transaction, so there is never half an import).
"""

from __future__ import annotations

import datetime

MAX_LINES = 20_000  # about 2.5 s to check, 5 s to save
MAX_BYTES = 5 * 1024 * 1024
SYNC_LINES = 1_000
JOB_SECONDS = 30
PROGRESS_EVERY = 500  # rows between two progress reports (and budget checks) of a job
# A job started this long ago and not ended had its worker killed (no job runs past its
# budget by more than its last write): it is marked failed (csv_io.pending.fail_stale).
STALE_AFTER = datetime.timedelta(minutes=5)
STOPPED = (
    "The worker checking or saving this file stopped before it was done. Nothing was "
    "imported; upload the file again."
)


class OverBudget(Exception):
    """A job ran past JOB_SECONDS; nothing was saved."""

    message = (
        f"Checking this file took longer than the {JOB_SECONDS} s an import may take. Nothing "
        "was imported; split it into smaller files and import them one after another."
    )


def too_many_lines() -> str:
    return (
        f"The file has more than {MAX_LINES:,} lines, the most one import takes; split it "
        "into smaller files and import them one after another. Nothing was imported."
    )


def too_many_bytes() -> str:
    return (
        f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB, the most one import takes; "
        "split it into smaller files and import them one after another. Nothing was imported."
    )
