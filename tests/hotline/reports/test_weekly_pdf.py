"""The weekly report PDF drawn from plain data and read back."""

from __future__ import annotations

import datetime as dt
import io

from hotline import __version__, i18n, version
from hotline.migrations import latest_version
from hotline.reports.data import BreakdownRow, Dimension, Kpis, WeeklyCaseRow, WeeklyReport
from hotline.reports.fonts import FontSet
from hotline.reports.kpi_table import kpi_lines
from hotline.reports.periods import Period, intake_buckets
from hotline.reports.weekly_pdf import render_weekly_report
from hotline.reports.weeks import IsoWeek
from tests.hotline.reports.conftest import PRINTED_AT, make_summary, pdf_pages, squeeze

WEEK = IsoWeek(2026, 47)
PERIOD = Period.week(WEEK)


def _rows(dimension: Dimension, items: list[tuple[str, int]]) -> list[BreakdownRow]:
    return [BreakdownRow(name=name, key=name, received=n) for name, n in items]


def _report(cases: int = 30, **overrides: object) -> WeeklyReport:
    rows = [
        WeeklyCaseRow(
            case_no=f"YS202611{16 + i % 7}-{i:04d}",
            received_at=dt.datetime(2026, 11, 16 + i % 7, 8 + i % 10, 5),
            enterprise="鹤壁经济技术开发区京东方光电科技配套产业园管理有限责任公司"
            if i % 5 == 0
            else f"鹤壁市第{i}号商贸有限公司",
            kind="投诉",
            category="行政审批",
            department="市市场监督管理局" if i % 3 else "",
            status="已派单",
        )
        for i in range(cases)
    ]
    values: dict[str, object] = dict(
        period=PERIOD,
        current=Kpis(
            received=cases,
            closed=40,
            closed_on_time=36,
            overdue_open=5,
            replied=30,
            replied_called_back=28,
            called_back=28,
            satisfied=25,
            repeat=3,
            exemptions={"不予处罚（轻微）": 2, "可以不予处罚（首次违法）": 4},
        ),
        previous=Kpis(
            received=17,
            closed=44,
            closed_on_time=41,
            overdue_open=7,
            replied=35,
            called_back=0,
            satisfied=0,
            repeat=1,
            exemptions={"需补充事实": 2},
        ),
        breakdowns={
            Dimension.KIND: _rows(Dimension.KIND, [("咨询", 4), ("投诉", 26)]),
            Dimension.CATEGORY: _rows(
                Dimension.CATEGORY, [("行政审批", 20), ("执法检查与处罚", 10)]
            ),
            Dimension.DISTRICT: _rows(
                Dimension.DISTRICT, [("淇滨区", 18), ("鹤壁经济技术开发区", 12)]
            ),
            Dimension.DEPARTMENT: [
                BreakdownRow(
                    name="市市场监督管理局",
                    received=20,
                    closed=30,
                    closed_on_time=27,
                    overdue_open=4,
                    called_back=20,
                    satisfied=18,
                ),
                BreakdownRow(
                    name="未派单",
                    received=10,
                    closed=10,
                    closed_on_time=9,
                    overdue_open=1,
                    called_back=8,
                    satisfied=7,
                ),
            ],
        },
        intake=[(bucket, i + 1) for i, bucket in enumerate(intake_buckets(PERIOD))],
        received_total=cases,
        cases=rows,
    )
    values.update(overrides)
    return WeeklyReport(**values)  # type: ignore[arg-type]


def _render(report: WeeklyReport, fonts: FontSet) -> list[str]:
    out = io.BytesIO()
    render_weekly_report(report, out, generated_at=PRINTED_AT, generated_by="科长丙", fonts=fonts)
    return pdf_pages(out.getvalue())


def test_page_one_has_every_kpi_with_last_week_and_the_change(any_fonts: FontSet) -> None:
    pages = _render(_report(), any_fonts)
    first = squeeze(pages[0])
    # Expected strings written out by hand from the numbers above.
    for row in (
        "受理量3017+13",
        "办结量4044-4",
        "按时办结率90.0%（36/40）93.2%（41/44）-3.2个百分点",
        "期末超期未办57-2",
        "回访率93.3%（28/30）0.0%（0/35）+93.3个百分点",
        "满意率89.3%（25/28）—（0/0）—",
        "重复诉求31+2",
        "首错免罚评估62+4",
        "其中：不予处罚（轻微）20+2",
        "其中：可以不予处罚（首次违法）40+4",
        "其中：需补充事实02-2",
    ):
        assert row in first, row
    assert "2026年第47周（2026-11-16至2026-11-22）" in first
    assert f"第 1 页 / 共 {len(pages)} 页" in pages[0]


def test_kpi_lines_match_the_table(ttf_fonts: FontSet) -> None:
    report = _report()
    first = squeeze(_render(report, ttf_fonts)[0])
    for line in kpi_lines(report.current, report.previous):
        assert squeeze(line.name + line.current + line.previous + line.change) in first


def test_charts_departments_cases_and_definitions_are_there(any_fonts: FontSet) -> None:
    report = _report(cases=300)
    pages = _render(report, any_fonts)
    text = squeeze("".join(pages))
    for expected in ("每日受理量", "按诉求类型", "按问题类别", "按所属区域", "执法检查与处罚"):
        assert expected in text
    assert "市市场监督管理局203027" in text  # received, closed, on time
    assert "合计" in text
    for case in report.cases:
        assert case.case_no in text
    # The list spans pages and its header row is repeated on each of them.
    list_pages = [p for p in pages if "YS20261116-0000" in p or "-0299" in p or "-0150" in p]
    assert len(list_pages) >= 2
    assert all("案件编号" in page for page in list_pages)
    assert "指标说明" in text
    assert "不会超过100%" in text
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in page


def test_a_long_enterprise_name_is_wrapped_not_cut(ttf_fonts: FontSet) -> None:
    text = squeeze("".join(_render(_report(cases=6), ttf_fonts)))
    assert "鹤壁经济技术开发区京东方光电科技配套产业园管理有限责任公司" in text


def test_case_summaries_can_be_appended(ttf_fonts: FontSet) -> None:
    summaries = [
        make_summary(case_no=f"YS20261116-{i:04d}", subject=f"第{i}件摘要") for i in (1, 2)
    ]
    pages = _render(_report(cases=3, summaries=summaries), ttf_fonts)
    text = squeeze("".join(pages))
    assert "附：案件摘要（共2件）" in text
    assert "第1件摘要" in text and "第2件摘要" in text
    assert text.index("指标说明") < text.index("附：案件摘要")


def test_an_empty_week_renders(ttf_fonts: FontSet) -> None:
    report = WeeklyReport(period=PERIOD, current=Kpis(), previous=Kpis())
    text = squeeze("".join(_render(report, ttf_fonts)))
    assert "本期没有受理案件" in text
    assert "按时办结率—（0/0）—（0/0）—" in text


def test_in_english_the_report_is_english(ttf_fonts: FontSet) -> None:
    i18n.set_locale("en")
    try:
        pages = _render(_report(), ttf_fonts)
    finally:
        i18n.set_locale("zh_CN")
    text = " ".join(pages)
    assert "Page 1 of" in text
    assert "On-time closure rate" in text
    assert "Definitions" in text
    assert "按时办结率" not in text


def test_the_definitions_exist_in_both_languages() -> None:
    from hotline.reports.definitions import kpi_definitions, kpi_definitions_markdown

    chinese = kpi_definitions_markdown()
    assert "| 按时办结率 |" in chinese and "不晚于办理期限" in chinese
    i18n.set_locale("en")
    try:
        english = kpi_definitions()
    finally:
        i18n.set_locale("zh_CN")
    assert len(english) == chinese.count("\n") - 1
    chinese_characters = [
        ch for name, body in english for ch in name + body if "\u4e00" <= ch <= "\u9fff"
    ]
    assert not chinese_characters


def test_every_page_names_the_program_version_that_made_it(ttf_fonts: FontSet) -> None:
    pages = _render(_report(cases=200), ttf_fonts)
    assert len(pages) >= 2
    generator = squeeze(version.generator_line())
    assert __version__ in generator and str(latest_version()) in generator
    assert all(generator in squeeze(page) for page in pages)


def test_the_case_lists_row_heights_are_those_reportlab_measures(ttf_fonts: FontSet) -> None:
    """The list's rows are given their heights (measuring them again at every page break made
    a week of 13,000 cases take 16 s): the same heights reportlab finds by itself, wrapped
    rows included, so the pages break as before."""
    from reportlab.platypus import Table

    from hotline.reports.styles import make_styles
    from hotline.reports.weekly_pdf import _case_list

    report = _report(cases=12)
    given = next(f for f in _case_list(report, make_styles(ttf_fonts)) if isinstance(f, Table))
    measured = Table(given._cellvalues, colWidths=given._argW, repeatRows=1)
    measured._cellStyles = given._cellStyles  # each cell's font, leading and padding
    given.wrap(500, 10_000)
    measured.wrap(500, 10_000)
    assert given._rowHeights[1:] == measured._rowHeights[1:]
    assert len(set(given._rowHeights[1:])) > 1  # a wrapped enterprise name makes a taller row
