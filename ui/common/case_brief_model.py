"""A short list of cases (an enterprise's history, a shift's urgent cases) as a table model.

Rows are plain ``CaseBrief`` records made off the GUI thread from joined query results, so
showing them never touches the database. ``CASE_ID_ROLE`` gives a row's case id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from hotline import clock
from hotline.case_briefs import CaseBrief
from hotline.enums import Category, Kind, Status
from hotline.i18n import N_, _, format_date, format_datetime
from ui.common.rows_model import RowsTableModel

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_COLOUR = QColor("#b3261e")

COLUMN_TITLES = {
    "case_no": N_("案件编号"),
    "received_at": N_("受理时间"),
    "kind": N_("类型"),
    "category": N_("类别"),
    "status": N_("状态"),
    "subject": N_("主题"),
    "enterprise": N_("企业"),
    "department": N_("承办单位"),
    "deadline": N_("办理期限"),
}


def _label(enum: Any, code: str) -> str:
    member = enum.parse(code)
    return member.label if member is not None else code


class CaseHistoryModel(RowsTableModel):
    rows: list[CaseBrief]

    def __init__(self, columns: Sequence[str] = ("case_no", "received_at", "status", "subject")):
        super().__init__([COLUMN_TITLES[column] for column in columns])
        self.columns = list(columns)
        self.today = clock.today()

    def set_rows(self, rows: Sequence[CaseBrief]) -> None:
        self.today = clock.today()  # overdue as of this refresh
        super().set_rows(rows)

    def case_id(self, row: int) -> int:
        return self.rows[row].id

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == CASE_ID_ROLE:
            return row.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue(self.today):
            return QBrush(OVERDUE_COLOUR)
        return None

    def _text(self, row: CaseBrief, column: str) -> str:
        if column == "received_at":
            return format_datetime(row.received_at)
        if column == "kind":
            return _label(Kind, row.kind)
        if column == "category":
            return _label(Category, row.category)
        if column == "status":
            text = _label(Status, row.status)
            return _("{status}（已超期）").format(status=text) if row.overdue(self.today) else text
        if column == "deadline":
            return format_date(row.deadline)
        return str(getattr(row, column) or "")
