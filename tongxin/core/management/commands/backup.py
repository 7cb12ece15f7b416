"""``manage.py backup [--output DIR]``: the database, the media files and a manifest, in one directory.

Run it daily from cron, systemd timers or any scheduler and copy the result off the machine;
see docs/backups.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tongxin.core.backups import BackupError, create_backup


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite's backup API), the media files and a manifest of checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Folder that receives the timestamped backup directory (default: backups/ in the project).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or Path(settings.BASE_DIR) / "backups"
        try:
            backup = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = backup.manifest
        database = next(name for name in manifest["files"] if name.startswith("database."))
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(_("Backup written to %(path)s") % {"path": backup.path}))
        self.stdout.write(
            _("  database (%(engine)s): %(size)s, %(tables)s tables, %(rows)s rows")
            % {
                "engine": manifest["engine"],
                "size": _megabytes(manifest["files"][database]["bytes"]),
                "tables": len(manifest["tables"]),
                "rows": rows,
            }
        )
        self.stdout.write(
            _("  media files: %(files)s files, %(size)s")
            % {"files": manifest["media"]["files"], "size": _megabytes(manifest["media"]["bytes"])}
        )
        self.stdout.write(
            _("  copy it off this machine; restore with: manage.py restore %(path)s") % {"path": backup.path}
        )
