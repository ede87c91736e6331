"""Short rows of cases for the small lists (an enterprise's history, linked cases, a shift's
urgent cases), made from joined query results so that showing them never queries again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from hotline import contacts, deadlines
from hotline.masking import scrub
from hotline.models import Case


@dataclass(frozen=True)
class CaseBrief:
    """One line of a short case list: enough to show the case and open it."""

    id: int
    case_no: str
    received_at: dt.datetime
    kind: str
    category: str
    status: str
    subject: str
    enterprise: str
    department: str
    deadline: dt.date | None

    @classmethod
    def of(
        cls, case: Case, *, reveal: bool = False, contact: contacts.Contact | None = None
    ) -> CaseBrief:
        """From a case; its enterprise and department names only where the query joined them
        (never a query per row). A confidential caller's name and phone are masked in the
        subject unless ``reveal`` (the role may see confidential callers)."""
        enterprise = case.__rel__.get("enterprise")
        department = case.__rel__.get("department")
        subject = case.subject
        if case.confidential and not reveal:
            found = contact or contacts.of(case)
            subject = scrub(subject, name=found.name, phone=found.phone)
        return cls(
            id=case.id,
            case_no=case.case_no,
            received_at=case.received_at,
            kind=case.kind,
            category=case.category,
            status=case.status,
            subject=subject,
            enterprise=enterprise.name if enterprise is not None else "",
            department=department.name if department is not None else "",
            deadline=case.deadline,
        )

    def overdue(self, today: dt.date) -> bool:
        waiting = deadlines.waiting_for_answer(self.status)
        state = deadlines.deadline_state(self.deadline, today, waiting=waiting)
        return state is deadlines.DeadlineState.OVERDUE


def briefs(cases: Iterable[Case], *, reveal: bool = False) -> list[CaseBrief]:
    rows = list(cases)
    hidden = {} if reveal else contacts.of_cases(c for c in rows if c.confidential)
    return [CaseBrief.of(case, reveal=reveal, contact=hidden.get(case.id)) for case in rows]
