"""The filters above the case list: status, type, category, district, department, received date.

The bar only holds the user's choices; ``apply_to`` turns them into a ``CaseFilter``. The
saved views (overdue, due today, mine…) are in the side panel and combine with these.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import cast

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from hotline import admin, clock
from hotline.case_queries import CaseFilter
from hotline.enums import Category, Kind, Status
from hotline.i18n import N_, _
from ui.common.tasks import run_task

DATE_RANGES = {
    "any": N_("不限时间"),
    "today": N_("今天"),
    "7d": N_("近 7 天"),
    "30d": N_("近 30 天"),
    "month": N_("本月"),
    "custom": N_("自定义…"),
}


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = self._combo(_("全部状态"), [(s.value, s.label) for s in Status])
        self.kind = self._combo(_("全部类型"), [(k.value, k.label) for k in Kind])
        self.category = self._combo(_("全部类别"), [(c.value, c.label) for c in Category])
        self.district = self._combo(_("全部区县"), [])
        self.department = self._combo(_("全部承办单位"), [])
        self.dates = QComboBox(self)
        for key, label in DATE_RANGES.items():
            self.dates.addItem(_(label), key)
        self.dates.setAccessibleName(_("受理时间"))
        self.date_from = self._date_edit()
        self.date_to = self._date_edit()
        self.dash = QLabel("–", self)
        self.clear = QToolButton(self)
        self.clear.setText(_("清除筛选"))
        self.clear.setAutoRaise(True)
        self.clear.clicked.connect(self.reset)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for widget in (self.status, self.kind, self.category, self.district, self.department):
            layout.addWidget(widget)
        for date_widget in (self.dates, self.date_from, self.dash, self.date_to):
            layout.addWidget(date_widget)
        layout.addWidget(self.clear)
        layout.addStretch(1)
        self.dates.currentIndexChanged.connect(self._dates_changed)
        self._show_custom(False)
        self.clear.setEnabled(False)

    def _combo(self, everything: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setAccessibleName(everything)
        combo.addItem(everything, None)
        for value, label in items:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDate(QDate(clock.today()))
        edit.dateChanged.connect(self._emit)
        return edit

    def load_options(self) -> None:
        """Fill the district and department lists (active ones) off the GUI thread."""

        def done(result: tuple[list[tuple[str, str]], list[tuple[int, str]]]) -> None:
            districts, departments = result
            self._refill(self.district, districts)
            self._refill(self.department, departments)

        run_task(self, admin.filter_choices, done)

    @staticmethod
    def _refill(combo: QComboBox, items: list) -> None:  # type: ignore[type-arg]
        chosen = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for value, label in items:
            combo.addItem(label, value)
        position = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(0, position))
        combo.blockSignals(False)

    def _dates_changed(self) -> None:
        self._show_custom(self.dates.currentData() == "custom")
        self._emit()

    def _show_custom(self, visible: bool) -> None:
        for widget in (self.date_from, self.dash, self.date_to):
            widget.setVisible(visible)

    def _emit(self) -> None:
        self.clear.setEnabled(self.is_active())
        self.changed.emit()

    def is_active(self) -> bool:
        combos = (self.status, self.kind, self.category, self.district, self.department)
        return any(c.currentIndex() > 0 for c in combos) or self.dates.currentData() != "any"

    def reset(self) -> None:
        widgets = (self.status, self.kind, self.category, self.district, self.department)
        for combo in (*widgets, self.dates):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._show_custom(False)
        self._emit()

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        today = clock.today()
        choice = self.dates.currentData()
        if choice == "today":
            return today, today
        if choice == "7d":
            return today - dt.timedelta(days=6), today
        if choice == "30d":
            return today - dt.timedelta(days=29), today
        if choice == "month":
            return today.replace(day=1), today
        if choice == "custom":
            # QDate.toPython gives a date (the stubs say object).
            first = cast(dt.date, self.date_from.date().toPython())
            last = cast(dt.date, self.date_to.date().toPython())
            return (first, last) if first <= last else (last, first)
        return None, None

    def apply_to(self, flt: CaseFilter) -> CaseFilter:
        def one(combo: QComboBox) -> tuple:  # type: ignore[type-arg]
            value = combo.currentData()
            return () if value is None else (value,)

        received_from, received_to = self.date_range()
        return dataclasses.replace(
            flt,
            statuses=one(self.status),
            kinds=one(self.kind),
            categories=one(self.category),
            districts=one(self.district),
            department_ids=one(self.department),
            received_from=received_from,
            received_to=received_to,
        )

    def set_choice(self, name: str, value: object) -> None:
        """Select ``value`` in the filter called ``name`` (tests, and links from other views)."""
        combo: QComboBox = getattr(self, name)
        combo.setCurrentIndex(max(0, combo.findData(value, Qt.ItemDataRole.UserRole)))
