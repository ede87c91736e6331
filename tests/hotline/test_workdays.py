import datetime as dt

import chinese_calendar
import pytest

from hotline import db as hotline_db
from hotline import workdays
from hotline.i18n import set_locale
from hotline.models import Holiday
from hotline.workdays import OFFICIAL_YEARS, WorkCalendar, load_calendar

D = dt.date


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    db = hotline_db.open_database(tmp_path / "t.sqlite3")
    yield db
    hotline_db.close()


def test_official_range_is_read_from_the_package():
    assert OFFICIAL_YEARS.start == min(chinese_calendar.holidays).year
    assert OFFICIAL_YEARS.stop - 1 == max(chinese_calendar.holidays).year
    assert 2026 in OFFICIAL_YEARS


def test_agrees_with_the_package_day_by_day(calendar):
    day = D(2025, 1, 1)
    while day <= D(2026, 12, 31):
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        assert calendar.is_certain(day)
        day += dt.timedelta(days=1)


def test_national_day_2026(calendar):
    # Checked against the package: Oct 1-7 off, Sun Sep 20 and Sat Oct 10 are make-up days.
    for offset in range(7):
        assert not calendar.is_workday(D(2026, 10, 1) + dt.timedelta(days=offset))
    assert calendar.is_workday(D(2026, 9, 20))
    assert calendar.is_workday(D(2026, 10, 10))
    assert calendar.next_workday(D(2026, 9, 30)) == D(2026, 10, 8)
    assert calendar.add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert calendar.add_workdays(D(2026, 9, 29), 13) == D(2026, 10, 22)


def test_spring_festival_2026(calendar):
    assert calendar.is_workday(D(2026, 2, 14))  # Saturday, make-up day
    assert not calendar.is_workday(D(2026, 2, 16))
    assert not calendar.is_workday(D(2026, 2, 23))  # Monday, still the holiday
    assert calendar.is_workday(D(2026, 2, 28))  # Saturday, make-up day
    assert calendar.add_workdays(D(2026, 2, 12), 3) == D(2026, 2, 24)


def test_weekends_and_day_zero(calendar):
    assert calendar.add_workdays(D(2026, 3, 6), 3) == D(2026, 3, 11)  # Fri -> Wed
    assert calendar.add_workdays(D(2026, 3, 7), 0) == D(2026, 3, 9)  # Sat -> Mon
    assert calendar.add_workdays(D(2026, 3, 11), 0) == D(2026, 3, 11)
    assert calendar.next_workday(D(2026, 3, 6)) == D(2026, 3, 9)
    with pytest.raises(ValueError):
        calendar.add_workdays(D(2026, 3, 6), -1)


def test_workdays_between_counts_the_end_not_the_start(calendar):
    assert calendar.workdays_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert calendar.workdays_between(D(2026, 10, 8), D(2026, 9, 30)) == -1
    assert calendar.workdays_between(D(2026, 3, 9), D(2026, 3, 9)) == 0
    assert calendar.workdays_between(D(2026, 3, 6), D(2026, 3, 13)) == 5


@pytest.mark.parametrize("year", [2027, 2030])
def test_years_past_the_package_fall_back_to_weekends(calendar, year):
    assert year not in OFFICIAL_YEARS
    monday = D(year, 3, 1) - dt.timedelta(days=D(year, 3, 1).weekday())
    assert calendar.is_workday(monday)
    assert not calendar.is_workday(monday + dt.timedelta(days=5))
    assert not calendar.is_certain(monday)
    assert calendar.add_workdays(monday, 5) == monday + dt.timedelta(days=7)
    set_locale("zh_CN")
    warnings = calendar.fallback_warnings(monday, monday + dt.timedelta(days=7))
    assert len(warnings) == 1
    assert f"{year} 年" in warnings[0]


def test_warning_names_only_the_years_that_fell_back(calendar):
    assert calendar.uncertain_years(D(2026, 12, 28), D(2027, 1, 14)) == [2027]
    assert calendar.uncertain_years(D(2027, 1, 14), D(2026, 12, 28)) == [2027]
    assert calendar.uncertain_years(D(2026, 1, 1), D(2026, 12, 31)) == []
    assert calendar.uncertain_years(D(2027, 12, 30), D(2029, 1, 2)) == [2027, 2028, 2029]


def test_fallback_warning_is_translated(calendar):
    try:
        set_locale("en")
        (warning,) = calendar.fallback_warnings(D(2027, 1, 4), D(2027, 1, 5))
        assert "2027" in warning
        assert "年" not in warning
    finally:
        set_locale("zh_CN")


def test_overrides_win():
    calendar = WorkCalendar(
        {
            D(2027, 1, 1): False,  # New Year 2027, not in the package yet
            D(2027, 2, 20): True,  # a make-up Saturday
            D(2026, 10, 5): True,  # even over official data
            D(2026, 3, 11): False,
        }
    )
    assert not calendar.is_workday(D(2027, 1, 1))
    assert calendar.is_certain(D(2027, 1, 1))
    assert calendar.is_workday(D(2027, 2, 20))
    assert calendar.is_workday(D(2026, 10, 5))
    assert not calendar.is_workday(D(2026, 3, 11))
    # Mon Dec 28 2026 + 13 working days: Jan 1 2027 off moves the day from Jan 14 to Jan 15.
    assert WorkCalendar().add_workdays(D(2026, 12, 28), 13) == D(2027, 1, 14)
    assert calendar.add_workdays(D(2026, 12, 28), 13) == D(2027, 1, 15)
    # A range of 2027 made only of entered days needs no warning.
    assert calendar.fallback_warnings(D(2027, 1, 1), D(2027, 1, 1)) == []
    assert calendar.uncertain_years(D(2027, 1, 1), D(2027, 1, 2)) == [2027]


def test_datetimes_are_taken_as_their_day(calendar):
    assert calendar.add_workdays(dt.datetime(2026, 9, 30, 23, 59), 1) == D(2026, 10, 8)


def test_load_calendar_reads_the_holiday_table_and_sees_edits(database):
    assert load_calendar().is_workday(D(2027, 1, 1))
    Holiday.create(day=D(2027, 1, 1), is_workday=False, note="元旦")
    workdays.invalidate()
    calendar = load_calendar()
    assert not calendar.is_workday(D(2027, 1, 1))
    assert calendar.is_certain(D(2027, 1, 1))
    Holiday.update(is_workday=True).where(Holiday.day == D(2027, 1, 1)).execute()
    assert load_calendar().is_workday(D(2027, 1, 1))
