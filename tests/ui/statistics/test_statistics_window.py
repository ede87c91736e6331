"""The statistics window: the PDF's figures on screen, every figure listing exactly its cases,
the tables exported to XLSX, opened from the main window's Reports menu."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from hotline.models import Case
from hotline.reports import gather
from hotline.reports.data import Dimension, Measure
from hotline.reports.periods import Period
from hotline.reports.weekly_pdf import render_period_report
from hotline.reports.xlsx import BREAKDOWN_COLUMNS
from tests.hotline.reports.conftest import PRINTED_AT, pdf_pages, squeeze
from tests.hotline.reports.test_gather import random_cases  # noqa: F401 (fixture)
from ui.common.session import Session
from ui.statistics.breakdown_model import FIGURE_ROLE
from ui.statistics.cases_window import FigureCasesWindow
from ui.statistics.window import StatisticsWindow, plain

TODAY = dt.date(2026, 11, 25)  # the window opens on November 2026
MONTH = Period.month(2026, 11)
WAIT_MS = 20_000


def _window(qtbot, session: Session, opened: list[int] | None = None) -> StatisticsWindow:  # type: ignore[no-untyped-def]
    window = StatisticsWindow(
        session, today=TODAY, open_case=(opened.append if opened is not None else None)
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=WAIT_MS):
        window.show()
    return window


def _listed(qtbot, window: StatisticsWindow) -> FigureCasesWindow:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: bool(window.case_windows), timeout=WAIT_MS)
    listed = window.case_windows.pop()
    qtbot.addWidget(listed)
    return listed


def _ids(qtbot, listed: FigureCasesWindow) -> list[int]:  # type: ignore[no-untyped-def]
    model = listed.model
    return [model.case_id_at(row) for row in range(model.rowCount())]


def _received_ids(period: Period, **where: object) -> list[int]:
    query = Case.select().where(
        (Case.received_at >= period.start) & (Case.received_at < period.end)
    )
    for field, value in where.items():
        query = query.where(getattr(Case, field) == value)
    return sorted(c.id for c in query)


def test_the_windows_figures_are_the_pdfs(qtbot, session: Session, random_cases) -> None:  # noqa: F811
    window = _window(qtbot, session)
    assert window.title.text() == "营商环境投诉热线月报　2026年11月"
    out = io.BytesIO()
    render_period_report(gather.gather_period(MONTH), out, generated_at=PRINTED_AT)
    first = squeeze(pdf_pages(out.getvalue())[0])
    assert len(window.kpi_labels) >= 8
    for labels in window.kpi_labels:
        shown = "".join(plain(label.text()) for label in labels)
        assert squeeze(shown) in first, shown
    received = plain(window.kpi_labels[0][1].text())
    assert int(received) == len(_received_ids(MONTH)) > 0
    # The charts draw the same numbers as the PDF's charts.
    kinds = dict(window.charts[Dimension.KIND].items)
    assert sum(kinds.values()) == int(received)


def test_clicking_a_number_lists_exactly_its_cases(qtbot, session: Session, random_cases) -> None:  # noqa: F811
    opened: list[int] = []
    window = _window(qtbot, session, opened)
    label = window.kpi_labels[0][1]  # 受理量, this month
    href = re.search(r'href="([^"]+)"', label.text())
    assert href is not None
    label.linkActivated.emit(href.group(1))
    listed = _listed(qtbot, window)
    expected = _received_ids(MONTH)
    assert listed.count == len(expected) == int(plain(label.text()))
    assert sorted(_ids(qtbot, listed)) == expected
    assert f"共 {len(expected)} 件" in listed.windowTitle()
    # The rows are read by id as they come into view; Enter opens the current case.
    listed.show()
    qtbot.waitUntil(lambda: listed.model.data(listed.model.index(0, 0)) is not None)
    listed.table.setFocus()
    qtbot.keyClick(listed.table, Qt.Key.Key_Return)
    assert opened == [listed.model.case_id_at(0)]


def test_clicking_a_bar_lists_its_cases(qtbot, session: Session, random_cases) -> None:  # noqa: F811
    window = _window(qtbot, session)
    chart = window.charts[Dimension.DISTRICT]
    qtbot.waitUntil(lambda: len(chart._bars) == len(chart.items))
    name, count = chart.items[0]
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_rect(0).center().toPoint())
    listed = _listed(qtbot, window)
    key = window._chart_keys[Dimension.DISTRICT][0]
    assert listed.count == count == len(_received_ids(MONTH, district=key))
    assert sorted(_ids(qtbot, listed)) == _received_ids(MONTH, district=key)
    assert name in listed.windowTitle()


def test_clicking_a_breakdown_count_lists_its_cases(qtbot, session: Session, random_cases) -> None:  # noqa: F811
    window = _window(qtbot, session)
    window.tabs.setCurrentIndex(1)
    window.dimension_box.setCurrentIndex(list(Dimension).index(Dimension.DEPARTMENT))
    model = window.breakdown
    column = 1 + [attribute for _h, attribute in BREAKDOWN_COLUMNS].index(Measure.CLOSED.value)
    index = model.index(0, column)
    ref = index.data(FIGURE_ROLE)
    assert ref.dimension is Dimension.DEPARTMENT and ref.measure is Measure.CLOSED
    qtbot.mouseClick(
        window.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.table.visualRect(index).center(),
    )
    listed = _listed(qtbot, window)
    closed = sorted(
        c.id
        for c in Case.select().where(
            (Case.status == "closed")
            & (Case.closed_at >= MONTH.start)
            & (Case.closed_at < MONTH.end)
            & (Case.department == ref.key)
        )
    )
    assert listed.count == int(index.data()) == len(closed) > 0
    assert sorted(_ids(qtbot, listed)) == closed


def test_another_period_is_counted_again(qtbot, session: Session, random_cases) -> None:  # noqa: F811
    window = _window(qtbot, session)
    week = Period.containing("week", dt.date(2026, 11, 18))
    with qtbot.waitSignal(window.loaded, timeout=WAIT_MS):
        window.picker.set_period(week)
    assert window.report is not None and window.report.period == week
    assert int(plain(window.kpi_labels[0][1].text())) == len(_received_ids(week))
    assert window.kpi_labels[0][1].parent() is not None
    # Custom dates in the wrong order: said, nothing counted.
    window.picker.kind_box.setCurrentIndex(4)
    window.picker.first_edit.setDate(dt.date(2026, 11, 20))
    window.picker.last_edit.setDate(dt.date(2026, 11, 10))
    assert "早于开始日期" in window.status.text()


def test_the_tables_export_to_xlsx(qtbot, session: Session, random_cases, tmp_path: Path) -> None:  # noqa: F811
    window = _window(qtbot, session)
    target = tmp_path / "十一月统计"
    window.ask_save_path = lambda suggested: str(target)  # type: ignore[method-assign]
    with qtbot.waitSignal(window.exported, timeout=WAIT_MS) as signal:
        window.xlsx_button.click()
    path = Path(signal.args[0])
    assert path == tmp_path / "十一月统计.xlsx"
    book = load_workbook(path)
    sheet = book["主要指标"]
    assert sheet.freeze_panes == "B2"
    assert sheet["A2"].value == "受理量" and sheet["B2"].value == len(_received_ids(MONTH))


def test_the_reports_menu_opens_the_window(qtbot, session: Session) -> None:
    from ui.main_window.window import MainWindow

    main = MainWindow(session)
    qtbot.addWidget(main)
    action = main.findChild(QAction, "statistics")
    assert action is not None and action.shortcut().toString() == "Ctrl+Shift+T"
    action.trigger()
    qtbot.waitUntil(lambda: ("statistics", 0) in main.menu_actions.open_windows)
    window = main.menu_actions.open_windows[("statistics", 0)]
    assert isinstance(window, StatisticsWindow)
    qtbot.waitUntil(lambda: window.report is not None, timeout=WAIT_MS)
    window.close()


def test_an_empty_figure_says_so(qtbot, session: Session) -> None:
    listed = FigureCasesWindow("受理量", [], reveal_confidential=False)
    qtbot.addWidget(listed)
    assert listed.count == 0 and "共 0 件" in listed.windowTitle()


def test_the_periods_pdf_report_opens_in_the_preview(qtbot, session: Session, random_cases) -> None:  # noqa: F811
    from ui.reports.preview import ReportPreviewWindow

    window = _window(qtbot, session)
    window.pdf_button.click()
    preview = window.preview
    assert isinstance(preview, ReportPreviewWindow)
    qtbot.addWidget(preview)
    with qtbot.waitSignal(preview.generated, timeout=WAIT_MS) as signal:
        pass
    first = squeeze(pdf_pages(Path(signal.args[0]))[0])
    assert "营商环境投诉热线月报" in first and "本月（2026-11）" in first
    shown = squeeze("".join(plain(label.text()) for label in window.kpi_labels[0]))
    assert shown in first
