"""Background tasks of the inbox (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from tongxin.inbox.services.digest import send_digests


@task()
def send_notification_digest() -> int:
    """The daily digest run as a task, for the scheduler; returns how many e-mails it sent."""
    return send_digests().messages
