"""The figures of any period: rates never above 100%, each figure's cases are exactly the ones
counted, the statistics equal the PDF's, the tables read back from XLSX."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from hotline.models import Case, Department
from hotline.permissions import Actor
from hotline.reports import gather, service
from hotline.reports.data import (
    CASE_MEASURES,
    RATES,
    CaseFacts,
    Dimension,
    FigureRef,
    Measure,
)
from hotline.reports.kpi_table import kpi_lines
from hotline.reports.periods import Period
from hotline.reports.weekly_pdf import render_period_report
from hotline.reports.weeks import IsoWeek
from tests.hotline.reports.conftest import PRINTED_AT, pdf_pages, squeeze
from tests.hotline.reports.test_gather import _insert, random_cases  # noqa: F401 (fixture)

WEEK = IsoWeek(2026, 47)  # 2026-11-16 .. 2026-11-22
MONTH = Period.month(2026, 11)


def test_callbacks_of_last_weeks_answers_no_longer_push_the_rate_over_100(database) -> None:
    """Two cases answered the week before and called back this week, one answered this week
    and not yet called back: the old rate divided 2 callbacks by 1 answer (200%)."""
    dispatched = {"department": 1, "dispatched_at": dt.datetime(2026, 11, 10, 9)}
    for day in (12, 13):
        _insert(
            **dispatched,
            status="called_back",
            received_at=dt.datetime(2026, 11, 10, 8),
            deadline=dt.date(2026, 11, 25),
            handled_at=dt.datetime(2026, 11, day, 15),
            callback_at=dt.datetime(2026, 11, 17, 10),
            satisfaction="satisfied",
        )
    _insert(
        **dispatched,
        status="replied",
        deadline=dt.date(2026, 11, 25),
        handled_at=dt.datetime(2026, 11, 18, 15),
    )
    kpis = gather.gather_weekly(WEEK).current
    assert kpis.callback_rate is not None and kpis.callback_rate <= 1.0
    assert kpis.callback_rate == 0.0  # the one case answered this week was not called back
    assert kpis.satisfaction_rate == 1.0  # of the two called back this week, both satisfied


def _row(case: dict[str, Any], case_id: int) -> tuple[Any, ...]:
    return (
        case_id,
        f"YS-{case_id}",
        case["kind"],
        case["category"],
        "hotline",
        case["status"],
        case["district"],
        case["department"],
        "",
        case["received_at"],
        case["dispatched_at"],
        case["deadline"],
        case["handled_at"],
        case["callback_at"],
        case["satisfaction"],
        case["closed_at"],
        case.get("repeat_of"),
    )


moments = st.one_of(
    st.none(),
    st.datetimes(min_value=dt.datetime(2026, 10, 20), max_value=dt.datetime(2026, 12, 10)),
)


@st.composite
def any_case(draw: st.DrawFn) -> dict[str, Any]:
    """A case with any timestamps at all (also inconsistent ones): the rates must hold."""
    return {
        "kind": draw(st.sampled_from(["complaint", "consultation"])),
        "category": draw(st.sampled_from(["approval", "other"])),
        "district": draw(st.sampled_from([None, "410611"])),
        "department": draw(st.sampled_from([None, 1, 2])),
        "status": draw(
            st.sampled_from(["registered", "dispatched", "replied", "called_back", "closed"])
        ),
        "received_at": draw(
            st.datetimes(min_value=dt.datetime(2026, 10, 20), max_value=dt.datetime(2026, 12, 5))
        ),
        "dispatched_at": draw(moments),
        "deadline": draw(
            st.one_of(st.none(), st.dates(dt.date(2026, 10, 20), dt.date(2026, 12, 10)))
        ),
        "handled_at": draw(moments),
        "callback_at": draw(moments),
        "satisfaction": draw(st.sampled_from([None, "satisfied", "dissatisfied"])),
        "closed_at": draw(moments),
        "repeat_of": draw(st.sampled_from([None, 1])),
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cases=st.lists(any_case(), max_size=40),
    first=st.dates(dt.date(2026, 10, 25), dt.date(2026, 11, 30)),
    days=st.integers(1, 40),
)
def test_every_rate_is_at_most_100_percent_and_every_count_lists_its_cases(
    database,
    monkeypatch: pytest.MonkeyPatch,
    cases: list[dict[str, Any]],
    first: dt.date,
    days: int,
) -> None:
    rows = [_row(case, number) for number, case in enumerate(cases, start=1)]
    monkeypatch.setattr(gather, "_fetch_rows", lambda periods: rows)
    period = Period.custom(first, first + dt.timedelta(days=days - 1))
    report = gather.gather_period(period)
    for kpis, previous in ((report.current, False), (report.previous, True)):
        for attribute, (part, whole) in RATES.items():
            rate = getattr(kpis, attribute)
            assert rate is None or 0.0 <= rate <= 1.0, (attribute, rate)
            part_ids = set(report.case_ids(FigureRef(part, previous)))
            assert part_ids <= set(report.case_ids(FigureRef(whole, previous)))
        for measure in CASE_MEASURES:
            ref = FigureRef(measure, previous)
            assert report.count(ref) == len(report.case_ids(ref)), measure
    for dimension in Dimension:
        for row in report.breakdowns[dimension]:
            for attribute in RATES:
                rate = getattr(row, attribute)
                assert rate is None or rate <= 1.0
            for measure in CASE_MEASURES:
                ref = FigureRef(measure, dimension=dimension, key=row.key)
                assert report.count(ref) == len(report.case_ids(ref))
        assert sum(r.received for r in report.breakdowns[dimension]) == report.current.received
    assert sum(n for _b, n in report.intake) == report.current.received
    for index, (_bucket, number) in enumerate(report.intake):
        assert len(report.case_ids(FigureRef(Measure.RECEIVED, bucket=index))) == number


def test_a_figures_cases_are_the_ones_the_database_holds(
    random_cases: list[dict],  # noqa: F811
) -> None:
    report = gather.gather_period(MONTH)
    start, end = MONTH.start, MONTH.end
    received = [
        c.id for c in Case.select().where((Case.received_at >= start) & (Case.received_at < end))
    ]
    assert sorted(report.case_ids(FigureRef(Measure.RECEIVED))) == sorted(received)
    department = Department.get_by_id(report.departments[0].key)
    closed_there = [
        c.id
        for c in Case.select().where(
            (Case.status == "closed")
            & (Case.closed_at >= start)
            & (Case.closed_at < end)
            & (Case.department == department.id)
        )
    ]
    ref = FigureRef(Measure.CLOSED, dimension=Dimension.DEPARTMENT, key=department.id)
    assert sorted(report.case_ids(ref)) == sorted(closed_there)
    assert report.count(ref) == len(closed_there) > 0


def test_the_statistics_equal_the_pdfs_figures(random_cases: list[dict]) -> None:  # noqa: F811
    actor = Actor.command_line("tester")
    shown = service.gather_statistics(actor, MONTH)
    out = io.BytesIO()
    render_period_report(gather.gather_period(MONTH), out, generated_at=PRINTED_AT)
    first = squeeze(pdf_pages(out.getvalue())[0])
    assert "营商环境投诉热线月报" in first and "本月（2026-11）" in first
    for line in kpi_lines(shown.current, shown.previous):
        assert squeeze(line.name + line.current + line.previous + line.change) in first


def test_period_arithmetic() -> None:
    assert MONTH.previous() == Period.month(2026, 10)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    quarter = Period.quarter(2026, 3)
    assert (quarter.first, quarter.last, quarter.code) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
        "2026Q3",
    )
    assert quarter.previous() == Period.quarter(2026, 2)
    assert Period.year(2026).previous().code == "2025"
    custom = Period.custom(dt.date(2026, 11, 1), dt.date(2026, 11, 10))
    assert custom.previous() == Period.custom(dt.date(2026, 10, 22), dt.date(2026, 10, 31))
    assert Period.week(WEEK).previous() == Period.week(WEEK.previous())
    assert [len(p.days()) for p in (MONTH, quarter)] == [30, 92]


def test_statistics_tables_read_back_from_xlsx(
    random_cases: list[dict],  # noqa: F811
    tmp_path: Path,
) -> None:
    actor = Actor.command_line("tester")
    report = service.gather_statistics(actor, MONTH)
    path = service.export_statistics_xlsx(actor, report, tmp_path)
    assert path.name == "statistics-2026-11.xlsx"
    book = load_workbook(path)
    assert book.sheetnames[:3] == ["主要指标", "承办单位", "所属区域"]
    main = book["主要指标"]
    assert main.freeze_panes == "B2"
    assert [c.value for c in main[1]] == ["指标", "本月（2026-11）", "上月（2026-10）", "变化"]
    values = {row[0].value: row[1].value for row in main.iter_rows(min_row=2) if row[0].value}
    assert values["受理量"] == report.current.received
    assert values["回访率"] == pytest.approx(report.current.callback_rate)
    assert main["B5"].number_format == "0.0%"  # 按时办结率
    departments = book["承办单位"]
    heads = [c.value for c in departments[1]]
    assert heads[:3] == ["承办单位", "受理量", "办结量"]
    assert departments.column_dimensions["A"].width >= 10
    body = list(departments.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in body[:-1]] == [r.name for r in report.departments]
    assert body[-1][0] == "合计" and body[-1][1] == report.current.received
    assert "指标说明" in book.sheetnames


def test_facts_bits_hold_this_period_and_the_one_before() -> None:
    assert CaseFacts.bit(Measure.RECEIVED) == 1
    assert CaseFacts.bit(Measure.RECEIVED, previous=True) == 1 << CaseFacts.PREVIOUS_SHIFT
    assert len(CASE_MEASURES) < CaseFacts.PREVIOUS_SHIFT
