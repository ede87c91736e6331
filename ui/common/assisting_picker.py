"""Choosing the assisting departments of a dispatch (会办) and their working days: shared by a
case's own dispatch dialog and the list's bulk dispatch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QSpinBox, QWidget

from hotline import cohandling
from hotline.i18n import _


class AssistingPicker(QListWidget):
    """A checkable list of departments (arrows, type a name's first letters, Space ticks);
    the lead department (:meth:`set_lead`) cannot be ticked too."""

    def __init__(self, departments: Sequence[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("assistingDepartments")
        self.setAccessibleName(_("会办单位"))
        self.setToolTip(_("方向键选择，空格勾选；可不选"))
        for name, code in departments:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        rows = min(max(len(departments), 3), 6)
        self.setMaximumHeight(self.sizeHintForRow(0) * rows + 8)
        self.itemActivated.connect(self.toggle)
        # Space ticks the current department even right after typing its first letters
        # (the list would take it as part of the name being searched).
        self.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self
            and event.type() == QEvent.Type.KeyPress
            and cast(QKeyEvent, event).key() == Qt.Key.Key_Space
        ):
            item = self.currentItem()
            if item is not None:
                self.toggle(item)
            return True
        return super().eventFilter(watched, event)

    def toggle(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def set_lead(self, lead: str) -> None:
        """The lead department (its code) is not one of its own assisting departments."""
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == lead:
                item.setCheckState(Qt.CheckState.Unchecked)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEnabled)

    def ids(self) -> list[int]:
        """The ticked departments' ids, in the list's order."""
        return [
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.item(row) for row in range(self.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]


def assist_days_box(value: int = cohandling.DEFAULT_WORKDAYS) -> QSpinBox:
    """The working days the assisting departments have for their parts (会办时限)."""
    box = QSpinBox(objectName="assistDays")
    box.setRange(1, cohandling.MAX_WORKDAYS)
    box.setValue(value)
    box.setSuffix(_(" 个工作日内向主办单位答复"))
    return box
