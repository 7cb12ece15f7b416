"""``manage.py anonymise_departed``: anonymise the files of people who left more than
``TONGXIN["CADRE_RETENTION_YEARS"]`` years ago (PIPL retention).

The scheduler of ``manage.py serve`` runs it daily (``RETENTION_AT``, default 03:00). Each
anonymised file is a change record of source "command"; a second run finds nothing more.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongxin.cadres.services.retention import people_anonymise
from tongxin.core.choices import ChangeSource
from tongxin.core.context import change_context


class Command(BaseCommand):
    help = "Anonymise the cadre files of people who left longer ago than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count the files due.")
        parser.add_argument("--years", type=int, default=None, help="The retention period (default: the setting).")
        parser.add_argument("--today", default=None, help="Pretend it is this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today takes a day such as 2026-11-30") from exc
        try:
            with change_context(source=ChangeSource.COMMAND):
                run = people_anonymise(today=today, years=options["years"], dry_run=options["dry_run"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Retention {run.years} years (left on or before {run.cutoff}): "
            f"{run.due} files due, {run.anonymised} anonymised."
        )
