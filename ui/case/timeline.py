"""The case timeline as a table: when, what, who, and the text; internal entries marked 内部."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from hotline import corrections, timeline
from hotline.case_view import TimelineRow
from hotline.enums import Satisfaction
from hotline.i18n import N_, _, format_datetime

INTERNAL_BACKGROUND = QColor("#fff8e1")
COLUMNS = (N_("时间"), N_("操作"), N_("办理人"), N_("内容"))


def action_label(event: TimelineRow) -> str:
    if event.action == "decide_extension":
        approved = bool(event.data.get("approved"))
        return timeline.label("approve_extension" if approved else "reject_extension")
    return timeline.label(event.action)


def describe(event: TimelineRow) -> str:
    """The event's text with what its data adds (department, deadline, satisfaction…)."""
    data = event.data
    lines: list[str] = []
    if event.action == "dispatch":
        lines.append(
            _("派单至 {department}，办理期限 {deadline}").format(
                department=data.get("department", ""), deadline=data.get("deadline", "")
            )
        )
    elif event.action == "return" and data.get("department"):
        lines.append(_("由 {department} 退回").format(department=data["department"]))
    elif event.action == "request_extension" and data.get("until"):
        lines.append(_("申请延期至 {date}").format(date=data["until"]))
    elif event.action == "decide_extension" and data.get("approved"):
        lines.append(_("办理期限延至 {date}").format(date=data.get("until", "")))
    elif event.action == "callback" and data.get("satisfaction"):
        satisfaction = Satisfaction.parse(data["satisfaction"])
        label = satisfaction.label if satisfaction else data["satisfaction"]
        lines.append(_("满意度：{satisfaction}").format(satisfaction=label))
    elif event.action == "reopen" and data.get("round"):
        lines.append(_("进入第 {round} 轮办理").format(round=data["round"]))
    elif event.action == "repeat" and data.get("repeat_of"):
        lines.append(_("与案件 {case_no} 重复").format(case_no=data["repeat_of"]))
    elif event.action == "correct":  # each field's before → after, then the reason
        return "\n".join(corrections.describe(data, event.text))
    if event.text:
        lines.append(event.text)
    return "\n".join(lines)


class TimelineModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[TimelineRow] = []

    def set_events(self, events: Sequence[TimelineRow]) -> None:
        self.beginResetModel()
        self.events = list(events)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        event = self.events[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return format_datetime(event.at)
            if column == 1:
                label = action_label(event)
                return _("{action}（内部）").format(action=label) if event.internal else label
            if column == 2:
                return event.actor_name
            return describe(event)
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
