"""``manage.py restore ARCHIVE --yes``: replace the database and the media files with a backup's.

Without ``--yes`` it only says what would be replaced. It refuses a damaged archive and an
archive from the other database engine, and verifies every table's rows and checksum and
the media files against the archive's manifest afterwards. See docs/backups.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from tongxin.core.backups import (
    BackupError,
    check_engine,
    describe_database,
    media_digest,
    migration_differences,
    read_archive,
    restore_backup,
)


class Command(BaseCommand):
    help = "Restore a backup made by manage.py backup (the database and the media files), then verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The backup directory (tongxin-YYYYMMDDTHHMMSSZ).")
        parser.add_argument(
            "--yes", action="store_true", help="Really replace the database and the media files (default: only show)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        media_root = Path(settings.MEDIA_ROOT)
        try:
            manifest = read_archive(archive)
            check_engine(manifest)
            differences = migration_differences(manifest)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        current_media = media_digest(media_root)
        self.stdout.write(
            _(
                "Archive %(path)s, made %(created)s: "
                "%(engine)s, %(tables)s tables, %(rows)s rows, %(files)s media files."
            )
            % {
                "path": archive,
                "created": manifest["created"],
                "engine": manifest["engine"],
                "tables": len(manifest["tables"]),
                "rows": rows,
                "files": manifest["media"]["files"],
            }
        )
        self.stdout.write(_("It replaces:"))
        self.stdout.write("  " + describe_database(connections[DEFAULT_DB_ALIAS]))
        self.stdout.write(
            "  "
            + _("every file under %(root)s (now %(files)s files)")
            % {"root": media_root, "files": current_media["files"]}
        )
        if differences:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Migrations differ between this code and the archive: run manage.py migrate after "
                        "the restore if the code is newer; an older code cannot use a newer archive."
                    )
                )
            )
            for line in differences:
                self.stdout.write("  " + line)
        if not options["yes"]:
            raise CommandError(
                _("Nothing was changed. Back up the current state first, stop the application, then add --yes.")
            )
        try:
            result = restore_backup(archive, manifest=manifest, media_root=media_root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in result.warnings:
            self.stdout.write(self.style.WARNING("  " + line))
        if not result.ok:
            for line in result.problems:
                self.stderr.write("  " + line)
            raise CommandError(
                _("Restored, but %(count)s checks do not match the manifest (see above).")
                % {"count": len(result.problems)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored and verified: "
                    "%(tables)s tables, %(rows)s rows and %(files)s media files match the manifest."
                )
                % {"tables": result.tables, "rows": result.rows, "files": result.media_files}
            )
        )
