"""Pieces shared by the administration pages: a record table and a dialog that marks fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import HotlineError, ValidationError
from hotline.i18n import _
from ui.admin.table_model import RecordTableModel
from ui.common.messages import error_text

W = TypeVar("W", bound=QWidget)


def record_table(parent: QWidget, model: RecordTableModel, name: str) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def page_layout(
    page: QWidget, table: QTableView, buttons: Sequence[QWidget], note: str = ""
) -> QVBoxLayout:
    """Buttons in a row above the table, an optional explanation below it."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout = QVBoxLayout(page)
    layout.addLayout(row)
    layout.addWidget(table, 1)
    if note:
        hint = QLabel(note, page)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
    return layout


def selected_record(table: QTableView) -> Any:
    index = table.currentIndex()
    model = table.model()
    if not index.isValid() or not isinstance(model, RecordTableModel):
        return None
    return model.record_at(index.row())


class FormDialog(QDialog):
    """A form whose ``submit`` calls a service; problems mark their fields, all at once."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.fields: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def add_field(self, name: str, label: str, widget: W) -> W:
        widget.setObjectName(name)
        self.fields[name] = widget
        self.form.addRow(label, widget)
        return widget

    def submit(self) -> None:
        """Do the change; raise the core's errors (subclasses)."""
        raise NotImplementedError

    def _submit(self) -> None:
        self.clear_marks()
        try:
            self.submit()
        except HotlineError as exc:
            self.mark(exc)
            return
        self.accept()

    def clear_marks(self) -> None:
        self.error.clear()
        for widget in self.fields.values():
            widget.setProperty("invalid", False)
            widget.style().polish(widget)

    def mark(self, exc: HotlineError) -> None:
        if isinstance(exc, ValidationError):
            lines = []
            for problem in exc.problems:
                widget = self.fields.get(problem.field)
                if widget is not None:
                    widget.setProperty("invalid", True)
                    widget.style().polish(widget)
                    label = self.form.labelForField(widget)
                    name = label.text() if isinstance(label, QLabel) else problem.field
                    lines.append(_("{field}：{message}").format(field=name, message=problem.text))
                else:
                    lines.append(problem.text)
            self.error.setText("\n".join(lines))
            first = next(
                (self.fields[p.field] for p in exc.problems if p.field in self.fields), None
            )
            if first is not None:
                first.setFocus()
        else:
            self.error.setText(error_text(exc))


def run_change(parent: QWidget, change: Callable[[], object]) -> bool:
    """Run a one-click change (deactivate…); show a refusal as a message. True when done."""
    from ui.common.messages import show_error

    try:
        change()
    except HotlineError as exc:
        show_error(parent, exc)
        return False
    return True


def confirm(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(
        parent,
        _("请确认"),
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
