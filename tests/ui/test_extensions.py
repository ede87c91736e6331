"""The checklist tab, the PDF tool and the report menu entries reach the real windows."""

from __future__ import annotations

from PySide6.QtGui import QAction

from hotline import cases
from tests.conftest import sample_case
from ui import extensions
from ui.case.detail import CaseDetailWindow
from ui.case_detail_extensions import unregister
from ui.main_window.window import MainWindow
from ui.reports import actions as report_actions


def test_case_window_gets_the_exemption_tab_and_pdf_tool(qtbot, session, cli_actor, monkeypatch):
    case = cases.register(cli_actor, sample_case())
    extensions.install()
    opened: list[str] = []
    monkeypatch.setattr(
        extensions, "open_case_pdf", lambda parent, s, case_no: opened.append(case_no)
    )
    try:
        window = CaseDetailWindow(session, case.id)
        qtbot.addWidget(window)
        titles = [window.panels.tabText(i) for i in range(window.panels.count())]
        assert "首错免罚" in titles
        action = window.findChild(QAction, "casePdf")
        assert action is not None and action.isEnabled()
        action.trigger()
        assert opened == [case.case_no]
    finally:
        unregister("case_pdf")
        unregister("exemption")


def test_main_window_reports_menu(qtbot, session, cli_actor, monkeypatch):
    cases.register(cli_actor, sample_case())
    calls: list[str] = []
    monkeypatch.setattr(extensions, "open_weekly_report", lambda parent, s: calls.append("weekly"))
    monkeypatch.setattr(report_actions, "open_weekly_report", lambda parent, s: calls.append("x"))
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.reports_menu.menuAction().isVisible()
    names = {a.objectName() for a in window.reports_menu.actions()}
    assert {"weeklyReport", "selectedCasePdf"} <= names
    next(a for a in window.reports_menu.actions() if a.objectName() == "weeklyReport").trigger()
    assert calls == ["weekly"]
    admin = {a.objectName() for a in window.findChildren(QAction)}
    assert "admin_catalogue" in admin
