"""The case actions offered by the window: their buttons, shortcuts and dialogs.

Every dialog's action passes the version of the case the user was looking at
(``expected_version``), so a change someone else made meanwhile is refused, never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from hotline import clock, workflow
from hotline.case_view import CaseWindowView
from hotline.enums import Role
from hotline.i18n import N_, _, format_date
from hotline.permissions import Actor
from hotline.reply_texts import placeholders
from hotline.reply_texts import service as reply_texts
from hotline.reply_texts.kinds import TextKind
from ui.case.action_dialogs import (
    ActionDialog,
    AssistAnswerDialog,
    CallbackDialog,
    ConfirmDialog,
    ExtensionDecisionDialog,
    ExtensionRequestDialog,
    ReplyDialog,
    SuperviseDialog,
    TextActionDialog,
)
from ui.case.correction import CorrectionDialog
from ui.case.dispatch import DispatchDialog
from ui.reply_texts import insertion


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str  # message id
    shortcut: str = ""  # a name in the shortcut table (ui.common.shortcuts)


ACTIONS = [
    ActionSpec("accept", N_("签收…"), "accept"),
    ActionSpec("answer_on_spot", N_("直接办结…")),
    ActionSpec("dispatch", N_("派单…"), "dispatch"),
    ActionSpec("reply", N_("录入答复…"), "reply"),
    ActionSpec("callback", N_("回访…"), "callback"),
    ActionSpec("close", N_("办结…"), "close_case"),
    ActionSpec("request_extension", N_("申请延期…")),
    ActionSpec("decide_extension", N_("审批延期…")),
    ActionSpec("return", N_("退回…")),
    ActionSpec("reopen", N_("重办…")),
    ActionSpec("withdraw", N_("撤销…")),
    ActionSpec("note", N_("添加备注…"), "note"),
    ActionSpec("correct", N_("更正…"), "correct"),
    ActionSpec("answer_supervision", N_("答复督办…")),
    ActionSpec("answer_assist", N_("录入会办意见…")),
    ActionSpec("supervise", N_("督办…"), "supervise"),
    ActionSpec("grant_caller", N_("开放来电人信息…")),
]
# A department answers itself; the centre enters an answer given on paper or by phone.
DEPARTMENT_LABELS = {"reply": N_("答复…"), "answer_assist": N_("答复会办…")}


def label_for(spec: ActionSpec, actor: Actor) -> str:
    """The button's text for ``actor`` (translated)."""
    if actor.role is Role.DEPARTMENT and spec.name in DEPARTMENT_LABELS:
        return _(DEPARTMENT_LABELS[spec.name])
    return _(spec.label)


# The next step of the normal path, shown as the default button. The labels end in “…”:
# each opens a dialog, nothing happens before it is confirmed.
PRIMARY = {"accept", "dispatch", "reply", "callback", "close", "decide_extension"}
# An assisting department's one step on the case is its part: its default button.
ASSISTING_PRIMARY = "answer_assist"


# The text field of each dialog that offers reply texts (常用语), and their kind.
REPLY_TEXT_FIELDS: dict[str, tuple[str, TextKind]] = {
    "answer_on_spot": ("text", TextKind.REPLY),
    "reply": ("text", TextKind.REPLY),
    "answer_supervision": ("text", TextKind.REPLY),
    "callback": ("comment", TextKind.CALLBACK),
    "note": ("text", TextKind.NOTE),
    "return": ("text", TextKind.RETURN),
    "supervise": ("text", TextKind.SUPERVISION),
}


def make_dialog(name: str, snapshot: CaseWindowView, actor: Actor, parent: QWidget) -> ActionDialog:
    dialog = _make_dialog(name, snapshot, actor, parent)
    field = REPLY_TEXT_FIELDS.get(name)
    if field is not None:
        editor = getattr(dialog, field[0])
        values = placeholders.case_values(snapshot, actor.name, clock.today())
        dialog.reply_texts = insertion.attach(
            editor, field[1].value, values, lambda: reply_texts.visible_texts(actor)
        )
    return dialog


def _make_dialog(
    name: str, snapshot: CaseWindowView, actor: Actor, parent: QWidget
) -> ActionDialog:
    case = snapshot.case
    case_id, version = case.id, case.version

    def text_dialog(title: str, intro: str, key: str, label: str, call, **kwargs) -> ActionDialog:  # type: ignore[no-untyped-def]
        return TextActionDialog(title, intro, key, label, call, parent, **kwargs)

    if name == "correct":
        return CorrectionDialog(snapshot, actor, parent)
    if name == "dispatch":
        return DispatchDialog(
            snapshot,
            lambda v: workflow.dispatch(
                actor,
                case_id,
                v["department_id"],
                note=v["note"],
                assisting=v["assisting"],
                assist_workdays=v["assist_days"],
                expected_version=version,
            ),
            parent,
        )
    if name == "answer_on_spot":
        return text_dialog(
            _("直接办结"),
            _("咨询、求助当场答复的，记录答复内容后直接办结。"),
            "answer",
            _("答复内容"),
            lambda v: workflow.answer_on_spot(actor, case_id, v["text"], expected_version=version),
        )
    if name == "return":
        until = snapshot.return_until
        intro = _("承办单位认为不属于其职责的，可在派单后规定时间内退回，须说明理由。")
        if until is not None:
            intro += "\n" + _("退回截止日期：{date}").format(date=until.isoformat())
        return text_dialog(
            _("退回"),
            intro,
            "reason",
            _("退回理由"),
            lambda v: workflow.return_case(actor, case_id, v["text"], expected_version=version),
        )
    if name == "request_extension":
        assert snapshot.extension_limit is not None
        return ExtensionRequestDialog(
            case.deadline,
            snapshot.extension_limit,
            lambda v: workflow.request_extension(
                actor, case_id, v["until"], v["text"], expected_version=version
            ),
            parent,
        )
    if name == "decide_extension":
        return ExtensionDecisionDialog(
            case.extension_until,
            snapshot.texts["extension_reason"],
            lambda v: workflow.decide_extension(
                actor, case_id, v["approve"], v["text"], expected_version=version
            ),
            parent,
        )
    if name == "reply":
        return ReplyDialog(
            lambda v: workflow.reply(
                actor,
                case_id,
                v["text"],
                resolution=v["resolution"],
                contact_made=v["contact_made"],
                expected_version=version,
            ),
            parent,
            department=actor.role is Role.DEPARTMENT,
        )
    if name == "accept":
        intro = _("签收后即由本单位办理，办理期限 {deadline}。").format(
            deadline=format_date(case.deadline)
        )
        if snapshot.return_until is not None:
            intro += "\n" + _("如不属于本单位职责，请在 {date} 前退回，不要签收。").format(
                date=format_date(snapshot.return_until)
            )
        return ConfirmDialog(
            _("签收"),
            intro,
            lambda _v: workflow.accept(actor, case_id, expected_version=version),
            parent,
            _("签收"),
        )
    if name == "supervise":
        return SuperviseDialog(
            lambda v: workflow.supervise(
                actor, case_id, v["text"], v["days"], v["level"], expected_version=version
            ),
            parent,
        )
    if name == "answer_supervision":
        return text_dialog(
            _("答复督办"),
            _("说明办理进展和预计答复时间。正式答复企业请用“答复”，它也会答复督办。"),
            "answer",
            _("答复内容"),
            lambda v: workflow.answer_supervision(
                actor, case_id, v["text"], expected_version=version
            ),
        )
    if name == "answer_assist":
        return AssistAnswerDialog(
            snapshot,
            lambda v: workflow.answer_assist(
                actor,
                case_id,
                v["text"],
                department_id=v["department_id"],
                expected_version=version,
            ),
            parent,
        )
    if name == "grant_caller":
        return text_dialog(
            _("开放来电人信息"),
            _(
                "本案件为保密案件。开放后，承办单位可在本案件中看到来电人的姓名和电话；此操作会记入日志。"
            ),
            "reason",
            _("理由"),
            lambda v: workflow.grant_caller(actor, case_id, v["text"], expected_version=version),
            ok=_("开放"),
        )
    if name == "callback":
        return CallbackDialog(
            lambda v: workflow.callback(
                actor, case_id, v["satisfaction"], v["text"], expected_version=version
            ),
            parent,
        )
    if name == "close":
        intro = _("确认办结本案件。")
        if case.callback_at is None:
            intro = _("本案件尚未回访。未回访即办结须说明原因（如多次联系不上企业）。")
        return text_dialog(
            _("办结"),
            intro,
            "comment",
            _("说明"),
            lambda v: workflow.close(actor, case_id, v["text"], expected_version=version),
        )
    if name == "reopen":
        return text_dialog(
            _("重办"),
            _("案件将回到“已受理”，重新派单办理（进入下一轮）。"),
            "reason",
            _("重办理由"),
            lambda v: workflow.reopen(actor, case_id, v["text"], expected_version=version),
        )
    if name == "withdraw":
        return text_dialog(
            _("撤销"),
            _("撤销后案件不再办理（如重复登记、无效来电），此操作会记入日志。"),
            "reason",
            _("撤销理由"),
            lambda v: workflow.withdraw(actor, case_id, v["text"], expected_version=version),
            ok=_("撤销案件"),
        )
    if name == "note":
        return text_dialog(
            _("添加备注"),
            _("备注记入时间线。内部备注只在本系统内可见，不写入给企业的材料。"),
            "note",
            _("备注"),
            lambda v: workflow.add_note(
                actor, case_id, v["text"], internal=v["internal"], expected_version=version
            ),
            internal_choice=True,
            ok=_("保存备注"),
        )
    raise ValueError(f"unknown action: {name}")
