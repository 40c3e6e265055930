"""`manage.py backup OUT.zip [--with-media]`: the whole database, and optionally the uploads.

The zip holds:

- `data.json`: every row of every model, in Django's JSON serialization, ordered so each
  object follows what it refers to. Content types and permissions are written by their
  natural keys (they are recreated by `migrate` with whatever ids the new database
  gives them) and so are references to them and to groups; every other row keeps its
  primary key, so a restore reproduces the database exactly. Users keep their password
  hashes, group memberships and permissions.
- `manifest.json`: the format version, the applied migrations, per-model row counts, and
  every file under MEDIA_ROOT with its size and SHA-256.
- `media/...`: the files themselves, with `--with-media`.

The rows are read in one transaction (REPEATABLE READ on PostgreSQL), so a backup taken
while the site runs is consistent. `manage.py restore` reads the zip back.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import itertools
import json
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "hipthrust-backup"
FORMAT_VERSION = 1
DATA_NAME = "data.json"
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
# Recreated by `migrate` in any fresh database: matched by natural key, never by id.
NATURAL_PRIMARY = (ContentType, Permission)
# References to these are written by natural key too.
NATURAL_TARGETS = (ContentType, Permission, Group)
CHUNK = 1 << 20


def backed_up_models() -> list[type]:
    """Every concrete, managed model, each after the models its natural keys refer to."""
    app_list = []
    for app_config in apps.get_app_configs():
        models = [
            model
            for model in app_config.get_models()
            if model._meta.managed and not model._meta.proxy
        ]
        if models:
            app_list.append((app_config, models))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def _refers_to_natural_target(model: type) -> bool:
    for field in model._meta.get_fields():
        if field.is_relation and field.concrete and field.related_model in NATURAL_TARGETS:
            return True
    return False


class JsonList:
    """Writes a JSON list piece by piece, so a large table never sits in memory whole."""

    def __init__(self, out: io.TextIOBase) -> None:
        self.out = out
        self.empty = True
        out.write("[\n")

    def extend(self, serialized: str) -> None:
        body = serialized.strip()[1:-1].strip()  # the serializer's list, without brackets
        if not body:
            return
        if not self.empty:
            self.out.write(",\n")
        self.out.write(body)
        self.empty = False

    def close(self) -> None:
        self.out.write("\n]\n")


def serialize_model(model: type, out: JsonList, batch_size: int = 2000) -> int:
    """Append the model's rows, in primary key order, to `out`; return how many."""
    natural_primary = model in NATURAL_PRIMARY
    natural_foreign = natural_primary or _refers_to_natural_target(model)
    queryset = model._base_manager.order_by(model._meta.pk.name)
    count = 0
    batch: list = []
    for obj in itertools.chain(queryset.iterator(chunk_size=batch_size), [None]):
        if obj is not None:
            batch.append(obj)
        if batch and (obj is None or len(batch) >= batch_size):
            out.extend(
                serializers.serialize(
                    "json",
                    batch,
                    use_natural_foreign_keys=natural_foreign,
                    use_natural_primary_keys=natural_primary,
                )
            )
            count += len(batch)
            batch = []
    return count


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(posix path relative to root, absolute path) of every file under root, sorted."""
    if not root.is_dir():
        return
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    yield from sorted(found)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def read_snapshot() -> Iterator[None]:
    """One transaction that sees the database as it was when it began, without blocking
    writers: REPEATABLE READ on PostgreSQL; on SQLite a deferred transaction, which in WAL
    mode reads a snapshot and takes no lock (the site's IMMEDIATE mode would hold the
    write lock for the whole backup, and every writer would wait on it)."""
    outermost = not connection.in_atomic_block
    connection.ensure_connection()
    mode = getattr(connection, "transaction_mode", None)
    if outermost and connection.vendor == "sqlite":
        connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = mode


class Command(BaseCommand):
    help = (
        "Write the whole database (users with password hashes, groups, content, logs, coach "
        "links, prescriptions, notes, audit, photos' rows) and a manifest of the media files "
        "to a zip; --with-media adds the files themselves. Read back with `restore`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("output", help="the zip file to write, e.g. hipthrust-2026-11-02.zip")
        parser.add_argument(
            "--with-media", action="store_true", help="put the uploaded files in the zip too"
        )
        parser.add_argument(
            "--force", action="store_true", help="overwrite the output file if it exists"
        )

    def handle(self, *args, output: str, with_media: bool, force: bool, **options) -> None:
        target = Path(output)
        if target.exists() and not force:
            raise CommandError(f"{target} exists; pass --force to overwrite it.")
        if target.suffix.lower() != ".zip":
            raise CommandError("Name the backup file …something.zip.")
        partial = target.with_name(f".{target.name}.partial")
        try:
            counts, media = self._write(partial, with_media)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        total = sum(counts.values())
        size = sum(entry["size"] for entry in media)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {total} rows of {len([c for c in counts.values() if c])} models and "
                f"{len(media)} media files ({size / 1e6:.1f} MB, "
                f"{'included' if with_media else 'listed only'}) to {target}."
            )
        )

    def _write(self, path: Path, with_media: bool) -> tuple[dict[str, int], list[dict]]:
        counts: dict[str, int] = {}
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with read_snapshot():
                migrations = applied_migrations()
                with (
                    archive.open(DATA_NAME, "w", force_zip64=True) as raw,
                    io.TextIOWrapper(raw, encoding="utf-8") as text,
                ):
                    data = JsonList(text)
                    for model in backed_up_models():
                        counts[model._meta.label] = serialize_model(model, data)
                    data.close()

            media = []
            root = Path(settings.MEDIA_ROOT)
            for name, file_path in media_files(root):
                entry = {"path": name, "size": file_path.stat().st_size}
                entry["sha256"] = sha256_of(file_path)
                media.append(entry)
                if with_media:
                    archive.write(file_path, MEDIA_PREFIX + name, compress_type=zipfile.ZIP_STORED)

            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "database_vendor": connection.vendor,
                "migrations": migrations,
                "counts": counts,
                "media_included": with_media,
                "media": media,
            }
            archive.writestr(MANIFEST_NAME, json.dumps(manifest, indent=2, sort_keys=True))
        return counts, media
