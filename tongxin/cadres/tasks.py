"""Background tasks of the cadre files (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from tongxin.cadres.services.retention import people_anonymise
from tongxin.core.choices import ChangeSource
from tongxin.core.context import change_context


@task()
def anonymise_departed() -> int:
    """The retention run as a task, for the scheduler (daily at ``RETENTION_AT``); every
    anonymisation is a change record of source "command". Returns how many files it
    anonymised."""
    with change_context(source=ChangeSource.COMMAND):
        return people_anonymise().anonymised
