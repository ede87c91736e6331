"""Who is calling: a ringing number's earlier callers, enterprises and cases (the screen pop),
and a follow-up (催办) on one of its open cases instead of a new case.

The number is matched as intake stores it (:func:`hotline.validation.normalize_phone`, which
:func:`hotline.calls.caller_phone` applies to what the telephone system sends), on the index
of migration 18. A role that may not see confidential callers is never told that a number
called about a confidential case (as search does not find them by the caller for it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, fn
from peewee import Case as SqlCase

from hotline import access, case_calls, workflow
from hotline.case_briefs import CaseBrief
from hotline.case_calls import CallRecord
from hotline.db import write_transaction
from hotline.enterprises import EnterpriseInfo
from hotline.enums import OPEN_STATUSES
from hotline.errors import ValidationError
from hotline.i18n import N_, _
from hotline.models import Case, CaseContact, Department, Enterprise
from hotline.permissions import Action, Actor
from hotline.storable import visible_text

HISTORY_LIMIT = 100  # the newest cases of one number that the pop lists
OPEN = frozenset(s.value for s in OPEN_STATUSES)
FOLLOW_UP_TEXT = N_("来电催办：{text}")
MSG_REQUIRED = N_("此项必填")


@dataclass(frozen=True)
class CallerCase:
    """One earlier case of the number: the case, who called, about which enterprise."""

    brief: CaseBrief
    contact_name: str
    enterprise_id: int | None
    is_open: bool


@dataclass(frozen=True)
class KnownCaller:
    """A person and enterprise the number called about, with how many cases (open ones)."""

    contact_name: str
    enterprise: EnterpriseInfo | None
    cases: int
    open_cases: int
    last_at: dt.datetime


@dataclass(frozen=True)
class CallerHistory:
    phone: str
    callers: list[KnownCaller]  # those with open cases first, then the latest caller first
    cases: list[CallerCase]  # open cases first, newest first within each
    more: bool  # the number has more cases than are listed

    @property
    def known(self) -> bool:
        return bool(self.cases)


def _visible(query: Any, actor: Actor, reveal: bool) -> Any:
    condition = access.case_condition(actor)
    if condition is not None:
        query = query.where(condition)
    if not reveal:
        query = query.where(Case.confidential == False)  # noqa: E712 - peewee's SQL
    return query


def history(actor: Actor, phone: str, *, limit: int = HISTORY_LIMIT) -> CallerHistory:
    """What the number ``phone`` (as stored) called about before, for ``actor``: every
    caller and enterprise (grouped over all its cases), and its newest ``limit`` cases."""
    if not phone:
        return CallerHistory(phone, [], [], False)
    reveal = actor.can(Action.CASE_VIEW_CONFIDENTIAL)
    query = (
        Case.select(Case, Enterprise, Department, CaseContact.contact_name)
        .join(CaseContact, on=(CaseContact.case == Case.id), attr="contact")
        .switch(Case)
        .join(Enterprise, JOIN.LEFT_OUTER, on=(Case.enterprise == Enterprise.id))
        .switch(Case)
        .join(Department, JOIN.LEFT_OUTER, on=(Case.department == Department.id))
        .where(CaseContact.contact_phone == phone)
        .order_by(Case.received_at.desc(), Case.id.desc())
        .limit(limit + 1)
    )
    rows = list(_visible(query, actor, reveal))
    more = len(rows) > limit
    rows = rows[:limit]
    found = [
        CallerCase(
            brief=CaseBrief.of(case, reveal=reveal),
            contact_name=case.contact.contact_name,
            enterprise_id=case.enterprise_id,
            is_open=case.status in OPEN,
        )
        for case in rows
    ]
    found.sort(key=lambda c: not c.is_open)  # stable: newest first within open and closed
    return CallerHistory(phone, _callers(actor, phone, reveal) if rows else [], found, more)


def _when(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _callers(actor: Actor, phone: str, reveal: bool) -> list[KnownCaller]:
    """Everyone and every enterprise the number called about, over all its cases."""
    is_open = SqlCase(None, [(Case.status.in_(sorted(OPEN)), 1)], 0)
    query = (
        Case.select(
            CaseContact.contact_name,
            Case.enterprise,
            fn.COUNT(Case.id).alias("cases"),
            fn.SUM(is_open).alias("open_cases"),
            fn.MAX(Case.received_at).alias("last_at"),
        )
        .join(CaseContact, on=(CaseContact.case == Case.id))
        .where(CaseContact.contact_phone == phone)
        .group_by(CaseContact.contact_name, Case.enterprise)
    )
    groups = list(_visible(query, actor, reveal).tuples())
    ids = {row[1] for row in groups if row[1] is not None}
    names = {e.id: EnterpriseInfo.of(e) for e in Enterprise.select().where(Enterprise.id.in_(ids))}
    merged: dict[tuple[str, int | None], KnownCaller] = {}
    for name, enterprise_id, count, opened, last in groups:
        key = (str(name).strip(), enterprise_id)
        earlier = merged.get(key)  # names differing only in spaces are one caller
        caller = KnownCaller(
            contact_name=key[0],
            enterprise=names.get(enterprise_id) if enterprise_id is not None else None,
            cases=int(count) + (earlier.cases if earlier else 0),
            open_cases=int(opened or 0) + (earlier.open_cases if earlier else 0),
            last_at=max(_when(last), earlier.last_at) if earlier else _when(last),
        )
        merged[key] = caller
    callers = list(merged.values())
    callers.sort(key=lambda c: (c.open_cases == 0, -c.last_at.timestamp()))
    return callers


def follow_up(
    actor: Actor,
    case_id: int,
    text: str,
    call: CallRecord | None,
    *,
    expected_version: int | None = None,
) -> Case:
    """The caller chases an open case (催办): a note on its timeline that the department sees,
    with the call kept beside it (its id and times). Needs the right to add notes."""
    actor.require(Action.CASE_ADD_NOTE)
    body = visible_text(text)
    if not body:
        raise ValidationError.single("note", MSG_REQUIRED)
    with write_transaction():
        case = workflow.add_note(
            actor,
            case_id,
            _(FOLLOW_UP_TEXT).format(text=body),
            internal=False,
            expected_version=expected_version,
        )
        if call is not None:
            case_calls.record(case.id, case_calls.FOLLOW_UP, call)
    return case
