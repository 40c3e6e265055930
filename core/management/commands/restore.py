"""`manage.py restore IN.zip`: load a `manage.py backup` into a freshly migrated database.

It refuses, changing nothing, unless the database holds nothing but what `migrate`
makes (the guide's content, the Coach group, content types and permissions): no
users, no training data, no photos, no admin history. It also refuses a backup made
at other migrations than the database's. Then, in one transaction, it clears the
migrated content and loads the backup, so every row comes back with its primary key.
With media in the zip it checks every file against the manifest's SHA-256 first, then
writes them under MEDIA_ROOT; a file already there with other content stops it before
anything changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.management.commands.backup import (
    DATA_NAME,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEDIA_PREFIX,
    NATURAL_PRIMARY,
    applied_migrations,
    backed_up_models,
    sha256_of,
)


def data_in_the_way() -> dict[str, int]:
    """Rows that only use of the site makes: anything here means the database is not fresh.

    Each app names its own in `AppConfig.models_made_by_use()`; the rest of its models
    hold what `migrate` puts there."""
    models = [get_user_model(), LogEntry]
    for app_config in apps.get_app_configs():
        if hasattr(app_config, "models_made_by_use"):
            models += app_config.models_made_by_use()
    counts = {model._meta.label: model._base_manager.count() for model in models}
    return {label: count for label, count in counts.items() if count}


def _tables_to_clear() -> list[type]:
    """Every table the backup fills, children first (with their many-to-many tables)."""
    tables = []
    for model in reversed(backed_up_models()):
        if model in NATURAL_PRIMARY:
            continue  # matched by natural key, kept
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                tables.append(through)
        tables.append(model)
    return tables


class Command(BaseCommand):
    help = (
        "Load a zip written by `backup` into a freshly migrated, otherwise empty database "
        "(refused otherwise), in one transaction; writes the media files back when the zip "
        "has them, checking each one's SHA-256."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("input", help="a zip written by `manage.py backup`")

    def handle(self, *args, input: str, **options) -> None:
        path = Path(input)
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise CommandError(f"{path} is not a zip file.") from None
        with archive, tempfile.TemporaryDirectory() as scratch:
            manifest = self._manifest(archive)
            self._check_database(manifest)
            media = self._check_media(archive, manifest)
            fixture = Path(scratch) / "hipthrust-backup.json"
            with archive.open(DATA_NAME) as source, fixture.open("wb") as target:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
            written: list[Path] = []
            try:
                with transaction.atomic():
                    self._check_database(manifest)  # again, now inside the transaction
                    self._load(fixture)
                    self._verify_counts(manifest)
                    written = self._write_media(archive, media)
            except BaseException:
                for name in written:
                    name.unlink(missing_ok=True)
                raise
        # Cached pages are keyed by content and log versions that the restored rows reuse.
        cache.clear()
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(f"Restored {rows} rows and {len(written)} media files from {path}.")
        )
        self._report_missing_media(manifest)

    # Checks, before anything changes.

    def _manifest(self, archive: zipfile.ZipFile) -> dict:
        try:
            manifest = json.loads(archive.read(MANIFEST_NAME))
            archive.getinfo(DATA_NAME)
        except (KeyError, ValueError):
            raise CommandError(
                "This zip is not a hipthrust backup (no manifest or data)."
            ) from None
        if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
            raise CommandError(
                f"Unknown backup format {manifest.get('format')!r} "
                f"version {manifest.get('version')!r}; this code reads version {FORMAT_VERSION}."
            )
        return manifest

    def _check_database(self, manifest: dict) -> None:
        in_the_way = data_in_the_way()
        if in_the_way:
            found = ", ".join(f"{count} {label}" for label, count in sorted(in_the_way.items()))
            raise CommandError(
                "Refusing to restore: the database is not freshly migrated "
                f"(it has {found}). Restore into a new database: create it, run "
                "`manage.py migrate`, then `manage.py restore`. Nothing was changed."
            )
        ours, theirs = applied_migrations(), manifest["migrations"]
        if ours != theirs:
            differ = sorted(
                label for label in set(ours) | set(theirs) if ours.get(label) != theirs.get(label)
            )
            raise CommandError(
                "Refusing to restore: the backup was made at other migrations than this "
                f"database has (apps: {', '.join(differ)}). Run this code's version that made "
                "the backup, or migrate to match. Nothing was changed."
            )

    def _check_media(self, archive: zipfile.ZipFile, manifest: dict) -> list[dict]:
        """With media in the zip: every file's hash checked, and no clash under MEDIA_ROOT."""
        if not manifest.get("media_included"):
            return []
        root = Path(settings.MEDIA_ROOT).resolve()
        checked = []
        for entry in manifest["media"]:
            relative = PurePosixPath(entry["path"])
            target = (root / relative).resolve()
            if relative.is_absolute() or ".." in relative.parts or root not in target.parents:
                raise CommandError(f"Refusing a media path outside MEDIA_ROOT: {entry['path']}")
            try:
                info = archive.getinfo(MEDIA_PREFIX + entry["path"])
            except KeyError:
                raise CommandError(f"The zip lacks the media file {entry['path']}.") from None
            digest = hashlib.sha256()
            with archive.open(info) as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
            if digest.hexdigest() != entry["sha256"] or info.file_size != entry["size"]:
                raise CommandError(
                    f"The media file {entry['path']} in the zip does not match its manifest "
                    "hash; the backup is damaged. Nothing was changed."
                )
            if target.exists() and sha256_of(target) != entry["sha256"]:
                raise CommandError(
                    f"{target} already exists with other content; move it away first. "
                    "Nothing was changed."
                )
            checked.append({**entry, "target": target, "member": info})
        return checked

    # Changes, in the caller's transaction.

    def _load(self, fixture: Path) -> None:
        for model in _tables_to_clear():
            # Straight DELETEs: no signals (a photo's files must not be removed on commit)
            # and no cascades to walk; foreign keys are checked when the load ends.
            model._base_manager.all()._raw_delete(connection.alias)
        # A user's profile comes from the backup: the receiver that makes one for every
        # new user skips rows a fixture loads (`raw`), so none is made twice.
        call_command("loaddata", str(fixture), verbosity=0)

    def _verify_counts(self, manifest: dict) -> None:
        """Every model holds exactly the rows the backup had (rolled back otherwise)."""
        wrong = []
        for label, expected in manifest["counts"].items():
            model = apps.get_model(label)
            found = model._base_manager.count()
            # Types and permissions of this code that the backup's database lacked stay.
            if found != expected and not (model in NATURAL_PRIMARY and found > expected):
                wrong.append(f"{label}: {found} rows, the backup has {expected}")
        if wrong:
            raise CommandError(
                "The restored database does not match the backup, so nothing was kept: "
                + "; ".join(wrong)
            )

    def _write_media(self, archive: zipfile.ZipFile, media: list[dict]) -> list[Path]:
        written: list[Path] = []
        try:
            for entry in media:
                target: Path = entry["target"]
                if target.exists():
                    continue  # same content, checked above
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(f".{target.name}.restoring")
                digest = hashlib.sha256()
                with archive.open(entry["member"]) as source, partial.open("wb") as out:
                    while chunk := source.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != entry["sha256"]:
                    partial.unlink()
                    raise CommandError(f"{entry['path']} changed while restoring it.")
                os.replace(partial, target)
                written.append(target)
                if sha256_of(target) != entry["sha256"]:
                    raise CommandError(f"{target} does not read back as written.")
        except BaseException:
            for name in written:
                name.unlink(missing_ok=True)
            raise
        return written

    def _report_missing_media(self, manifest: dict) -> None:
        """Files the backup listed but that are not (or not the same) under MEDIA_ROOT."""
        root = Path(settings.MEDIA_ROOT)
        missing = [
            entry["path"]
            for entry in manifest["media"]
            if not (root / entry["path"]).is_file()
            or sha256_of(root / entry["path"]) != entry["sha256"]
        ]
        if missing:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(missing)} media files listed in the backup are missing or differ "
                    f"under {root} (the zip was made without --with-media?): "
                    + ", ".join(missing[:10])
                    + (" …" if len(missing) > 10 else "")
                )
            )
