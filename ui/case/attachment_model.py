"""A case's attachments as a table: name, type, size, who added it, when, the start of the
hash. A removed one is struck through and greyed, its tooltip saying who removed it and why."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from hotline.attachments.records import AttachmentInfo, file_size
from hotline.i18n import N_, _, format_datetime
from ui.common.rows_model import RowsTableModel

ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole + 1
REMOVED_COLOUR = QColor("#8a8a8a")
COLUMNS = (N_("文件名"), N_("类型"), N_("大小"), N_("添加人"), N_("添加时间"), N_("SHA-256"))
NAME, TYPE, SIZE, WHO, WHEN, HASH = range(len(COLUMNS))


class AttachmentTableModel(RowsTableModel):
    rows: list[AttachmentInfo]

    def __init__(self) -> None:
        super().__init__(COLUMNS)

    def item(self, row: int) -> AttachmentInfo:
        return self.rows[row]

    def row_of(self, attachment_id: int) -> int:
        return next((n for n, a in enumerate(self.rows) if a.id == attachment_id), -1)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        if role == ATTACHMENT_ROLE:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.ForegroundRole and item.removed:
            return QBrush(REMOVED_COLOUR)
        if role == Qt.ItemDataRole.FontRole and item.removed and index.column() == NAME:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None

    def _text(self, item: AttachmentInfo, column: int) -> str:
        if column == NAME:
            return _("{name}（已删除）").format(name=item.name) if item.removed else item.name
        if column == TYPE:
            return item.type_label
        if column == SIZE:
            return file_size(item.size)
        if column == WHO:
            return item.added_by
        if column == WHEN:
            return format_datetime(item.added_at)
        return item.short_hash

    def _tooltip(self, item: AttachmentInfo) -> str:
        lines = [item.name, _("SHA-256：{hash}").format(hash=item.sha256)]
        if item.removed and item.removed_at is not None:
            lines.append(
                _("{who} 于 {when} 删除，理由：{reason}").format(
                    who=item.removed_by,
                    when=format_datetime(item.removed_at),
                    reason=item.removed_reason,
                )
            )
        elif not item.may_open:
            lines.append(_("保密案件：当前角色不能打开其附件"))
        return "\n".join(lines)
