"""Shift handover: read the previous shift's note and what needs watching, write your own.

The incoming operator sees the latest note, the open urgent cases and the overdue ones (a
double-click or Enter opens a case), and the earlier notes, newest first (who, when, what);
the outgoing one writes the note and saves it (Ctrl+S).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hotline import handover
from hotline.errors import ValidationError
from hotline.handover import HandoverView
from hotline.i18n import N_, _, format_datetime
from hotline.permissions import Action, shown_name
from ui.common import shortcuts
from ui.common.case_brief_model import CaseHistoryModel
from ui.common.messages import show_error
from ui.common.session import Session
from ui.common.tables import read_only_rows
from ui.common.tasks import run_task
from ui.links import open_case

log = logging.getLogger(__name__)

COLUMNS = ("case_no", "enterprise", "subject", "status", "department", "deadline")


HISTORY_COLUMNS = (N_("交班时间"), N_("交班人"), N_("内容"))
NOTE_ROLE = Qt.ItemDataRole.UserRole + 1


class NoteHistory(QSplitter):
    """The earlier handover notes, newest first; the selected one in full below the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("handoverHistory")
        self.model = QStandardItemModel(0, len(HISTORY_COLUMNS), self)
        self.model.setHorizontalHeaderLabels([_(title) for title in HISTORY_COLUMNS])
        self.table = QTableView(self)
        self.table.setModel(self.model)
        read_only_rows(self.table, single=True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("handoverHistoryText")
        self.text.setReadOnly(True)
        self.text.setAccessibleName(_("交接记录全文"))
        self.addWidget(self.table)
        self.addWidget(self.text)
        self.setSizes([260, 140])
        self.table.selectionModel().currentRowChanged.connect(self._show_note)

    def set_notes(self, notes: list[handover.NoteRecord]) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for note in notes:
            first_line = note.text.strip().splitlines()[0] if note.text.strip() else ""
            items = [
                QStandardItem(format_datetime(note.written_at)),
                QStandardItem(shown_name(note.author_name)),
                QStandardItem(first_line),
            ]
            items[0].setData(note, NOTE_ROLE)
            items[2].setToolTip(note.text)
            self.model.appendRow(items)
        self.text.clear()
        if notes:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def note_at(self, row: int) -> handover.NoteRecord:
        note: handover.NoteRecord = self.model.index(row, 0).data(NOTE_ROLE)
        return note

    def _show_note(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.text.clear()
            return
        note = self.note_at(current.row())
        self.text.setPlainText(
            _("{author} 于 {time} 交班：").format(
                author=shown_name(note.author_name), time=format_datetime(note.written_at)
            )
            + "\n\n"
            + note.text
        )


def _case_table(model: CaseHistoryModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    read_only_rows(table)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(COLUMNS.index("subject"), QHeaderView.ResizeMode.Stretch)
    return table


class HandoverDialog(QDialog):
    loaded = Signal(object)  # HandoverView
    note_saved = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("交接班"))
        self.setObjectName("handoverDialog")
        self.resize(1100, 780)
        self.session = session
        self.view: HandoverView | None = None

        self.previous = QLabel(wordWrap=True, objectName="previousNote")
        self.previous.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.previous_meta = QLabel()
        self.shift_line = QLabel()
        self.urgent_model = CaseHistoryModel(COLUMNS)
        self.overdue_model = CaseHistoryModel(COLUMNS)
        self.urgent_table = _case_table(self.urgent_model)
        self.overdue_table = _case_table(self.overdue_model)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overdue_table, "")
        self.tabs.addTab(self.urgent_table, "")
        self.history = NoteHistory()
        self.tabs.addTab(self.history, "")
        self.editor = QPlainTextEdit(placeholderText=_("本班情况、待跟进事项、需下一班注意的案件…"))
        self.editor.setTabChangesFocus(True)
        self.save_button = QPushButton(
            _("保存交接记录（{key}）").format(key=shortcuts.shown("save"))
        )
        self.save_button.clicked.connect(self.save)
        close = QPushButton(_("关闭"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        self.status = QLabel(objectName="fieldMessage", wordWrap=True)

        previous_box = QGroupBox(_("上一班交接记录"))
        previous_layout = QVBoxLayout(previous_box)
        previous_layout.addWidget(self.previous_meta)
        previous_layout.addWidget(self.previous)
        write_box = QGroupBox(_("写交接记录"))
        write_layout = QVBoxLayout(write_box)
        write_layout.addWidget(self.editor)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        write_layout.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(previous_box)
        layout.addWidget(self.shift_line)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(write_box)

        self.save_button.setDefault(True)
        can_write = session.can(Action.HANDOVER_WRITE)
        write_box.setVisible(can_write)
        for table, model in (
            (self.urgent_table, self.urgent_model),
            (self.overdue_table, self.overdue_model),
        ):
            table.activated.connect(lambda index, model=model: self._open(model, index))
            table.doubleClicked.connect(lambda index, model=model: self._open(model, index))
        shortcuts.bind("save", self, self.save)
        shortcuts.bind("refresh", self, self.reload)
        self.reload()
        if can_write:
            self.editor.setFocus()

    def reload(self) -> None:
        run_task(
            self,
            handover.handover_view,
            on_done=self._show,
            on_error=lambda exc: show_error(self, exc),
        )

    def _show(self, view: HandoverView) -> None:
        self.view = view
        if view.note_time is not None:
            self.previous_meta.setText(
                _("{author} 于 {time} 交班").format(
                    author=view.note_author, time=format_datetime(view.note_time)
                )
            )
            self.previous.setText(view.note_text)
        else:
            self.previous_meta.setText("")
            self.previous.setText(_("还没有交接记录。"))
        self.shift_line.setText(
            _("自 {time} 以来新受理 {count} 件。需要关注：").format(
                time=format_datetime(view.shift_start), count=view.registered_in_shift
            )
        )
        self.overdue_model.set_rows(view.overdue)
        self.urgent_model.set_rows(view.urgent)
        self.tabs.setTabText(0, _("已超期（{count}）").format(count=view.overdue_total))
        self.tabs.setTabText(1, _("未办结的紧急案件（{count}）").format(count=view.urgent_total))
        self.history.set_notes(view.history)
        if view.history_total > len(view.history):
            history_title = _("交接记录历史（最近 {shown} 条，共 {count} 条）").format(
                shown=len(view.history), count=view.history_total
            )
        else:
            history_title = _("交接记录历史（{count}）").format(count=view.history_total)
        self.tabs.setTabText(2, history_title)
        self.loaded.emit(view)

    def _open(self, model: CaseHistoryModel, index: QModelIndex) -> None:
        if index.isValid():
            open_case(self.session, model.case_id(index.row()))

    def save(self) -> None:
        if not self.save_button.isVisible() or not self.save_button.isEnabled():
            return
        actor = self.session.actor
        text = self.editor.toPlainText()
        self.save_button.setEnabled(False)
        run_task(
            self,
            lambda: handover.write_note(actor, text),
            on_done=self._saved,
            on_error=self._save_failed,
        )

    def _saved(self, note: object) -> None:
        self.save_button.setEnabled(True)
        self.editor.clear()
        self.status.setStyleSheet("color: #1b4d1f;")
        self.status.setText(_("交接记录已保存。"))
        self.note_saved.emit(note.id)  # type: ignore[attr-defined]
        self.reload()

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.status.setStyleSheet("color: #b3261e;")
        if isinstance(exc, ValidationError):
            self.status.setText("\n".join(p.text for p in exc.problems))
            self.editor.setFocus()
        else:
            show_error(self, exc)
