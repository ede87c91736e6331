"""The weekly report's median time from the call to the saved case (screen pop), with its
definition, on the first page of the PDF."""

from __future__ import annotations

import datetime as dt
import io

from hotline import callers, cases, clock
from hotline.case_calls import CallRecord
from hotline.reports import definitions
from hotline.reports.gather import gather_weekly
from hotline.reports.kpi_table import kpi_lines
from hotline.reports.weekly_pdf import render_weekly_report
from hotline.reports.weeks import IsoWeek
from tests.conftest import sample_case
from tests.hotline.desk import OPERATOR
from tests.hotline.reports.conftest import pdf_pages, squeeze

MONDAY = dt.datetime(2026, 11, 23, 9, 30)


def _from_call(rang: dt.datetime, took: dt.timedelta) -> int:
    with clock.frozen(rang + took):
        case = cases.register(
            OPERATOR,
            sample_case(received_at=rang.isoformat()),
            call=CallRecord(call_at=rang, call_id=f"{rang:%H%M}"),
        )
    return case.id


def test_the_week_has_the_median_time_from_call_to_saved_case(database, ttf_fonts) -> None:
    first = _from_call(MONDAY, dt.timedelta(minutes=2, seconds=10))
    _from_call(MONDAY + dt.timedelta(hours=1), dt.timedelta(minutes=4))
    _from_call(MONDAY + dt.timedelta(hours=2), dt.timedelta(minutes=30))
    _from_call(MONDAY - dt.timedelta(days=7), dt.timedelta(minutes=5))  # the week before
    with clock.frozen(MONDAY + dt.timedelta(hours=3)):  # a follow-up is not a new case
        callers.follow_up(OPERATOR, first, "再次催问", CallRecord(call_at=MONDAY))
        cases.register(OPERATOR, sample_case(received_at=MONDAY.isoformat()))  # typed by hand
    with clock.frozen(MONDAY + dt.timedelta(days=3)):
        report = gather_weekly(IsoWeek(2026, 48))

    assert (report.current.calls_registered, report.current.call_to_save_median) == (3, 240)
    assert report.previous.call_to_save_median == 300
    lines = {line.name: line for line in kpi_lines(report.current, report.previous)}
    line = lines["来电至登记保存（中位数）"]
    assert (line.current, line.previous, line.change) == (
        "4 分 00 秒（3 件）",
        "5 分 00 秒（1 件）",
        "−1 分 00 秒",
    )
    assert line.direction == -1 and line.good_when_rising is False
    names = [name for name, _text in definitions.kpi_definitions()]
    assert "来电至登记保存（中位数）" in names

    out = io.BytesIO()
    render_weekly_report(report, out, fonts=ttf_fonts)
    text = squeeze("".join(pdf_pages(out.getvalue())))
    assert squeeze("来电至登记保存（中位数）4 分 00 秒（3 件）") in text


def test_a_week_without_calls_shows_a_dash(database) -> None:
    with clock.frozen(MONDAY):
        cases.register(OPERATOR, sample_case(received_at=MONDAY.isoformat()))
        report = gather_weekly(IsoWeek(2026, 48))
    line = {x.name: x for x in kpi_lines(report.current, report.previous)}[
        "来电至登记保存（中位数）"
    ]
    assert (line.current, line.change) == ("—", "—")
