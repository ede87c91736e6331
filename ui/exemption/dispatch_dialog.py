"""Dispatching an eligible case to the item's enforcement body, with the recommendation text
filled from the decision (the operator may edit it before confirming), and why a case cannot
be dispatched that way now."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from hotline.exemption import service
from hotline.exemption.case_view import ExemptionCaseView
from hotline.i18n import _, format_date
from hotline.permissions import Action
from ui.case.action_dialogs import ActionDialog, Run, text_box
from ui.common.session import Session

PREVIEW_STYLE = (
    "QLabel#dispatchTarget { background: #eef3f8; border: 1px solid #c5d3e3;"
    " border-radius: 4px; padding: 8px; }"
)


class ExemptionDispatchDialog(ActionDialog):
    def __init__(
        self,
        case_no: str,
        department: str,
        body: str,
        due: dt.date | None,
        recommendation: str,
        run: Run,
        parent: QWidget | None,
    ) -> None:
        intro = _("案件 {case_no} 符合免罚条件，将连同评估建议派往实施主体。").format(
            case_no=case_no
        )
        super().__init__(_("按评估派单"), intro, run, parent, _("确认派单"))
        self.setStyleSheet(self.styleSheet() + PREVIEW_STYLE)
        self.setMinimumWidth(640)
        self.resize(760, 620)
        target = _("承办单位：<b>{department}</b>（实施主体：{body}）").format(
            department=department, body=body
        )
        if due is not None:
            target += "<br>" + _("今日派单，办理期限为 <b>{due}</b>").format(due=format_date(due))
        self.target = QLabel(target, objectName="dispatchTarget", wordWrap=True)
        self.form.addRow(self.target)
        self.note = text_box(12)
        self.note.setPlainText(recommendation)
        self.add_field("note", _("派单说明（评估建议）"), self.note)
        self.ok_button.setFocus()

    def values(self) -> dict[str, Any]:
        return {"note": self.note.toPlainText()}


def dispatch_blocker(
    view: ExemptionCaseView | None, session: Session, *, dirty: bool
) -> str | None:
    """Why the case cannot be dispatched on its saved assessment now (None: it can)."""
    if view is None:
        return ""
    if not session.can(Action.CASE_DISPATCH):
        return _("当前角色无权派单")
    latest = view.latest
    if latest is None or not latest.decision.exempt:
        return _("保存了可免罚的评估后，可按评估派单至实施主体")
    if dirty:
        return _("评估有未保存的修改，请先保存")
    if not view.can_dispatch:
        return _("案件当前状态为“{status}”，不能派单").format(status=view.status.label)
    item = view.latest_item
    if item is None or item.body not in view.departments:
        return _("没有实施主体为“{body}”的承办单位，请管理员在承办单位中设置").format(
            body=item.body if item else ""
        )
    return None


def make_dispatch_dialog(
    view: ExemptionCaseView, session: Session, parent: QWidget | None
) -> ExemptionDispatchDialog:
    """The dialog for a case :func:`dispatch_blocker` lets through."""
    latest, item = view.latest, view.latest_item
    assert latest is not None and item is not None
    department = view.departments[item.body]
    actor, case_id, version = session.actor, view.case_id, view.version
    return ExemptionDispatchDialog(
        view.case_no,
        department.name,
        item.body,
        view.dispatch_due,
        service.dispatch_recommendation(latest.decision, item),
        lambda values: service.dispatch_to_enforcement_body(
            actor, case_id, note=values["note"], expected_version=version
        ),
        parent,
    )
