"""``manage.py scheduler``: enqueue the daily background tasks at their local time.

The jobs are ``TONGXIN_SCHEDULE``: a task (django-tasks) by dotted path → ``"HH:MM"`` local
time (``TIME_ZONE``): the report reminders (``REMINDERS_AT``, default 08:00) and the e-mail
digest of unread notifications (``DIGEST_AT``, default 07:00). The
task worker (``manage.py db_worker``) runs what is enqueued. ``manage.py serve`` starts one
scheduler next to the web server and the worker; on several machines run exactly one.

Level-triggered, so no day is lost: once a minute, a job whose latest slot (today at its time,
or yesterday's while today's is still ahead) has no task enqueued since is enqueued now. A
scheduler started at 15:00 therefore sends the 08:00 reminders at once, and a restart never
sends them twice: the database backend's task table says what was enqueued (the reminders
are idempotent anyway: every reminder sent is recorded). ``--once`` checks once and exits
(cron, systemd timers, tests).
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("tongxin.scheduler")

POLL_SECONDS = 60.0


@dataclass(frozen=True)
class Job:
    """A task enqueued every day at ``at`` (local time)."""

    path: str
    at: time
    task: Any

    @property
    def task_path(self) -> str:
        return str(self.task.module_path)


def parse_at(value: str) -> time:
    """``"HH:MM"`` → a time; ImproperlyConfigured when it is anything else."""
    try:
        hours, minutes = (int(part) for part in value.strip().split(":"))
        return time(hours, minutes)
    except ValueError as exc:
        raise ImproperlyConfigured(f"A scheduled time must be HH:MM (00:00–23:59), not {value!r}.") from exc


def configured_jobs() -> list[Job]:
    """The jobs of ``TONGXIN_SCHEDULE``, each checked to be a task."""
    jobs = []
    for path, at in getattr(settings, "TONGXIN_SCHEDULE", {}).items():
        task = import_string(path)
        if not callable(getattr(task, "enqueue", None)):
            raise ImproperlyConfigured(f"{path} is not a task (django-tasks @task).")
        jobs.append(Job(path=path, at=parse_at(at), task=task))
    return jobs


def last_slot(now: datetime, at: time) -> datetime:
    """The latest moment at ``at`` local time that is not after ``now``."""
    local = timezone.localtime(now)
    slot = datetime.combine(local.date(), at, tzinfo=local.tzinfo)
    if slot > local:
        slot = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=local.tzinfo)
    return slot


def next_slot(now: datetime, at: time) -> datetime:
    """The first moment at ``at`` local time after ``now``."""
    latest = last_slot(now, at)
    return datetime.combine(latest.date() + timedelta(days=1), at, tzinfo=latest.tzinfo)


class Scheduler:
    """Enqueues each job once per daily slot."""

    def __init__(self, jobs: list[Job]) -> None:
        self.jobs = jobs
        self._enqueued: dict[str, datetime] = {}

    def _enqueued_since(self, job: Job, slot: datetime) -> bool:
        if self._enqueued.get(job.path, datetime.min.replace(tzinfo=slot.tzinfo)) >= slot:
            return True
        if isinstance(job.task.get_backend(), DatabaseBackend):
            return DBTaskResult.objects.filter(task_path=job.task_path, enqueued_at__gte=slot).exists()
        return False

    def run_due(self, now: datetime) -> list[Job]:
        """Enqueue every job whose latest slot has nothing enqueued yet; returns them."""
        enqueued = []
        for job in self.jobs:
            slot = last_slot(now, job.at)
            try:
                if self._enqueued_since(job, slot):
                    continue
                job.task.enqueue()
            except DatabaseError:
                logger.exception("Could not enqueue %s; trying again in a minute.", job.path)
                continue
            self._enqueued[job.path] = slot
            logger.info("Enqueued %s (the %s slot).", job.path, slot.isoformat(timespec="minutes"))
            enqueued.append(job)
        return enqueued

    def seconds_to_next(self, now: datetime) -> float:
        """Seconds until the earliest next slot (at most a minute: the slots are re-checked)."""
        if not self.jobs:
            return POLL_SECONDS
        soonest = min(next_slot(now, job.at) for job in self.jobs)
        return max(1.0, min(POLL_SECONDS, (soonest - now).total_seconds()))

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            close_old_connections()
            self.run_due(timezone.now())
            stop.wait(self.seconds_to_next(timezone.now()))
        close_old_connections()


class Command(BaseCommand):
    help = "Enqueue the daily background tasks (report reminders) at their local time; runs until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue what is due now, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = Scheduler(configured_jobs())
        if options["once"]:
            for job in scheduler.run_due(timezone.now()):
                self.stdout.write(f"Enqueued {job.path}.")
            return
        stop = threading.Event()

        def _stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        for job in scheduler.jobs:
            self.stdout.write(f"Scheduler: {job.path} daily at {job.at:%H:%M} ({settings.TIME_ZONE}).")
        self.stdout.flush()
        scheduler.run_forever(stop)
        self.stdout.write("Scheduler stopped.")
