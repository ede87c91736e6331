"""The reply texts page (工具 → 常用语…): a person's own texts and the centre's shared ones.

The list on the left (filter by code, title or pinyin initials; all, own or shared), the
selected text on the right with every problem marked at once (an unknown placeholder named
with its line as it is typed), and a live preview against a case chosen by its number (as
the person may see it: a confidential caller masked). Shared texts are read-only for a role
without ``reply_text.shared``. Import and export as XLSX or CSV; an import is all or nothing
and lists every problem with its line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import ValidationError
from hotline.i18n import N_, _, format_datetime
from hotline.permissions import Action
from hotline.reply_texts import placeholders, service, transfer
from hotline.reply_texts.kinds import TextKind
from hotline.reply_texts.service import TextInfo, TextInput
from ui.common import shortcuts
from ui.common.field_marks import STYLE, FieldMarks
from ui.common.messages import error_text, show_error
from ui.common.rows_model import RowsTableModel
from ui.common.session import Session
from ui.common.tables import read_only_rows
from ui.common.tasks import run_task

TEXT_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = (N_("简码"), N_("标题"), N_("适用"), N_("范围"))
SCOPES = (("all", N_("全部")), ("own", N_("我的")), ("shared", N_("共享")))
MAX_SHOWN_PROBLEMS = 12


def kinds_text(kinds: tuple[str, ...]) -> str:
    return "、".join(TextKind(k).label for k in kinds)


class TextTableModel(RowsTableModel):
    def __init__(self) -> None:
        super().__init__(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        text: TextInfo = self.rows[index.row()]
        if role == TEXT_ROLE:
            return text
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return text.code
            if column == 1:
                return text.title
            if column == 2:
                return kinds_text(text.kinds)
            return _("共享") if text.shared else _("个人")
        if role == Qt.ItemDataRole.ToolTipRole:
            return text.body
        return None


class ReplyTextsWindow(QWidget):
    texts_changed = Signal()  # saved, deleted or imported
    loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("ReplyTextsWindow")
        self.setWindowTitle(_("常用语"))
        self.setStyleSheet(STYLE)
        self.session = session
        self.may_share = session.can(Action.REPLY_TEXT_SHARED)
        self.texts: list[TextInfo] = []
        self.current: TextInfo | None = None  # None: a new text
        self.new_shared = False
        self.case_values: dict[str, str] | None = None
        self._case_line = ""
        self.last_import_problems: list[str] = []
        self.busy = False
        self.resize(1100, 680)

        splitter = QSplitter(self)
        splitter.addWidget(self._list_side())
        splitter.addWidget(self._edit_side())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([470, 630])
        outer = QVBoxLayout(self)
        outer.addWidget(splitter)
        shortcuts.bind("close_window", self, self.close)
        shortcuts.bind("save", self, self.save)
        shortcuts.bind("search", self, self.filter.setFocus)
        self.save_button.setToolTip(shortcuts.shown("save"))
        self._set_form(None, shared=False)
        self.reload()

    # Layout

    def _list_side(self) -> QWidget:
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.filter = QLineEdit(
            objectName="textFilter", placeholderText=_("筛选：简码、标题或拼音首字母")
        )
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._refill)
        top.addWidget(self.filter, 1)
        self.scope = QComboBox(objectName="scopeChoice")
        for code, label in SCOPES:
            self.scope.addItem(_(label), code)
        self.scope.currentIndexChanged.connect(self._refill)
        top.addWidget(self.scope)
        column.addLayout(top)
        self.model = TextTableModel()
        self.table = read_only_rows(QTableView(objectName="textTable"), single=True)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for number, width in ((0, 64), (2, 96), (3, 48)):
            self.table.setColumnWidth(number, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        column.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(_("新建个人常用语"), objectName="newOwn")
        self.new_button.clicked.connect(lambda: self.new_text(shared=False))
        self.new_shared_button = QPushButton(_("新建共享常用语"), objectName="newShared")
        self.new_shared_button.clicked.connect(lambda: self.new_text(shared=True))
        self.new_shared_button.setEnabled(self.may_share)
        if not self.may_share:
            self.new_shared_button.setToolTip(_("共享常用语由值班长或管理员维护"))
        self.import_button = QPushButton(_("导入…"), objectName="importTexts")
        self.import_button.clicked.connect(self._choose_import)
        self.export_button = QPushButton(_("导出…"), objectName="exportTexts")
        self.export_button.clicked.connect(self._choose_export)
        for button in (self.new_button, self.new_shared_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        column.addLayout(buttons)
        self.count_label = QLabel(objectName="count")
        column.addWidget(self.count_label)
        self.status = QLabel(objectName="status", wordWrap=True)
        column.addWidget(self.status)
        return side

    def _edit_side(self) -> QWidget:
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(objectName="formHeading")
        self.heading.setStyleSheet("font-weight: bold;")
        column.addWidget(self.heading)
        form = QFormLayout()
        self.fields: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self.marks = FieldMarks(self.fields, self.messages)
        self.code = QLineEdit(
            objectName="codeEdit", placeholderText=_("如 dfsl：在文本框中输入后按 Tab 展开")
        )
        self.code.setMaxLength(20)
        self.title = QLineEdit(objectName="titleEdit")
        self.title.setMaxLength(60)
        kinds = QWidget(objectName="kindChoice")
        row = QHBoxLayout(kinds)
        row.setContentsMargins(0, 0, 0, 0)
        self.kind_boxes: dict[str, QCheckBox] = {}
        for member in TextKind:
            box = QCheckBox(member.label)
            self.kind_boxes[member.value] = box
            row.addWidget(box)
            box.toggled.connect(lambda _on: self.marks.unmark("kinds"))
        row.addStretch(1)
        self.body = QPlainTextEdit(objectName="bodyEdit")
        self.body.setTabChangesFocus(True)
        self.body.textChanged.connect(self._body_changed)
        self.insert_placeholder = QComboBox(objectName="placeholderChoice")
        self.insert_placeholder.addItem(_("插入占位符…"), "")
        for item in placeholders.PLACEHOLDERS:
            self.insert_placeholder.addItem(
                "{" + item.name + "}  " + placeholders.describe(item), item.name
            )
        self.insert_placeholder.activated.connect(self._insert_placeholder)
        for key, label, widget in (
            ("code", _("简码"), self.code),
            ("title", _("标题"), self.title),
            ("kinds", _("适用于"), kinds),
            ("body", _("正文"), self.body),
        ):
            self._add_field(form, key, label, widget)
        form.addRow("", self.insert_placeholder)
        column.addLayout(form, 2)
        self.save_button = QPushButton(_("保存"), objectName="saveText")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(_("删除"), objectName="deleteText")
        self.delete_button.clicked.connect(self.delete)
        self.read_only_hint = QLabel(_("共享常用语由值班长或管理员维护，您可以使用，不能修改。"))
        self.read_only_hint.setStyleSheet("color: #5f6368;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.read_only_hint, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        column.addLayout(buttons)

        preview = QGroupBox(_("预览"), objectName="previewBox")
        lines = QVBoxLayout(preview)
        line = QHBoxLayout()
        self.case_no = QLineEdit(objectName="previewCase", placeholderText=_("案件编号"))
        self.case_no.returnPressed.connect(self.choose_case)
        self.case_button = QPushButton(_("按此案件预览"), objectName="previewButton")
        self.case_button.clicked.connect(self.choose_case)
        line.addWidget(QLabel(_("案件")))
        line.addWidget(self.case_no, 1)
        line.addWidget(self.case_button)
        lines.addLayout(line)
        self.case_state = QLabel(objectName="previewState", wordWrap=True)
        self.case_state.setStyleSheet("color: #5f6368;")
        lines.addWidget(self.case_state)
        self.preview = QPlainTextEdit(objectName="previewText", readOnly=True)
        self.preview.setMinimumHeight(self.fontMetrics().lineSpacing() * 5 + 16)
        lines.addWidget(self.preview)
        column.addWidget(preview, 1)
        return side

    def _add_field(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        cell = QWidget()
        inner = QVBoxLayout(cell)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(widget)
        message = QLabel(objectName="fieldMessage", wordWrap=True)
        message.hide()
        inner.addWidget(message)
        form.addRow(label, cell)
        self.fields[key] = widget
        self.messages[key] = message

    # The list

    def reload(self, select_id: int | None = None) -> None:
        actor = self.session.actor
        run_task(
            self,
            lambda: service.visible_texts(actor),
            on_done=lambda texts: self._loaded(texts, select_id),
            on_error=lambda exc: show_error(self, exc),
        )

    def _loaded(self, texts: list[TextInfo], select_id: int | None) -> None:
        self.texts = texts
        self._refill()
        if select_id is not None:
            self.select(select_id)
        self.loaded.emit()

    def shown_texts(self) -> list[TextInfo]:
        scope = self.scope.currentData()
        query = self.filter.text()
        return [
            t
            for t in self.texts
            if t.matches(query) and (scope == "all" or (scope == "shared") == t.shared)
        ]

    def _refill(self) -> None:
        keep = self.current.id if self.current is not None else None
        self.model.set_rows(self.shown_texts())
        self.count_label.setText(
            _("共 {count} 条（个人 {own}，共享 {shared}）").format(
                count=len(self.texts),
                own=sum(not t.shared for t in self.texts),
                shared=sum(t.shared for t in self.texts),
            )
        )
        if keep is not None:
            self.select(keep, load=False)

    def select(self, text_id: int, *, load: bool = True) -> None:
        for row, text in enumerate(self.model.rows):
            if text.id == text_id:
                selection = self.table.selectionModel()
                selection.blockSignals(True)
                self.table.selectRow(row)
                selection.blockSignals(False)
                if load:
                    self._set_form(text, shared=text.shared)
                return

    def _row_chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not current.isValid():
            return
        if not self.may_leave():
            # Back to the row whose text is in the form, once the view has finished selecting.
            back = previous.row() if previous.isValid() else -1
            QTimer.singleShot(0, lambda: self._reselect(back))
            return
        self._set_form(self.model.rows[current.row()], shared=False)

    def _reselect(self, row: int) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
        selection.blockSignals(False)
        self.table.viewport().update()

    def changed(self) -> bool:
        """Whether the form holds something not saved."""
        if not self.save_button.isEnabled():
            return False
        entered = self.entered()
        text = self.current
        saved = (
            (text.code, text.title, text.body, tuple(text.kinds))
            if text is not None
            else ("", "", "", ())
        )
        typed = (entered.code.strip().lower(), entered.title.strip(), entered.body.strip())
        return typed != saved[:3] or tuple(entered.kinds) != saved[3]

    def may_leave(self) -> bool:
        """True when nothing typed would be lost, or the person agrees to lose it."""
        if not self.changed():
            return True
        answer = QMessageBox.question(
            self,
            _("请确认"),
            _("当前常用语有未保存的修改，放弃这些修改？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.may_leave():
            event.accept()
        else:
            event.ignore()

    # The form

    def new_text(self, *, shared: bool) -> None:
        if not self.may_leave():
            return
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.table.clearSelection()
        self.table.setCurrentIndex(QModelIndex())
        selection.blockSignals(False)
        self._set_form(None, shared=shared)
        self.code.setFocus()

    def _set_form(self, text: TextInfo | None, *, shared: bool) -> None:
        self.marks.clear()
        self.current = text
        self.new_shared = shared if text is None else text.shared
        self.code.setText(text.code if text else "")
        self.title.setText(text.title if text else "")
        for code, box in self.kind_boxes.items():
            box.setChecked(text is not None and code in text.kinds)
        self.body.setPlainText(text.body if text else "")
        editable = not self.new_shared or self.may_share
        for widget in (self.code, self.title, self.body, self.insert_placeholder):
            widget.setEnabled(editable)
        for box in self.kind_boxes.values():
            box.setEnabled(editable)
        self.save_button.setEnabled(editable)
        self.delete_button.setEnabled(editable and text is not None)
        self.read_only_hint.setVisible(not editable)
        scope = _("共享常用语") if self.new_shared else _("个人常用语")
        if text is None:
            self.heading.setText(_("新建{scope}").format(scope=scope))
        else:
            self.heading.setText(
                _("{scope} · {by} 修改于 {at}").format(
                    scope=scope,
                    by=text.updated_by or _("程序预置"),
                    at=format_datetime(text.updated_at),
                )
            )
        self._body_changed()

    def entered(self) -> TextInput:
        return TextInput(
            code=self.code.text(),
            title=self.title.text(),
            body=self.body.toPlainText(),
            kinds=[code for code, box in self.kind_boxes.items() if box.isChecked()],
            shared=self.new_shared,
        )

    def _insert_placeholder(self, index: int) -> None:
        name = self.insert_placeholder.itemData(index)
        self.insert_placeholder.setCurrentIndex(0)
        if name:
            self.body.insertPlainText("{" + str(name) + "}")
            self.body.setFocus()

    def _body_changed(self) -> None:
        body = self.body.toPlainText()
        problems = placeholders.problems_in(body)
        if problems:
            self.marks.mark("body", problems[0].text)
        else:
            self.marks.unmark("body")
        self._update_preview()

    def _update_preview(self) -> None:
        body = self.body.toPlainText()
        if self.case_values is None:
            values = {p.name: "【" + p.name + "】" for p in placeholders.PLACEHOLDERS}
        else:
            values = self.case_values
        filled = placeholders.fill(body, values)
        self.preview.setPlainText(filled.text)
        if self.case_values is not None and filled.empty:
            self.case_state.setText(
                self._case_line
                + "  "
                + _("本案件没有：{names}（插入时留空）").format(names="、".join(filled.empty))
            )
        elif self.case_values is not None:
            self.case_state.setText(self._case_line)

    def choose_case(self) -> None:
        number = self.case_no.text().strip()
        if not number:
            self.case_values = None
            self.case_state.setText("")
            self._update_preview()
            return
        actor = self.session.actor
        self.case_state.setText(_("正在读取案件…"))
        run_task(
            self,
            lambda: service.values_for_case(actor, number),
            on_done=self._case_read,
            on_error=self._case_failed,
        )

    def _case_read(self, found: service.CaseValues) -> None:
        self.case_values = found.values
        self._case_line = _("按案件 {case_no} 预览").format(case_no=found.case_no)
        self.case_state.setText(self._case_line)
        self._update_preview()

    def _case_failed(self, exc: BaseException) -> None:
        self.case_values = None
        self.case_state.setText(error_text(exc))
        self._update_preview()

    # Changes

    def save(self) -> None:
        if self.busy or not self.save_button.isEnabled():
            return
        entered = self.entered()
        actor = self.session.actor
        current = self.current
        text_id = current.id if current else None
        version = current.version if current else None
        self.busy = True
        self.marks.clear()
        run_task(
            self,
            lambda: service.save_text(actor, entered, text_id=text_id, expected_version=version),
            on_done=self._saved,
            on_error=self._save_failed,
        )

    def _saved(self, text: TextInfo) -> None:
        self.busy = False
        self.current = text
        self.status.setText(_("已保存常用语 {code}").format(code=text.code))
        self.texts_changed.emit()
        self.reload(select_id=text.id)

    def _save_failed(self, exc: BaseException) -> None:
        self.busy = False
        if isinstance(exc, ValidationError):
            unplaced = self.marks.show(exc.problems)
            if unplaced:
                show_error(self, ValidationError(unplaced))
            first = self.marks.first_marked(("code", "title", "kinds", "body"))
            if first is not None:
                self.fields[first].setFocus()
            return
        show_error(self, exc)
        self.reload()

    def delete(self, *, confirmed: bool = False) -> None:
        text = self.current
        if text is None or self.busy:
            return
        if not confirmed:
            answer = QMessageBox.question(
                self,
                _("请确认"),
                _("删除常用语 {code}（{title}）？").format(code=text.code, title=text.title),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        actor = self.session.actor
        self.busy = True
        run_task(
            self,
            lambda: service.delete_text(actor, text.id, expected_version=text.version),
            on_done=lambda _r: self._deleted(text),
            on_error=self._save_failed,
        )

    def _deleted(self, text: TextInfo) -> None:
        self.busy = False
        self.status.setText(_("已删除常用语 {code}").format(code=text.code))
        self._set_form(None, shared=False)
        self.texts_changed.emit()
        self.reload()

    # Files

    def _choose_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("导入常用语"), "", _("表格 (*.xlsx *.csv)")
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        actor = self.session.actor
        self.status.setText(_("正在导入 {name}…").format(name=path.name))
        self.import_button.setEnabled(False)
        run_task(
            self,
            lambda: transfer.import_file(actor, path),
            on_done=self._imported,
            on_error=self._import_failed,
        )

    def _imported(self, result: transfer.ImportResult) -> None:
        self.import_button.setEnabled(True)
        self.status.setText(
            _("导入完成：新增 {added} 条，更新 {updated} 条").format(
                added=result.added, updated=result.updated
            )
        )
        self.texts_changed.emit()
        self.reload()

    def _import_failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        if not isinstance(exc, ValidationError):
            self.status.setText(_("导入未完成"))
            show_error(self, exc)
            return
        lines = [p.text for p in exc.problems]
        self.last_import_problems = lines
        self.status.setText(
            _("导入未完成：发现 {count} 处问题，未保存任何常用语").format(count=len(lines))
        )
        box = QMessageBox(self)
        box.setObjectName("importProblems")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("导入未完成"))
        shown = lines[:MAX_SHOWN_PROBLEMS]
        more = len(lines) - len(shown)
        text = _("文件中有 {count} 处问题，未导入任何常用语。请改正后重新导入：").format(
            count=len(lines)
        )
        text += "\n\n" + "\n".join(shown)
        if more:
            text += "\n" + _("……另有 {more} 处，见“详细信息”").format(more=more)
        box.setText(text)
        box.setDetailedText("\n".join(lines))
        box.open()

    def _choose_export(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, _("导出常用语"), _("常用语.xlsx"), _("Excel 表格 (*.xlsx);;CSV 文件 (*.csv)")
        )
        if path:
            if not Path(path).suffix:
                path += ".csv" if "csv" in chosen else ".xlsx"
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        actor = self.session.actor
        scope = self.scope.currentData()
        shared = None if scope == "all" else scope == "shared"
        run_task(
            self,
            lambda: transfer.export_file(actor, path, shared=shared),
            on_done=lambda count: self.status.setText(
                _("已导出 {count} 条常用语到 {path}").format(count=count, path=str(path))
            ),
            on_error=lambda exc: show_error(self, exc),
        )
