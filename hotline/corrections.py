"""Correcting what intake recorded about a case (更正): a misheard phone, the wrong category or
enterprise, a description to complete.

Who: the roles that work cases (``CASE_CORRECT``: operators, shift leads, administrators). A
case that is closed or withdrawn has been answered, counted in the reports and perhaps printed
for the enterprise, so changing it needs ``CASE_CORRECT_CLOSED`` (shift leads and
administrators). A reason is always required.

How: :func:`correct` takes only the fields the user changed, keyed as the intake form keys them
(``contact.phone``, ``kind``, …), merges them into what the case holds and validates the whole
record again with :func:`hotline.intake.parse_intake`, so a corrected case obeys the rules of a
new one. It re-runs the repeat check when the enterprise, category or time of receipt changes.
When a change of type, urgency or time of receipt would move the deadline of a dispatched case,
nothing is written until the caller says what to do (:class:`DeadlineQuestion` carries the
:class:`CorrectionPreview`): recompute it with the working-day calendar, or keep it. The case
number never changes. The write is ``UPDATE … WHERE version = seen`` (see
:func:`hotline.workflow.write_if_unchanged`), so a change made by anyone since the user loaded
the case (another correction, a dispatch…) refuses this one instead of being overwritten.

What is kept: a timeline event ``correct`` (the reason as its text, each field's before and
after in its data; the search index and the private index follow the new texts) and an audit
entry (a confidential caller's contact masked there, as in every export).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from hotline import (
    audit,
    cases,
    clock,
    contacts,
    deadlines,
    enterprises,
    timeline,
    workdays,
    workflow,
)
from hotline.db import write_transaction
from hotline.enums import Category, Channel, Kind, LabelledEnum, Status, Urgency
from hotline.errors import ConfirmationNeeded, Problem, Problems, ValidationError
from hotline.i18n import N_, _
from hotline.intake import CaseDraft, parse_intake
from hotline.masking import Scrubber, mask_name, mask_phone
from hotline.models import Case, District
from hotline.permissions import Action, Actor
from hotline.search.index import CaseIndexUpdate
from hotline.storable import required_text

# The correctable fields, in the intake form's order, with the words the timeline uses.
FIELD_LABELS: dict[str, str] = {
    "enterprise": N_("企业"),
    "district": N_("所在区县"),
    "contact.name": N_("联系人"),
    "contact.phone": N_("联系电话"),
    "confidential": N_("来电人要求保密"),
    "kind": N_("诉求类型"),
    "category": N_("问题类别"),
    "urgency": N_("紧急程度"),
    "subject": N_("主题"),
    "description": N_("诉求描述"),
    "request": N_("企业诉求"),
    "channel": N_("来源渠道"),
    "received_at": N_("受理时间"),
}
# The keys the form sends (the enterprise is typed as a name and a credit code).
FORM_KEYS = (
    "enterprise.name",
    "enterprise.uscc",
    *(key for key in FIELD_LABELS if key != "enterprise"),
)
CONTACT_FIELDS = ("contact.name", "contact.phone")
# The columns a correction writes through hotline.contacts (the flag is kept beside them).
CONTACT_COLUMNS = frozenset({"contact_name", "contact_phone", "confidential"})
DEADLINE_FIELDS = frozenset({"kind", "urgency", "received_at"})
REPEAT_FIELDS = frozenset({"enterprise", "category", "received_at"})
ENUMS: dict[str, type[LabelledEnum]] = {
    "kind": Kind,
    "category": Category,
    "urgency": Urgency,
    "channel": Channel,
}
REASON_LIMIT = 2000
MSG_REASON = N_("请说明更正的原因")
MSG_NOTHING = N_("没有修改任何内容")
MSG_ENTERPRISE = N_("{name}（{uscc}）")


class DeadlineChoice(StrEnum):
    RECOMPUTE = "recompute"  # the deadline follows the corrected type / urgency
    KEEP = "keep"  # the department keeps the deadline it was given


@dataclass(frozen=True)
class FieldChange:
    """One corrected field: its key (see FIELD_LABELS) and its stored values before and after
    (codes for enumerations, ``true``/``false``, ISO times; names for district and enterprise)."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class DeadlineChange:
    before: dt.date
    after: dt.date
    ceiling: dt.date
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CorrectionPreview:
    """What a correction would change, as the user is asked to confirm it."""

    case_no: str
    changes: list[FieldChange]
    deadline: DeadlineChange | None
    repeat_before: str | None  # the number of the case it repeats, before and after
    repeat_after: str | None


class DeadlineQuestion(ConfirmationNeeded):
    """The correction moves the deadline: nothing is written until the user chooses."""

    def __init__(self, preview: CorrectionPreview) -> None:
        assert preview.deadline is not None
        super().__init__(
            N_("更正后办理期限将由 {before} 改为 {after}"),
            before=preview.deadline.before.isoformat(),
            after=preview.deadline.after.isoformat(),
        )
        self.preview = preview


def may_correct(case: Case, actor: Actor) -> bool:
    """Whether ``actor`` may correct ``case`` in its present state (what the window offers)."""
    if not actor.can(Action.CASE_CORRECT):
        return False
    return not Status(case.status).is_terminal or actor.can(Action.CASE_CORRECT_CLOSED)


def _require(case: Case, actor: Actor) -> None:
    actor.require(Action.CASE_CORRECT)
    if Status(case.status).is_terminal:
        actor.require(Action.CASE_CORRECT_CLOSED)


def form_values(case: Case) -> dict[str, Any]:
    """The case's intake fields as the intake form shows them (the dialog's starting point)."""
    enterprise = enterprises.get(case.enterprise_id) if case.enterprise_id else None
    contact = contacts.of(case)
    return {
        "channel": case.channel,
        "kind": case.kind,
        "category": case.category,
        "urgency": case.urgency,
        "district": case.district_id or "",
        "enterprise": {
            "name": enterprise.name if enterprise else "",
            "uscc": (enterprise.uscc or "") if enterprise else "",
        },
        "contact": {"name": contact.name, "phone": contact.phone},
        "subject": case.subject,
        "description": case.description,
        "request": case.request,
        "confidential": bool(case.confidential),
        "received_at": case.received_at.isoformat(),
    }


def _merged(case: Case, changed: dict[str, Any]) -> dict[str, Any]:
    data = form_values(case)
    for key, value in changed.items():
        if key not in FORM_KEYS:
            raise ValidationError.single(key, N_("此项不能更正"))
        if "." in key:
            group, name = key.split(".", 1)
            data[group] = {**data[group], name: value}
        else:
            data[key] = value
    return data


def _reason(text: str) -> tuple[str, list[Problem]]:
    """The reason as stored, and its problems (reported with the fields' own)."""
    problems = Problems()
    reason = required_text(problems, "reason", text, MSG_REASON, REASON_LIMIT)
    return reason, problems.items


def _enterprise_text(name: str, uscc: str | None) -> str:
    return _(MSG_ENTERPRISE).format(name=name, uscc=uscc) if uscc else name


def _district_name(code: str | None) -> str:
    if not code:
        return ""
    row = District.get_or_none(District.code == code)
    return str(row.name) if row else code


@dataclass
class _Plan:
    """The columns to write and what the user is shown, worked out before anything is written."""

    draft: CaseDraft
    columns: dict[str, Any]
    changes: list[FieldChange]
    enterprise_changed: bool
    deadline: deadlines.Deadline | None = None
    repeat_id: int | None = None
    repeat_before: str | None = None
    repeat_after: str | None = None
    contact_before: contacts.Contact | None = None  # the caller as recorded before


def _plan(case: Case, changed: dict[str, Any]) -> _Plan:
    draft = parse_intake(_merged(case, changed))
    contact = contacts.of(case)
    old_enterprise = enterprises.get(case.enterprise_id) if case.enterprise_id else None
    old_name = old_enterprise.name if old_enterprise else ""
    old_uscc = (old_enterprise.uscc or None) if old_enterprise else None
    received = draft.received_at.replace(tzinfo=None)
    if received == case.received_at.replace(second=0, microsecond=0):
        received = case.received_at  # the form shows minutes: the seconds are not a change
    elif received > case.registered_at:
        raise ValidationError.single(
            "received_at",
            N_("受理时间不能晚于登记时间 {time}"),
            time=case.registered_at.isoformat(sep=" ", timespec="minutes"),
        )
    new_values: dict[str, tuple[str, Any, Any, str, str]] = {
        # key: (column, stored before, stored after, shown before, shown after)
        "district": (
            "district",
            case.district_id or "",
            draft.district_code,
            _district_name(case.district_id),
            _district_name(draft.district_code),
        ),
        "contact.name": ("contact_name", contact.name, draft.contact_name, "", ""),
        "contact.phone": ("contact_phone", contact.phone, draft.contact_phone, "", ""),
        "confidential": ("confidential", bool(case.confidential), draft.confidential, "", ""),
        "kind": ("kind", case.kind, draft.kind.value, "", ""),
        "category": ("category", case.category, draft.category.value, "", ""),
        "urgency": ("urgency", case.urgency, draft.urgency.value, "", ""),
        "subject": ("subject", case.subject, draft.subject, "", ""),
        "description": ("description", case.description, draft.description, "", ""),
        "request": ("request", case.request, draft.request, "", ""),
        "channel": ("channel", case.channel, draft.channel.value, "", ""),
        "received_at": ("received_at", case.received_at, received, "", ""),
    }
    columns: dict[str, Any] = {}
    changes: list[FieldChange] = []
    enterprise_changed = (draft.enterprise_name, draft.enterprise_uscc) != (old_name, old_uscc)
    if enterprise_changed:
        changes.append(
            FieldChange(
                "enterprise",
                _enterprise_text(old_name, old_uscc),
                _enterprise_text(draft.enterprise_name, draft.enterprise_uscc),
            )
        )
    for key, (column, before, after, shown_before, shown_after) in new_values.items():
        if before == after:
            continue
        columns[column] = after
        changes.append(
            FieldChange(
                key, shown_before or _stored_text(before), shown_after or _stored_text(after)
            )
        )
    if not changes:
        raise ValidationError.single("case", MSG_NOTHING)
    plan = _Plan(draft, columns, changes, enterprise_changed, contact_before=contact)
    _plan_deadline(case, plan)
    return plan


def _stored_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0).isoformat(sep=" ", timespec="minutes")
    return str(value)


def _plan_deadline(case: Case, plan: _Plan) -> None:
    """A dispatched case whose type, urgency or receipt changes gets a new deadline, unless an
    extension was approved (the approved date stands)."""
    touched = {c.field for c in plan.changes} & DEADLINE_FIELDS
    if not touched or case.dispatched_at is None or case.deadline is None or case.extended:
        return
    computed = deadlines.compute_deadline(
        deadlines.load_policy(),
        workdays.load_calendar(),
        kind=plan.draft.kind,
        urgency=plan.draft.urgency,
        received=plan.columns.get("received_at", case.received_at).date(),
        dispatched=case.dispatched_at.date(),
    )
    if computed.due != case.deadline or computed.ceiling != case.ceiling:
        plan.deadline = computed


def _plan_repeat(case: Case, plan: _Plan, enterprise_id: int | None) -> None:
    if not {c.field for c in plan.changes} & REPEAT_FIELDS:
        return
    before = Case.get_or_none(Case.id == case.repeat_of_id) if case.repeat_of_id else None
    found = cases.find_repeat(
        enterprise_id,
        plan.draft.category.value,
        exclude=case.id,
        at=plan.columns.get("received_at", case.received_at),
        before=case.id,
    )
    if (found.id if found else None) == case.repeat_of_id:
        return
    plan.repeat_id = found.id if found else None
    plan.repeat_before = before.case_no if before else None
    plan.repeat_after = found.case_no if found else None


def _preview(case: Case, plan: _Plan) -> CorrectionPreview:
    deadline = None
    if plan.deadline is not None:
        assert case.deadline is not None
        deadline = DeadlineChange(
            case.deadline, plan.deadline.due, plan.deadline.ceiling, list(plan.deadline.warnings)
        )
    return CorrectionPreview(
        case.case_no, plan.changes, deadline, plan.repeat_before, plan.repeat_after
    )


def preview(actor: Actor, case_id: int, changed: dict[str, Any]) -> CorrectionPreview:
    """What correcting ``changed`` would change (nothing is written); raises ValidationError."""
    case = cases.get(case_id)
    _require(case, actor)
    plan = _plan(case, changed)
    enterprise_id = case.enterprise_id
    if plan.enterprise_changed:
        found = enterprises.find(plan.draft.enterprise_name, plan.draft.enterprise_uscc)
        enterprise_id = found.id if found else None
    _plan_repeat(case, plan, enterprise_id)
    return _preview(case, plan)


def correct(
    actor: Actor,
    case_id: int,
    changed: dict[str, Any],
    reason: str,
    *,
    expected_version: int,
    deadline: DeadlineChoice | None = None,
) -> Case:
    """Correct the intake fields in ``changed`` (form keys, as typed) of the case the user saw
    at ``expected_version``.

    Raises ValidationError (every problem, keyed by form field), ConflictError (someone changed
    the case since), PermissionDenied, or DeadlineQuestion when the deadline would move and
    ``deadline`` does not say what to do; in each case nothing is written.
    """
    reason, reason_problems = _reason(reason)
    with write_transaction():
        case = workflow.load_for_change(case_id, expected_version)
        _require(case, actor)
        try:
            plan = _plan(case, changed)
        except ValidationError as exc:  # every problem at once, the reason's too
            raise ValidationError([*exc.problems, *reason_problems]) from None
        if reason_problems:
            raise ValidationError(reason_problems)
        if plan.deadline is not None and deadline is None:
            raise DeadlineQuestion(_preview(case, plan))
        with CaseIndexUpdate(case.id):
            enterprise_id = case.enterprise_id
            if plan.enterprise_changed:
                draft = plan.draft
                enterprise_id = enterprises.find_or_create(
                    actor, draft.enterprise_name, draft.enterprise_uscc, draft.district_code
                ).id
                if enterprise_id != case.enterprise_id:
                    plan.columns["enterprise"] = enterprise_id
            _plan_repeat(case, plan, enterprise_id)
            data = _event_data(case, plan, deadline)
            columns = dict(plan.columns)
            if plan.repeat_before != plan.repeat_after:
                columns["repeat_of"] = plan.repeat_id
            if plan.deadline is not None and deadline == DeadlineChoice.RECOMPUTE:
                columns.update(deadline=plan.deadline.due, ceiling=plan.deadline.ceiling)
            columns.update(version=case.version + 1, updated_at=clock.now())
            contact_changed = bool(CONTACT_COLUMNS & set(columns))
            if contact_changed:  # the real contact apart, its masked forms on the case
                for column in ("contact_name", "contact_phone"):
                    columns.pop(column, None)
                columns.update(
                    contacts.masked_columns(plan.draft.contact_name, plan.draft.contact_phone)
                )
            workflow.write_if_unchanged(case, columns)
            if contact_changed:
                contacts.save(
                    case.id,
                    confidential=plan.draft.confidential,
                    name=plan.draft.contact_name,
                    phone=plan.draft.contact_phone,
                )
            timeline.add(case.id, actor, "correct", reason, data=data)
            if plan.repeat_after is not None:
                timeline.add(
                    case.id, actor, "repeat", data={"repeat_of": plan.repeat_after}, internal=True
                )
        audit.record(
            actor,
            "case.correct",
            "case",
            case.case_no,
            _audit_detail(case, plan, data, reason),
        )
        return Case.get_by_id(case.id)


def _event_data(case: Case, plan: _Plan, choice: DeadlineChoice | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in plan.changes],
        "version": case.version + 1,
    }
    if plan.deadline is not None and case.deadline is not None:
        data["deadline"] = {
            "before": case.deadline.isoformat(),
            "after": plan.deadline.due.isoformat(),
            "choice": (choice or DeadlineChoice.KEEP).value,
        }
    if plan.repeat_before != plan.repeat_after:
        data["repeat"] = {"before": plan.repeat_before, "after": plan.repeat_after}
    return data


def _audit_detail(case: Case, plan: _Plan, data: dict[str, Any], reason: str) -> dict[str, Any]:
    """The event's data; a confidential caller's contact masked (the audit log is exported)."""
    confidential = bool(case.confidential) or plan.draft.confidential
    contact = plan.contact_before or contacts.of(case)
    detail = mask_event_data(data, contact.name, contact.phone) if confidential else data
    return {**detail, "reason": reason[:500], "before_version": case.version}


# Wording and masking of the timeline event -----------------------------------------------------


def mask_event_data(data: dict[str, Any], name: str | None, phone: str | None) -> dict[str, Any]:
    """A ``correct`` event's data as a role that may not see a confidential caller reads it:
    the contact's before and after masked, any name it had scrubbed from the other values."""
    changes = [c for c in data.get("changes", []) if isinstance(c, dict)]
    names = {
        str(c.get(side) or "")
        for c in changes
        if c.get("field") == "contact.name"
        for side in ("before", "after")
    } | {name or ""}
    scrubbers = [Scrubber(n, phone) for n in names if n] or [Scrubber(None, phone)]

    def scrub(text: str) -> str:
        for scrubber in scrubbers:
            text = scrubber(text)
        return text

    masked = []
    for change in changes:
        key = change.get("field")
        before, after = str(change.get("before") or ""), str(change.get("after") or "")
        if key == "contact.name":
            before, after = mask_name(before), mask_name(after)
        elif key == "contact.phone":
            before, after = mask_phone(before), mask_phone(after)
        else:
            before, after = scrub(before), scrub(after)
        masked.append({**change, "before": before, "after": after})
    return {**data, "changes": masked}


def _shown(key: str, value: str) -> str:
    if not value:
        return _("（空）")
    enum = ENUMS.get(key)
    if enum is not None:
        member = enum.parse(value)
        return member.label if member is not None else value
    if key == "confidential":
        return _("是") if value == "true" else _("否")
    return value


SHORT = 60  # longer texts (a description) are shortened in the timeline row


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHORT else flat[: SHORT - 1] + "…"


def describe(data: dict[str, Any], reason: str = "") -> list[str]:
    """A ``correct`` event in words, one line per changed field: ``联系电话：A → B``; then the
    deadline and the repeat link when they changed, and the reason (the event's text)."""
    lines = []
    for change in data.get("changes", []):
        if not isinstance(change, dict):
            continue
        key = str(change.get("field", ""))
        label = FIELD_LABELS.get(key)
        lines.append(
            _("{field}：{before} → {after}").format(
                field=_(label) if label else key,
                before=_short(_shown(key, str(change.get("before") or ""))),
                after=_short(_shown(key, str(change.get("after") or ""))),
            )
        )
    moved = data.get("deadline")
    if isinstance(moved, dict):
        if moved.get("choice") == DeadlineChoice.RECOMPUTE.value:
            lines.append(
                _("办理期限：{before} → {after}（按更正后重新计算）").format(
                    before=moved.get("before", ""), after=moved.get("after", "")
                )
            )
        else:
            lines.append(
                _("办理期限保持 {before}（按更正后应为 {after}）").format(
                    before=moved.get("before", ""), after=moved.get("after", "")
                )
            )
    repeat = data.get("repeat")
    if isinstance(repeat, dict):
        if repeat.get("after"):
            lines.append(_("现与案件 {case_no} 重复").format(case_no=repeat["after"]))
        else:
            lines.append(_("不再与案件 {case_no} 重复").format(case_no=repeat.get("before") or ""))
    if reason:
        lines.append(_("更正原因：{reason}").format(reason=reason))
    return lines
