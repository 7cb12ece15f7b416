"""When a friend-making pair is due a contact: pure, no Django.

A pair with frequency of ``m`` months is **due** ``m`` months after its last contact (or
after the day it was paired, before any contact) and **overdue** the day after. Put the
other way round, which is how the database asks it: a pair is overdue on ``today`` when
its last contact is before ``cutoff(today, m)`` = ``today`` minus ``m`` months (the last
day of a shorter month where needed, as :func:`~tongxin.cadres.compliance.add_months`).
"""

from __future__ import annotations

from datetime import date

from tongxin.cadres.compliance import add_months


def due_date(last: date, months: int) -> date:
    """The day by which the next contact is due."""
    return add_months(last, months)


def cutoff(today: date, months: int) -> date:
    """A last contact before this day makes the pair overdue on ``today``."""
    return add_months(today, -months)


def is_overdue(last: date, months: int, today: date) -> bool:
    return last < cutoff(today, months)
