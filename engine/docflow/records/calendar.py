"""Working days: the project's calendar (the workflow's, plus project.yaml's holidays and
adjusted working days), and counting working days from a date.

Written here rather than taken from a holiday library: the days that count are the ones the
contract parties agreed, listed in the workflow and project.yaml where both can read them,
not a library's guess at a country's calendar; the rule itself is a few lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docflow.spec.records import CalendarSpec

__all__ = ["WorkCalendar"]

_DAY = dt.timedelta(days=1)
# No list of holidays is that long: a bound that keeps a bad calendar from looping forever.
_MAX_SPAN = 3660


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days."""

    weekend: frozenset[int] = frozenset({6, 7})
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()

    @classmethod
    def of(cls, *specs: CalendarSpec) -> WorkCalendar:
        """The calendar of several specs together: the first one's weekend, every holiday and
        every adjusted working day (a day another spec lists as a holiday stays one)."""
        first = specs[0] if specs else CalendarSpec()
        holidays = frozenset(d for s in specs for d in s.holidays)
        workdays = frozenset(d for s in specs for d in s.workdays) - holidays
        return cls(frozenset(first.weekend), holidays, workdays)

    def is_workday(self, day: dt.date) -> bool:
        """True on a working day."""
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        return day.isoweekday() not in self.weekend

    def add(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
        day, counted = start, 0
        for _ in range(_MAX_SPAN):
            if counted >= days:
                return day
            day += _DAY
            if self.is_workday(day):
                counted += 1
        raise ValueError(f"no {days} working days within ten years of {start}")

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += _DAY
            count += self.is_workday(day)
        return count
