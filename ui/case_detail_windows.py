"""Opening a case or an enterprise from a link: an open window for it is brought forward.

Intake, handover, a case's linked cases and the enterprise view open windows through here.
Whoever opened a window (the main window's list too), the existing one is found among the
application's windows, so the operator never has two copies of a case to confuse.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from ui.session import Session


def _existing(class_name: str, attribute: str, value: int) -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if (
            type(widget).__name__ == class_name
            and getattr(widget, attribute, None) == value
            and widget.isVisible()
        ):
            return widget
    return None


def _bring_forward(widget: QWidget) -> QWidget:
    if widget.isMinimized():
        widget.showNormal()
    widget.show()
    widget.raise_()
    widget.activateWindow()
    return widget


def open_case(session: Session, case_id: int, parent: QWidget | None = None) -> QWidget:
    existing = _existing("CaseDetailWindow", "case_id", case_id)
    if existing is not None:
        return _bring_forward(existing)
    from ui.case_detail import CaseDetailWindow

    return _bring_forward(CaseDetailWindow(session, case_id, parent))


def open_enterprise(session: Session, enterprise_id: int, parent: QWidget | None = None) -> QWidget:
    existing = _existing("EnterpriseWindow", "enterprise_id", enterprise_id)
    if existing is not None:
        return _bring_forward(existing)
    from ui.enterprise_view import EnterpriseWindow

    return _bring_forward(EnterpriseWindow(session, enterprise_id, parent))
