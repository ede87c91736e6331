"""The stored catalogue versions as a table: which is in force, which is still to come."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from hotline import clock
from hotline.exemption.store import VersionInfo
from hotline.i18n import N_, _, format_date, format_datetime

COLUMNS = (
    ("version", N_("版本")),
    ("state", N_("状态")),
    ("effective_date", N_("施行日期")),
    ("items", N_("事项数")),
    ("name", N_("名称")),
    ("imported", N_("导入")),
    ("assessments", N_("已用于评估")),
)
VersionRole = Qt.ItemDataRole.UserRole + 1


def state_label(info: VersionInfo) -> str:
    if info.in_force:
        return _("现行")
    if info.effective_date > clock.today():
        return _("待施行")
    return _("已被取代")


class VersionsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[VersionInfo] = []

    def set_rows(self, rows: list[VersionInfo]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        info = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == VersionRole:
            return info
        if role == Qt.ItemDataRole.FontRole and info.in_force:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(part for part in (info.source, info.note) if part)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if key == "version":
            return info.version
        if key == "state":
            return state_label(info)
        if key == "effective_date":
            return format_date(info.effective_date)
        if key == "items":
            return str(info.item_count)
        if key == "name":
            return info.name
        if key == "imported":
            who = _("随程序附带") if info.shipped else info.imported_by
            return _("{who}，{at}").format(who=who, at=format_datetime(info.imported_at))
        if key == "assessments":
            return str(info.assessments)
        return None
