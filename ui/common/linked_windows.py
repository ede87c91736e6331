"""Opening a case or an enterprise from a link: an open window for it is brought forward.

Intake, handover and the main window open case and enterprise windows through here. A case
window asks for another case or an enterprise, and an enterprise window for a case, through
its ``case_requested`` / ``enterprise_requested`` signals, which :func:`follow_links` connects
to the functions below: the windows never import each other back. Whoever opened a window,
the existing one is found among the application's windows, so the operator never has two
copies of a case to confuse.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
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


def bring_forward(widget: QWidget) -> QWidget:
    """Show ``widget`` as a top-level window (even when made with a parent), raised."""
    if not widget.isWindow():
        widget.setWindowFlag(Qt.WindowType.Window, True)
    if widget.isMinimized():
        widget.showNormal()
    widget.show()
    widget.raise_()
    widget.activateWindow()
    return widget


def follow_links(window: QWidget, session: Session) -> None:
    """Open what a case or enterprise window asks for (its ``*_requested`` signals)."""
    window.case_requested.connect(lambda case_id: open_case(session, case_id))  # type: ignore[attr-defined]
    enterprise_requested = getattr(type(window), "enterprise_requested", None)
    if enterprise_requested is not None:
        window.enterprise_requested.connect(  # type: ignore[attr-defined]
            lambda enterprise_id: open_enterprise(session, enterprise_id)
        )


def open_case(session: Session, case_id: int, parent: QWidget | None = None) -> QWidget:
    existing = existing_window("CaseDetailWindow", case_id)
    if existing is not None:
        return bring_forward(existing)
    from ui.case.detail import CaseDetailWindow

    window = CaseDetailWindow(session, case_id, parent)
    follow_links(window, session)
    return bring_forward(window)


def open_enterprise(session: Session, enterprise_id: int, parent: QWidget | None = None) -> QWidget:
    existing = existing_window("EnterpriseWindow", enterprise_id)
    if existing is not None:
        return bring_forward(existing)
    from ui.enterprise.window import EnterpriseWindow

    window = EnterpriseWindow(session, enterprise_id, parent)
    follow_links(window, session)
    return bring_forward(window)
