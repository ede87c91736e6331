"""Working days: Chinese statutory holidays, make-up workdays (调休) and administrators' days.

Inside the years the ``chinesecalendar`` package has official data for, a day is a working
day as the State Council's notices say. Outside them the calendar falls back to "Monday to
Friday" and says so (:meth:`WorkCalendar.fallback_warnings`), so that an administrator enters
the new year's holidays. Days entered by an administrator (the ``Holiday`` table) win over
both. Nothing here raises for a year the package does not know.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Mapping
from types import MappingProxyType

import chinese_calendar

from hotline.i18n import N_, _

log = logging.getLogger(__name__)

# The years the package has official data for: the same test the package makes itself.
OFFICIAL_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)

FALLBACK_WARNING = N_("{year} 年的法定节假日安排尚未收录，按周末计算工作日，请管理员补充节假日。")

_ONE_DAY = dt.timedelta(days=1)


def as_day(value: dt.date) -> dt.date:
    """``value`` as a plain date (a datetime is cut to its day)."""
    return value.date() if isinstance(value, dt.datetime) else value


@functools.cache
def _official_is_workday(day: dt.date) -> bool:
    return bool(chinese_calendar.is_workday(day))


class WorkCalendar:
    """Which days are working days, and arithmetic in working days."""

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None) -> None:
        # True: a make-up workday; False: a day off.
        self._overrides = {as_day(day): bool(work) for day, work in (overrides or {}).items()}

    @property
    def overrides(self) -> Mapping[dt.date, bool]:
        return MappingProxyType(self._overrides)

    def is_workday(self, day: dt.date) -> bool:
        day = as_day(day)
        override = self._overrides.get(day)
        if override is not None:
            return override
        if day.year in OFFICIAL_YEARS:
            return _official_is_workday(day)
        return day.weekday() < 5

    def is_certain(self, day: dt.date) -> bool:
        """Whether the day was decided by official data or an administrator, not the fallback."""
        day = as_day(day)
        return day in self._overrides or day.year in OFFICIAL_YEARS

    def next_workday(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day = as_day(day) + _ONE_DAY
        while not self.is_workday(day):
            day += _ONE_DAY
        return day

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself not counted).

        ``n == 0`` gives ``start`` when it is a working day, else the next working day.
        """
        if n < 0:
            raise ValueError(f"n must not be negative: {n}")
        start = as_day(start)
        if n == 0:
            return start if self.is_workday(start) else self.next_workday(start)
        day = start
        for _count in range(n):
            day = self.next_workday(day)
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """The number of working days in (start, end]: 0 when ``end == start``.

        When ``end`` is before ``start`` the result is minus the number of working days in
        (end, start], so that ``workdays_between(a, b) == -workdays_between(b, a)``.
        """
        start, end = as_day(start), as_day(end)
        if end < start:
            return -self.workdays_between(end, start)
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            if self.is_workday(day):
                count += 1
            day += _ONE_DAY
        return count

    def uncertain_years(self, first: dt.date, last: dt.date) -> list[int]:
        """The years in which some day of [first, last] (either order) used the fallback."""
        first, last = sorted((as_day(first), as_day(last)))
        years: list[int] = []
        for year in range(first.year, last.year + 1):
            if year in OFFICIAL_YEARS:
                continue
            begin = max(first, dt.date(year, 1, 1))
            end = min(last, dt.date(year, 12, 31))
            span = (end - begin).days + 1
            overridden = sum(1 for day in self._overrides if begin <= day <= end)
            if overridden < span:
                years.append(year)
        return years

    def fallback_warnings(self, first: dt.date, last: dt.date) -> list[str]:
        """Translated warnings, one per year of [first, last] that used the fallback."""
        return [_(FALLBACK_WARNING).format(year=year) for year in self.uncertain_years(first, last)]


def load_calendar() -> WorkCalendar:
    """The calendar with the administrators' days of the open database.

    It reads the (small) ``Holiday`` table on every call, so it never shows a stale day, also
    when another workstation edited it; load it once per operation and pass it on.
    """
    from hotline.models import Holiday, tuples

    rows = tuples(Holiday.select(Holiday.day, Holiday.is_workday))
    return WorkCalendar({day: bool(work) for day, work in rows})


def invalidate() -> None:
    """Called by code that edits holidays. :func:`load_calendar` keeps no cache, so there is
    nothing to drop; the hook stays so that a cache can be added without changing callers."""
