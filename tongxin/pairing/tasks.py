"""Background tasks of the pairing app (django-tasks)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from tongxin.pairing.services.reminders import send_reminders


@task()
def report_reminders(days: int = 3) -> int:
    """The reminder run as a task, for schedulers that enqueue tasks; returns how many e-mails it sent."""
    return send_reminders(today=timezone.localdate(), days=days).messages
