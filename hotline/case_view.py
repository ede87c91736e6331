"""Everything the case window shows, read in one go (off the GUI thread) as plain frozen data.

``load_case_window`` calls the core and resolves every related row (enterprise, department,
district, timeline, repeats, deadline arithmetic), so showing the snapshot never queries the
database. For a confidential case seen by a role without ``CASE_VIEW_CONFIDENTIAL`` the
contact is masked and the free texts (subject, description, request, reply, timeline texts
and data) are scrubbed of it in any spelling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from hotline import (
    access,
    admin,
    case_calls,
    cases,
    cohandling,
    contacts,
    corrections,
    deadlines,
    enterprises,
    supervision,
    timeline,
    timeline_words,
    workdays,
    workflow,
)
from hotline.case_briefs import CaseBrief, briefs
from hotline.enterprises import EnterpriseInfo
from hotline.masking import Scrubber
from hotline.models import Case, Department, District
from hotline.permissions import Action, Actor

if TYPE_CHECKING:
    from hotline.knowledge.usage import CaseUse

TEXT_FIELDS = ("subject", "description", "request", "reply", "callback_comment", "extension_reason")


@dataclass(frozen=True)
class TimelineRow:
    """One entry of the case window's timeline, its texts scrubbed for a masked case.

    ``label``, ``facts`` and ``detail`` are the step in words
    (:func:`hotline.timeline_words.word_timeline`, the same words as the case summary PDF).
    """

    at: dt.datetime
    actor_name: str
    action: str
    internal: bool
    text: str
    data: dict[str, Any]
    label: str = ""
    facts: str = ""
    detail: str = ""

    @property
    def content(self) -> str:
        """What the step decided, then its free text: the 内容 column."""
        return "\n".join(part for part in (self.facts, self.detail) if part)


@dataclass(frozen=True)
class CaseFields:
    """The case's own recorded values the window shows (texts that may name a confidential
    caller are in ``CaseWindowView.texts`` instead)."""

    id: int
    version: int
    case_no: str
    status: str
    round: int
    urgency: str
    confidential: bool
    channel: str
    kind: str
    category: str
    received_at: dt.datetime
    registered_by_name: str
    dispatched_at: dt.datetime | None
    deadline: dt.date | None
    ceiling: dt.date | None
    extension_status: str | None
    extension_until: dt.date | None
    handled_at: dt.datetime | None
    callback_at: dt.datetime | None
    satisfaction: str | None
    closed_at: dt.datetime | None

    @classmethod
    def of(cls, case: Case) -> CaseFields:
        return cls(
            id=case.id,
            version=case.version,
            case_no=case.case_no,
            status=case.status,
            round=case.round,
            urgency=case.urgency,
            confidential=bool(case.confidential),
            channel=case.channel,
            kind=case.kind,
            category=case.category,
            received_at=case.received_at,
            registered_by_name=case.registered_by_name,
            dispatched_at=case.dispatched_at,
            deadline=case.deadline,
            ceiling=case.ceiling,
            extension_status=case.extension_status,
            extension_until=case.extension_until,
            handled_at=case.handled_at,
            callback_at=case.callback_at,
            satisfaction=case.satisfaction,
            closed_at=case.closed_at,
        )


@dataclass(frozen=True)
class CaseWindowView:
    """Everything the case window shows of one case, as the reading user may see it."""

    case: CaseFields
    reveal: bool  # the contact is shown unmasked
    contact_name: str
    contact_phone: str
    texts: dict[str, str]
    enterprise: EnterpriseInfo | None
    district: str
    department: str
    events: list[TimelineRow]
    repeat_of: CaseBrief | None
    repeats: list[CaseBrief]
    deadline: deadlines.CaseDeadline | None
    allowed: list[str]
    departments: list[tuple[str, str]] = field(default_factory=list)  # (name, id) for dispatch
    dispatch_preview: deadlines.Deadline | None = None
    dispatch_days: int = 0  # working days from today to the previewed deadline
    return_until: dt.date | None = None
    extension_limit: dt.date | None = None
    # When "correct" is allowed: the intake fields as the form takes them, and the districts.
    correction: dict[str, Any] | None = None
    districts: list[tuple[str, str]] = field(default_factory=list)  # (name, code)
    # The department stage: when the department accepted the case, and by whom.
    accepted_at: dt.datetime | None = None
    accepted_by: str = ""
    caller_granted: bool = False  # the centre let the department see the caller
    notices: list[supervision.Notice] = field(default_factory=list)  # every notice, oldest first
    # The telephone calls kept with the case: the one it was registered from, follow-ups.
    calls: list[case_calls.CaseCallView] = field(default_factory=list)
    # Co-handling (会办): the assisting departments' parts, their answers scrubbed as the
    # texts are; the reader's own department's part when it assists; the parts the centre
    # may enter an answer for (name, department id).
    parts: list[cohandling.Part] = field(default_factory=list)
    own_part: cohandling.Part | None = None
    open_part_departments: list[tuple[str, str]] = field(default_factory=list)
    assist_days: int = cohandling.DEFAULT_WORKDAYS

    @property
    def assisting(self) -> bool:
        """The reader's department assists on this case (会办单位), it does not lead it."""
        return self.own_part is not None

    # The knowledge articles the case was answered with, each at the version used then.
    knowledge: list[CaseUse] = field(default_factory=list)

    @property
    def open_notices(self) -> list[supervision.Notice]:
        return [n for n in self.notices if n.answered_at is None]

    @property
    def masked(self) -> bool:
        return bool(self.case.confidential) and not self.reveal


def _visible(query: Any, actor: Actor) -> Any:
    condition = access.case_condition(actor)
    return query if condition is None else query.where(condition)


def load_case_window(case_id: int, actor: Actor) -> CaseWindowView:
    case = cases.get(case_id)
    access.require_case(actor, case)  # a department: its own department's cases only
    may_see = actor.can(Action.CASE_VIEW_CONFIDENTIAL)
    reveal = access.may_see_caller(actor, case)

    contact = contacts.of(case)  # on a server, real only where the role may read it
    scrubber = None if reveal else Scrubber(contact.name, contact.phone)

    def clean(text: str | None) -> str:
        return (text or "") if scrubber is None else scrubber(text)

    def clean_data(data: dict[str, Any]) -> dict[str, Any]:
        if scrubber is None:
            return data
        cleaned: dict[str, Any] = scrubber.value(data)
        return cleaned

    policy = deadlines.load_policy()
    calendar = workdays.load_calendar()
    enterprise = None
    if case.enterprise_id is not None:
        enterprise = EnterpriseInfo.of(enterprises.get(case.enterprise_id))
    district = District.get_or_none(District.code == case.district_id) if case.district_id else None
    department = (
        Department.get_or_none(Department.id == case.department_id) if case.department_id else None
    )
    # The centre's internal notes are not for a department.
    stored = timeline.events(case.id, include_internal=not access.is_department(actor))
    steps = [timeline_words.step_of(event) for event in stored]
    if not reveal:  # a correction holds the caller's earlier name and phone too
        steps = timeline_words.masked_steps(steps, contact.name, contact.phone)
    worded = timeline_words.word_timeline(steps, timeline_words.department_names())
    events = [
        TimelineRow(
            at=step.at,
            actor_name=step.actor,
            action=step.action,
            internal=step.internal,
            text=clean(step.text),
            data=clean_data(dict(step.data)),
            label=words.label,
            facts=clean(words.facts),
            detail=clean(words.detail),
        )
        for step, words in zip(steps, worded, strict=True)
    ]
    repeat_of = None
    if case.repeat_of_id is not None:
        original = Case.get_or_none(Case.id == case.repeat_of_id)
        if original is not None and access.may_see(actor, original):
            repeat_of = CaseBrief.of(original, reveal=may_see)
    allowed = workflow.allowed_actions(case, actor)
    correction = None
    districts: list[tuple[str, str]] = []
    if corrections.may_correct(case, actor):
        allowed.append("correct")
        correction = corrections.form_values(case)
        districts = [
            (d.name, d.code)
            for d in admin.list_districts()
            if d.active or d.code == case.district_id  # an old case keeps its district
        ]
    departments: list[tuple[str, str]] = []
    dispatch_preview = None
    dispatch_days = 0
    if "dispatch" in allowed:
        departments = [(d.name, str(d.id)) for d in admin.list_departments(include_inactive=False)]
        dispatch_preview = workflow.preview_deadline(case)
        dispatch_days = deadlines.remaining_workdays(calendar, dispatch_preview.due)
    return_until = None
    if "return" in allowed and case.dispatched_at is not None:
        return_until = workflow.return_limit(case)
    extension_limit = None
    if "request_extension" in allowed:
        extension_limit = deadlines.extension_limit(policy, case.received_at.date())
    stage = workflow.stage_of(case.id)
    parts = [replace(p, answer=clean(p.answer)) for p in cohandling.case_parts(case.id)]
    own_part = None
    if access.is_department(actor) and not access.leads(actor, case):
        own_part = next((p for p in parts if p.department_id == actor.department_id), None)
    from hotline.knowledge.usage import case_uses

    return CaseWindowView(
        knowledge=case_uses(case.id),
        parts=parts,
        own_part=own_part,
        open_part_departments=[(p.department, str(p.department_id)) for p in parts if p.open],
        accepted_at=stage.accepted_at if stage is not None else None,
        accepted_by=(stage.accepted_by or "") if stage is not None else "",
        caller_granted=bool(stage is not None and stage.caller_granted),
        notices=[
            n if scrubber is None else replace(n, text=clean(n.text), answer=clean(n.answer))
            for n in supervision.case_notices(case.id)
        ],
        calls=case_calls.calls_of(case.id),
        case=CaseFields.of(case),
        reveal=reveal,
        contact_name=contact.name if reveal else contact.masked.name,
        contact_phone=contact.phone if reveal else contact.masked.phone,
        texts={name: clean(getattr(case, name)) for name in TEXT_FIELDS},
        enterprise=enterprise,
        district=district.name if district is not None else (case.district_id or ""),
        department=department.name if department is not None else "",
        events=events,
        repeat_of=repeat_of,
        repeats=briefs(_visible(case.repeats, actor).order_by(Case.id), reveal=may_see),
        deadline=deadlines.case_deadline(
            policy,
            calendar,
            status=case.status,
            deadline=case.deadline,
            answered_at=case.handled_at or case.closed_at,
        ),
        allowed=allowed,
        departments=departments,
        dispatch_preview=dispatch_preview,
        dispatch_days=dispatch_days,
        return_until=return_until,
        extension_limit=extension_limit,
        correction=correction,
        districts=districts,
    )
