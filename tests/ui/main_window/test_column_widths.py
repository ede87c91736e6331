"""The case list in either language: no header and no label of a short column is cut off,
on a first start and with a layout remembered from the other language."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from hotline import i18n
from tests.ui.conftest import insert_cases
from ui.case_list import columns as ctm
from ui.case_list.table_view import MIN_LONG_WIDTHS
from ui.common.session import Session
from ui.main_window.window import MainWindow

SHORT = [c for c in range(len(ctm.COLUMNS)) if c not in ctm.LONG_TEXT_COLUMNS]


@pytest.fixture(params=["zh_CN", "en"])
def language(request):
    i18n.set_locale(request.param)
    yield request.param
    i18n.set_locale("zh_CN")


def _window(qtbot, session: Session) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.model.loading and window._columns_checked)
    return window


def _assert_readable(window: MainWindow) -> None:
    table = window.table
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    for column in SHORT:
        if table.isColumnHidden(column):  # the 待回访 view's own columns, elsewhere
            continue
        width = table.columnWidth(column)
        title = window.model.headerData(column, header.orientation(), 0)
        assert header.sectionSizeFromContents(column).width() <= width, title
        for text in ctm.sizing_texts(column):
            assert metrics.horizontalAdvance(text) + 8 <= width, (title, text)
        for row in range(window.model.rowCount()):
            shown = window.model.data(window.model.index(row, column))
            assert metrics.horizontalAdvance(shown or "") + 8 <= width, (title, shown)


def test_a_first_start_fits_every_short_column(qtbot, session, language):
    insert_cases(40, urgency="urgent", status="dispatched")
    window = _window(qtbot, session)
    _assert_readable(window)
    window.views.select_view("awaiting_callback")  # its columns shown: fitted as well
    qtbot.waitUntil(lambda: not window.model.loading)
    assert not window.table.isColumnHidden(ctm.COL_WAITED)
    _assert_readable(window)
    if language == "en":
        assert "Water, power, gas, heating" in ctm.sizing_texts(ctm.COL_CATEGORY)


def test_a_layout_remembered_in_chinese_is_widened_in_english(qtbot, session):
    insert_cases(40, status="called_back")
    window = _window(qtbot, session)
    for column in SHORT:  # as narrow as a Chinese layout had them
        window.table.setColumnWidth(column, 40)
    window.close()
    QApplication.processEvents()
    i18n.set_locale("en")
    try:
        again = _window(qtbot, session)
        _assert_readable(again)
        # It gave way, down to its minimum.
        assert again.table.columnWidth(ctm.COL_SUBJECT) >= MIN_LONG_WIDTHS[ctm.COL_SUBJECT]
    finally:
        i18n.set_locale("zh_CN")


def test_at_1280_pixels_every_column_is_in_sight_without_scrolling_sideways(qtbot, session):
    # An office screen of 1280 x 1024: the deadline (the last column) must be visible. The
    # callback view's two columns, hidden in the other views, must not take room.
    insert_cases(40, status="dispatched")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1280, 900)
    window.show()
    qtbot.waitUntil(lambda: not window.model.loading and window._columns_checked)
    table = window.table
    assert table.isColumnHidden(ctm.COL_WAITED)
    shown = [c for c in range(len(ctm.COLUMNS)) if not table.isColumnHidden(c)]
    assert sum(table.columnWidth(c) for c in shown) <= table.viewport().width()
    assert table.horizontalHeader().length() <= table.viewport().width()
    qtbot.waitUntil(lambda: not table.horizontalScrollBar().isVisible())
    _assert_readable(window)
