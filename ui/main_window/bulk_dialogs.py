"""The dialogs of the list's bulk actions: the department for several cases, the results
case by case, and where the summaries of several cases go."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline.bulk_records import BulkResult
from hotline.i18n import _, format_number
from ui.common import icons
from ui.common.assisting_picker import AssistingPicker, assist_days_box
from ui.common.choice_combos import ChoiceCombo


class BulkDispatchDialog(QDialog):
    """One lead department, any assisting departments (会办) with their working days, and a
    note, for every chosen case."""

    def __init__(
        self, departments: Sequence[tuple[int, str]], count: int, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkDispatchDialog")
        self.setWindowTitle(_("派单"))
        self.setMinimumWidth(480)
        self._ids = {str(number) for number, _name in departments}
        intro = QLabel(
            _(
                "把所选的 {count} 个案件派给同一个承办单位（可同时指定会办单位）。"
                "每个案件分别派单、计算办理期限和会办期限；"
                "不能派单的案件（状态不符或已被他人修改）会列出原因，其余照常派单。"
            ).format(count=format_number(count)),
            wordWrap=True,
        )
        self.department = ChoiceCombo(
            [(name, str(number)) for number, name in departments],
            placeholder=_("输入单位名称"),
        )
        self.department.setObjectName("department")
        self.department.set_value("")
        self.assisting = AssistingPicker([(name, str(number)) for number, name in departments])
        self.assist_days = assist_days_box()
        # The typed name decides the lead (ChoiceCombo.value), as soon as it matches one.
        self.department.currentIndexChanged.connect(self._lead_changed)
        self.department.editTextChanged.connect(self._lead_changed)
        self.note = QPlainTextEdit(placeholderText=_("给承办单位的说明（可不填）"))
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(80)
        self.problem = QLabel(objectName="fieldMessage", wordWrap=True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        form = QFormLayout()
        form.addRow(_("承办单位"), self.department)
        form.addRow(_("会办单位"), self.assisting)
        form.addRow(_("会办时限"), self.assist_days)
        form.addRow(_("派单说明"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("派单 {count} 个案件").format(count=format_number(count)))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.department.setFocus()

    def _lead_changed(self, *_args: object) -> None:
        self.assisting.set_lead(self.department.value())

    def assisting_ids(self) -> list[int]:
        return self.assisting.ids()

    def department_id(self) -> int | None:
        code = self.department.value()
        return int(code) if code in self._ids else None

    def show_problem(self, text: str) -> None:
        """Say what is wrong; every choice stays as it is."""
        self.problem.setText(text)
        self.problem.show()

    def accept(self) -> None:
        if self.department_id() is None:  # what was typed stays
            self.show_problem(_("请选择有效的承办单位"))
            self.department.setFocus()
            return
        self.problem.hide()
        super().accept()


class BulkResultsDialog(QDialog):
    """What happened to each case: done, or why not."""

    def __init__(
        self, title: str, summary: str, results: Sequence[BulkResult], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkResultsDialog")
        self.setWindowTitle(title)
        self.resize(620, 380)
        heading = QLabel(summary, wordWrap=True)
        heading.setObjectName("resultsSummary")
        self.table = QTableWidget(len(results), 3, self)
        self.table.setObjectName("results")
        self.table.setHorizontalHeaderLabels([_("案件编号"), _("结果"), _("说明")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        failed_colour = QColor(icons.OVERDUE_TEXT)
        # Failures first: they are what the user must act on.
        ordered = sorted(results, key=lambda result: result.ok)
        for row, result in enumerate(ordered):
            cells = (result.case_no, _("完成") if result.ok else _("未完成"), result.text)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if not result.ok:
                    item.setForeground(failed_colour)
                self.table.setItem(row, column, item)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def rows(self) -> list[list[str]]:
        """The cells as shown (failures first)."""
        cells = []
        for row in range(self.table.rowCount()):
            items = [self.table.item(row, column) for column in range(3)]
            cells.append([item.text() if item is not None else "" for item in items])
        return cells


def ask_one_file(parent: QWidget | None, count: int) -> bool | None:
    """Summaries of several cases: one PDF (True), one file each in a folder (False), or
    None when cancelled."""
    box = QMessageBox(parent)
    box.setWindowTitle(_("打印所选案件的摘要"))
    box.setText(_("所选 {count} 个案件的摘要 PDF 如何保存？").format(count=format_number(count)))
    one = box.addButton(_("合并为一个 PDF…"), QMessageBox.ButtonRole.AcceptRole)
    folder = box.addButton(_("每案一个文件，存入文件夹…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("取消"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(one)
    box.exec()
    clicked = box.clickedButton()
    if clicked is one:
        return True
    if clicked is folder:
        return False
    return None
