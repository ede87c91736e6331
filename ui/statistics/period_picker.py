"""Choosing the period of the statistics: week, month, quarter, year or custom dates."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QToolButton, QWidget

from hotline.errors import ValidationError
from hotline.i18n import _
from hotline.reports import periods
from hotline.reports.periods import CUSTOM, KIND_NAMES, KINDS, WEEK, Period

LISTED = {periods.WEEK: 26, periods.MONTH: 24, periods.QUARTER: 12, periods.YEAR: 6}


def recent(kind: str, today: dt.date) -> list[Period]:
    """The running period of ``kind`` and those before it, newest first."""
    found = [Period.containing(kind, today)]
    while len(found) < LISTED[kind]:
        found.append(found[-1].previous())
    return found


class PeriodPicker(QWidget):
    changed = Signal()

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.kind_box = QComboBox(self)
        self.kind_box.setObjectName("periodKind")
        for kind in KINDS:
            self.kind_box.addItem(_(KIND_NAMES[kind]), kind)
        self.period_box = QComboBox(self)
        self.period_box.setObjectName("periodBox")
        self.period_box.setMinimumWidth(300)
        self.first_edit = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.first_edit.setObjectName("periodFrom")
        self.last_edit = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.last_edit.setObjectName("periodTo")
        month = Period.containing(periods.MONTH, today)
        self.first_edit.setDate(QDate(month.first.year, month.first.month, month.first.day))
        self.last_edit.setDate(QDate(today.year, today.month, today.day))
        self.to_label = QLabel(_("至"), self)
        self.back = QToolButton(self, text="◀", autoRaise=True)
        self.back.setToolTip(_("上一期"))
        self.forward = QToolButton(self, text="▶", autoRaise=True)
        self.forward.setToolTip(_("下一期"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(_("统计期(&P)"), self)
        label.setBuddy(self.kind_box)
        for widget in (
            label,
            self.kind_box,
            self.back,
            self.period_box,
            self.first_edit,
            self.to_label,
            self.last_edit,
            self.forward,
        ):
            layout.addWidget(widget)
        self._periods: list[Period] = []
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.period_box.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.first_edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.last_edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.back.clicked.connect(lambda: self.step(-1))
        self.forward.clicked.connect(lambda: self.step(1))
        self.kind_box.setCurrentIndex(KINDS.index(periods.MONTH))

    @property
    def kind(self) -> str:
        return str(self.kind_box.currentData())

    def _kind_changed(self, _index: int) -> None:
        custom = self.kind == CUSTOM
        for widget in (self.first_edit, self.to_label, self.last_edit):
            widget.setVisible(custom)
        self.period_box.setVisible(not custom)
        if not custom:
            self.period_box.blockSignals(True)
            self.period_box.clear()
            self._periods = recent(self.kind, self.today)
            for period in self._periods:
                text = period.title() if self.kind == WEEK else f"{period.code}　{period.title()}"
                if not period.complete(self.today):
                    text += "　" + _("（尚未结束）")
                self.period_box.addItem(text)
            self.period_box.setCurrentIndex(0)
            self.period_box.blockSignals(False)
        self.changed.emit()

    def set_period(self, period: Period) -> None:
        """Show ``period`` (tests and the window's remembered choice)."""
        self.blockSignals(True)
        self.kind_box.setCurrentIndex(KINDS.index(period.kind))
        if period.kind == CUSTOM:
            self.first_edit.setDate(QDate(period.first.year, period.first.month, period.first.day))
            self.last_edit.setDate(QDate(period.last.year, period.last.month, period.last.day))
        else:
            if period not in self._periods:
                self._periods.append(period)
                self.period_box.addItem(f"{period.code}　{period.title()}")
            self.period_box.setCurrentIndex(self._periods.index(period))
        self.blockSignals(False)
        self.changed.emit()

    def period(self) -> Period:
        """The chosen period; raises ValidationError for custom dates in the wrong order."""
        if self.kind == CUSTOM:
            first = self.first_edit.date().toPython()
            last = self.last_edit.date().toPython()
            return Period.custom(first, last)
        return self._periods[max(self.period_box.currentIndex(), 0)]

    def step(self, direction: int) -> None:
        try:
            current = self.period()
        except ValidationError:  # custom dates out of order: nothing to step from
            return
        target = current.previous() if direction < 0 else current.following()
        if self.kind == CUSTOM:
            self.set_period(target)
        elif target in self._periods:
            self.period_box.setCurrentIndex(self._periods.index(target))
        else:
            self.set_period(target)
