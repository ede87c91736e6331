"""Opening a case or an enterprise from a link: an open window for it is brought forward.

Intake, handover, a case's linked cases and the enterprise view open windows through here.
Whoever opened a window (the main window's list too), the existing one is found among the
application's windows, so the operator never has two copies of a case to confuse.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from ui.common.session import Session

LINKED = {"CaseDetailWindow": "case_id", "EnterpriseWindow": "enterprise_id"}


def existing_window(class_name: str, value: int) -> QWidget | None:
    """The visible case or enterprise window (``class_name``) of ``value``, whoever opened it."""
    attribute = LINKED[class_name]
    for widget in QApplication.topLevelWidgets():
        if (
            type(widget).__name__ == class_name
            and getattr(widget, attribute, None) == value
            and widget.isVisible()
        ):
            return widget
    return None


def linked_windows() -> list[QWidget]:
    """Every visible case and enterprise window."""
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if type(widget).__name__ in LINKED and widget.isVisible()
    ]


def _bring_forward(widget: QWidget) -> QWidget:
    if widget.isMinimized():
        widget.showNormal()
    widget.show()
    widget.raise_()
    widget.activateWindow()
    return widget


def open_case(session: Session, case_id: int, parent: QWidget | None = None) -> QWidget:
    existing = existing_window("CaseDetailWindow", case_id)
    if existing is not None:
        return _bring_forward(existing)
    from ui.case.detail import CaseDetailWindow

    return _bring_forward(CaseDetailWindow(session, case_id, parent))


def open_enterprise(session: Session, enterprise_id: int, parent: QWidget | None = None) -> QWidget:
    existing = existing_window("EnterpriseWindow", enterprise_id)
    if existing is not None:
        return _bring_forward(existing)
    from ui.enterprise.window import EnterpriseWindow

    return _bring_forward(EnterpriseWindow(session, enterprise_id, parent))
