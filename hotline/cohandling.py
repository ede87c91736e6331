"""Co-handling (会办): a case dispatched to a lead department with assisting departments.

:func:`hotline.workflow.dispatch` names the assisting departments; each gets a part
(:class:`~hotline.models.CaseAssist`) due by its own deadline in working days, never later
than the lead's. An assisting department sees the case on its desk and answers its part to
the lead (:func:`hotline.workflow.answer_assist`: a text, documents in the attachments tab);
the lead sees the parts in the case window; the lead's reply ends the department stage (the
parts still open end unanswered). A return, a new dispatch or a second round cancels the
running parts. "On time" means answered on or before the part's deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hotline import clock
from hotline.i18n import N_
from hotline.models import Case, CaseAssist, Department, tuples

if TYPE_CHECKING:
    from peewee import Expression

MAX_ASSISTING = 6  # assisting departments of one dispatch
DEFAULT_WORKDAYS = 3  # the working days an assisting department has for its part
MAX_WORKDAYS = 15

PART_OPEN = "open"
PART_ANSWERED = "answered"
PART_UNANSWERED = "unanswered"  # the lead replied before this part came
PART_CANCELLED = "cancelled"

STATE_LABELS = {
    PART_OPEN: N_("待答复"),
    PART_ANSWERED: N_("已答复"),
    PART_UNANSWERED: N_("未答复（主办单位已答复）"),
    PART_CANCELLED: N_("已取消"),
}


@dataclass(frozen=True)
class Part:
    """One assisting department's part as the case window, the PDF and the export show it."""

    id: int
    case_id: int
    department_id: int
    department: str
    round: int
    assigned_at: dt.datetime
    deadline: dt.date
    answered_at: dt.datetime | None
    answered_by: str
    answer: str
    ended_at: dt.datetime | None
    cancelled: bool

    @property
    def state(self) -> str:
        if self.cancelled:
            return PART_CANCELLED
        if self.answered_at is not None:
            return PART_ANSWERED
        if self.ended_at is not None:
            return PART_UNANSWERED
        return PART_OPEN

    @property
    def open(self) -> bool:
        return self.state == PART_OPEN

    @property
    def on_time(self) -> bool | None:
        """Answered by its deadline (None: not answered)."""
        if self.answered_at is None:
            return None
        return self.answered_at.date() <= self.deadline

    def overdue(self, today: dt.date | None = None) -> bool:
        """Still open past its deadline, or answered after it."""
        if self.cancelled:
            return False
        if self.answered_at is not None:
            return self.answered_at.date() > self.deadline
        if self.ended_at is not None:
            return self.ended_at.date() > self.deadline
        return (today or clock.today()) > self.deadline


def _part(row: tuple[Any, ...]) -> Part:
    return Part(
        id=int(row[0]),
        case_id=int(row[1]),
        department_id=int(row[2]),
        department=str(row[3] or ""),
        round=int(row[4] or 1),
        assigned_at=_as_datetime(row[5]),
        deadline=as_date(row[6]),
        answered_at=None if row[7] is None else _as_datetime(row[7]),
        answered_by=str(row[8] or ""),
        answer=str(row[9] or ""),
        ended_at=None if row[10] is None else _as_datetime(row[10]),
        cancelled=bool(row[11]),
    )


def _select() -> Any:
    return CaseAssist.select(
        CaseAssist.id,
        CaseAssist.case,
        CaseAssist.department,
        Department.name,
        CaseAssist.round,
        CaseAssist.assigned_at,
        CaseAssist.deadline,
        CaseAssist.answered_at,
        CaseAssist.answered_by_name,
        CaseAssist.answer,
        CaseAssist.ended_at,
        CaseAssist.cancelled,
    ).join(Department, on=(CaseAssist.department == Department.id))


def case_parts(case_id: int, *, with_cancelled: bool = False) -> list[Part]:
    """The parts of a case, in the order they were assigned (cancelled ones only if asked)."""
    query = _select().where(CaseAssist.case == case_id)
    if not with_cancelled:
        query = query.where(~CaseAssist.cancelled)
    return [_part(row) for row in tuples(query.order_by(CaseAssist.id))]


def parts_of_cases(case_ids: list[int]) -> list[Part]:
    """The parts (not cancelled) of several cases in one query, by case then assignment."""
    query = _select().where(CaseAssist.case.in_(case_ids) & ~CaseAssist.cancelled)
    return [_part(row) for row in tuples(query.order_by(CaseAssist.case, CaseAssist.id))]


def open_part(case_id: int, department_id: int) -> CaseAssist | None:
    """The running part of ``department_id`` on the case (None: it has none)."""
    part: CaseAssist | None = (
        CaseAssist.select()
        .where(
            (CaseAssist.case == case_id)
            & (CaseAssist.department == department_id)
            & CaseAssist.answered_at.is_null()
            & CaseAssist.ended_at.is_null()
        )
        .first()
    )
    return part


def open_parts(case_id: int) -> list[CaseAssist]:
    return list(
        CaseAssist.select()
        .where(
            (CaseAssist.case == case_id)
            & CaseAssist.answered_at.is_null()
            & CaseAssist.ended_at.is_null()
        )
        .order_by(CaseAssist.id)
    )


def assisting(case_id: int, department_id: int | None) -> bool:
    """Whether ``department_id`` assists on the case (its part not cancelled)."""
    if department_id is None:
        return False
    return bool(
        CaseAssist.select()
        .where(
            (CaseAssist.case == case_id)
            & (CaseAssist.department == department_id)
            & ~CaseAssist.cancelled
        )
        .exists()
    )


def assisted_cases(department_id: int) -> Any:
    """The ids of the cases ``department_id`` assists on (a subquery)."""
    return CaseAssist.select(CaseAssist.case).where(
        (CaseAssist.department == department_id) & ~CaseAssist.cancelled
    )


def open_parts_of(department_id: int) -> Any:
    """The ids of the cases where ``department_id``'s part is still to answer (a subquery)."""
    return CaseAssist.select(CaseAssist.case).where(
        (CaseAssist.department == department_id)
        & CaseAssist.answered_at.is_null()
        & CaseAssist.ended_at.is_null()
    )


def parts_due_before(department_id: int | None, before: dt.date) -> Any:
    """The ids of cases with an open part (of ``department_id``; None: any) due before
    ``before`` (a subquery): overdue for ``before`` = today, due soon for a later day."""
    condition: Expression = (
        CaseAssist.answered_at.is_null()
        & CaseAssist.ended_at.is_null()
        & (CaseAssist.deadline < before)
    )
    if department_id is not None:
        condition = condition & (CaseAssist.department == department_id)
    return CaseAssist.select(CaseAssist.case).where(condition)


def answered_parts_waiting(department_id: int) -> Any:
    """The ids of the dispatched cases led by ``department_id`` with a part answered and the
    lead's reply still to come (a subquery)."""
    from hotline.enums import Status

    return (
        CaseAssist.select(CaseAssist.case)
        .join(Case, on=(CaseAssist.case == Case.id))
        .where(
            (Case.department == department_id)
            & (Case.status == Status.DISPATCHED.value)
            & CaseAssist.answered_at.is_null(False)
            & CaseAssist.ended_at.is_null()
        )
    )


def end_parts(case_id: int, at: dt.datetime, *, cancel: bool) -> int:
    """End the running parts of a case (the lead replied, or ``cancel``: returned,
    dispatched anew, reopened, withdrawn); answered parts of a reply keep their answer."""
    running = (CaseAssist.case == case_id) & CaseAssist.ended_at.is_null()
    if cancel:
        return int(CaseAssist.update(ended_at=at, cancelled=True).where(running).execute())
    return int(CaseAssist.update(ended_at=at).where(running).execute())


@dataclass(frozen=True)
class PartFigures:
    assigned: int  # parts assigned in the period
    answered: int  # of those, answered
    answered_on_time: int  # of those, answered by their deadline
    workdays_total: int  # working days from assignment to answer, summed over the answered


def figures_by_department(begin: dt.datetime, stop: dt.datetime) -> dict[int, PartFigures]:
    """Per assisting department, the parts assigned in [begin, stop) and how they were
    answered (whenever the answer came, as known when the report is made)."""
    from hotline.workdays import load_calendar

    calendar = load_calendar()
    found: dict[int, list[int]] = {}
    rows = tuples(
        CaseAssist.select(
            CaseAssist.department,
            CaseAssist.assigned_at,
            CaseAssist.deadline,
            CaseAssist.answered_at,
        ).where(
            (CaseAssist.assigned_at >= begin)
            & (CaseAssist.assigned_at < stop)
            & ~CaseAssist.cancelled
        )
    )
    for department_id, assigned_at, deadline, answered_at in rows:
        counts = found.setdefault(int(department_id), [0, 0, 0, 0])
        counts[0] += 1
        if answered_at is not None:
            answered = _as_datetime(answered_at).date()
            counts[1] += 1
            if answered <= as_date(deadline):
                counts[2] += 1
            counts[3] += calendar.workdays_between(_as_datetime(assigned_at).date(), answered)
    return {key: PartFigures(*values) for key, values in found.items()}


def as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))
