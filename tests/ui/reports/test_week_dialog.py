"""The weekly report's dialog: Enter starts the report, from the week box as from elsewhere."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.ui.typing_helpers import type_text
from ui.reports.week_dialog import WeeklyReportDialog

TODAY = dt.date(2026, 11, 25)


def _dialog(qtbot) -> WeeklyReportDialog:  # type: ignore[no-untyped-def]
    dialog = WeeklyReportDialog(today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_enter_in_the_week_box_starts_the_report(qtbot):
    dialog = _dialog(qtbot)
    assert dialog.ok_button.isDefault()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.week_box.lineEdit(), Qt.Key.Key_Return)
    assert dialog.week().code == "2026-W47"


def test_enter_on_the_checkbox_starts_the_report(qtbot):
    dialog = _dialog(qtbot)
    dialog.with_cases.setFocus()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.with_cases, Qt.Key.Key_Enter)


def test_enter_on_a_wrong_week_says_why_and_keeps_the_text(qtbot):
    dialog = _dialog(qtbot)
    count = dialog.week_box.count()
    dialog.week_box.lineEdit().clear()
    type_text(dialog.week_box.lineEdit(), "2026-W99")
    qtbot.keyClick(dialog.week_box.lineEdit(), Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    assert "99" in dialog.message.text()
    assert dialog.week_box.currentText() == "2026-W99"
    assert dialog.week_box.count() == count  # nothing added to the list
