"""Working-day arithmetic against hand-computed dates (no database).

2026's Spring Festival: days off Sunday 15 – Monday 23 February; Saturdays 14 and 28
February are adjusted working days (调休). Mid-Autumn 2026: 25–27 September off; National
Day: 1–7 October off; Sunday 20 September and Saturday 10 October worked. The installed calendar covers 2004–2026: days
of 2027 are counted by weekends only, and say so.
"""

from __future__ import annotations

import ast
import inspect
from datetime import date

import pytest

from tongxin.chambers import workdays
from tongxin.chambers.workdays import add_working_days, make_calendar, official_calendar, working_days_between

CAL = official_calendar()


def test_the_module_imports_no_django() -> None:
    tree = ast.parse(inspect.getsource(workdays))
    names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [name for name in names if name.startswith(("django", "tongxin"))]


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Thursday 12 Feb: Fri 13 (1), Sat 14 adjusted working day (2).
        (date(2026, 2, 12), 2, date(2026, 2, 14)),
        # Friday 13 Feb: Sat 14 (1), then the holiday 15–23, Tue 24 (2).
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        # Received during the holiday (Mon 16): Tue 24 (1), Wed 25 (2).
        (date(2026, 2, 16), 2, date(2026, 2, 25)),
        # Thursday 26 Feb: Fri 27 (1), Sat 28 adjusted working day (2).
        (date(2026, 2, 26), 2, date(2026, 2, 28)),
        # Friday 13 Feb + 30: 14, 24, 25, 26, 27, 28 (6), 2–6 Mar (11), 9–13 (16),
        # 16–20 (21), 23–27 (26), 30, 31 Mar, 1, 2 Apr (30).
        (date(2026, 2, 13), 30, date(2026, 4, 2)),
        # An ordinary week: Monday 8 June + 2 = Wednesday 10 June.
        (date(2026, 6, 8), 2, date(2026, 6, 10)),
        # Friday 18 Sep: Sat 19 off, Sun 20 Sep an adjusted working day (1).
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        # Friday 25 Sep is Mid-Autumn (25–27 off): Mon 28 (1), Tue 29 (2).
        (date(2026, 9, 24), 2, date(2026, 9, 29)),
        # Wednesday 30 Sep: 1–7 Oct off, Thu 8 (1), Fri 9 (2), Sat 10 adjusted (3).
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        # Zero days: the day itself.
        (date(2026, 2, 15), 0, date(2026, 2, 15)),
    ],
)
def test_deadlines_across_holidays_and_adjusted_days(start: date, days: int, due: date) -> None:
    deadline = add_working_days(start, days, CAL)
    assert deadline.due == due
    assert not deadline.estimated


def test_beyond_the_calendar_weekends_only_and_said_so() -> None:
    """Thursday 31 Dec 2026 + 2: Fri 1 Jan 2027 (1, in reality New Year's Day off, not yet
    in the calendar), Mon 4 Jan (2) — estimated."""
    assert CAL.last_year == 2026
    deadline = add_working_days(date(2026, 12, 31), 2, CAL)
    assert deadline.due == date(2027, 1, 4)
    assert deadline.estimated
    # Wholly inside the calendar: not estimated.
    assert not add_working_days(date(2026, 12, 28), 2, CAL).estimated


def test_working_days_between() -> None:
    # Fri 13 Feb → Wed 25 Feb: 14, 24, 25 = 3 working days.
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 25), CAL) == 3
    assert working_days_between(date(2026, 2, 25), date(2026, 2, 13), CAL) == 0
    assert working_days_between(date(2026, 2, 13), date(2026, 4, 2), CAL) == 30


def test_a_calendar_given_by_hand() -> None:
    """Wednesday 1 Jan off, Saturday 4 Jan worked (a made-up year 2025 calendar)."""
    cal = make_calendar([date(2025, 1, 1)], [date(2025, 1, 4)])
    assert add_working_days(date(2024, 12, 31), 1, cal).due == date(2025, 1, 2)
    assert not add_working_days(date(2024, 12, 31), 1, cal).estimated  # only days after the start count
    assert add_working_days(date(2025, 1, 2), 2, cal).due == date(2025, 1, 4)
    empty = make_calendar([], [])
    assert add_working_days(date(2025, 1, 3), 1, empty) == workdays.Deadline(date(2025, 1, 6), True)


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1, CAL)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), 10**6, CAL)
    with pytest.raises(ValueError):
        working_days_between(date(2000, 1, 1), date(2099, 1, 1), CAL)
