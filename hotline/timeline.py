"""Timeline events of a case: what happened, who did it, whether it is internal."""

from __future__ import annotations

import json
from typing import Any

from hotline import clock
from hotline.enums import Role
from hotline.i18n import N_, _
from hotline.models import CaseEvent
from hotline.permissions import Actor

EVENT_LABELS = {
    "register": N_("受理登记"),
    "repeat": N_("重复诉求"),
    "answer_on_spot": N_("直接办结"),
    "dispatch": N_("派单"),
    "return": N_("退回"),
    "request_extension": N_("申请延期"),
    "decide_extension": N_("延期审批"),
    "approve_extension": N_("批准延期"),
    "reject_extension": N_("驳回延期"),
    "reply": N_("部门答复"),
    "callback": N_("回访"),
    "close": N_("办结"),
    "reopen": N_("重办"),
    "withdraw": N_("撤销"),
    "note": N_("备注"),
    "correct": N_("更正"),
    "exemption": N_("免罚评估"),
    "import": N_("导入"),
    "attach": N_("添加附件"),
    "attachment_view": N_("查看附件"),
    "attachment_remove": N_("删除附件"),
    "accept": N_("签收"),
    "supervise": N_("督办"),
    "answer_supervision": N_("督办答复"),
    "answer_assist": N_("会办意见"),
    "grant_caller": N_("开放来电人信息"),
}


def label(action: str) -> str:
    raw = EVENT_LABELS.get(action)
    return _(raw) if raw else action


def add(
    case_id: int,
    actor: Actor,
    action: str,
    text: str = "",
    *,
    internal: bool = False,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append an event (inside the transaction of the change it records)."""
    fields: dict[str, Any] = {
        "case": case_id,
        "at": clock.now(),
        "actor_name": actor.name,
        "user": actor.user_id,
        "action": action,
        "internal": internal,
        "text": text,
        "data": json.dumps(data or {}, ensure_ascii=False, default=str),
    }
    if internal and actor.role == Role.DEPARTMENT:
        # A department may not read the centre's internal entries, the record of its own looks
        # included: on a server with a login role per person an INSERT … RETURNING would be
        # checked against its read policy and refused, so the row is written without reading
        # it back.
        CaseEvent.insert(**fields).returning().execute()
        return CaseEvent(**fields)
    return CaseEvent.create(**fields)


def events(case_id: int, *, include_internal: bool = True) -> list[CaseEvent]:
    query = CaseEvent.select().where(CaseEvent.case == case_id)
    if not include_internal:
        query = query.where(CaseEvent.internal == False)  # noqa: E712 (SQL expression)
    return list(query.order_by(CaseEvent.at, CaseEvent.id))


def event_data(event: CaseEvent) -> dict[str, Any]:
    try:
        value = json.loads(event.data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
