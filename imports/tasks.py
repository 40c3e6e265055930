"""The import jobs: check a large file, save it."""

from __future__ import annotations

from django_tasks import task

from imports.csv_io import pending as pending_imports


@task()
def check_import(pending_id: int) -> str:
    return pending_imports.run_check(pending_id)


@task()
def save_import(pending_id: int, digest: str) -> str:
    return pending_imports.run_save(pending_id, digest)
