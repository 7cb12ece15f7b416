"""``manage.py send_report_reminders``: e-mail liaisons and contacts before reports fall due.

Run it daily from cron, systemd timers or any scheduler: every reminder sent is recorded,
so a second run (the same day or later in the period) sends nothing already sent.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tongxin.pairing.services.reminders import send_reminders


class Command(BaseCommand):
    help = "Remind liaison officers and contacts of progress reports due within a few days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=3, help="Remind this many days before the due date.")
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="Pretend today is YYYY-MM-DD.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        run = send_reminders(today=today, days=options["days"])
        self.stdout.write(f"{len(run.reminders)} reports due soon; {run.messages} e-mails sent.")
        for reminder in run.reminders:
            self.stdout.write(f"  {reminder.due}  {reminder.pair}  {', '.join(reminder.emails) or '-'}")
