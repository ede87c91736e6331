"""Counting the period after which an undiscovered act is no longer punished (追责时效).

Art. 36 of the Administrative Penalty Law: 2 years, 5 years where citizens' life and health
or financial security is involved and there were harmful consequences; counted from the act,
or from its end for an act with continuing state. Periods counted in years follow the Civil
Code (民法典 Art. 201-203): the day of the act is not counted, the period starts the next day
and ends on the same month and day of the final year, or on that month's last day where that
day does not exist (an act on 29 February 2024 -> the 2-year period ends 28 February 2026).

Art. 203's shift of a last day that falls on a holiday is not applied: it extends the time
a party has to act, while here the authority's discovery is measured, not a party's act.
"""

from __future__ import annotations

import calendar
import datetime as dt

YEARS_DEFAULT = 2
YEARS_LIFE_HEALTH_FINANCE = 5


def add_years(start: dt.date, years: int) -> dt.date | None:
    """The same month and day ``years`` later, or that month's last day; None past year 9999."""
    year = start.year + years
    if year > dt.MAXYEAR:
        return None
    last = calendar.monthrange(year, start.month)[1]
    return dt.date(year, start.month, min(start.day, last))


def last_day(start: dt.date, years: int) -> dt.date | None:
    """The last day of a ``years`` period that runs from the day after ``start``.

    None means the period ends beyond the calendar (nothing is ever time-barred by it).
    """
    return add_years(start, years)


def is_barred(start: dt.date, years: int, discovered: dt.date) -> bool:
    """Whether an act that ended on ``start`` and was discovered on ``discovered`` is barred.

    Discovery on the last day of the period is still inside it; the day after is outside.
    """
    end = last_day(start, years)
    return end is not None and discovered > end
