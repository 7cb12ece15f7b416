"""Escalate overdue rights-protection cases to the county federation (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_date

from tongxin.chambers.services.cases import cases_escalate
from tongxin.core.context import change_context


class Command(BaseCommand):
    help = "Escalate overdue rights-protection cases to the county federation and notify its staff."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="Judge as of this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_date(options["today"]) if options.get("today") else None
        with change_context(source="command"):
            escalated = cases_escalate(today=today)
        self.stdout.write(f"{len(escalated)}")
