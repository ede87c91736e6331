"""The case timeline as a table: when, what, who, and what the step decided (worded by the
core, :mod:`hotline.timeline_words`, as the case summary PDF words it); internal entries
marked 内部."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from hotline.case_view import TimelineRow
from hotline.i18n import N_, _, format_datetime
from ui.common.rows_model import RowsTableModel

INTERNAL_BACKGROUND = QColor("#fff8e1")
COLUMNS = (N_("时间"), N_("操作"), N_("办理人"), N_("内容"))


class TimelineModel(RowsTableModel):
    rows: list[TimelineRow]

    def __init__(self) -> None:
        super().__init__(COLUMNS)

    def set_events(self, events: Sequence[TimelineRow]) -> None:
        self.set_rows(events)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        event = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return format_datetime(event.at)
            if column == 1:
                label = event.label
                return _("{action}（内部）").format(action=label) if event.internal else label
            if column == 2:
                return event.actor_name
            return event.content
        if role == Qt.ItemDataRole.BackgroundRole and event.internal:
            return QBrush(INTERNAL_BACKGROUND)
        return None


class TimelineView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline = TimelineModel()
        self.setModel(self.timeline)
        self.setWordWrap(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def set_events(self, events: Sequence[TimelineRow]) -> None:
        self.timeline.set_events(events)
        self.resizeRowsToContents()
        if events:
            self.scrollToBottom()
