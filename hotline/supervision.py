"""Supervision notices (督办): what is open, which cases may get one, and the figures.

A shift lead or manager issues a notice (:func:`hotline.workflow.supervise`) on a case that
is dispatched and overdue or escalated (urgent, a repeated call, a second round); it stays
open until the department answers it, by its reply or by an answer to the notice
(:func:`hotline.workflow.answer_supervision`). "Answered on time" means answered on or before
the notice's answer-by day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotline import access, clock
from hotline.enums import Status, SupervisionLevel, Urgency
from hotline.models import Case, Department, SupervisionNotice, tuples

if TYPE_CHECKING:
    from hotline.permissions import Actor

MAX_WORKDAYS = 15  # the longest answer time a notice may give


@dataclass(frozen=True)
class Notice:
    """One supervision notice as the desk's banner and the case window show it."""

    id: int
    case_id: int
    case_no: str
    level: str
    text: str
    answer_by: dt.date
    issued_at: dt.datetime
    issued_by: str
    answered_at: dt.datetime | None = None
    answer: str = ""
    department: str = ""

    @property
    def level_label(self) -> str:
        return SupervisionLevel(self.level).label

    @property
    def late(self) -> bool:
        """Unanswered past its answer-by day (or answered after it)."""
        answered = self.answered_at.date() if self.answered_at is not None else clock.today()
        return answered > self.answer_by


def eligible(case: Case) -> bool:
    """Whether ``case`` may get a supervision notice: dispatched and overdue or escalated."""
    if case.status != Status.DISPATCHED.value:
        return False
    overdue = case.deadline is not None and case.deadline < clock.today()
    escalated = (
        case.urgency == Urgency.URGENT.value
        or (case.round or 1) > 1
        or case.repeat_of_id is not None
        or Case.select().where(Case.repeat_of == case.id).exists()
    )
    return bool(overdue or escalated)


def open_notices(case_id: int) -> list[SupervisionNotice]:
    return list(
        SupervisionNotice.select()
        .where((SupervisionNotice.case == case_id) & SupervisionNotice.answered_at.is_null())
        .order_by(SupervisionNotice.id)
    )


def answer_open(case_id: int, actor: Actor, at: dt.datetime, text: str) -> int:
    """Mark the case's open notices answered (inside the caller's transaction)."""
    return int(
        SupervisionNotice.update(
            answered_at=at, answered_by_name=actor.name[:40], answer=text[:5000]
        )
        .where((SupervisionNotice.case == case_id) & SupervisionNotice.answered_at.is_null())
        .execute()
    )


def _notices(query: object) -> list[Notice]:
    return [
        Notice(
            id=row[0],
            case_id=row[1],
            case_no=row[2],
            level=row[3],
            text=row[4],
            answer_by=_as_date(row[5]),
            issued_at=_as_datetime(row[6]),
            issued_by=row[7],
            answered_at=None if row[8] is None else _as_datetime(row[8]),
            answer=row[9] or "",
            department=row[10] or "",
        )
        for row in tuples(query)  # type: ignore[arg-type]
    ]


def _select() -> object:
    from peewee import JOIN

    return (
        SupervisionNotice.select(
            SupervisionNotice.id,
            SupervisionNotice.case,
            Case.case_no,
            SupervisionNotice.level,
            SupervisionNotice.text,
            SupervisionNotice.answer_by,
            SupervisionNotice.issued_at,
            SupervisionNotice.issued_by_name,
            SupervisionNotice.answered_at,
            SupervisionNotice.answer,
            Department.name,
        )
        .join(Case, on=(SupervisionNotice.case == Case.id))
        .join(Department, JOIN.LEFT_OUTER, on=(Case.department == Department.id))
    )


def case_notices(case_id: int) -> list[Notice]:
    """Every notice on a case, oldest first."""
    query = _select().where(SupervisionNotice.case == case_id)  # type: ignore[attr-defined]
    return _notices(query.order_by(SupervisionNotice.id))


def desk_notices(limit: int = 50) -> list[Notice]:
    """The unanswered notices the signed-in person may see (a department: its own), the
    earliest answer-by day first: the banner at the top of the desk."""
    query = _select().where(SupervisionNotice.answered_at.is_null())  # type: ignore[attr-defined]
    scope = access.list_condition()
    if scope is not None:
        query = query.where(scope)
    return _notices(query.order_by(SupervisionNotice.answer_by, SupervisionNotice.id).limit(limit))


@dataclass(frozen=True)
class SupervisionFigures:
    issued: int  # notices issued in the period
    answered_on_time: int  # of those, answered on or before their answer-by day
    open: int  # of those, not answered yet
    # The cases the notices are on (once each, in the order issued), and those of the
    # notices answered on time: what a figure's list of cases shows.
    issued_cases: tuple[int, ...] = ()
    on_time_cases: tuple[int, ...] = ()


def figures(start: dt.date, end: dt.date) -> SupervisionFigures:
    """Notices issued in [start, end] (days), and how they were answered."""
    begin = dt.datetime.combine(start, dt.time())
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    return figures_between(begin, stop)


def figures_between(begin: dt.datetime, stop: dt.datetime) -> SupervisionFigures:
    """Notices issued in [begin, stop), and how they were answered (by their answer-by day,
    whenever the answer came: one answered after the period still counts, as it is known
    when the report is made)."""
    issued = 0
    on_time = 0
    still_open = 0
    issued_cases: dict[int, None] = {}
    on_time_cases: dict[int, None] = {}
    rows = tuples(
        SupervisionNotice.select(
            SupervisionNotice.case, SupervisionNotice.answer_by, SupervisionNotice.answered_at
        )
        .where((SupervisionNotice.issued_at >= begin) & (SupervisionNotice.issued_at < stop))
        .order_by(SupervisionNotice.id)
    )
    for case_id, answer_by, answered_at in rows:
        issued += 1
        issued_cases[int(case_id)] = None
        if answered_at is None:
            still_open += 1
        elif _as_datetime(answered_at).date() <= _as_date(answer_by):
            on_time += 1
            on_time_cases[int(case_id)] = None
    return SupervisionFigures(
        issued=issued,
        answered_on_time=on_time,
        open=still_open,
        issued_cases=tuple(issued_cases),
        on_time_cases=tuple(on_time_cases),
    )


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))
