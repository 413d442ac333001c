"""The working-day clock (工作日): periods of the APL counted on the official Chinese calendar.

A period starts on the day after its event (APL art. 85). Working days exclude weekends and
official holidays and include the make-up working days (调休). Years the ``chinesecalendar``
package lacks are read from ``policies/calendars/``; a date in a year known to neither is
counted on weekends alone and the result is marked unconfirmed (``calendar_unconfirmed``).
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@dataclass(frozen=True)
class YearCalendar:
    """Official holidays and make-up working days of one year, with their source."""

    year: int
    source: str
    holidays: frozenset[date]
    workdays: frozenset[date]


@dataclass(frozen=True)
class Due:
    """The last day of a period, and whether a year it touched was unconfirmed."""

    date: date
    unconfirmed: bool = False


@lru_cache(maxsize=256)
def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def package_years() -> list[int]:
    """The years the ``chinesecalendar`` package knows (a contiguous run, 2004 onwards)."""
    return [y for y in range(2000, 2101) if _package_knows(y)]


@lru_cache(maxsize=8192)
def _package_is_workday(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


@dataclass(frozen=True)
class WorkCalendar:
    """Answers "is this a working day" and computes the end of statutory periods."""

    extra_years: Mapping[int, YearCalendar] = field(default_factory=dict)

    def knows(self, year: int) -> bool:
        """True when holidays of ``year`` come from the package or from policies/."""
        return year in self.extra_years or _package_knows(year)

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (weekends alone in an unknown year)."""
        extra = self.extra_years.get(day.year)
        if extra is not None:
            if day in extra.workdays:
                return True
            if day in extra.holidays:
                return False
            return day.weekday() < 5
        if _package_knows(day.year):
            return _package_is_workday(day)
        return day.weekday() < 5

    def next_workday(self, day: date) -> Due:
        """``day`` itself when it is a working day, else the next working day."""
        unconfirmed = not self.knows(day.year)
        while not self.is_workday(day):
            day += timedelta(days=1)
            unconfirmed = unconfirmed or not self.knows(day.year)
        return Due(day, unconfirmed)

    def add_working_days(self, event: date, days: int) -> Due:
        """The ``days``-th working day after ``event``: the last day of the period."""
        if days < 1:
            raise ValueError("a period of working days has at least one day")
        day, counted, unconfirmed = event, 0, False
        while counted < days:
            day += timedelta(days=1)
            unconfirmed = unconfirmed or not self.knows(day.year)
            if self.is_workday(day):
                counted += 1
        return Due(day, unconfirmed)

    def add_calendar_days(self, event: date, days: int) -> Due:
        """``event`` plus ``days``, moved to the next working day when it is not one."""
        return self.next_workday(event + timedelta(days=days))

    def add_months(self, event: date, months: int) -> Due:
        """The day of the last month that corresponds to ``event``'s day (or that month's last
        day), moved to the next working day when it is not one."""
        return self.next_workday(shift_months(event, months))


def shift_months(event: date, months: int) -> date:
    """The corresponding day ``months`` months later, clamped to the month's last day."""
    index = event.year * 12 + (event.month - 1) + months
    year, month = divmod(index, 12)
    last = _stdcal.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(event.day, last))


def add_years(event: date, years: int) -> date:
    """The same day ``years`` later (28 February for 29 February in a common year)."""
    return shift_months(event, 12 * years)
