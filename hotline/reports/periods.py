"""Reporting periods: an ISO week, a calendar month, quarter or year, or any run of days.

Every period is a run of whole days, China time: ``start <= t < end`` with ``start`` the
first day's 00:00 and ``end`` the 00:00 after the last day. The figures of a period are
compared with those of the period before (the week, month, quarter or year before; for
custom dates the same number of days just before them).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from hotline.errors import ValidationError
from hotline.i18n import N_, _
from hotline.reports.weeks import IsoWeek, parse_week

WEEK, MONTH, QUARTER, YEAR, CUSTOM = "week", "month", "quarter", "year", "custom"
KINDS = (WEEK, MONTH, QUARTER, YEAR, CUSTOM)

# The report's name for each kind of period.
REPORT_TITLES = {
    WEEK: N_("营商环境投诉热线周报"),
    MONTH: N_("营商环境投诉热线月报"),
    QUARTER: N_("营商环境投诉热线季报"),
    YEAR: N_("营商环境投诉热线年报"),
    CUSTOM: N_("营商环境投诉热线统计报告"),
}
KIND_NAMES = {
    WEEK: N_("周"),
    MONTH: N_("月"),
    QUARTER: N_("季度"),
    YEAR: N_("年"),
    CUSTOM: N_("自定义"),
}
CURRENT_LABELS = {
    WEEK: N_("本周（{code}）"),
    MONTH: N_("本月（{code}）"),
    QUARTER: N_("本季度（{code}）"),
    YEAR: N_("本年（{code}）"),
    CUSTOM: N_("本期（{code}）"),
}
PREVIOUS_LABELS = {
    WEEK: N_("上周（{code}）"),
    MONTH: N_("上月（{code}）"),
    QUARTER: N_("上季度（{code}）"),
    YEAR: N_("上年（{code}）"),
    CUSTOM: N_("上期（{code}）"),
}
MAX_CUSTOM_DAYS = 3 * 366

MONTH_PATTERN = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
QUARTER_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")
YEAR_PATTERN = re.compile(r"^\s*(\d{4})\s*年?\s*$")


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    first: dt.date
    last: dt.date  # inclusive

    # Construction

    @classmethod
    def week(cls, week: IsoWeek) -> Period:
        return cls(WEEK, week.monday, week.sunday)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        days = calendar.monthrange(year, month)[1]
        return cls(MONTH, dt.date(year, month, 1), dt.date(year, month, days))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = dt.date(year, 3 * quarter - 2, 1)
        last_month = 3 * quarter
        return cls(
            QUARTER, first, dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        )

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def custom(cls, first: dt.date, last: dt.date) -> Period:
        """Any run of days; raises :class:`ValidationError` (field ``period``) when ``last`` is
        before ``first`` or the run is longer than three years."""
        if last < first:
            raise ValidationError.single(
                "period",
                N_("结束日期 {last} 早于开始日期 {first}"),
                first=first.isoformat(),
                last=last.isoformat(),
            )
        if (last - first).days + 1 > MAX_CUSTOM_DAYS:
            raise ValidationError.single(
                "period", N_("统计期最长三年（{days} 天）"), days=MAX_CUSTOM_DAYS
            )
        return cls(CUSTOM, first, last)

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> Period:
        """The week, month, quarter or year that contains ``day``."""
        if kind == WEEK:
            return cls.week(IsoWeek.containing(day))
        if kind == MONTH:
            return cls.month(day.year, day.month)
        if kind == QUARTER:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == YEAR:
            return cls.year(day.year)
        return cls.custom(day, day)

    # Arithmetic

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time())

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time())

    @property
    def day_count(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, moment: dt.datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range(self.day_count)]

    def previous(self) -> Period:
        if self.kind == CUSTOM:
            last = self.first - dt.timedelta(days=1)
            return Period(CUSTOM, last - dt.timedelta(days=self.day_count - 1), last)
        return Period.containing(self.kind, self.first - dt.timedelta(days=1))

    def following(self) -> Period:
        if self.kind == CUSTOM:
            first = self.last + dt.timedelta(days=1)
            return Period(CUSTOM, first, first + dt.timedelta(days=self.day_count - 1))
        return Period.containing(self.kind, self.last + dt.timedelta(days=1))

    def complete(self, today: dt.date) -> bool:
        """Whether the period has ended by ``today``."""
        return self.last < today

    # Names

    @property
    def code(self) -> str:
        """``2026-W47``, ``2026-11``, ``2026Q4``, ``2026``, ``2026-11-01~2026-11-15``."""
        if self.kind == WEEK:
            return IsoWeek.containing(self.first).code
        if self.kind == MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.first.year}Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == YEAR:
            return str(self.first.year)
        return f"{self.first.isoformat()}~{self.last.isoformat()}"

    def title(self) -> str:
        """The period in words, in the active locale."""
        first, last = self.first.isoformat(), self.last.isoformat()
        if self.kind == WEEK:
            return IsoWeek.containing(self.first).title()
        if self.kind == MONTH:
            return _("{year}年{month}月").format(year=self.first.year, month=self.first.month)
        if self.kind == QUARTER:
            return _("{year}年第{quarter}季度（{first} 至 {last}）").format(
                year=self.first.year,
                quarter=(self.first.month - 1) // 3 + 1,
                first=first,
                last=last,
            )
        if self.kind == YEAR:
            return _("{year}年").format(year=self.first.year)
        return _("{first} 至 {last}").format(first=first, last=last)

    def current_label(self) -> str:
        """The KPI table's heading of this period: ``本周（2026-W47）``."""
        return _(CURRENT_LABELS[self.kind]).format(code=self.code)

    def previous_label(self) -> str:
        return _(PREVIOUS_LABELS[self.kind]).format(code=self.previous().code)

    def report_title(self) -> str:
        return _(REPORT_TITLES[self.kind])

    def file_stem(self) -> str:
        """The default file name's stem: ``weekly-2026-W47``, ``monthly-2026-11``..."""
        prefix = {
            WEEK: "weekly",
            MONTH: "monthly",
            QUARTER: "quarterly",
            YEAR: "annual",
            CUSTOM: "period",
        }[self.kind]
        if self.kind == CUSTOM:
            return f"{prefix}-{self.first:%Y%m%d}-{self.last:%Y%m%d}"
        return f"{prefix}-{self.code}"

    def __str__(self) -> str:
        return self.code


def parse_month(text: str) -> Period:
    match = MONTH_PATTERN.match(text or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError.single("period", N_("月份格式应为 2026-11：{value}"), value=text)
    return Period.month(int(match.group(1)), int(match.group(2)))


def parse_quarter(text: str) -> Period:
    match = QUARTER_PATTERN.match(text or "")
    if not match:
        raise ValidationError.single("period", N_("季度格式应为 2026Q3：{value}"), value=text)
    return Period.quarter(int(match.group(1)), int(match.group(2)))


def parse_year(text: str) -> Period:
    match = YEAR_PATTERN.match(text or "")
    if not match or int(match.group(1)) < 1900:
        raise ValidationError.single("period", N_("年份格式应为 2026：{value}"), value=text)
    return Period.year(int(match.group(1)))


def parse_day(text: str, field: str = "period") -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationError.single(
            field, N_("日期格式应为 2026-11-01：{value}"), value=text
        ) from None


def parse_period(kind: str, text: str) -> Period:
    """``text`` read as a period of ``kind`` (custom: ``2026-11-01~2026-11-15``)."""
    if kind == WEEK:
        return Period.week(parse_week(text))
    if kind == MONTH:
        return parse_month(text)
    if kind == QUARTER:
        return parse_quarter(text)
    if kind == YEAR:
        return parse_year(text)
    first, _sep, last = (text or "").partition("~")
    return Period.custom(parse_day(first), parse_day(last or first))


def last_complete(kind: str, today: dt.date) -> Period:
    """The latest period of ``kind`` that has ended by ``today``."""
    return Period.containing(kind, today).previous()


@dataclass(frozen=True)
class Bucket:
    """One bar of the intake chart: the cases received from ``first`` to ``last``."""

    first: dt.date
    last: dt.date
    label: str


def intake_buckets(period: Period) -> list[Bucket]:
    """Days for up to 62 days, ISO weeks up to half a year, else months."""
    if period.day_count <= 62:
        return [Bucket(day, day, str(day.day)) for day in period.days()]
    buckets: list[Bucket] = []
    if period.day_count <= 190:
        first = period.first
        while first <= period.last:
            week = IsoWeek.containing(first)
            last = min(week.sunday, period.last)
            buckets.append(Bucket(first, last, f"W{week.week:02d}"))
            first = last + dt.timedelta(days=1)
        return buckets
    first = period.first
    while first <= period.last:
        month = Period.month(first.year, first.month)
        last = min(month.last, period.last)
        label = f"{first:%m}" if period.kind == YEAR else f"{first:%Y-%m}"
        buckets.append(Bucket(first, last, label))
        first = last + dt.timedelta(days=1)
    return buckets
