"""Dispatching a case: choose the lead department, any assisting departments (会办) and the
working days they have for their parts, and see the deadline before confirming."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from hotline.case_view import CaseWindowView
from hotline.i18n import _, format_date
from ui.case.action_dialogs import ActionDialog, Run, text_box
from ui.common.assisting_picker import AssistingPicker, assist_days_box
from ui.common.choice_combos import ChoiceCombo

PREVIEW_STYLE = (
    "QLabel#deadlinePreview { background: #eef3f8; border: 1px solid #c5d3e3;"
    " border-radius: 4px; padding: 8px; }"
)
WARNING_STYLE = (
    "QLabel#calendarWarning { background: #fff4e5; border: 1px solid #e0a040;"
    " border-radius: 4px; padding: 8px; color: #5c3900; }"
)


class DispatchDialog(ActionDialog):
    def __init__(self, snapshot: CaseWindowView, run: Run, parent: QWidget | None) -> None:
        intro = _("案件 {case_no}：{subject}").format(
            case_no=snapshot.case.case_no, subject=snapshot.texts["subject"]
        )
        super().__init__(_("派单"), intro, run, parent, _("确认派单"))
        self.setStyleSheet(self.styleSheet() + PREVIEW_STYLE + WARNING_STYLE)
        self.department = ChoiceCombo(snapshot.departments, placeholder=_("输入单位名称"))
        self.department.set_value("")
        self.add_field("department", _("承办单位"), self.department)
        # Assisting departments: a checkable list (arrows, type a name's first letters,
        # Space ticks); the lead department chosen above cannot be ticked too.
        self.assisting = AssistingPicker(snapshot.departments)
        self.add_field("assisting", _("会办单位"), self.assisting)
        self.assist_days = assist_days_box(snapshot.assist_days)
        self.add_field("assist_days", _("会办时限"), self.assist_days)
        # The typed name decides the lead (ChoiceCombo.value), as soon as it matches one.
        self.department.currentIndexChanged.connect(self._lead_changed)
        self.department.editTextChanged.connect(self._lead_changed)
        self.note = text_box(3, _("给承办单位的说明（可不填）"))
        self.add_field("note", _("派单说明"), self.note)
        preview = snapshot.dispatch_preview
        self.preview = QLabel(objectName="deadlinePreview", wordWrap=True)
        self.warning = QLabel(objectName="calendarWarning", wordWrap=True)
        self.warning.hide()
        if preview is not None:
            if snapshot.dispatch_days > 0:
                text = _(
                    "今日派单，办理期限为 <b>{due}</b>（{days} 个工作日后）；法定时限 {ceiling}。"
                )
            else:
                text = _("今日派单，办理期限为 <b>{due}</b>（当天办结）；法定时限 {ceiling}。")
            self.preview.setText(
                text.format(
                    due=format_date(preview.due),
                    days=snapshot.dispatch_days,
                    ceiling=format_date(preview.ceiling),
                )
            )
            font = self.preview.font()
            font.setPointSizeF(font.pointSizeF() * 1.15)
            self.preview.setFont(font)
            if preview.warnings:
                self.warning.setText("\n".join(preview.warnings))
                self.warning.show()
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.problem), self.preview)  # type: ignore[union-attr]
        layout.insertWidget(layout.indexOf(self.problem), self.warning)  # type: ignore[union-attr]
        self.department.setFocus()

    def _lead_changed(self, *_args: object) -> None:
        self.assisting.set_lead(self.department.value())

    def assisting_ids(self) -> list[int]:
        return self.assisting.ids()

    def values(self) -> dict[str, Any]:
        code = self.department.value()
        return {
            "department_id": int(code) if code.isdigit() else 0,
            "assisting": self.assisting_ids(),
            "assist_days": self.assist_days.value(),
            "note": self.note.toPlainText(),
        }
