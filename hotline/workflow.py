"""The case lifecycle as an explicit state machine (受理 → 派单 → 办理 → 答复 → 回访 → 办结).

``hotline.transitions.TRANSITIONS`` says, for each action, from which states it may be
taken, the state it leads to and the permission it needs. Every action checks the acting
user's role, the case's state and version (nobody's change is overwritten silently), records
a timeline event and an audit entry, and keeps the search index current, all in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from hotline import access, audit, clock, cohandling, deadlines, supervision, timeline, workdays
from hotline.db import per_person, write_transaction
from hotline.enums import Kind, Resolution, Satisfaction, Status, SupervisionLevel, Urgency
from hotline.errors import (
    MSG_TOO_LONG,
    ConflictError,
    HotlineError,
    NotFound,
    PermissionDenied,
    Problems,
    ValidationError,
)
from hotline.i18n import N_
from hotline.models import Case, CaseAssist, CaseHandling, Department, SupervisionNotice
from hotline.permissions import Actor
from hotline.search.index import CaseIndexUpdate
from hotline.storable import MSG_CONTROL, has_control_characters, visible_text
from hotline.transitions import ASSISTING_ACTIONS, ON_SPOT_KINDS, TRANSITIONS, Transition

S = Status
MSG_REQUIRED = N_("此项必填")


def allowed_actions(case: Case, actor: Actor) -> list[str]:
    """The actions the case's state and the actor's role allow (what the window offers)."""
    if not access.may_see(actor, case):
        return []
    status = Status(case.status)
    stage = _stage(case.id)
    department = access.is_department(actor)
    leads = access.leads(actor, case)
    accepted = stage is not None and stage.accepted_at is not None
    result = []
    for name, transition in TRANSITIONS.items():
        if status in transition.sources and actor.can(transition.permission):
            if not leads and name not in ASSISTING_ACTIONS:
                continue  # an assisting department: its part and notes only
            if name == "answer_assist" and not _may_answer_part(actor, case):
                continue
            if name == "answer_on_spot" and Kind(case.kind) not in ON_SPOT_KINDS:
                continue
            if name == "accept" and accepted:
                continue
            if department and name in ("reply", "request_extension") and not accepted:
                continue  # a department accepts a case before it works on it
            if name == "return" and department and not _within_return_limit(case):
                continue
            if name == "supervise" and not supervision.eligible(case):
                continue
            if name == "answer_supervision" and not supervision.open_notices(case.id):
                continue
            if name == "grant_caller" and (
                not case.confidential
                or case.department_id is None
                or (stage is not None and stage.caller_granted)
            ):
                continue
            if name == "decide_extension" and (
                case.extension_status != "requested" or requested_extension(case.id, actor)
            ):
                continue  # nobody decides on their own request (separation of duties)
            if name == "request_extension" and (
                case.extended or case.extension_status == "requested"
            ):
                continue
            result.append(name)
    return result


def _may_answer_part(actor: Actor, case: Case) -> bool:
    """An assisting department with its part open; the centre while any part is open."""
    if access.is_department(actor):
        if access.leads(actor, case) or actor.department_id is None:
            return False
        return cohandling.open_part(case.id, actor.department_id) is not None
    return bool(cohandling.open_parts(case.id))


def stage_of(case_id: int) -> CaseHandling | None:
    """The department stage of a case (accepted, outcome, caller granted), if recorded."""
    return CaseHandling.get_or_none(CaseHandling.case == case_id)


_stage = stage_of


def _set_stage(case_id: int, **values: Any) -> None:
    """Write the department stage's values of a case (its row made when first needed)."""
    if CaseHandling.update(values).where(CaseHandling.case == case_id).execute() == 0:
        CaseHandling.insert(case=case_id, **values).execute()


def return_limit(case: Case) -> dt.date | None:
    """The last day the department may return ``case``: the date its dispatch recorded (the
    policy and calendar of that day; a server's ``hotline_return_case`` checks the same), or
    for a dispatch recorded before it was kept, the policy's limit counted from that day."""
    if case.dispatched_at is None:
        return None
    recorded = _recorded_return_limit(case.id)
    if recorded is not None:
        return recorded
    return deadlines.return_deadline(
        deadlines.load_policy(), workdays.load_calendar(), case.dispatched_at.date()
    )


def _recorded_return_limit(case_id: int) -> dt.date | None:
    from hotline.models import CaseEvent

    dispatch = (
        CaseEvent.select(CaseEvent.id, CaseEvent.data)
        .where((CaseEvent.case == case_id) & (CaseEvent.action == "dispatch"))
        .order_by(CaseEvent.id.desc())
        .first()
    )
    value = None if dispatch is None else timeline.event_data(dispatch).get("return_until")
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _within_return_limit(case: Case) -> bool:
    last_day = return_limit(case)
    return last_day is not None and clock.today() <= last_day


def requested_extension(case_id: int, actor: Actor) -> bool:
    """Whether ``actor`` made the case's pending extension request (its last one)."""
    from hotline.models import CaseEvent

    event = (
        CaseEvent.select(CaseEvent.user, CaseEvent.actor_name)
        .where((CaseEvent.case == case_id) & (CaseEvent.action == "request_extension"))
        .order_by(CaseEvent.id.desc())
        .first()
    )
    if event is None:
        return False
    if actor.user_id is not None and event.user_id is not None:
        return bool(event.user_id == actor.user_id)
    return bool(event.actor_name == actor.name)


def load_for_change(case_id: int, expected_version: int | None) -> Case:
    """The case, if it is still the version the user saw (None: whatever it is now)."""
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise NotFound(N_("案件不存在"))
    if expected_version is not None and case.version != expected_version:
        raise _conflict(case)
    return case


def write_if_unchanged(case: Case, changes: dict[str, Any]) -> None:
    """``UPDATE … WHERE version = seen``: refuse, naming who, if someone changed it meanwhile."""
    updated = (
        Case.update(changes).where((Case.id == case.id) & (Case.version == case.version)).execute()
    )
    if not updated:
        raise _conflict(case)


def _conflict(case: Case) -> ConflictError:
    return ConflictError(
        N_("案件 {case_no} 已被 {who} 修改，请查看最新内容后再操作"),
        case_no=case.case_no,
        who=_last_actor(case.id),
    )


def _last_actor(case_id: int) -> str:
    from hotline.models import CaseEvent

    event = (
        CaseEvent.select().where(CaseEvent.case == case_id).order_by(CaseEvent.id.desc()).first()
    )
    return event.actor_name if event else "?"


def _check_state(case: Case, name: str) -> Transition:
    transition = TRANSITIONS[name]
    if Status(case.status) not in transition.sources:
        raise HotlineError(
            N_("案件当前状态为“{status}”，不能执行“{action}”"),
            status=Status(case.status).label,
            action=timeline.label(name),
        )
    return transition


def _apply(
    actor: Actor,
    case: Case,
    name: str,
    changes: dict[str, Any],
    *,
    text: str = "",
    internal: bool = False,
    data: dict[str, Any] | None = None,
) -> Case:
    """Write ``changes`` if nobody changed the case meanwhile; event, audit, index."""
    transition = TRANSITIONS[name]
    if transition.target is not None:
        changes["status"] = transition.target.value
    # A note changes no state: it does not make other users' open forms out of date.
    changes["version"] = case.version + (0 if name == "note" else 1)
    changes["updated_at"] = clock.now()
    if name == "return" and access.is_department(actor) and per_person():
        return _return_in_database(actor, case, changes, text=text, data=data)
    with CaseIndexUpdate(case.id):
        write_if_unchanged(case, changes)
        timeline.add(
            case.id, actor, "note" if name == "note" else name, text, internal=internal, data=data
        )
    audit.record(
        actor,
        f"case.{name}",
        "case",
        case.case_no,
        {
            "before": {"status": case.status, "version": case.version},
            "after": {k: v for k, v in changes.items() if k not in ("updated_at",)},
            "text": text[:500],
        },
    )
    return Case.get_by_id(case.id)


def _return_in_database(
    actor: Actor, case: Case, changes: dict[str, Any], *, text: str, data: dict[str, Any] | None
) -> Case:
    """A department person's return on a server with a login role per person.

    The returned case is no longer the department's, so its row-level security refuses the
    write; ``hotline_return_case`` (:func:`hotline.pg.server.policies.return_function`) checks
    membership, state and version as the owner and writes the case and its timeline entry
    (audited by the triggers); it refuses a return after the last day the dispatch recorded,
    which the caller (``build``) checked first to say so in words. The index keeps the case's
    texts, which a return does not change.
    """
    payload = json.dumps(data or {}, ensure_ascii=False, default=str)
    cursor = Case._meta.database.execute_sql(
        "SELECT public.hotline_return_case(%s, %s, %s, %s)",
        (case.id, case.version, text, payload),
    )
    changes["version"] = int(cursor.fetchone()[0])
    audit.record(
        actor,
        "case.return",
        "case",
        case.case_no,
        {
            "before": {"status": case.status, "version": case.version},
            "after": {k: v for k, v in changes.items() if k not in ("updated_at",)},
            "text": text[:500],
        },
    )
    # The department can no longer read the row: what it became is what was written.
    for key, value in changes.items():
        setattr(case, "department_id" if key == "department" else key, value)
    return case


def _run(actor: Actor, case_id: int, expected_version: int | None, name: str, build: Any) -> Case:
    """Check permission and state, let ``build(case)`` validate and return the write."""
    actor.require(TRANSITIONS[name].permission)
    with write_transaction():
        case = load_for_change(case_id, expected_version)
        access.require_case(actor, case)  # a department: its own cases only
        if not access.leads(actor, case) and name not in ASSISTING_ACTIONS:
            raise PermissionDenied(
                N_("本单位是案件 {case_no} 的会办单位，只能答复会办意见或添加备注"),
                case_no=case.case_no,
            )
        _check_state(case, name)
        if access.is_department(actor) and name in ("reply", "request_extension"):
            stage = stage_of(case.id)
            if stage is None or stage.accepted_at is None:
                raise HotlineError(N_("请先签收案件 {case_no}，再办理"), case_no=case.case_no)
        changes, kwargs = build(case)
        return _apply(actor, case, name, changes, **kwargs)


def _required_text(value: str | None, field: str, limit: int = 5000) -> str:
    text = visible_text(value)
    problems = Problems()
    if not text:
        problems.add(field, MSG_REQUIRED)
    elif has_control_characters(text):
        problems.add(field, MSG_CONTROL)
    elif len(text) > limit:
        problems.add(field, MSG_TOO_LONG, limit=limit, length=len(text))
    problems.raise_if_any()
    return text


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _department_facts(case: Case) -> dict[str, Any]:
    """The case's department as a timeline event records it: its name then, and its id."""
    department = (
        Department.get_or_none(Department.id == case.department_id)
        if case.department_id is not None
        else None
    )
    if department is None:
        return {"department": None}
    return {"department": department.name, "department_id": department.id}


def answer_on_spot(
    actor: Actor,
    case_id: int,
    answer: str,
    *,
    expected_version: int | None = None,
    data: dict[str, Any] | None = None,
) -> Case:
    """Close a consultation with the answer given on the phone; ``data`` goes on the timeline
    event (the knowledge article answered with, :mod:`hotline.knowledge.usage`)."""

    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        if Kind(case.kind) not in ON_SPOT_KINDS:
            raise ValidationError.single("kind", N_("只有咨询、求助、表扬可以直接办结"))
        text = _required_text(answer, "answer")
        now = clock.now()
        return (
            {"handled_at": now, "closed_at": now, "reply": text, "deadline": now.date()},
            {"text": text, "data": data},
        )

    return _run(actor, case_id, expected_version, "answer_on_spot", build)


def preview_deadline(case: Case, on: dt.date | None = None) -> deadlines.Deadline:
    """The deadline a dispatch today would set (shown before confirming)."""
    return deadlines.compute_deadline(
        deadlines.load_policy(),
        workdays.load_calendar(),
        kind=Kind(case.kind),
        urgency=Urgency(case.urgency),
        received=case.received_at.date(),
        dispatched=on or clock.today(),
    )


def assist_deadline(lead_due: dt.date, workdays_for_part: int) -> dt.date:
    """The day an assisting department's part is due: ``workdays_for_part`` working days
    after today, never after the lead department's deadline."""
    return min(lead_due, workdays.load_calendar().add_workdays(clock.today(), workdays_for_part))


def _assisting_departments(
    lead: Department, assisting: Sequence[int], workdays_for_part: int
) -> list[Department]:
    """The assisting departments chosen, checked (active, none twice, not the lead)."""
    problems = Problems()
    if isinstance(workdays_for_part, bool) or not isinstance(workdays_for_part, int):
        problems.add("assist_days", N_("请填写整数"))
    elif not 1 <= workdays_for_part <= cohandling.MAX_WORKDAYS:
        problems.add(
            "assist_days",
            N_("会办答复时限应为 1 至 {limit} 个工作日"),
            limit=cohandling.MAX_WORKDAYS,
        )
    ids = list(assisting)
    found: list[Department] = []
    if len(ids) > cohandling.MAX_ASSISTING:
        problems.add(
            "assisting",
            N_("会办单位最多 {limit} 个，已选 {count} 个"),
            limit=cohandling.MAX_ASSISTING,
            count=len(ids),
        )
    elif lead.id in ids:
        problems.add(
            "assisting", N_("主办单位 {department} 不能同时是会办单位"), department=lead.name
        )
    elif len(set(ids)) != len(ids):
        problems.add("assisting", N_("同一会办单位选了两次"))
    else:
        rows = {
            d.id: d for d in Department.select().where(Department.id.in_(ids) & Department.active)
        }
        missing = [i for i in ids if i not in rows]
        if missing:
            problems.add("assisting", N_("请选择有效的会办单位"))
        found = [rows[i] for i in ids if i in rows]
    problems.raise_if_any()
    return found


def check_assisting(department_id: int, assisting: Sequence[int], workdays_for_part: int) -> None:
    """Refuse a lead department or assisting departments that no dispatch would take (the
    same checks as :func:`dispatch`), before acting on several cases."""
    lead = Department.get_or_none((Department.id == department_id) & Department.active)
    if lead is None:
        raise ValidationError.single("department", N_("请选择有效的承办单位"))
    _assisting_departments(lead, assisting, workdays_for_part)


def dispatch(
    actor: Actor,
    case_id: int,
    department_id: int,
    *,
    note: str = "",
    assisting: Sequence[int] = (),
    assist_workdays: int = cohandling.DEFAULT_WORKDAYS,
    expected_version: int | None = None,
) -> Case:
    """派单 to a lead department (主办), with assisting departments (会办) that answer
    their parts to it within ``assist_workdays`` working days (never after its deadline)."""

    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        department = Department.get_or_none((Department.id == department_id) & Department.active)
        if department is None:
            raise ValidationError.single("department", N_("请选择有效的承办单位"))
        helpers = _assisting_departments(department, assisting, assist_workdays)
        deadline = preview_deadline(case)
        now = clock.now()
        return_until = deadlines.return_deadline(
            deadlines.load_policy(), workdays.load_calendar(), now.date()
        )
        cohandling.end_parts(case.id, now, cancel=True)  # an earlier dispatch's parts
        parts = []
        if helpers:
            part_due = assist_deadline(deadline.due, assist_workdays)
            for helper in helpers:
                CaseAssist.create(
                    case=case.id,
                    department=helper.id,
                    round=case.round,
                    assigned_at=now,
                    deadline=part_due,
                )
                parts.append(
                    {
                        "department": helper.name,
                        "department_id": helper.id,
                        "deadline": part_due.isoformat(),
                    }
                )
        data = {
            "department": department.name,
            "department_id": department.id,
            "deadline": deadline.due.isoformat(),
            "ceiling": deadline.ceiling.isoformat(),
            "return_until": return_until.isoformat(),
            "round": case.round,
            "warnings": list(deadline.warnings),
        }
        if parts:
            data["assisting"] = parts
        changes = {
            "department": department.id,
            "dispatched_at": now,
            "deadline": deadline.due,
            "ceiling": deadline.ceiling,
            "handled_at": None,
            "extension_status": None,
            "extension_until": None,
            "extension_reason": None,
        }
        _set_stage(case.id, accepted_at=None, accepted_by=None)  # the new department accepts
        return changes, {"text": note.strip(), "data": data}

    return _run(actor, case_id, expected_version, "dispatch", build)


def return_case(
    actor: Actor, case_id: int, reason: str, *, expected_version: int | None = None
) -> Case:
    """A department returns a case that is not its duty, within the return window."""

    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        text = _required_text(reason, "reason")
        last_day = return_limit(case)
        assert last_day is not None  # only a dispatched case can be returned
        if clock.today() > last_day:
            raise ValidationError.single(
                "reason",
                N_("退回须在派单后 {days} 个工作日内（截至 {date}）提出"),
                days=deadlines.load_policy().return_workdays,
                date=last_day.isoformat(),
            )
        _set_stage(case.id, accepted_at=None, accepted_by=None)
        if not (access.is_department(actor) and per_person()):
            # (On a server with a login role per person hotline_return_case cancels them.)
            cohandling.end_parts(case.id, clock.now(), cancel=True)
        return (
            {"department": None, "deadline": None, "dispatched_at": None},
            {"text": text, "data": {**_department_facts(case), "deadline": _iso(case.deadline)}},
        )

    return _run(actor, case_id, expected_version, "return", build)


def request_extension(
    actor: Actor, case_id: int, until: dt.date, reason: str, *, expected_version: int | None = None
) -> Case:
    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        text = _required_text(reason, "reason")
        if case.extended or case.extension_status == "requested":
            raise ValidationError.single("until", N_("每个案件只能延期一次"))
        if case.deadline and clock.today() > case.deadline:
            raise ValidationError.single("until", N_("已超过办理期限，不能再申请延期"))
        limit = deadlines.extension_limit(deadlines.load_policy(), case.received_at.date())
        if case.deadline and until <= case.deadline:
            raise ValidationError.single(
                "until", N_("延期后的期限应晚于现期限 {date}"), date=case.deadline.isoformat()
            )
        if until > limit:
            raise ValidationError.single(
                "until", N_("延期不得超过法定上限 {date}"), date=limit.isoformat()
            )
        return (
            {"extension_status": "requested", "extension_until": until, "extension_reason": text},
            {
                "text": text,
                "data": {"until": until.isoformat(), "deadline": _iso(case.deadline)},
            },
        )

    return _run(actor, case_id, expected_version, "request_extension", build)


def decide_extension(
    actor: Actor,
    case_id: int,
    approve: bool,
    comment: str = "",
    *,
    expected_version: int | None = None,
) -> Case:
    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        if case.extension_status != "requested":
            raise HotlineError(N_("该案件没有待审批的延期申请"))
        if requested_extension(case.id, actor):
            raise PermissionDenied(
                N_("延期申请须由申请人以外的人审批：您不能审批自己提出的延期申请")
            )
        changes: dict[str, Any] = {"extension_status": "approved" if approve else "rejected"}
        if approve:
            changes.update(deadline=case.extension_until, extended=True)
        return changes, {
            "text": comment.strip(),
            "data": {
                "approved": approve,
                "until": _iso(case.extension_until),
                "deadline": _iso(case.deadline),
            },
        }

    return _run(actor, case_id, expected_version, "decide_extension", build)


def reply(
    actor: Actor,
    case_id: int,
    text: str,
    *,
    resolution: str | None = None,
    contact_made: bool | None = None,
    expected_version: int | None = None,
) -> Case:
    """Record the department's answer to the enterprise: the text, how the matter was
    resolved and whether the department was in contact with the enterprise (a department
    must say both; the centre entering an answer given on paper may not know them). The
    reply answers the case's open supervision notices."""

    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        answer = _required_text(text, "reply", limit=10_000)
        parsed = Resolution.parse(resolution) if resolution is not None else None
        problems = Problems()
        if resolution is not None and parsed is None:
            problems.add("resolution", N_("请选择办理结果"))
        if access.is_department(actor):
            if parsed is None:
                problems.add("resolution", N_("请选择办理结果"))
            if contact_made is None:
                problems.add("contact_made", N_("请说明是否已与企业联系"))
        problems.raise_if_any()
        now = clock.now()
        changes = {"handled_at": now, "reply": answer}
        if case.extension_status == "requested":
            changes["extension_status"] = None
        _set_stage(
            case.id,
            resolution=parsed.value if parsed is not None else None,
            contact_made=contact_made,
        )
        answered = supervision.answer_open(case.id, actor, now, answer)
        parts = cohandling.case_parts(case.id)
        cohandling.end_parts(case.id, now, cancel=False)  # the lead's reply ends the stage
        facts = {
            **_department_facts(case),
            "deadline": _iso(case.deadline),
            "resolution": parsed.value if parsed is not None else None,
            "contact_made": contact_made,
            "notices_answered": answered,
        }
        if parts:
            facts["parts_answered"] = sum(1 for p in parts if p.answered_at is not None)
            facts["parts_unanswered"] = [p.department for p in parts if p.open]
        return changes, {"text": answer, "data": facts}

    return _run(actor, case_id, expected_version, "reply", build)


def callback(
    actor: Actor,
    case_id: int,
    satisfaction: str,
    comment: str = "",
    *,
    expected_version: int | None = None,
) -> Case:
    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        parsed = Satisfaction.parse(satisfaction)
        if parsed is None:
            raise ValidationError.single("satisfaction", N_("请选择满意度"))
        if len(comment) > 2000:
            raise ValidationError.single("comment", MSG_TOO_LONG, limit=2000, length=len(comment))
        return (
            {
                "satisfaction": parsed.value,
                "callback_at": clock.now(),
                "callback_comment": comment.strip(),
            },
            {"text": comment.strip(), "data": {"satisfaction": parsed.value}},
        )

    return _run(actor, case_id, expected_version, "callback", build)


def close(
    actor: Actor, case_id: int, comment: str = "", *, expected_version: int | None = None
) -> Case:
    """Close a case after the callback; without one, a reason (e.g. unreachable) is needed."""

    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        text = visible_text(comment)
        if Status(case.status) == Status.REPLIED and not text:
            raise ValidationError.single("comment", N_("未回访即办结须说明原因"))
        facts = {"called_back": case.callback_at is not None, "satisfaction": case.satisfaction}
        return {"closed_at": clock.now()}, {"text": text, "data": facts}

    return _run(actor, case_id, expected_version, "close", build)


def reopen(actor: Actor, case_id: int, reason: str, *, expected_version: int | None = None) -> Case:
    """重办: a second round, back to waiting for dispatch."""

    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        text = _required_text(reason, "reason")
        cohandling.end_parts(case.id, clock.now(), cancel=True)
        changes = {
            "round": case.round + 1,
            "department": None,
            "deadline": None,
            "ceiling": None,
            "dispatched_at": None,
            "handled_at": None,
            "reply": None,
            "callback_at": None,
            "satisfaction": None,
            "callback_comment": None,
            "closed_at": None,
            "extension_status": None,
            "extension_until": None,
            "extension_reason": None,
            "extended": False,
        }
        return changes, {
            "text": text,
            "data": {
                "round": case.round + 1,
                "satisfaction": case.satisfaction,
                **_department_facts(case),
            },
        }

    return _run(actor, case_id, expected_version, "reopen", build)


def withdraw(
    actor: Actor, case_id: int, reason: str, *, expected_version: int | None = None
) -> Case:
    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        text = _required_text(reason, "reason")
        cohandling.end_parts(case.id, clock.now(), cancel=True)
        return {}, {"text": text, "data": {"status": case.status}}

    return _run(actor, case_id, expected_version, "withdraw", build)


def accept(actor: Actor, case_id: int, *, expected_version: int | None = None) -> Case:
    """签收: the department takes on a case dispatched to it (the status stays 已派单)."""

    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        stage = _stage(case.id)
        if stage is not None and stage.accepted_at is not None:
            raise HotlineError(N_("案件 {case_no} 已签收"), case_no=case.case_no)
        now = clock.now()
        _set_stage(case.id, accepted_at=now, accepted_by=actor.name[:40])
        facts = {
            **_department_facts(case),
            "deadline": _iso(case.deadline),
            "return_until": _iso(return_limit(case)),
        }
        return {}, {"data": facts}

    return _run(actor, case_id, expected_version, "accept", build)


def supervise(
    actor: Actor,
    case_id: int,
    text: str,
    workdays_to_answer: int,
    level: str,
    *,
    expected_version: int | None = None,
) -> Case:
    """A supervision notice (催办 or 督办) on an overdue or escalated case: the department
    answers it by the working day ``workdays_to_answer`` after today."""

    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        problems = Problems()
        parsed = SupervisionLevel.parse(level)
        if parsed is None:
            problems.add("level", N_("请选择催办或督办"))
        body = visible_text(text)
        if not body:
            problems.add("text", MSG_REQUIRED)
        elif has_control_characters(body):
            problems.add("text", MSG_CONTROL)
        elif len(body) > 2000:
            problems.add("text", MSG_TOO_LONG, limit=2000, length=len(body))
        if isinstance(workdays_to_answer, bool) or not isinstance(workdays_to_answer, int):
            problems.add("answer_by", N_("请填写整数"))
        elif not 1 <= workdays_to_answer <= supervision.MAX_WORKDAYS:
            problems.add(
                "answer_by",
                N_("答复时限应为 1 至 {limit} 个工作日"),
                limit=supervision.MAX_WORKDAYS,
            )
        problems.raise_if_any()
        if not supervision.eligible(case):
            raise HotlineError(N_("只有已超期或紧急、重复、重办的在办案件才能督办"))
        assert parsed is not None
        answer_by = workdays.load_calendar().add_workdays(clock.today(), workdays_to_answer)
        notice = SupervisionNotice.create(
            case=case.id,
            level=parsed.value,
            text=body,
            answer_by=answer_by,
            issued_at=clock.now(),
            issued_by=actor.user_id,
            issued_by_name=actor.name[:40],
        )
        data = {
            "notice_id": notice.id,
            "level": parsed.value,
            "answer_by": answer_by.isoformat(),
            "workdays": workdays_to_answer,
            **_department_facts(case),
            "deadline": _iso(case.deadline),
        }
        return {}, {"text": body, "data": data}

    return _run(actor, case_id, expected_version, "supervise", build)


def answer_supervision(
    actor: Actor, case_id: int, text: str, *, expected_version: int | None = None
) -> Case:
    """The department answers the case's open supervision notices (before its reply)."""

    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        body = _required_text(text, "answer", limit=5000)
        answered = supervision.answer_open(case.id, actor, clock.now(), body)
        if not answered:
            raise HotlineError(N_("该案件没有待答复的督办"))
        return {}, {"text": body, "data": {"notices_answered": answered}}

    return _run(actor, case_id, expected_version, "answer_supervision", build)


def answer_assist(
    actor: Actor,
    case_id: int,
    text: str,
    *,
    department_id: int | None = None,
    expected_version: int | None = None,
) -> Case:
    """An assisting department answers its part (会办意见) to the lead department; the
    centre enters a part given on paper for the department ``department_id``."""

    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        if access.is_department(actor):
            if access.leads(actor, case):
                raise HotlineError(N_("主办单位请用“答复”答复企业"))
            helper = actor.department_id
        else:
            helper = department_id
        if helper is None:
            raise ValidationError.single("department", N_("请选择会办单位"))
        body = _required_text(text, "answer", limit=5000)
        part = cohandling.open_part(case.id, helper)
        if part is None:
            raise HotlineError(N_("该单位在本案件中没有待答复的会办事项"))
        now = clock.now()
        CaseAssist.update(answered_at=now, answered_by_name=actor.name[:40], answer=body).where(
            CaseAssist.id == part.id
        ).execute()
        name = Department.get_by_id(helper).name
        facts = {
            "department": name,
            "department_id": helper,
            "deadline": part.deadline.isoformat()
            if isinstance(part.deadline, dt.date)
            else str(part.deadline),
            "on_time": now.date() <= cohandling.as_date(part.deadline),
            "part_id": part.id,
        }
        return {}, {"text": body, "data": facts}

    return _run(actor, case_id, expected_version, "answer_assist", build)


def grant_caller(
    actor: Actor, case_id: int, reason: str, *, expected_version: int | None = None
) -> Case:
    """Let the case's department see its confidential caller (granted on this case only)."""

    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        body = _required_text(reason, "reason", limit=2000)
        if not case.confidential:
            raise HotlineError(N_("该案件不是保密案件"))
        if case.department_id is None:
            raise HotlineError(N_("案件尚未派给承办单位"))
        _set_stage(case.id, caller_granted=True)
        return {}, {"text": body, "data": {**_department_facts(case), "granted": True}}

    return _run(actor, case_id, expected_version, "grant_caller", build)


def add_note(
    actor: Actor,
    case_id: int,
    text: str,
    *,
    internal: bool = True,
    expected_version: int | None = None,
) -> Case:
    def build(case: Case) -> tuple[dict[str, Any], dict[str, Any]]:
        # A department's note is for the centre to read: never "internal" (the centre's own
        # notes a department does not see).
        shown_internal = internal and not access.is_department(actor)
        return {}, {"text": _required_text(text, "note"), "internal": shown_internal}

    return _run(actor, case_id, expected_version, "note", build)
