"""The administrator's view of the audit trail: newest entries first, verify, export to CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline import audit
from hotline.i18n import N_, _, format_datetime, format_number
from ui.common.messages import show_error
from ui.common.session import Session
from ui.common.tasks import run_task

Index = QModelIndex | QPersistentModelIndex
PAGE = 500
COLUMNS = (N_("编号"), N_("时间"), N_("操作人"), N_("操作"), N_("对象"), N_("对象编号"), N_("详情"))


class AuditModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[audit.AuditLine] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        e = self.rows[index.row()]
        values = (
            e.id,
            format_datetime(e.at),
            e.actor,
            e.action,
            e.entity,
            e.entity_id,
            e.detail[:300],
        )
        return str(values[index.column()])

    def append(self, rows: list[audit.AuditLine]) -> None:
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
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.status = QLabel()
        self.more_button = QPushButton(_("加载更早的记录"))
        self.verify_button = QPushButton(_("核对完整性"))
        self.export_button = QPushButton(_("导出 CSV…"))
        self.more_button.clicked.connect(self.load_more)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.export)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.more_button, self.verify_button, self.export_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.load_more()

    def load_more(self) -> None:
        before = self.model.rows[-1].id if self.model.rows else None
        actor = self.session.actor
        self.more_button.setEnabled(False)

        def done(rows: list[audit.AuditLine]) -> None:
            self.model.append(rows)
            self.more_button.setEnabled(len(rows) == PAGE)
            self.status.setText(
                _("已显示 {count} 条").format(count=format_number(len(self.model.rows)))
            )

        run_task(
            self,
            lambda: audit.entries(actor, before_id=before, limit=PAGE),
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
