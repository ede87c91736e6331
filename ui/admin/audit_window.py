"""The administrator's view of the audit trail: newest entries first, each in a sentence with
names (hotline.audit_text), the stored record on demand; verify, export to CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline import audit, audit_text
from hotline.i18n import N_, _, format_datetime, format_number
from ui.common.messages import show_error
from ui.common.session import Session
from ui.common.tasks import run_task

Index = QModelIndex | QPersistentModelIndex
PAGE = 500
COLUMNS = (N_("时间"), N_("操作人"), N_("操作"), N_("序号"))
SENTENCE_COLUMN = 2


class AuditModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[audit_text.WordedEntry] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        e = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (format_datetime(e.at), e.actor, e.sentence, e.id)
            return str(values[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == SENTENCE_COLUMN:
            return e.sentence
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def append(self, rows: list[audit_text.WordedEntry]) -> None:
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()


class AuditWindow(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("审计日志"))
        self.resize(1100, 650)
        self.model = AuditModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SENTENCE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        # The stored record (codes, ids, JSON) of the selected entry, on demand.
        self.raw = QPlainTextEdit(objectName="auditRaw", readOnly=True)
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw.setPlaceholderText(_("选择一条记录，查看其原始内容"))
        self.raw.hide()
        self.raw_button = QPushButton(_("显示原始记录"), checkable=True)
        self.raw_button.setObjectName("rawButton")
        self.raw_button.toggled.connect(self._toggle_raw)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_raw())
        self.table.doubleClicked.connect(lambda _index: self.raw_button.setChecked(True))
        self.status = QLabel()
        self.more_button = QPushButton(_("加载更早的记录"))
        self.verify_button = QPushButton(_("核对完整性"))
        self.export_button = QPushButton(_("导出 CSV…"))
        self.more_button.clicked.connect(self.load_more)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.export)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.raw_button, self.more_button, self.verify_button, self.export_button):
            button.setAutoDefault(False)  # none is the dialog's default (blue) button
            buttons.addWidget(button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.raw)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.load_more()

    def _toggle_raw(self, shown: bool) -> None:
        self.raw.setVisible(shown)
        self.raw_button.setText(_("隐藏原始记录") if shown else _("显示原始记录"))
        self._show_raw()

    def _show_raw(self) -> None:
        row = self.table.currentIndex().row()
        if self.raw.isVisible():
            self.raw.setPlainText(
                self.model.rows[row].raw if 0 <= row < len(self.model.rows) else ""
            )

    def load_more(self) -> None:
        before = self.model.rows[-1].id if self.model.rows else None
        actor = self.session.actor
        self.more_button.setEnabled(False)

        def done(rows: list[audit_text.WordedEntry]) -> None:
            self.model.append(rows)
            self.more_button.setEnabled(len(rows) == PAGE)
            self.status.setText(
                _("已显示 {count} 条").format(count=format_number(len(self.model.rows)))
            )

        run_task(
            self,
            lambda: audit_text.worded_entries(actor, before_id=before, limit=PAGE),
            done,
            lambda exc: show_error(self, exc),
        )

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.status.setText(_("正在核对…"))

        def done(result: audit.VerifyResult) -> None:
            self.verify_button.setEnabled(True)
            self.status.setText(audit.describe(result))

        run_task(self, audit.verify, done, lambda exc: show_error(self, exc))

    def export(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("导出审计日志"), "audit.csv", "CSV (*.csv)"
            )
        if not path:
            return
        actor = self.session.actor
        self.export_button.setEnabled(False)

        def done(count: int) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(
                _("已导出 {count} 条审计记录到 {path}").format(count=count, path=path)
            )

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            show_error(self, exc)

        run_task(self, lambda: audit.export_csv(actor, Path(path)), done, failed)
