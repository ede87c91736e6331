"""Finding an open case or enterprise window, and bringing a window forward.

Opening one (:mod:`ui.links`) looks here first: whoever opened a window, the existing one is
found among the application's windows, so the operator never has two copies of a case to
confuse. Nothing here imports a screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

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
