"""Work that may wait until a window has been painted once.

A window's first paint is what its user waits for; counts, reminders and offers that start
threads or open dialogs before it only delay it (workers compete with the painting thread
for the interpreter). :func:`after_first_paint` runs them right after the widget's first
paint, or after ``latest_ms`` if it is never painted (a hidden window, a test that never
shows it), whichever comes first, once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None], latest_ms: int) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(latest_ms, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            # After the paint event is handled, not inside it.
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._widget.removeEventFilter(self)
        self.deleteLater()
        callback()


def after_first_paint(
    widget: QWidget, callback: Callable[[], None], *, latest_ms: int = 500
) -> None:
    """Call ``callback`` once, right after ``widget``'s first paint (or after ``latest_ms``)."""
    _FirstPaint(widget, callback, latest_ms)
