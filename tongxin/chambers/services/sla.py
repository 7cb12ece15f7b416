"""Service levels of rights-protection cases, in working days on the official calendar.

``TONGXIN["CHAMBER_CASE_SLA"]`` may set, per kind of case, ``{"acknowledge": n, "resolve":
m}``; the default is 2 and 30 working days. The arithmetic is :mod:`tongxin.chambers.workdays`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tongxin.chambers.choices import OPEN_CASE_STATUSES, CaseStatus
from tongxin.chambers.workdays import add_working_days, is_overdue, official_calendar, working_days_between

ACKNOWLEDGE_DAYS = 2
RESOLVE_DAYS = 30


@dataclass(frozen=True)
class Levels:
    acknowledge: int
    resolve: int


def levels_for(kind: str) -> Levels:
    """The working days to acknowledge and to resolve a case of ``kind``."""
    configured: dict[str, Any] = getattr(settings, "TONGXIN", {}).get("CHAMBER_CASE_SLA", {})
    own = configured.get(kind, {})
    return Levels(int(own.get("acknowledge", ACKNOWLEDGE_DAYS)), int(own.get("resolve", RESOLVE_DAYS)))


def set_due_dates(case: Any) -> None:
    """Fill in a new case's due dates from the day it was received."""
    levels = levels_for(case.kind)
    calendar = official_calendar()
    ack = add_working_days(case.received_on, levels.acknowledge, calendar)
    resolve = add_working_days(case.received_on, levels.resolve, calendar)
    case.acknowledge_due, case.resolve_due = ack.due, resolve.due
    case.due_estimated = ack.estimated or resolve.estimated


def overdue_q(today: date | None = None) -> Q:
    """Open cases past a due date: not acknowledged in time, or not finished in time."""
    today = today or timezone.localdate()
    late_ack = Q(status=CaseStatus.RECEIVED, acknowledge_due__lt=today)
    late_resolve = Q(status__in=OPEN_CASE_STATUSES, resolve_due__lt=today)
    return late_ack | late_resolve


@dataclass(frozen=True)
class CaseTimes:
    """How a case stands against its levels (for its page and the dashboard)."""

    acknowledged_late: bool
    resolved_late: bool
    working_days_open: int


def case_times(case: Any, today: date | None = None) -> CaseTimes:
    today = today or timezone.localdate()
    calendar = official_calendar()
    end = case.finished_on or today
    return CaseTimes(
        acknowledged_late=is_overdue(case.acknowledge_due, case.acknowledged_on, today),
        resolved_late=is_overdue(case.resolve_due, case.finished_on, today),
        working_days_open=working_days_between(case.received_on, end, calendar),
    )
