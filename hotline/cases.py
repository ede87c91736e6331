"""Registering cases and reading them back: numbering, repeats, enterprise, index, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from peewee import JOIN

from hotline import audit, case_calls, clock, contacts, enterprises, numbering, timeline
from hotline.case_briefs import CaseBrief
from hotline.case_calls import CallRecord
from hotline.db import write_transaction
from hotline.enums import OPEN_STATUSES, Status
from hotline.errors import NotFound
from hotline.i18n import N_
from hotline.intake import CaseDraft, parse_intake
from hotline.models import Case, District, Enterprise
from hotline.permissions import Action, Actor
from hotline.search import index

if TYPE_CHECKING:
    from hotline.attachments.service import NewFile

REPEAT_WINDOW = dt.timedelta(days=30)


@dataclass(frozen=True)
class RegisteredCase:
    """A case just registered, as the intake window confirms it."""

    id: int
    case_no: str
    repeat: bool  # linked to the earlier case it repeats

    @classmethod
    def of(cls, case: Case) -> RegisteredCase:
        return cls(id=case.id, case_no=case.case_no, repeat=case.repeat_of_id is not None)


def find_repeat(
    enterprise_id: int | None,
    category: str,
    *,
    exclude: int | None = None,
    at: dt.datetime | None = None,
    before: int | None = None,
) -> Case | None:
    """An open case, or one received in the last 30 days, of the same enterprise and category
    (registered before case ``before`` when given: a corrected case repeats only earlier ones)."""
    if enterprise_id is None:
        return None
    since = (at or clock.now()) - REPEAT_WINDOW
    query = Case.select().where(
        (Case.enterprise == enterprise_id)
        & (Case.category == category)
        & (Case.status.in_([s.value for s in OPEN_STATUSES]) | (Case.received_at >= since))
    )
    if exclude is not None:
        query = query.where(Case.id != exclude)
    if before is not None:
        query = query.where(Case.id < before)
    found: Case | None = query.order_by(Case.id.desc()).first()
    return found


def repeat_brief_for_draft(name: str, uscc: str, category: str) -> CaseBrief | None:
    """The case the one being typed at intake would repeat (same enterprise and category), as
    the intake form shows it; ``uscc`` as typed (a typo counts as none)."""
    if not category or not (name.strip() or uscc.strip()):
        return None
    found = find_repeat_for_draft(name.strip(), enterprises.clean_uscc(uscc), category)
    return CaseBrief.of(found) if found is not None else None


def find_repeat_for_draft(name: str, uscc: str | None, category: str) -> Case | None:
    """What the intake form shows before saving: a likely repeat of the case being typed."""
    enterprise = enterprises.find(name, uscc)
    return find_repeat(enterprise.id if enterprise else None, category)


def register(
    actor: Actor,
    data: dict[str, Any] | CaseDraft,
    files: Sequence[NewFile] = (),
    *,
    call: CallRecord | None = None,
) -> Case:
    """Validate and register one case; returns it with its new number. ``files`` are attached
    in the same transaction: a refused file leaves no case (its message names it). ``call``:
    the telephone call it was registered from (its id and when it came in), kept with it."""
    actor.require(Action.CASE_REGISTER)
    draft = data if isinstance(data, CaseDraft) else parse_intake(data)
    with write_transaction():
        case = _insert(actor, draft)
        if call is not None:
            case_calls.record(case.id, case_calls.INTAKE, call, saved_at=case.registered_at)
        if files:
            from hotline.attachments import service

            service.add_in_transaction(actor, case.id, files)
        return case


def register_many(actor: Actor, items: Sequence[dict[str, Any]]) -> list[Case]:
    """All or nothing: every item is validated before any is written."""
    from hotline.errors import Problem, ValidationError

    actor.require(Action.CASE_REGISTER)
    drafts: list[CaseDraft] = []
    problems: list[Problem] = []
    for position, item in enumerate(items, start=1):
        try:
            drafts.append(parse_intake(item))
        except ValidationError as exc:
            problems.extend(
                Problem(f"[{position}].{p.field}", p.message, p.params) for p in exc.problems
            )
    if problems:
        raise ValidationError(problems)
    with write_transaction():
        registered = []
        for position, draft in enumerate(drafts, start=1):
            try:
                registered.append(_insert(actor, draft))
            except enterprises.EnterpriseNameMismatch as exc:
                raise ValidationError.single(
                    f"[{position}].enterprise.name",
                    N_(
                        '统一社会信用代码 {uscc} 已登记为“{registered}”，与填写的“{typed}”不同：请在 enterprise 中加上 "name_choice": "keep"（沿用登记名称）或 "rename"（更正企业名称，原名称记为曾用名）'
                    ),
                    uscc=exc.uscc,
                    registered=exc.registered,
                    typed=exc.typed,
                ) from exc
        return registered


def _insert(actor: Actor, draft: CaseDraft, *, case_no: str | None = None) -> Case:
    now = clock.now()
    enterprise = enterprises.find_or_create(
        actor,
        draft.enterprise_name,
        draft.enterprise_uscc,
        draft.district_code,
        draft.enterprise_name_choice,
    )
    repeat = find_repeat(enterprise.id, draft.category.value, at=draft.received_at)
    if case_no is None:
        case_no = numbering.next_case_no(draft.received_at.date())
    case = Case.create(
        case_no=case_no,
        channel=draft.channel.value,
        kind=draft.kind.value,
        category=draft.category.value,
        urgency=draft.urgency.value,
        district=draft.district_code,
        enterprise=enterprise.id,
        **contacts.masked_columns(draft.contact_name, draft.contact_phone),
        subject=draft.subject,
        description=draft.description,
        request=draft.request,
        confidential=draft.confidential,
        status=Status.REGISTERED.value,
        received_at=draft.received_at,
        registered_at=now,
        registered_by=actor.user_id,
        registered_by_name=actor.name,
        repeat_of=repeat.id if repeat else None,
        version=1,
        updated_at=now,
    )
    contacts.save(
        case.id,
        confidential=draft.confidential,
        name=draft.contact_name,
        phone=draft.contact_phone,
    )
    district = (
        District.get_or_none(District.code == draft.district_code) if draft.district_code else None
    )
    facts = {
        "channel": draft.channel.value,
        "kind": draft.kind.value,
        "category": draft.category.value,
        "urgency": draft.urgency.value,
        "district": draft.district_code,
        "district_name": district.name if district is not None else None,
    }
    timeline.add(case.id, actor, "register", data=facts)
    if repeat is not None:
        timeline.add(case.id, actor, "repeat", data={"repeat_of": repeat.case_no}, internal=True)
    audit.record(
        actor,
        "case.register",
        "case",
        case.case_no,
        {
            "kind": draft.kind.value,
            "category": draft.category.value,
            "enterprise_id": enterprise.id,
            "repeat_of": repeat.case_no if repeat else None,
        },
    )
    index.index_new_case(case.id)
    return case


def get(case_id: int) -> Case:
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise NotFound(N_("案件不存在"))
    return case


def enterprise_of(case_id: int) -> int | None:
    """The id of the case's enterprise; None when it has none (or the case does not exist)."""
    enterprise_id: int | None = Case.select(Case.enterprise).where(Case.id == case_id).scalar()
    return enterprise_id


def get_by_number(case_no: str) -> Case:
    case = Case.get_or_none(Case.case_no == case_no.strip().upper())
    if case is None:
        raise NotFound(N_("案件 {case_no} 不存在"), case_no=case_no)
    return case


def load_many(case_ids: Sequence[int]) -> list[Case]:
    """Cases in the order of ``case_ids``, with their enterprise, in one query."""
    if not case_ids:
        return []
    rows = {
        c.id: c
        for c in Case.select(Case, Enterprise)
        .join(Enterprise, on=(Case.enterprise == Enterprise.id), join_type=JOIN.LEFT_OUTER)
        .where(Case.id.in_(list(case_ids)))
    }
    return [rows[i] for i in case_ids if i in rows]
