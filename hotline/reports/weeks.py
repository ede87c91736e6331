"""ISO weeks (Monday to Sunday, China time) as the weekly report counts them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from hotline.errors import ValidationError
from hotline.i18n import N_, _

WEEK_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})\s*$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def containing(cls, day: dt.date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def start(self) -> dt.datetime:
        """Monday 00:00, the first instant of the week (naive China time)."""
        return dt.datetime.combine(self.monday, dt.time())

    @property
    def end(self) -> dt.datetime:
        """The next Monday 00:00: the week is ``start <= t < end``."""
        return self.start + dt.timedelta(days=7)

    def days(self) -> list[dt.date]:
        return [self.monday + dt.timedelta(days=i) for i in range(7)]

    def previous(self) -> IsoWeek:
        return IsoWeek.containing(self.monday - dt.timedelta(days=7))

    def contains(self, moment: dt.datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    @property
    def code(self) -> str:
        """``2026-W47``."""
        return f"{self.year}-W{self.week:02d}"

    def title(self) -> str:
        """``2026年第47周（2026-11-16 至 2026-11-22）`` in the active locale."""
        return _("{year}年第{week}周（{monday} 至 {sunday}）").format(
            year=self.year,
            week=self.week,
            monday=self.monday.isoformat(),
            sunday=self.sunday.isoformat(),
        )

    def __str__(self) -> str:
        return self.code


def parse_week(text: str) -> IsoWeek:
    """``2026-W47`` (also ``2026W47``, ``2026-w7``) as an :class:`IsoWeek`.

    Raises :class:`ValidationError` on field ``week`` for anything else, or for a week the
    year does not have (``2026-W53``).
    """
    match = WEEK_PATTERN.match(text or "")
    if not match:
        raise ValidationError.single("week", N_("周次格式应为 2026-W47：{value}"), value=text)
    year, week = int(match.group(1)), int(match.group(2))
    try:
        dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValidationError.single(
            "week", N_("{year} 年没有第 {week} 周"), year=year, week=week
        ) from None
    return IsoWeek(year, week)


def last_complete_week(today: dt.date) -> IsoWeek:
    """The latest week that has fully ended by ``today`` (on a Monday: the week just ended)."""
    return IsoWeek.containing(today).previous()
