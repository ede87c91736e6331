"""Small icons and the few colours the windows share, drawn in code (no image files to ship)."""

from __future__ import annotations

import functools

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

# Row colours for deadlines: calm tints, readable with black text.
OVERDUE_BACKGROUND = QColor("#fbe3e1")
OVERDUE_TEXT = QColor("#b3261e")
DUE_TODAY_BACKGROUND = QColor("#fff3d1")
DUE_TODAY_TEXT = QColor("#8a5a00")
URGENT_TEXT = QColor("#b3261e")
MUTED_TEXT = QColor("#6b6b6b")

DOT_COLOURS = {
    "overdue": "#d93025",
    "due_today": "#e8a100",
    "urgent": "#d93025",
    "open": "#1a73e8",
    "done": "#9aa0a6",
}


@functools.cache
def dot(name: str, size: int = 10) -> QIcon:
    """A filled circle in the colour called ``name`` (see ``DOT_COLOURS``)."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(DOT_COLOURS.get(name, "#9aa0a6")))
    painter.drawEllipse(QRectF(1.5, 1.5, size - 3, size - 3))
    painter.end()
    return QIcon(pixmap)
