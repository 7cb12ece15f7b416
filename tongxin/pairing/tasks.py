"""Background tasks of the pairing app (django-tasks)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from tongxin.core.choices import ChangeSource
from tongxin.core.context import change_context
from tongxin.pairing.models import MatchRun
from tongxin.pairing.services.reminders import send_reminders
from tongxin.pairing.services.selection import match_run_execute


@task()
def report_reminders(days: int = 3) -> int:
    """The reminder run as a task, for schedulers that enqueue tasks; returns how many e-mails it sent."""
    return send_reminders(today=timezone.localdate(), days=days).messages


@task()
def run_matching(run_id: int, source: str = ChangeSource.SYSTEM) -> str:
    """Carry out a started matching run; its writes are recorded as made by the person who
    started it, from the page or the API (``source``). Returns the run's status."""
    run = MatchRun.objects.select_related("run_by").defer("inputs", "result").get(pk=run_id)
    with change_context(user=run.run_by, source=source):
        match_run_execute(run_id=run_id)
    return str(MatchRun.objects.values_list("status", flat=True).get(pk=run_id))
