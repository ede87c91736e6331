"""ISO weeks: parsing, the last complete week, the boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.errors import ValidationError
from hotline.reports.weeks import IsoWeek, last_complete_week, parse_week


@pytest.mark.parametrize("text", ["2026-W47", "2026W47", "2026-w47", " 2026-W47 "])
def test_parse_week(text: str) -> None:
    week = parse_week(text)
    assert week == IsoWeek(2026, 47)
    assert (week.monday, week.sunday) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert week.code == "2026-W47"


@pytest.mark.parametrize(
    "text", ["", "2026-47", "W47", "2026-W54", "2026-W00", "2025-W53", "next week"]
)
def test_bad_weeks_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_week(text)
    assert error.value.fields() == {"week"}


def test_a_year_with_53_weeks() -> None:
    assert parse_week("2026-W53").sunday == dt.date(2027, 1, 3)
    week = parse_week("2020-W53")
    assert week.monday == dt.date(2020, 12, 28)
    assert week.sunday == dt.date(2021, 1, 3)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 23), IsoWeek(2026, 47)),  # Monday: the week that just ended
        (dt.date(2026, 11, 29), IsoWeek(2026, 47)),  # Sunday: this week is not over yet
        (dt.date(2026, 11, 30), IsoWeek(2026, 48)),
        (dt.date(2027, 1, 4), IsoWeek(2026, 53)),
        (dt.date(2021, 1, 4), IsoWeek(2020, 53)),
    ],
)
def test_last_complete_week(today: dt.date, expected: IsoWeek) -> None:
    assert last_complete_week(today) == expected


def test_boundaries_and_previous_week() -> None:
    week = IsoWeek(2026, 1)
    assert week.start == dt.datetime(2025, 12, 29)
    assert week.end == dt.datetime(2026, 1, 5)
    assert week.contains(dt.datetime(2026, 1, 4, 23, 59, 59))
    assert not week.contains(week.end)
    assert week.previous() == IsoWeek(2025, 52)
    assert len(week.days()) == 7 and week.days()[-1] == week.sunday
