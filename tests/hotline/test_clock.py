"""Reading stored dates back: the forms SQLite and PostgreSQL hand them in."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import clock


@pytest.mark.parametrize(
    "stored",
    [
        dt.date(2026, 3, 1),
        dt.datetime(2026, 3, 1, 23, 59, 59),
        "2026-03-01",
        "2026-03-01 23:59:59.123456",
        "2026-03-01T08:00:00",
    ],
)
def test_a_stored_date_or_time_reads_as_its_day(stored: object) -> None:
    assert clock.as_date(stored) == dt.date(2026, 3, 1)


def test_text_that_is_no_date_is_refused() -> None:
    with pytest.raises(ValueError):
        clock.as_date("2026-02-30")
