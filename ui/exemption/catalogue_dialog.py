"""Catalogue administration: the stored versions, and importing a new official list.

A spreadsheet (CSV, XLSX) holds only the items, so its version, effective date and name are
typed here; a JSON file carries its own (typed values replace them). A file with problems is
refused as a whole and every problem is listed by row and column; the version in force stays.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import Problem, ValidationError
from hotline.exemption import store
from hotline.exemption.store import VersionInfo
from hotline.i18n import _
from hotline.permissions import Action
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.tasks import run_task
from ui.exemption.versions_model import VersionsModel

log = logging.getLogger(__name__)

STYLE = """
QListWidget#importProblems { color: #8c1d18; background: #fdf3f2; border: 1px solid #e8b4b0; }
QLabel#importResult { color: #0d652d; }
QLabel#importResult[failed="true"] { color: #8c1d18; }
"""
FILE_FILTER = "CSV / XLSX / JSON (*.csv *.xlsx *.json)"


def problem_line(problem: Problem) -> str:
    """``第 4 行“处罚依据”列：不能为空`` for spreadsheet rows, the field name otherwise."""
    row, column = problem.params.get("row"), problem.params.get("column")
    if row is not None and column is not None:
        return _("第 {row} 行“{column}”列：{message}").format(
            row=row, column=column, message=problem.text
        )
    return _("{field}：{message}").format(field=problem.field, message=problem.text)


class CatalogueDialog(QDialog):
    imported = Signal(str)  # the new version

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("首错免罚清单管理"))
        self.setStyleSheet(STYLE)
        self.resize(980, 700)
        self.session = session
        self.busy = False

        self.model = VersionsModel()
        self.table = QTableView(objectName="versionsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)

        self.path = QLineEdit(objectName="importPath")
        self.path.setPlaceholderText(_("选择要导入的清单文件"))
        browse = QPushButton(_("选择文件…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        self.version = QLineEdit(placeholderText=_("如 2027.1（JSON 文件可留空）"))
        self.effective = QLineEdit(placeholderText=_("YYYY-MM-DD（JSON 文件可留空）"))
        self.name = QLineEdit(
            placeholderText=_("如 鹤壁市涉企轻微违法行为首错免罚清单（2027年版）")
        )
        self.source = QLineEdit(placeholderText=_("发布机关和文号"))
        self.note = QLineEdit()
        self.import_button = QPushButton(_("导入"), objectName="primaryButton")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.result_label = QLabel(objectName="importResult", wordWrap=True)
        self.problems = QListWidget(objectName="importProblems")
        self.problems.hide()

        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("文件"), file_row)
        form.addRow(_("版本号"), self.version)
        form.addRow(_("施行日期"), self.effective)
        form.addRow(_("清单名称"), self.name)
        form.addRow(_("来源"), self.source)
        form.addRow(_("说明"), self.note)
        hint = QLabel(
            _(
                "CSV、XLSX 的第一行为列名（编号、实施主体、监管领域、违法行为、违法依据、处罚依据、适用条件、首违回溯期（天）…）。"
                "有任何一行不合格，整份清单都不会导入，现行版本不变。"
            ),
            objectName="hint",
            wordWrap=True,
        )
        box = QGroupBox(_("导入新版清单"))
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(hint)
        box_layout.addLayout(form)
        action_row = QHBoxLayout()
        action_row.addWidget(self.result_label, 1)
        action_row.addWidget(self.import_button)
        box_layout.addLayout(action_row)
        box_layout.addWidget(self.problems)
        box.setEnabled(session.can(Action.CATALOGUE_MANAGE))
        if not session.can(Action.CATALOGUE_MANAGE):
            box.setToolTip(_("只有管理员可以导入清单"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("关闭"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("清单版本（新评估使用“现行”版本；已有评估仍指向当时的版本）")))
        layout.addWidget(self.table, 1)
        layout.addWidget(box)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        run_task(self, store.list_versions, on_done=self._show_versions, on_error=self._failed)

    def _show_versions(self, rows: list[VersionInfo]) -> None:
        self.model.set_rows(rows)

    def _failed(self, exc: BaseException) -> None:
        self._result(error_text(exc), failed=True)

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("选择清单文件"), self.path.text(), FILE_FILTER
        )
        if chosen:
            self.path.setText(chosen)

    def _result(self, text: str, *, failed: bool) -> None:
        self.result_label.setText(text)
        self.result_label.setProperty("failed", failed)
        self.result_label.style().unpolish(self.result_label)
        self.result_label.style().polish(self.result_label)

    def start_import(self) -> None:
        if self.busy:
            return
        path = self.path.text().strip()
        if not path or not Path(path).is_file():
            self._result(_("请选择存在的清单文件"), failed=True)
            return
        values = {
            "version": self.version.text().strip() or None,
            "effective_date": self.effective.text().strip() or None,
            "name": self.name.text().strip() or None,
            "source": self.source.text().strip() or None,
            "note": self.note.text().strip() or None,
        }
        actor = self.session.actor
        self.busy = True
        self.import_button.setEnabled(False)
        self.problems.clear()
        self.problems.hide()
        self._result(_("正在检查并导入…"), failed=False)
        run_task(
            self,
            lambda: store.import_catalogue(actor, path, **values),
            on_done=self._imported,
            on_error=self._import_failed,
        )

    def _imported(self, info: VersionInfo) -> None:
        self.busy = False
        self.import_button.setEnabled(True)
        state = _("现已施行") if info.in_force else _("尚未到施行日期")
        self._result(
            _("已导入 {version} 版，共 {count} 项（{date} 施行，{state}）").format(
                version=info.version, count=info.item_count, date=info.effective_date, state=state
            ),
            failed=False,
        )
        log.info("catalogue %s imported from the dialog", info.version)
        self.imported.emit(info.version)
        self.refresh()

    def _import_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.import_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self._result(
                _("文件有 {count} 处问题，未导入任何内容；现行版本不变：").format(
                    count=len(exc.problems)
                ),
                failed=True,
            )
            for problem in exc.problems:
                self.problems.addItem(problem_line(problem))
            self.problems.show()
            return
        self._result(error_text(exc), failed=True)


def open_catalogue_dialog(session: Session, parent: QWidget | None = None) -> CatalogueDialog:
    dialog = CatalogueDialog(session, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
