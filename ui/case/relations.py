"""The case window's "linked cases" tab: the case this one repeats, and the cases repeating it."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline.case_view import CaseWindowView
from hotline.i18n import _
from ui.common.case_brief_model import CaseHistoryModel


class RelationsPanel(QWidget):
    open_case = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._original_id: int | None = None
        layout = QVBoxLayout(self)
        self.original = QLabel(wordWrap=True, objectName="repeatOf")
        self.original.linkActivated.connect(self._open_original)
        layout.addWidget(self.original)
        self.heading = QLabel()
        layout.addWidget(self.heading)
        self.model = CaseHistoryModel(("case_no", "received_at", "status", "subject"))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        layout.addWidget(self.table, 1)

    def show_snapshot(self, snapshot: CaseWindowView) -> None:
        original = snapshot.repeat_of
        self._original_id = original.id if original else None
        if original is not None:
            self.original.setText(
                _('本案件是 <a href="case">{case_no}</a>（{subject}）的重复诉求。').format(
                    case_no=original.case_no, subject=html.escape(original.subject)
                )
            )
        else:
            self.original.setText(_("本案件不是其他案件的重复诉求。"))
        self.heading.setText(
            _("重复本案件的诉求（{count} 件）").format(count=len(snapshot.repeats))
        )
        self.model.set_rows(snapshot.repeats)

    def count(self) -> int:
        return len(self.model.rows) + (1 if self._original_id is not None else 0)

    def _open_original(self, _href: str) -> None:
        if self._original_id is not None:
            self.open_case.emit(self._original_id)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case.emit(self.model.case_id(index.row()))
