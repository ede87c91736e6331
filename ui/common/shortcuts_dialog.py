"""F1: every keyboard shortcut of the program, from the one table (ui.common.shortcuts)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _
from ui.common import shortcuts


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(_("键盘快捷键"))
        intro = QLabel(_("以下快捷键在整个程序中含义相同；“适用于”列出可以使用它的窗口。"))
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        self.table = QTableWidget(len(shortcuts.SHORTCUTS), 3, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels([_("按键"), _("作用"), _("适用于")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        for row, item in enumerate(shortcuts.SHORTCUTS):
            native = [
                QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in item.keys
            ]
            keys = " / ".join(dict.fromkeys(native))  # Return and Enter are both 回车 in Chinese
            cells = (keys, shortcuts.description(item), shortcuts.places(item))
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 0:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.table.setItem(row, column, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.resizeColumnsToContents()
        width = sum(self.table.columnWidth(c) for c in range(3)) + 60
        self.resize(min(max(width, 640), 1100), 620)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

    def keys_listed(self) -> list[str]:
        items = (self.table.item(row, 0) for row in range(self.table.rowCount()))
        return [item.text() for item in items if item is not None]


def show_shortcuts(parent: QWidget | None) -> ShortcutsDialog:
    """Open the list (non-modal, so the user can try the keys beside it)."""
    window = parent.window() if parent is not None else None
    existing = window.findChild(ShortcutsDialog) if window is not None else None
    if existing is not None:
        existing.raise_()
        existing.activateWindow()
        return existing
    dialog = ShortcutsDialog(window)
    dialog.show()
    return dialog
