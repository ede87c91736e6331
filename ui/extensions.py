"""What the checklist and the PDFs add to the windows: case-window tab and tool, menu entries.

``install()`` runs once at start-up (``ui.app``), before any case window opens. The report and
checklist modules (reportlab, the catalogue) and the case service are imported only when first
used, so they cost nothing at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from hotline.i18n import _
from hotline.permissions import Action
from ui.case_detail_extensions import register_tool
from ui.exemption_case_tab import register_case_tab

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QWidget

    from ui.case.detail import CaseDetailWindow
    from ui.common.session import Session
    from ui.main_window.window import MainWindow


def open_case_pdf(parent: QWidget, session: Session, case_no: str) -> object:
    from ui.reports import actions as report_actions

    return report_actions.open_case_pdf(parent, session, case_no)


def open_weekly_report(parent: QWidget, session: Session) -> object:
    from ui.reports import actions as report_actions

    return report_actions.open_weekly_report(parent, session)


def open_catalogue_dialog(session: Session, parent: QWidget) -> object:
    from ui.exemption import catalogue_dialog as exemption_catalogue_dialog

    return exemption_catalogue_dialog.open_catalogue_dialog(session, parent)


def open_audit_window(parent: MainWindow) -> object:
    from PySide6.QtCore import Qt

    from ui.admin.audit_window import AuditWindow

    window = AuditWindow(parent.session, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window


def install() -> None:
    register_case_tab()
    register_tool("case_pdf", _case_pdf_action)


def _case_pdf_action(window: CaseDetailWindow) -> QAction:
    action = QAction(_("案件摘要 PDF…"), window)
    action.setObjectName("casePdf")
    action.setShortcut(QKeySequence("Ctrl+P"))
    action.setEnabled(window.session.can(Action.REPORT_VIEW))

    def open_pdf() -> None:
        from hotline import cases

        open_case_pdf(window, window.session, cases.get(window.case_id).case_no)

    action.triggered.connect(lambda _checked=False: open_pdf())
    return action


def fill_reports_menu(window: MainWindow, menu: QMenu) -> None:
    """The main window's Reports menu: the weekly report and the selected case's summary."""
    session = window.session
    weekly = menu.addAction(_("营商环境周报…"))
    weekly.setObjectName("weeklyReport")
    weekly.setShortcut(QKeySequence("Ctrl+Shift+R"))
    weekly.triggered.connect(lambda _checked=False: open_weekly_report(window, session))
    summary = menu.addAction(_("所选案件摘要 PDF…"))
    summary.setObjectName("selectedCasePdf")
    summary.setShortcut(QKeySequence("Ctrl+P"))

    def selected_pdf() -> None:
        from hotline import cases

        case_id = window.current_case_id()
        if case_id is not None:
            open_case_pdf(window, session, cases.get(case_id).case_no)

    summary.triggered.connect(lambda _checked=False: selected_pdf())
    for action in (weekly, summary):
        action.setEnabled(session.can(Action.REPORT_VIEW))
        window.addAction(action)


def add_catalogue_entry(window: MainWindow, menu: QMenu) -> None:
    if window.session.can(Action.AUDIT_VIEW):
        log_entry = menu.addAction(_("审计日志…"))
        log_entry.setObjectName("admin_audit")
        log_entry.triggered.connect(lambda _checked=False: open_audit_window(window))
    if not window.session.can(Action.CATALOGUE_MANAGE):
        return
    entry = menu.addAction(_("首错免罚清单…"))
    entry.setObjectName("admin_catalogue")
    entry.triggered.connect(lambda _checked=False: open_catalogue_dialog(window.session, window))
