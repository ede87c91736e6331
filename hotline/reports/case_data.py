"""Reading one case, or many, into :class:`CaseSummary` for the PDF: three queries in all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from peewee import JOIN

from hotline import cohandling, contacts, supervision, timeline_words
from hotline.attachments.schema import Attachment
from hotline.enums import Category, Channel, Kind, LabelledEnum, Satisfaction, Status, Urgency
from hotline.errors import NotFound
from hotline.exemption import assessments
from hotline.i18n import N_, _
from hotline.models import Case, CaseEvent, Department, District, Enterprise, tuples
from hotline.permissions import shown_name
from hotline.reports.data import (
    CaseSummary,
    CoHandlingLine,
    ContactInfo,
    ReportAttachment,
    ReportEnterprise,
    SupervisionLine,
    TimelineEntry,
)


def enum_label(enum: type[LabelledEnum], code: str) -> str:
    """The translated label of ``code`` in ``enum``; an unknown code as it is."""
    member = enum.parse(code)
    return member.label if member is not None else code


def load_case_summary(case_no: str) -> CaseSummary:
    """The summary of case ``case_no``; raises :class:`NotFound`."""
    case = Case.get_or_none(Case.case_no == case_no.strip())
    if case is None:
        raise NotFound(N_("没有编号为 {case_no} 的案件"), case_no=case_no)
    return load_case_summaries([case.id])[0]


def load_case_summaries(case_ids: list[int]) -> list[CaseSummary]:
    """Summaries of the cases ``case_ids``, in that order: three queries whatever their number."""
    if not case_ids:
        return []
    steps: dict[int, list[timeline_words.Step]] = defaultdict(list)
    documents: dict[int, list[ReportAttachment]] = defaultdict(list)
    parts: dict[int, list[CoHandlingLine]] = defaultdict(list)
    cases: dict[int, Case] = {}
    for chunk in _chunks(case_ids, 500):
        query = (
            Case.select(Case, Enterprise, Department, District)
            .join(Enterprise, JOIN.LEFT_OUTER, on=(Case.enterprise == Enterprise.id))
            .switch(Case)
            .join(Department, JOIN.LEFT_OUTER, on=(Case.department == Department.id))
            .switch(Case)
            .join(District, JOIN.LEFT_OUTER, on=(Case.district == District.code))
        )
        cases.update({case.id: case for case in query.where(Case.id.in_(chunk))})
        for event in (
            CaseEvent.select()
            .where(CaseEvent.case.in_(chunk))
            .order_by(CaseEvent.case, CaseEvent.at, CaseEvent.id)
        ):
            steps[event.case_id].append(timeline_words.step_of(event))
        for row in Attachment.select().where(Attachment.case.in_(chunk)).order_by(Attachment.id):
            documents[row.case_id].append(_document(row))
        for part in cohandling.parts_of_cases(chunk):
            parts[part.case_id].append(_part_line(part))
    departments = timeline_words.department_names()
    callers = contacts.of_cases(cases.values())
    for case_id, found in steps.items():  # the printout always masks a confidential caller
        case = cases.get(case_id)
        if case is not None and case.confidential:
            caller = callers[case_id]
            steps[case_id] = timeline_words.masked_steps(found, caller.name, caller.phone)
    events = {case_id: _entries(found, departments) for case_id, found in steps.items()}
    repeat_ids = {c.repeat_of_id for c in cases.values() if c.repeat_of_id}
    repeat_numbers: dict[int, str] = (
        dict(tuples(Case.select(Case.id, Case.case_no).where(Case.id.in_(list(repeat_ids)))))
        if repeat_ids
        else {}
    )
    enterprise_districts = _enterprise_districts(cases.values())
    return [
        replace(
            _summary(cases[i], callers[i], events.get(i, []), repeat_numbers, enterprise_districts),
            attachments=documents.get(i, []),
            cohandling=parts.get(i, []),
        )
        for i in case_ids
        if i in cases
    ]


def _part_line(part: cohandling.Part) -> CoHandlingLine:
    return CoHandlingLine(
        department=part.department,
        deadline=part.deadline,
        state=_(cohandling.STATE_LABELS[part.state]),
        answered_at=part.answered_at,
        answered_by=shown_name(part.answered_by),
        on_time=part.on_time,
        answer=part.answer,
    )


def _document(row: Attachment) -> ReportAttachment:
    return ReportAttachment(
        name=row.name,
        size=int(row.size),
        added_by=shown_name(row.added_by_name),
        added_at=row.added_at,
        sha256=row.sha256,
        removed_by=shown_name(row.removed_by_name or ""),
        removed_at=row.removed_at,
        removed_reason=row.removed_reason or "",
    )


def _entries(steps: list[timeline_words.Step], departments: dict[int, str]) -> list[TimelineEntry]:
    """A case's timeline as printed, worded as the case window words it."""
    worded = timeline_words.word_timeline(steps, departments)
    return [
        TimelineEntry(
            at=step.at,
            actor=step.actor,
            action=words.label,
            text=words.detail,
            internal=step.internal,
            facts=words.facts,
        )
        for step, words in zip(steps, worded, strict=True)
    ]


def _chunks(values: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _enterprise_districts(cases: Iterable[Case]) -> dict[str, str]:
    codes = {
        c.enterprise.district_id
        for c in cases
        if c.enterprise is not None and c.enterprise.district_id
    }
    if not codes:
        return {}
    return dict(
        tuples(District.select(District.code, District.name).where(District.code.in_(list(codes))))
    )


def _summary(
    case: Case,
    caller: contacts.Contact,
    entries: list[TimelineEntry],
    repeat_numbers: dict[int, str],
    enterprise_districts: dict[str, str],
) -> CaseSummary:
    enterprise = None
    e = case.enterprise if case.enterprise_id else None
    if e is not None:
        enterprise = ReportEnterprise(
            name=e.name,
            uscc=e.uscc or "",
            district=enterprise_districts.get(e.district_id or "", ""),
            industry=e.industry or "",
            steward_name=e.steward_name or "",
            steward_phone=e.steward_phone or "",
        )
    satisfaction = Satisfaction.parse(case.satisfaction) if case.satisfaction else None
    return CaseSummary(
        case_no=case.case_no,
        subject=case.subject,
        description=case.description or "",
        request=case.request or "",
        status=enum_label(Status, case.status),
        channel=enum_label(Channel, case.channel),
        kind=enum_label(Kind, case.kind),
        category=enum_label(Category, case.category),
        urgency=enum_label(Urgency, case.urgency),
        district=case.district.name if case.district is not None else "",
        received_at=case.received_at,
        registered_by=case.registered_by_name,
        enterprise=enterprise,
        contact=ContactInfo(caller.name, caller.phone, bool(case.confidential)),
        department=case.department.name if case.department is not None else "",
        dispatched_at=case.dispatched_at,
        deadline=case.deadline,
        ceiling=case.ceiling,
        extended=bool(case.extended),
        handled_at=case.handled_at,
        reply=case.reply or "",
        callback_at=case.callback_at,
        satisfaction=satisfaction.label if satisfaction else (case.satisfaction or ""),
        callback_comment=case.callback_comment or "",
        closed_at=case.closed_at,
        round=case.round,
        repeat_of=repeat_numbers.get(case.repeat_of_id or 0, ""),
        timeline=entries,
        exemption=assessments.report_summary(case.id),
        supervision=[
            SupervisionLine(
                level=n.level_label,
                issued_at=n.issued_at,
                issued_by=n.issued_by,
                answer_by=n.answer_by,
                text=n.text,
                answered_at=n.answered_at,
                answer=n.answer,
            )
            for n in supervision.case_notices(case.id)
        ],
    )
