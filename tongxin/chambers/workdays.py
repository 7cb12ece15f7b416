"""Working days on the official Chinese calendar, for the service levels of cases.

Pure Python (no Django). A :class:`WorkCalendar` knows the official days off that fall on
weekdays (holidays), the weekend days that are working days instead (调休, adjusted working
days) and the years the official calendar covers. The State Council publishes each year's
arrangement late in the year before; a day in a year the calendar does not cover is
counted by the weekend alone, and every answer says whether it leaned on such a day
(``estimated``), so a page can say "estimated: weekends only".

A deadline of *n* working days after a day ``start`` is the *n*-th working day after it
(``start`` itself not counted, whether or not it is a working day): a case received on a
Friday before a holiday week is due after the holiday, and one received during the holiday
counts from the first working day after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

#: Never count further than this many calendar days (a bad input must not loop for ever).
MAX_SPAN_DAYS = 3660


@dataclass(frozen=True)
class Deadline:
    """A due date and whether any day counted lay outside the official calendar."""

    due: date
    estimated: bool


@dataclass(frozen=True)
class WorkCalendar:
    """Holidays and adjusted working days of the years ``first_year``–``last_year``."""

    holidays: frozenset[date]
    workdays: frozenset[date]
    first_year: int
    last_year: int

    def covers(self, day: date) -> bool:
        return self.first_year <= day.year <= self.last_year

    def is_workday(self, day: date) -> bool:
        """A working day: an adjusted working day, else a weekday that is no holiday. Beyond
        the calendar's years, every weekday (weekends only)."""
        if self.covers(day):
            if day in self.workdays:
                return True
            if day in self.holidays:
                return False
        return day.weekday() < 5


def make_calendar(holidays: Iterable[date], workdays: Iterable[date]) -> WorkCalendar:
    """A calendar of the given days; it covers the years they span."""
    holidays, workdays = frozenset(holidays), frozenset(workdays)
    years = [d.year for d in holidays | workdays]
    if not years:
        return WorkCalendar(holidays, workdays, 1, 0)  # covers nothing: weekends only
    return WorkCalendar(holidays, workdays, min(years), max(years))


@cache
def official_calendar() -> WorkCalendar:
    """The official calendar of the installed ``chinese_calendar`` package."""
    from chinese_calendar import constants

    return make_calendar(constants.holidays, constants.workdays)


def add_working_days(start: date, days: int, calendar: WorkCalendar) -> Deadline:
    """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day, left, estimated = start, days, False
    for _step in range(MAX_SPAN_DAYS):
        if left == 0:
            return Deadline(day, estimated)
        day += timedelta(days=1)
        estimated = estimated or not calendar.covers(day)
        if calendar.is_workday(day):
            left -= 1
    raise ValueError("the deadline lies too far ahead")


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (0 when
    ``end`` is not after ``start``): the working days a case took or has been open."""
    if end <= start:
        return 0
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValueError("the span is too long")
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            count += 1
    return count


def is_overdue(due: date, done: date | None, today: date) -> bool:
    """Late: done after the due date, or not done and the due date has passed."""
    return (done or today) > due
