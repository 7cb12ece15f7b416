"""``manage.py send_notification_digest``: e-mail the daily digest of unread notifications.

Run it daily (the scheduler of ``manage.py serve`` does, at ``DIGEST_AT``): every digest
sent is recorded, so a second run the same day sends nothing more.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongxin.inbox.services.digest import send_digests


class Command(BaseCommand):
    help = "E-mail each person who opted in their unread notifications of the last day (once a day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", default=None, help="Pretend it is this local time (YYYY-MM-DDTHH:MM).")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                moment = datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError("--now takes a time such as 2026-11-30T07:00") from exc
            now = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        run = send_digests(now=now)
        self.stdout.write(f"{run.people} people with unread notifications; {run.messages} e-mails sent.")
