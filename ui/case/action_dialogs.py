"""The dialogs of the case actions: each collects what its action needs and runs it.

A dialog runs its action off the GUI thread when confirmed. A validation problem from the core
keeps it open with the field marked and the text kept; any other error (someone else changed
the case, a permission) closes it and is reported through ``failed`` for the window to show.
Ctrl+Enter confirms, Esc cancels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hotline import clock
from hotline.case_view import CaseWindowView
from hotline.enums import Resolution, Satisfaction, SupervisionLevel
from hotline.errors import ValidationError
from hotline.i18n import _, format_date
from ui.common import shortcuts
from ui.common.field_marks import STYLE, FieldMarks
from ui.common.tasks import run_task

# Does the action in the core (on a worker thread); what it returns is not read.
Run = Callable[[dict[str, Any]], object]


def text_box(lines: int = 4, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit(placeholderText=placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 16)
    return box


class ActionDialog(QDialog):
    succeeded = Signal()  # the action was done and saved
    failed = Signal(object)  # an error that is not a validation problem

    def __init__(
        self, title: str, intro: str, run: Run, parent: QWidget | None, ok: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setStyleSheet(STYLE)
        self.setMinimumWidth(520)
        self._run = run
        self._busy = False
        self.reply_texts: QObject | None = None  # the text field's reply texts, if it has them
        self.fields: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self.marks = FieldMarks(self.fields, self.messages)
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro, wordWrap=True)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.problem = QLabel(objectName="fieldMessage", wordWrap=True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok or title)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        shortcuts.bind("confirm", self, self.accept)

    def add_field(self, key: str, label: str, widget: QWidget) -> QWidget:
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(widget)
        message = QLabel(objectName="fieldMessage", wordWrap=True)
        message.hide()
        column.addWidget(message)
        self.form.addRow(label, cell)
        self.fields[key] = widget
        self.messages[key] = message
        return widget

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def accept(self) -> None:
        if self._busy:
            return
        values = self.values()
        self._busy = True
        self.ok_button.setEnabled(False)
        self.marks.clear()
        self.problem.hide()
        run_task(self, lambda: self._run(values), on_done=self._done, on_error=self._error)

    def _done(self, _result: object) -> None:
        self._busy = False
        self.succeeded.emit()
        self.done(QDialog.DialogCode.Accepted)

    def _error(self, exc: BaseException) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            unplaced = self.marks.show(exc.problems)
            if unplaced:
                self.problem.setText("\n".join(p.text for p in unplaced))
                self.problem.show()
            first = self.marks.first_marked(self.fields)
            if first is not None:
                self.fields[first].setFocus()
            return
        self.failed.emit(exc)
        self.done(QDialog.DialogCode.Rejected)


class TextActionDialog(ActionDialog):
    """One text (a reason, an answer, a note), optionally with an "internal" choice."""

    def __init__(
        self,
        title: str,
        intro: str,
        key: str,
        label: str,
        run: Run,
        parent: QWidget | None,
        *,
        placeholder: str = "",
        internal_choice: bool = False,
        ok: str = "",
    ) -> None:
        super().__init__(title, intro, run, parent, ok)
        self.text = text_box(5, placeholder)
        self.add_field(key, label, self.text)
        self.internal = QCheckBox(_("仅内部可见（不对企业公开）"))
        self.internal.setChecked(True)
        self.internal.setVisible(internal_choice)
        if internal_choice:
            self.form.addRow("", self.internal)
        self.text.setFocus()

    def values(self) -> dict[str, Any]:
        return {"text": self.text.toPlainText(), "internal": self.internal.isChecked()}


class ExtensionRequestDialog(ActionDialog):
    def __init__(
        self, deadline: dt.date | None, limit: dt.date, run: Run, parent: QWidget | None
    ) -> None:
        intro = _(
            "现办理期限 {deadline}；延期最晚可至 {limit}（法定上限），每个案件只能延期一次。"
        ).format(deadline=format_date(deadline), limit=format_date(limit))
        super().__init__(_("申请延期"), intro, run, parent, _("提交申请"))
        earliest = (deadline or clock.today()) + dt.timedelta(days=1)
        self.until = QDateEdit(calendarPopup=True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.until.setDate(QDate(min(limit, earliest + dt.timedelta(days=13))))
        self.add_field("until", _("延期至"), self.until)
        self.reason = text_box(4, _("延期理由"))
        self.add_field("reason", _("理由"), self.reason)
        self.reason.setFocus()

    def values(self) -> dict[str, Any]:
        return {"until": self.until.date().toPython(), "text": self.reason.toPlainText()}


class ExtensionDecisionDialog(ActionDialog):
    def __init__(
        self, until: dt.date | None, reason: str, run: Run, parent: QWidget | None
    ) -> None:
        intro = _("申请延至 {date}。理由：{reason}").format(date=format_date(until), reason=reason)
        super().__init__(_("审批延期"), intro, run, parent, _("确定"))
        choice = QFrame()
        row = QHBoxLayout(choice)
        self.approve = QRadioButton(_("批准"))
        self.reject_choice = QRadioButton(_("驳回"))
        self.approve.setChecked(True)
        row.addWidget(self.approve)
        row.addWidget(self.reject_choice)
        row.addStretch(1)
        self.add_field("approve", _("审批结果"), choice)
        self.comment = text_box(3)
        self.add_field("comment", _("意见"), self.comment)

    def values(self) -> dict[str, Any]:
        return {"approve": self.approve.isChecked(), "text": self.comment.toPlainText()}


class CallbackDialog(ActionDialog):
    def __init__(self, run: Run, parent: QWidget | None) -> None:
        intro = _("请致电企业，记录其对办理结果的评价。不满意的案件回访后可以“重办”。")
        super().__init__(_("回访"), intro, run, parent, _("保存回访"))
        choice = QFrame(objectName="satisfactionChoice")
        row = QHBoxLayout(choice)
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        for member in Satisfaction:
            button = QRadioButton(member.label)
            self.group.addButton(button)
            self.choices[member.value] = button
            row.addWidget(button)
        row.addStretch(1)
        self.add_field("satisfaction", _("满意度"), choice)
        self.comment = text_box(4, _("企业的意见"))
        self.add_field("comment", _("回访意见"), self.comment)
        self.group.buttonToggled.connect(lambda *_args: self.marks.unmark("satisfaction"))
        self.choices[Satisfaction.SATISFIED.value].setFocus()

    def values(self) -> dict[str, Any]:
        chosen = next((code for code, b in self.choices.items() if b.isChecked()), "")
        return {"satisfaction": chosen, "text": self.comment.toPlainText()}


class ReplyDialog(ActionDialog):
    """The department's reply: the text, how the matter was resolved, contact made."""

    def __init__(self, run: Run, parent: QWidget | None, *, department: bool) -> None:
        intro = (
            _("答复企业诉求：写明办理情况、办理结果，并说明是否已与企业联系。")
            if department
            else _("记录承办单位给企业的答复。")
        )
        super().__init__(_("答复") if department else _("录入答复"), intro, run, parent)
        self.text = text_box(6, _("承办单位的答复原文或要点"))
        self.add_field("reply", _("答复内容"), self.text)
        self.resolution = QComboBox(objectName="resolutionChoice")
        self.resolution.addItem(_("（请选择）"), "")
        for member in Resolution:
            self.resolution.addItem(member.label, member.value)
        self.add_field("resolution", _("办理结果"), self.resolution)
        choice = QFrame(objectName="contactChoice")
        row = QHBoxLayout(choice)
        row.setContentsMargins(0, 0, 0, 0)
        self.contact_yes = QRadioButton(_("已与企业联系"))
        self.contact_no = QRadioButton(_("未与企业联系"))
        row.addWidget(self.contact_yes)
        row.addWidget(self.contact_no)
        row.addStretch(1)
        self.add_field("contact_made", _("与企业联系"), choice)
        self._department = department
        self.text.setFocus()

    def values(self) -> dict[str, Any]:
        contact: bool | None = None
        if self.contact_yes.isChecked():
            contact = True
        elif self.contact_no.isChecked():
            contact = False
        code = str(self.resolution.currentData() or "")
        if not self._department and not code:
            return {"text": self.text.toPlainText(), "resolution": None, "contact_made": contact}
        return {"text": self.text.toPlainText(), "resolution": code, "contact_made": contact}


class SuperviseDialog(ActionDialog):
    """A supervision notice: its level, text and the working days the department has."""

    def __init__(self, run: Run, parent: QWidget | None) -> None:
        intro = _(
            "对已超期或紧急、重复、重办的案件发出催办或督办。承办单位须在限定的工作日内答复；"
            "督办在其部门工作台顶部和案件窗口中显示，直到答复为止。"
        )
        super().__init__(_("督办"), intro, run, parent, _("发出"))
        choice = QFrame(objectName="levelChoice")
        row = QHBoxLayout(choice)
        row.setContentsMargins(0, 0, 0, 0)
        self.levels: dict[str, QRadioButton] = {}
        for member in SupervisionLevel:
            button = QRadioButton(member.label)
            self.levels[member.value] = button
            row.addWidget(button)
        row.addStretch(1)
        self.levels[SupervisionLevel.SUPERVISION.value].setChecked(True)
        self.add_field("level", _("级别"), choice)
        self.days = QSpinBox(objectName="answerDays")
        self.days.setRange(1, 15)
        self.days.setValue(2)
        self.days.setSuffix(_(" 个工作日内答复"))
        self.add_field("answer_by", _("答复时限"), self.days)
        self.text = text_box(4, _("督办事项和要求"))
        self.add_field("text", _("督办内容"), self.text)
        self.text.setFocus()

    def values(self) -> dict[str, Any]:
        level = next((code for code, b in self.levels.items() if b.isChecked()), "")
        return {"level": level, "days": self.days.value(), "text": self.text.toPlainText()}


class ConfirmDialog(ActionDialog):
    """A step with nothing to fill in (签收): what it means, and confirm."""

    def values(self) -> dict[str, Any]:
        return {}


class AssistAnswerDialog(ActionDialog):
    """An assisting department's part (会办意见) to the lead department: the text (documents
    go in the attachments tab); the centre entering a part given on paper names whose."""

    def __init__(self, snapshot: CaseWindowView, run: Run, parent: QWidget | None) -> None:
        own = snapshot.own_part
        if own is not None:
            intro = _(
                "本单位是会办单位：请于 {date} 前向主办单位 {lead} 答复会办意见。"
                "相关材料请在“附件”页添加。"
            ).format(date=format_date(own.deadline), lead=snapshot.department)
        else:
            intro = _("记录会办单位给主办单位 {lead} 的会办意见（书面或电话）。").format(
                lead=snapshot.department
            )
        super().__init__(_("答复会办"), intro, run, parent, _("提交会办意见"))
        self.department: QComboBox | None = None
        if own is None:
            self.department = QComboBox(objectName="assistDepartment")
            for name, code in snapshot.open_part_departments:
                self.department.addItem(name, code)
            self.add_field("department", _("会办单位"), self.department)
        self.text = text_box(6, _("本单位对该诉求的意见和办理情况"))
        self.add_field("answer", _("会办意见"), self.text)
        self.text.setFocus()

    def values(self) -> dict[str, Any]:
        department_id: int | None = None
        if self.department is not None:
            code = str(self.department.currentData() or "")
            department_id = int(code) if code.isdigit() else None
        return {"text": self.text.toPlainText(), "department_id": department_id}
