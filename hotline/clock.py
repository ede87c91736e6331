"""The program's notion of "now": China Standard Time, stored as naive datetimes.

China has used UTC+8 without daylight saving since 1991, so naive local datetimes are
unambiguous and sort correctly. Tests may freeze the clock with :func:`frozen`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """Current China time, naive, to the microsecond."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(CHINA_TZ).replace(tzinfo=None)


def today() -> dt.date:
    return now().date()


def as_date(value: object) -> dt.date:
    """A stored date or time as a date: a date, a datetime, or the ISO text SQLite returns."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def to_china(value: dt.datetime) -> dt.datetime:
    """Convert an aware datetime to naive China time; naive values are taken as China time."""
    if value.tzinfo is None:
        return value
    return value.astimezone(CHINA_TZ).replace(tzinfo=None)


@contextlib.contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Freeze :func:`now` at ``at`` (naive China time) inside the block."""
    global _frozen
    previous, _frozen = _frozen, at
    try:
        yield
    finally:
        _frozen = previous
