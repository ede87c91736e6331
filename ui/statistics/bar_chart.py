"""A bar chart drawn with QPainter (PySide6 here has no QtCharts), each bar clickable.

    chart = BarChart(_("按诉求类型"), vertical=True)
    chart.set_items([("咨询", 12), ("投诉", 30)])
    chart.bar_clicked.connect(lambda index: ...)

Vertical columns for a few short labels (or many days: every n-th label shown), horizontal
rows for long names. The numbers drawn are the numbers given: the same the PDF's charts
draw from the same report.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#2f6fb0")
BAR_HOVER = QColor("#1b4f86")
GRID = QColor("#dde3ea")
MUTED = QColor("#5f6b78")
MAX_LABELLED_COLUMNS = 16


def nice_top(maximum: int) -> tuple[int, int]:
    """(axis top, tick step) for values up to ``maximum`` (about five ticks)."""
    if maximum <= 5:
        return max(maximum, 1), 1
    raw = maximum / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next((int(f * magnitude) for f in (1, 2, 5, 10) if raw <= f * magnitude), 10 * magnitude)
    return math.ceil(maximum * 1.1 / step) * step, step


class BarChart(QWidget):
    bar_clicked = Signal(int)  # the index of the bar in the items given

    def __init__(self, title: str, *, vertical: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.vertical = vertical
        self.items: list[tuple[str, int]] = []
        self._bars: list[QRectF] = []
        self._hover = -1
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(300, 220))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_items(self, items: list[tuple[str, int]]) -> None:
        self.items = list(items)
        self._hover = -1
        if not self.vertical:
            self.setMinimumHeight(60 + 22 * max(len(items), 1))
        self.update()

    def bar_rect(self, index: int) -> QRectF:
        """Where bar ``index`` was drawn (tests click there)."""
        return self._bars[index]

    # Painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = painter.font()
        title_font = painter.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(self.palette().windowText().color())
        metrics = QFontMetrics(title_font)
        painter.drawText(QPointF(4, metrics.ascent() + 2), self.title)
        painter.setFont(font)
        area = QRectF(self.rect()).adjusted(4, metrics.height() + 10, -8, -4)
        self._bars = []
        top, step = nice_top(max((n for _l, n in self.items), default=0))
        if self.vertical:
            self._paint_columns(painter, area, top, step)
        else:
            self._paint_rows(painter, area, top)
        painter.end()

    def _paint_columns(self, painter: QPainter, area: QRectF, top: int, step: int) -> None:
        metrics = painter.fontMetrics()
        axis_width = metrics.horizontalAdvance(str(top)) + 8
        plot = area.adjusted(axis_width, 4, 0, -(metrics.height() + 6))
        for tick in range(0, top + 1, step):
            y = plot.bottom() - plot.height() * tick / top
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(area.left(), y - 8, axis_width - 4, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(tick),
            )
        count = max(len(self.items), 1)
        slot = plot.width() / count
        every = max(1, math.ceil(len(self.items) / MAX_LABELLED_COLUMNS))
        for index, (label, value) in enumerate(self.items):
            height = plot.height() * value / top
            width = max(2.0, min(36.0, slot * 0.6))
            x = plot.left() + slot * index + (slot - width) / 2
            bar = QRectF(x, plot.bottom() - height, width, height)
            self._bars.append(QRectF(plot.left() + slot * index, plot.top(), slot, plot.height()))
            painter.fillRect(bar, BAR_HOVER if index == self._hover else BAR)
            painter.setPen(self.palette().windowText().color())
            if len(self.items) <= MAX_LABELLED_COLUMNS:
                painter.drawText(
                    QRectF(x - slot, bar.top() - 18, width + 2 * slot, 16),
                    Qt.AlignmentFlag.AlignCenter,
                    str(value),
                )
            if index % every == 0:
                painter.drawText(
                    QRectF(
                        plot.left() + slot * index - slot * (every - 1) / 2,
                        plot.bottom() + 4,
                        slot * every,
                        metrics.height(),
                    ),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(slot * every)),
                )

    def _paint_rows(self, painter: QPainter, area: QRectF, top: int) -> None:
        metrics = painter.fontMetrics()
        widest = max((metrics.horizontalAdvance(label) for label, _n in self.items), default=40)
        label_width = min(widest + 8, area.width() * 0.42)
        number_width = metrics.horizontalAdvance(str(top)) + 8
        plot = area.adjusted(label_width, 0, -number_width, 0)
        count = max(len(self.items), 1)
        slot = min(plot.height() / count, 30.0)
        for index, (label, value) in enumerate(self.items):
            y = plot.top() + slot * index
            height = max(4.0, slot * 0.62)
            width = plot.width() * value / top
            bar = QRectF(plot.left(), y + (slot - height) / 2, width, height)
            self._bars.append(QRectF(area.left(), y, area.width(), slot))
            painter.fillRect(bar, BAR_HOVER if index == self._hover else BAR)
            painter.setPen(self.palette().windowText().color())
            painter.drawText(
                QRectF(area.left(), y, label_width - 6, slot),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, int(label_width - 6)),
            )
            painter.drawText(
                QRectF(bar.right() + 4, y, number_width + 40, slot),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(value),
            )

    # Clicking

    def _bar_at(self, point: QPointF) -> int:
        for index, rect in enumerate(self._bars):
            if rect.contains(point):
                return index
        return -1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self._bar_at(event.position())
        if index != self._hover:
            self._hover = index
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if index >= 0 else Qt.CursorShape.ArrowCursor
            )
            if index >= 0:
                label, value = self.items[index]
                self.setToolTip(f"{label}: {value}")
            self.update()
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self._bar_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and index >= 0:
            self.bar_clicked.emit(index)
            return
        super().mousePressEvent(event)
