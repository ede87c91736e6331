"""Pieces shared by the administration pages: a record table and a dialog that marks fields.

Every read and write of these pages runs on the workers of :mod:`ui.common.tasks`: a form
reads its fields on the GUI thread, its :meth:`FormDialog.submit` returns the core call to
run, and the dialog waits (its buttons off, what was typed kept) for the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
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

from hotline.errors import ValidationError
from hotline.i18n import _
from ui.admin.table_model import RecordTableModel
from ui.common.latest_request import LatestRequest
from ui.common.messages import error_text, show_error
from ui.common.tables import read_only_rows
from ui.common.tasks import run_task

W = TypeVar("W", bound=QWidget)


def record_table(parent: QWidget, model: RecordTableModel, name: str) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    read_only_rows(table, single=True)
    table.setShowGrid(False)
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

    refused = Signal()  # the core refused the change; the fields are marked

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = False
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
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def add_field(self, name: str, label: str, widget: W) -> W:
        widget.setObjectName(name)
        self.fields[name] = widget
        self.form.addRow(label, widget)
        return widget

    def submit(self) -> Callable[[], object]:
        """The change, read from the fields now: a call of the core that raises its errors and
        runs off the GUI thread (subclasses)."""
        raise NotImplementedError

    def saved(self, result: object) -> None:
        """What the change returned, before the dialog closes (subclasses may keep it)."""

    def _submit(self) -> None:
        if self.busy:
            return
        self.clear_marks()
        change = self.submit()
        self._set_busy(True)
        run_task(self, change, on_done=self._done, on_error=self._failed)

    def _done(self, result: object) -> None:
        self._set_busy(False)
        self.saved(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.mark(exc)
        self.refused.emit()

    def _set_busy(self, busy: bool) -> None:
        """While the core works: the buttons and fields wait, keeping what was typed."""
        self.busy = busy
        self.buttons.setEnabled(not busy)
        for widget in self.fields.values():
            widget.setEnabled(not busy)

    def reject(self) -> None:
        if not self.busy:  # a change under way finishes first: its answer is shown
            super().reject()

    def clear_marks(self) -> None:
        self.error.clear()
        for widget in self.fields.values():
            widget.setProperty("invalid", False)
            widget.style().polish(widget)

    def mark(self, exc: BaseException) -> None:
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


def run_change(
    parent: QWidget, change: Callable[[], object], on_done: Callable[[], object]
) -> None:
    """Run a one-click change (deactivate…) off the GUI thread, ``parent`` waiting meanwhile;
    then ``on_done``, or the refusal shown as a message."""
    parent.setEnabled(False)

    def done(_result: object) -> None:
        parent.setEnabled(True)
        on_done()

    def failed(exc: BaseException) -> None:
        parent.setEnabled(True)
        show_error(parent, exc)

    run_task(parent, change, on_done=done, on_error=failed)


class RecordsLoader:
    """Loads a page's records on a worker, only the latest request counting; the page waits
    (``page`` disabled) and is told through ``show``, or shown the error."""

    def __init__(self, page: QWidget) -> None:
        self.page = page
        self._latest = LatestRequest()

    def load(
        self, read: Callable[[], Sequence[Any]], show: Callable[[Sequence[Any]], None]
    ) -> None:
        ticket = self._latest.start()
        self.page.setEnabled(False)

        def done(records: Sequence[Any]) -> None:
            if self._latest.is_current(ticket):
                self.page.setEnabled(True)
                show(records)

        def failed(exc: BaseException) -> None:
            if self._latest.is_current(ticket):
                self.page.setEnabled(True)
                show_error(self.page, exc)

        run_task(self.page, read, on_done=done, on_error=failed)


def confirm(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(
        parent,
        _("请确认"),
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
