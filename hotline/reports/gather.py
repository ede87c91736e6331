"""Reading the database into the plain data the PDFs draw (see :mod:`.definitions`).

The weekly figures come from one query over the cases that touch the week or the week
before (received, closed, answered or called back in them, or overdue at their end); the
counting is done here in Python, rule by rule as the definitions say.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import JOIN, Expression, Field

from hotline import audit, clock
from hotline.deadlines import DeadlineState, deadline_state
from hotline.enums import Category, Kind, Satisfaction, Status
from hotline.exemption import assessments
from hotline.i18n import N_, _
from hotline.models import Case, Department, District, Enterprise, tuples
from hotline.reports.case_data import enum_label, load_case_summaries
from hotline.reports.data import DepartmentRow, Kpis, WeeklyCaseRow, WeeklyReport
from hotline.reports.weeks import IsoWeek, last_complete_week

log = logging.getLogger(__name__)

NOT_DISPATCHED = N_("未派单")
NOT_GIVEN = N_("未填写")
SATISFIED = (Satisfaction.SATISFIED.value, Satisfaction.BASICALLY_SATISFIED.value)


@dataclass(frozen=True)
class _Row:
    """The columns of one case the weekly figures need."""

    id: int
    case_no: str
    kind: str
    category: str
    status: str
    district: str | None
    department_id: int | None
    enterprise: str
    received_at: dt.datetime
    dispatched_at: dt.datetime | None
    deadline: dt.date | None
    handled_at: dt.datetime | None
    callback_at: dt.datetime | None
    satisfaction: str | None
    closed_at: dt.datetime | None
    repeat_of: int | None

    def closed_in(self, week: IsoWeek) -> bool:
        return self.status == Status.CLOSED.value and week.contains(self.closed_at)

    def on_time(self) -> bool:
        """For a case closed in the week: answered on or before its deadline day. (Today does
        not matter once a case is answered.)"""
        answered = self.handled_at or self.closed_at
        state = deadline_state(self.deadline, clock.today(), waiting=False, answered_at=answered)
        return state is DeadlineState.MET

    def replied_in(self, week: IsoWeek) -> bool:
        return self.dispatched_at is not None and week.contains(self.handled_at)

    def overdue_at_end_of(self, week: IsoWeek) -> bool:
        """Still waiting for the answer at the week's end (not withdrawn since), and overdue
        then: its deadline day passed by the Monday after."""
        waiting = (
            self.received_at < week.end
            and (self.handled_at is None or self.handled_at >= week.end)
            and (self.closed_at is None or self.closed_at >= week.end)
            and self.status != Status.WITHDRAWN.value
        )
        state = deadline_state(self.deadline, week.end.date(), waiting=waiting)
        return state is DeadlineState.OVERDUE


def _fetch_rows(weeks: list[IsoWeek]) -> list[_Row]:
    start = min(w.start for w in weeks)
    end = max(w.end for w in weeks)
    last_sunday = max(w.sunday for w in weeks)
    first_end = min(w.end for w in weeks)

    def within(column: Field) -> Expression:
        return (column >= start) & (column < end)

    overdue = (
        Case.deadline.is_null(False)
        & (Case.deadline <= last_sunday)
        & (Case.received_at < end)
        & (Case.handled_at.is_null() | (Case.handled_at >= first_end))
        & (Case.status != Status.WITHDRAWN.value)
    )
    query = tuples(
        Case.select(
            Case.id,
            Case.case_no,
            Case.kind,
            Case.category,
            Case.status,
            Case.district,
            Case.department,
            Enterprise.name,
            Case.received_at,
            Case.dispatched_at,
            Case.deadline,
            Case.handled_at,
            Case.callback_at,
            Case.satisfaction,
            Case.closed_at,
            Case.repeat_of,
        )
        .join(Enterprise, JOIN.LEFT_OUTER, on=(Case.enterprise == Enterprise.id))
        .where(
            within(Case.received_at)
            | within(Case.closed_at)
            | within(Case.handled_at)
            | within(Case.callback_at)
            | overdue
        )
        .order_by(Case.received_at, Case.case_no)
    )
    return [
        # The 17 columns selected above; the enterprise name may be NULL.
        _Row(*values[:7], values[7] or "", *values[8:])  # type: ignore[call-arg]
        for values in query
    ]


def compute_kpis(rows: Iterable[_Row], week: IsoWeek) -> Kpis:
    kpis = Kpis(exemptions=assessments.count_by_outcome(week.start, week.end))
    for row in rows:
        _count(kpis, row, week)
    return kpis


def _count(target: Kpis | DepartmentRow, row: _Row, week: IsoWeek) -> None:
    if week.contains(row.received_at):
        target.received += 1
        if isinstance(target, Kpis) and row.repeat_of is not None:
            target.repeat += 1
    if row.closed_in(week):
        target.closed += 1
        target.closed_on_time += row.on_time()
    if row.overdue_at_end_of(week):
        target.overdue_open += 1
    if isinstance(target, Kpis) and row.replied_in(week):
        target.replied += 1
    if week.contains(row.callback_at):
        target.called_back += 1
        target.satisfied += row.satisfaction in SATISFIED


def gather_weekly(week: IsoWeek, *, with_summaries: bool = False) -> WeeklyReport:
    """Everything the weekly report of ``week`` shows, with the week before for comparison."""
    previous = week.previous()
    rows = _fetch_rows([week, previous])
    districts = {code: name for code, name in tuples(District.select(District.code, District.name))}
    departments = {i: name for i, name in tuples(Department.select(Department.id, Department.name))}
    received = [row for row in rows if week.contains(row.received_at)]

    kinds = Counter(row.kind for row in received)
    categories = Counter(row.category for row in received)
    by_district = Counter(districts.get(row.district or "", "") for row in received)
    by_day = Counter(row.received_at.date() for row in received)

    report = WeeklyReport(
        week=week,
        current=compute_kpis(rows, week),
        previous=compute_kpis(rows, previous),
        by_kind=[(k.label, kinds.get(k.value, 0)) for k in Kind],
        by_category=_descending([(c.label, categories.get(c.value, 0)) for c in Category]),
        by_district=_descending(
            [(name, by_district.get(name, 0)) for name in districts.values()]
            + ([(_(NOT_GIVEN), by_district[""])] if by_district.get("") else [])
        ),
        daily=[(day, by_day.get(day, 0)) for day in week.days()],
        departments=_department_rows(rows, week, departments),
        cases=[
            WeeklyCaseRow(
                case_no=row.case_no,
                received_at=row.received_at,
                enterprise=row.enterprise,
                kind=enum_label(Kind, row.kind),
                category=enum_label(Category, row.category),
                department=departments.get(row.department_id or 0, ""),
                status=enum_label(Status, row.status),
            )
            for row in received
        ],
    )
    if with_summaries:
        report.summaries = load_case_summaries([row.id for row in received])
    report.audit_anchor = audit.head()
    log.info("weekly report %s: %s cases received", week.code, len(received))
    return report


def _descending(items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(items, key=lambda item: -item[1])


def _department_rows(rows: list[_Row], week: IsoWeek, names: dict[int, str]) -> list[DepartmentRow]:
    by_department: dict[int | None, DepartmentRow] = defaultdict(lambda: DepartmentRow(""))
    for row in rows:
        _count(by_department[row.department_id], row, week)
    result: list[DepartmentRow] = []
    for department_id, counts in by_department.items():
        if department_id is None or not _any(counts):
            continue
        counts.name = names.get(department_id, str(department_id))
        result.append(counts)
    result.sort(key=lambda r: (-r.received, -r.closed, r.name))
    undispatched = by_department.get(None)
    if undispatched is not None and _any(undispatched):
        undispatched.name = _(NOT_DISPATCHED)
        result.append(undispatched)
    return result


def _any(row: DepartmentRow) -> bool:
    return bool(row.received or row.closed or row.overdue_open or row.called_back)


def default_week(today: dt.date | None = None) -> IsoWeek:
    """The last complete week before ``today`` (default: today, China time)."""
    return last_complete_week(today or clock.today())
