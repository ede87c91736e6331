"""A case's state from its timeline: replaying the events the workflow would have written.

Imports and the demo generator write cases with their whole history at once, not through
:mod:`hotline.workflow` one step at a time. ``replay`` walks such a timeline through the same
state machine (``transitions.TRANSITIONS``), refuses an event the workflow would have refused, and
returns the columns the workflow would have left on the case (status, department, deadline,
reply, satisfaction, round, version, …), so an imported case behaves like any other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from hotline.enums import Kind, Satisfaction, Status
from hotline.errors import ValidationError
from hotline.i18n import N_
from hotline.transitions import ON_SPOT_KINDS, TRANSITIONS

# Events that record something without being a step of the state machine.
PLAIN_EVENTS = frozenset(
    {
        "register",
        "repeat",
        "note",
        "exemption",
        "import",
        "correct",
        "attach",
        "attachment_view",
        "attachment_remove",
    }
)
KNOWN_EVENTS = PLAIN_EVENTS | frozenset(TRANSITIONS)
_SATISFACTION_CODES = frozenset(s.value for s in Satisfaction)
# The state machine by status code, for replaying many timelines quickly.
_SOURCES = {name: frozenset(s.value for s in t.sources) for name, t in TRANSITIONS.items()}
_TARGETS = {name: t.target.value if t.target else None for name, t in TRANSITIONS.items()}


class TimelineEvent(NamedTuple):
    at: dt.datetime
    action: str
    actor: str
    internal: bool = False
    text: str = ""
    data: Mapping[str, Any] | None = None


@dataclass
class CaseState:
    """The workflow columns of a case after its timeline."""

    status: str = Status.REGISTERED.value
    round: int = 1
    version: int = 1
    registered_at: dt.datetime | None = None
    registered_by_name: str = ""
    updated_at: dt.datetime | None = None
    department: str | None = None  # name, as the dispatch event records it
    dispatched_at: dt.datetime | None = None
    deadline: dt.date | None = None
    ceiling: dt.date | None = None
    extension_status: str | None = None
    extension_until: dt.date | None = None
    extension_reason: str | None = None
    extended: bool = False
    handled_at: dt.datetime | None = None
    reply: str | None = None
    callback_at: dt.datetime | None = None
    satisfaction: str | None = None
    callback_comment: str | None = None
    closed_at: dt.datetime | None = None
    repeat_of: str | None = None  # case number


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _refuse(position: int, message: str, **params: Any) -> ValidationError:
    return ValidationError.single(f"timeline[{position}].action", message, **params)


def replay(
    events: Sequence[TimelineEvent],
    *,
    kind: str,
    received_at: dt.datetime,
    ceiling_days: int,
) -> CaseState:
    """The state after ``events`` (oldest first); ValidationError names the first bad one."""
    state = CaseState()
    if not events:
        raise ValidationError.single("timeline", N_("时间线为空：至少应有一条受理登记记录"))
    if events[0].action != "register":
        raise _refuse(1, N_("时间线的第一条记录应为受理登记（register）"))
    ceiling = received_at.date() + dt.timedelta(days=ceiling_days)
    for position, event in enumerate(events, start=1):
        action, data = event.action, event.data or {}
        state.updated_at = event.at
        if action == "register":
            if position != 1:
                raise _refuse(position, N_("受理登记只能出现一次，且在最前"))
            state.registered_at = event.at
            state.registered_by_name = event.actor
            continue
        if action == "repeat":
            state.repeat_of = str(data.get("repeat_of") or "") or None
            continue
        if action in PLAIN_EVENTS:
            continue
        if action not in _SOURCES:
            raise _refuse(position, N_("未知的操作：{action}"), action=action)
        if state.status not in _SOURCES[action]:
            raise _refuse(
                position,
                N_("案件当前状态为“{status}”，不能执行“{action}”"),
                status=Status(state.status).label,
                action=action,
            )
        _step(state, position, event, data, kind=kind, ceiling=ceiling)
        state.status = _TARGETS[action] or state.status
        if action != "note":
            state.version += 1
    return state


def _step(
    state: CaseState,
    position: int,
    event: TimelineEvent,
    data: Mapping[str, Any],
    *,
    kind: str,
    ceiling: dt.date,
) -> None:
    """Apply one transition's column changes, as the workflow function of that name does."""
    action, at = event.action, event.at
    if action == "answer_on_spot":
        if Kind.parse(kind) not in ON_SPOT_KINDS:
            raise _refuse(position, N_("只有咨询、求助、表扬可以直接办结"))
        state.handled_at = state.closed_at = at
        state.reply = event.text
        state.deadline = at.date()
    elif action == "dispatch":
        deadline = _date(data.get("deadline"))
        if not data.get("department") or deadline is None:
            raise ValidationError.single(
                f"timeline[{position}].data", N_("派单记录缺少承办单位或办理期限")
            )
        state.department = str(data["department"])
        state.dispatched_at = at
        state.deadline, state.ceiling = deadline, ceiling
        state.handled_at = None
        state.extension_status = state.extension_until = state.extension_reason = None
    elif action == "return":
        state.department = state.deadline = state.dispatched_at = None
    elif action == "request_extension":
        until = _date(data.get("until"))
        if until is None or state.extended or state.extension_status == "requested":
            raise _refuse(position, N_("每个案件只能延期一次"))
        state.extension_status, state.extension_until = "requested", until
        state.extension_reason = event.text
    elif action == "decide_extension":
        if state.extension_status != "requested":
            raise _refuse(position, N_("该案件没有待审批的延期申请"))
        approved = bool(data.get("approved"))
        state.extension_status = "approved" if approved else "rejected"
        if approved:
            state.deadline, state.extended = state.extension_until, True
    elif action == "reply":
        state.handled_at, state.reply = at, event.text
        if state.extension_status == "requested":
            state.extension_status = None
    elif action == "callback":
        value = data.get("satisfaction")
        parsed = Satisfaction.parse(value) if value not in _SATISFACTION_CODES else value
        if parsed is None:
            raise ValidationError.single(f"timeline[{position}].data", N_("请选择满意度"))
        state.satisfaction, state.callback_at = str(parsed), at
        state.callback_comment = event.text
    elif action == "close":
        state.closed_at = at
    elif action == "reopen":
        state.round += 1
        state.department = state.deadline = state.ceiling = None
        state.dispatched_at = state.handled_at = state.reply = None
        state.callback_at = state.satisfaction = state.callback_comment = None
        state.closed_at = None
        state.extension_status = state.extension_until = state.extension_reason = None
        state.extended = False
