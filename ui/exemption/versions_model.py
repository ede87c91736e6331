"""The stored catalogue versions as a table: which is in force, which is still to come."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from hotline import clock
from hotline.exemption.store import VersionInfo
from hotline.i18n import N_, _, format_date, format_datetime
from ui.common.rows_model import RowsTableModel

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


class VersionsModel(RowsTableModel):
    rows: list[VersionInfo]

    def __init__(self) -> None:
        super().__init__([header for _key, header in COLUMNS])

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
