"""The 更正 dialog: the intake form filled with what the case holds, and a required reason.

Only the fields the user changed are sent (:func:`hotline.corrections.correct`), with the
version of the case the dialog was filled from. A validation problem marks its field and keeps
what was typed. When the correction would move the deadline the user is asked first, in a
message box of its own (recompute, keep the deadline, or go back to the form). When someone
else changed the case meanwhile, nothing is written: the dialog loads the case again, keeps the
fields the user changed, shows the others as they now are, and asks to check and confirm again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox, QPushButton, QScrollArea, QVBoxLayout, QWidget

from hotline import clock, corrections
from hotline.case_view import CaseWindowView, load_case_window
from hotline.corrections import CorrectionPreview, DeadlineChoice, DeadlineQuestion
from hotline.errors import ConflictError
from hotline.i18n import _, format_date
from hotline.permissions import Actor
from ui.case.action_dialogs import ActionDialog, text_box
from ui.common.tasks import run_task
from ui.intake.fields import IntakeFields


def flat(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values keyed as the core keys its fields (``contact.phone``…)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            out.update({f"{key}.{name}": item for name, item in value.items()})
        else:
            out[key] = value
    return out


class CorrectionDialog(ActionDialog):
    def __init__(self, snapshot: CaseWindowView, actor: Actor, parent: QWidget | None) -> None:
        self.actor = actor
        self.case_id = snapshot.case.id
        self.version = snapshot.case.version
        self.choice: DeadlineChoice | None = None
        self.question: QMessageBox | None = None
        intro = _(
            "更正受理时记录的内容（案件编号不变）。只提交改动过的项目；"
            "更正及其原因记入时间线和审计日志。"
        )
        super().__init__(
            _("更正案件 {case_no}").format(case_no=snapshot.case.case_no),
            intro,
            self._correct,
            parent,
            _("保存更正"),
        )
        self.setObjectName("correctionDialog")
        self.resize(900, 780)
        self.intake = IntakeFields()
        scroll = QScrollArea(objectName="correctionFields")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.intake)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, scroll, 1)  # the form takes the height; the reason stays small
        self.fields.update(self.intake.widgets)
        self.messages.update(self.intake.messages)
        self.reason = text_box(2, _("如：来电人核对后更正电话号码"))
        self.reason.setMaximumHeight(self.reason.fontMetrics().lineSpacing() * 4 + 16)
        self.add_field("reason", _("更正原因（必填）"), self.reason)
        self.intake.edited.connect(self.marks.unmark)
        self.reason.textChanged.connect(lambda: self.marks.unmark("reason"))
        self.baseline: dict[str, Any] = {}
        self._fill(snapshot)
        self.intake.first_widget().setFocus()

    def _fill(self, snapshot: CaseWindowView, keep: dict[str, Any] | None = None) -> None:
        """Show the case's values (and on top of them ``keep``: what the user changed)."""
        assert snapshot.correction is not None
        self.intake.set_districts(snapshot.districts)
        self.intake.set_values(snapshot.correction)
        self.baseline = flat(self.intake.values())
        self.version = snapshot.case.version
        if keep:
            mine = flat(snapshot.correction) | keep
            nested: dict[str, Any] = {}
            for key, value in mine.items():
                group, _dot, name = key.partition(".")
                if name:
                    nested.setdefault(group, {})[name] = value
                else:
                    nested[key] = value
            self.intake.set_values(nested)

    def changed(self) -> dict[str, Any]:
        """The fields whose value differs from what the case held when the form was filled."""
        now = flat(self.intake.values())
        return {key: value for key, value in now.items() if value != self.baseline.get(key)}

    def values(self) -> dict[str, Any]:
        return {
            "changed": self.changed(),
            "reason": self.reason.toPlainText(),
            "version": self.version,
            "deadline": self.choice,
        }

    def _correct(self, values: dict[str, Any]) -> object:
        return corrections.correct(
            self.actor,
            self.case_id,
            values["changed"],
            values["reason"],
            expected_version=values["version"],
            deadline=values["deadline"],
        )

    def accept(self) -> None:
        if self.question is not None and self.question.isVisible():
            return
        super().accept()

    def _error(self, exc: BaseException) -> None:
        if isinstance(exc, DeadlineQuestion):
            self._busy = False
            self.ok_button.setEnabled(True)
            self._ask_deadline(exc.preview)
            return
        if isinstance(exc, ConflictError):
            self._reload_after_conflict(exc)
            return
        super()._error(exc)

    # The deadline question -------------------------------------------------------------------

    def _ask_deadline(self, preview: CorrectionPreview) -> None:
        moved = preview.deadline
        assert moved is not None
        box = QMessageBox(self)
        box.setObjectName("deadlineQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("办理期限将改变"))
        box.setText(
            _("按更正后的类型和紧急程度，办理期限应由 {before} 改为 {after}。").format(
                before=format_date(moved.before), after=format_date(moved.after)
            )
        )
        details = [_("重新计算后承办单位将按新期限办理；也可保留原期限。")]
        if moved.after < clock.today():
            details.append(_("新期限已经过去，重新计算后案件将显示为超期。"))
        details += moved.warnings
        box.setInformativeText("\n".join(details))
        self.recompute_button = box.addButton(_("重新计算期限"), QMessageBox.ButtonRole.AcceptRole)
        self.keep_button = box.addButton(_("保留原期限"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(_("返回修改"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.recompute_button)
        box.setEscapeButton(back)
        box.buttonClicked.connect(self._deadline_answered)
        self.question = box
        box.open()

    def _deadline_answered(self, button: QPushButton) -> None:
        self.question = None
        if button is self.recompute_button:
            self.choice = DeadlineChoice.RECOMPUTE
        elif button is self.keep_button:
            self.choice = DeadlineChoice.KEEP
        else:  # back to the form, nothing written
            self.activateWindow()
            self.intake.urgency.setFocus()
            return
        try:
            super().accept()
        finally:
            self.choice = None  # asked again if the user changes the form afterwards

    # Someone else changed the case -------------------------------------------------------------

    def _reload_after_conflict(self, exc: BaseException) -> None:
        keep = self.changed()
        actor, case_id = self.actor, self.case_id

        def loaded(snapshot: CaseWindowView) -> None:
            self._busy = False
            if snapshot.correction is None:  # it may no longer be corrected by this user
                self.failed.emit(exc)
                self.reject()
                return
            self._fill(snapshot, keep)
            self.ok_button.setEnabled(True)
            self.problem.setText(
                _("{problem}\n已载入最新内容，您改动的项目已保留，请核对后再次保存。").format(
                    problem=str(exc)
                )
            )
            self.problem.show()

        def failed(error: BaseException) -> None:
            self._busy = False
            self.failed.emit(error)
            self.reject()

        run_task(self, lambda: load_case_window(case_id, actor), on_done=loaded, on_error=failed)
