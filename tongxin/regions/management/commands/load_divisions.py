"""``manage.py load_divisions --county 330122`` (or ``--province 33``): the official tree.

Reads the division table fetched by ``make divisions`` and creates or updates the
province, prefecture, county, township and village rows with their official names and
codes (see :mod:`tongxin.regions.division_loader`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tongxin.core.context import change_context
from tongxin.core.identifiers import normalize
from tongxin.regions.division_loader import DEFAULT_DATA_DIR, DivisionLoadError, load_divisions
from tongxin.regions.divisions import DivisionDataError


class Command(BaseCommand):
    help = "Load the official division table (make divisions) for one county or one province."

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--county", help="6-digit county code, e.g. 330122")
        scope.add_argument("--province", help="2-digit province code, e.g. 33")
        parser.add_argument(
            "--data-dir", type=Path, default=None, help=f"the unpacked table (default: {DEFAULT_DATA_DIR})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prefix = normalize(options["county"] or options["province"])
        if len(prefix) != (6 if options["county"] else 2):
            raise CommandError(
                _("--county takes a 6-digit county code, --province a 2-digit province code (not %(code)s).")
                % {"code": prefix}
            )
        data_dir: Path = options["data_dir"] or Path(settings.BASE_DIR) / DEFAULT_DATA_DIR
        started = time.perf_counter()
        try:
            with change_context(source="command"):
                summary = load_divisions(prefix=prefix, data_dir=data_dir)
        except (DivisionLoadError, DivisionDataError) as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                _("Loaded %(code)s in %(seconds).1f s; %(records)s change records written.")
                % {"code": prefix, "seconds": time.perf_counter() - started, "records": f"{summary.change_records:,}"}
            )
        )
