"""Reading the database into the figures of a period (see :mod:`.definitions`).

The PDFs (weekly, monthly, quarterly, annual, any dates) and the statistics window read
their figures here, so screen and paper cannot disagree. One query reads the cases that
touch the period or the one before (received, closed, answered or called back in them, or
overdue at their end); then, case by case, :func:`_mask` decides which figures the case
belongs to, as the definitions say. Every count (the totals, each breakdown, each bar of
the intake chart) is counted from those same per-case facts, and the cases of any figure
are listed from them (:meth:`PeriodReport.case_ids`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable
from typing import Any

from peewee import JOIN, Expression, Field

from hotline import audit, case_calls, clock, read_replica, supervision
from hotline.deadlines import DeadlineState, deadline_state
from hotline.enums import Category, Channel, Kind, Satisfaction, Status
from hotline.exemption import assessments
from hotline.i18n import N_, _
from hotline.models import Case, Department, District, Enterprise, database_proxy, tuples
from hotline.reports.case_data import enum_label, load_case_summaries
from hotline.reports.data import (
    CASE_MEASURES,
    BreakdownRow,
    CaseFacts,
    Dimension,
    Kpis,
    Measure,
    PeriodReport,
    WeeklyCaseRow,
)
from hotline.reports.department_work import department_work
from hotline.reports.periods import WEEK, Period, intake_buckets, last_complete
from hotline.reports.weeks import IsoWeek, last_complete_week

log = logging.getLogger(__name__)

NOT_DISPATCHED = N_("未派单")
NOT_GIVEN = N_("未填写")
SATISFIED = (Satisfaction.SATISFIED.value, Satisfaction.BASICALLY_SATISFIED.value)
CLOSED = Status.CLOSED.value
WITHDRAWN = Status.WITHDRAWN.value

# The columns read, in this order (the enterprise name may be NULL).
(
    ID,
    CASE_NO,
    KIND,
    CATEGORY,
    CHANNEL,
    STATUS,
    DISTRICT,
    DEPARTMENT,
    ENTERPRISE,
    RECEIVED_AT,
    DISPATCHED_AT,
    DEADLINE,
    HANDLED_AT,
    CALLBACK_AT,
    SATISFACTION,
    CLOSED_AT,
    REPEAT_OF,
) = range(17)


def _fetch_rows(periods: list[Period]) -> list[tuple[Any, ...]]:
    start = min(p.start for p in periods)
    end = max(p.end for p in periods)
    last_day = max(p.last for p in periods)
    first_end = min(p.end for p in periods)

    def within(column: Field) -> Expression:
        return (column >= start) & (column < end)

    overdue = (
        Case.deadline.is_null(False)
        & (Case.deadline <= last_day)
        & (Case.received_at < end)
        & (Case.handled_at.is_null() | (Case.handled_at >= first_end))
        & (Case.status != WITHDRAWN)
    )
    query = (
        Case.select(
            Case.id,
            Case.case_no,
            Case.kind,
            Case.category,
            Case.channel,
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
    # The raw cursor, with the few conversions needed done here: peewee's per-value
    # conversions cost more than the query itself on a year of cases.
    cursor = database_proxy.execute(query)
    moments = (RECEIVED_AT, DISPATCHED_AT, HANDLED_AT, CALLBACK_AT, CLOSED_AT)
    rows: list[tuple[Any, ...]] = []
    for raw in cursor.fetchall():
        row = list(raw)
        for column in moments:
            value = row[column]
            if value is not None and not isinstance(value, dt.datetime):
                row[column] = _as_datetime(value)
        deadline = row[DEADLINE]
        if deadline is not None and not isinstance(deadline, dt.date):
            row[DEADLINE] = dt.date.fromisoformat(str(deadline)[:10])
        rows.append(tuple(row))
    return rows


def _as_datetime(value: object) -> dt.datetime:
    """A stored timestamp (SQLite: text) as a naive datetime."""
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))


_BITS = {measure: CaseFacts.bit(measure) for measure in CASE_MEASURES}


def _mask(row: tuple[Any, ...], start: dt.datetime, end: dt.datetime, cut: dt.datetime) -> int:
    """The figures of the period ``start <= t < end`` that the case ``row`` is counted in,
    as bits (the definitions, rule by rule). ``cut``: when "the period's end" is for the
    overdue cases, ``end`` or, for a period still running, now."""
    received, handled, closed_at = row[RECEIVED_AT], row[HANDLED_AT], row[CLOSED_AT]
    callback = row[CALLBACK_AT]
    mask = 0
    if start <= received < end:
        mask |= _BITS[Measure.RECEIVED]
        if row[REPEAT_OF] is not None:
            mask |= _BITS[Measure.REPEAT]
    if row[STATUS] == CLOSED and closed_at is not None and start <= closed_at < end:
        mask |= _BITS[Measure.CLOSED]
        # Answered on or before its deadline day (today does not matter once answered).
        answered = handled or closed_at
        state = deadline_state(row[DEADLINE], end.date(), waiting=False, answered_at=answered)
        if state is DeadlineState.MET:
            mask |= _BITS[Measure.CLOSED_ON_TIME]
    # Still waiting for the answer at the period's end (not withdrawn since), and overdue
    # then: its deadline day passed by the day after the period (running: by today).
    waiting = (
        received < cut
        and (handled is None or handled >= cut)
        and (closed_at is None or closed_at >= cut)
        and row[STATUS] != WITHDRAWN
    )
    if deadline_state(row[DEADLINE], cut.date(), waiting=waiting) is DeadlineState.OVERDUE:
        mask |= _BITS[Measure.OVERDUE_OPEN]
    if row[DISPATCHED_AT] is not None and handled is not None and start <= handled < end:
        mask |= _BITS[Measure.REPLIED]
        # Of those: called back before the period ended.
        if callback is not None and callback < end:
            mask |= _BITS[Measure.REPLIED_CALLED_BACK]
    if callback is not None and start <= callback < end:
        mask |= _BITS[Measure.CALLED_BACK]
        if row[SATISFACTION] in SATISFIED:
            mask |= _BITS[Measure.SATISFIED]
    return mask


def _counts_of(masks: Iterable[int], shift: int, target: Any) -> None:
    """Add to ``target`` (a Counts) the cases of each measure, from their masks' tally."""
    for mask, number in Counter(masks).items():
        bits = mask >> shift
        for index, measure in enumerate(CASE_MEASURES):
            if bits & (1 << index):
                target.add(measure, number)


def gather_period(
    period: Period, *, with_list: bool | None = None, with_summaries: bool = False
) -> PeriodReport:
    """Everything the report of ``period`` shows, with the period before for comparison.

    ``with_list``: build the list of the period's cases (default: for a week only; the
    statistics window lists the cases of each figure instead). ``with_summaries`` (which
    implies the list) reads every received case's summary for the PDF's appendix. Read from
    the read replica where there is one (:mod:`hotline.read_replica`).
    """
    return read_replica.read(
        lambda: _gather_period(period, with_list=with_list, with_summaries=with_summaries)
    )


def _gather_period(period: Period, *, with_list: bool | None, with_summaries: bool) -> PeriodReport:
    previous = period.previous()
    rows = _fetch_rows([period, previous])
    district_names = dict(tuples(District.select(District.code, District.name)))
    department_names = dict(tuples(Department.select(Department.id, Department.name)))
    buckets = intake_buckets(period)
    bucket_of = {day: index for index, b in enumerate(buckets) for day in _days(b.first, b.last)}

    facts = CaseFacts()
    shift = CaseFacts.PREVIOUS_SHIFT
    keys = facts.keys
    now = clock.now()
    bounds = (period.start, period.end, min(period.end, now))
    before_bounds = (previous.start, previous.end, min(previous.end, now))
    for row in rows:
        mask = _mask(row, *bounds) | (_mask(row, *before_bounds) << shift)
        if not mask:
            continue
        facts.ids.append(row[ID])
        facts.masks.append(mask)
        facts.buckets.append(
            bucket_of.get(row[RECEIVED_AT].date(), -1) if mask & _BITS[Measure.RECEIVED] else -1
        )
        keys[Dimension.DEPARTMENT].append(row[DEPARTMENT])
        keys[Dimension.DISTRICT].append(row[DISTRICT])
        keys[Dimension.CATEGORY].append(row[CATEGORY])
        keys[Dimension.KIND].append(row[KIND])
        keys[Dimension.CHANNEL].append(row[CHANNEL])

    outcomes = (
        assessments.case_ids_by_outcome(period.start, period.end),
        assessments.case_ids_by_outcome(previous.start, previous.end),
    )
    facts.exemptions = outcomes
    current = Kpis(exemptions={label: len(ids) for label, ids in outcomes[0].items()})
    before = Kpis(exemptions={label: len(ids) for label, ids in outcomes[1].items()})
    for kpis, span, lists in (
        (current, period, facts.supervision[0]),
        (before, previous, facts.supervision[1]),
    ):
        notices = supervision.figures_between(span.start, span.end)
        kpis.supervision_issued = notices.issued
        kpis.supervision_on_time = notices.answered_on_time
        kpis.calls_registered, kpis.call_to_save_median = case_calls.call_to_save(
            span.start, span.end
        )
        lists[Measure.SUPERVISION_ISSUED] = list(notices.issued_cases)
        lists[Measure.SUPERVISION_ON_TIME] = list(notices.on_time_cases)
    _counts_of(facts.masks, 0, current)
    _counts_of(facts.masks, shift, before)

    names = _Names(district_names, department_names)
    intake = Counter(b for b in facts.buckets if b >= 0)
    report = PeriodReport(
        period=period,
        current=current,
        previous=before,
        breakdowns={d: _breakdown(facts, d, names) for d in Dimension},
        intake=[(bucket, intake.get(index, 0)) for index, bucket in enumerate(buckets)],
        received_total=current.received,
        facts=facts,
        department_work=department_work(period.start, min(period.end, now)),
    )
    if with_list is None:
        with_list = period.kind == WEEK
    report.cases_listed = with_list or with_summaries
    if report.cases_listed:
        received_bit = _BITS[Measure.RECEIVED]
        received = [r for r in rows if _mask(r, *bounds) & received_bit]
        report.cases = [_case_row(row, department_names) for row in received]
        if with_summaries:
            report.summaries = load_case_summaries([row[ID] for row in received])
    if report.cases_listed or period.kind == WEEK:  # the PDF reports, not the statistics
        from hotline.knowledge.report import figures_between

        report.knowledge = figures_between(period.start, period.end, clock.today())
    report.audit_anchor = audit.head()
    log.info("report %s: %s cases read, %s received", period.code, len(rows), current.received)
    return report


def gather_weekly(week: IsoWeek, *, with_summaries: bool = False) -> PeriodReport:
    """The weekly report of ``week`` (with its list of cases)."""
    return gather_period(Period.week(week), with_list=True, with_summaries=with_summaries)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _case_row(row: tuple[Any, ...], departments: dict[int, str]) -> WeeklyCaseRow:
    return WeeklyCaseRow(
        case_no=row[CASE_NO],
        received_at=row[RECEIVED_AT],
        enterprise=row[ENTERPRISE] or "",
        kind=enum_label(Kind, row[KIND]),
        category=enum_label(Category, row[CATEGORY]),
        department=departments.get(row[DEPARTMENT] or 0, ""),
        status=enum_label(Status, row[STATUS]),
    )


class _Names:
    def __init__(self, districts: dict[str, str], departments: dict[int, str]) -> None:
        self.districts = districts
        self.departments = departments

    def label(self, dimension: Dimension, key: str | int | None) -> str:
        if dimension is Dimension.DEPARTMENT:
            if key is None:
                return _(NOT_DISPATCHED)
            return self.departments.get(int(key), str(key))
        if dimension is Dimension.DISTRICT:
            return _(NOT_GIVEN) if key is None else self.districts.get(str(key), str(key))
        enum = {Dimension.CATEGORY: Category, Dimension.KIND: Kind, Dimension.CHANNEL: Channel}
        return enum_label(enum[dimension], str(key))


def _breakdown(facts: CaseFacts, dimension: Dimension, names: _Names) -> list[BreakdownRow]:
    """The figures of the period per value of ``dimension``, ordered as the report prints
    them: types and channels in their fixed order, categories and districts by received
    cases, departments by received and closed cases with "未派单" last. Values with no
    case at all are left out, except the fixed lists (types, channels, categories,
    districts), which show every value."""
    rows: dict[str | int | None, BreakdownRow] = {}
    tally = Counter(zip(facts.keys[dimension], facts.masks, strict=True))
    for (key, mask), number in tally.items():
        row = rows.get(key)
        if row is None:
            row = rows[key] = BreakdownRow(name=names.label(dimension, key), key=key)
        for index, measure in enumerate(CASE_MEASURES):
            if mask & (1 << index):
                row.add(measure, number)
    if dimension in (Dimension.KIND, Dimension.CHANNEL, Dimension.CATEGORY):
        enum = {Dimension.CATEGORY: Category, Dimension.KIND: Kind, Dimension.CHANNEL: Channel}
        fixed = [m.value for m in enum[dimension]]
        for code in fixed:
            rows.setdefault(code, BreakdownRow(name=names.label(dimension, code), key=code))
        ordered = [rows[code] for code in fixed] + [r for k, r in rows.items() if k not in fixed]
        ordered = [r for r in ordered if r.key in fixed or r.any()]
        if dimension is Dimension.CATEGORY:
            ordered.sort(key=lambda r: -r.received)
        return ordered
    if dimension is Dimension.DISTRICT:
        for code in names.districts:
            rows.setdefault(code, BreakdownRow(name=names.label(dimension, code), key=code))
        given = [r for k, r in rows.items() if k is not None and (k in names.districts or r.any())]
        given.sort(key=lambda r: -r.received)
        missing = rows.get(None)
        return given + ([missing] if missing is not None and missing.received else [])
    result = [r for k, r in rows.items() if k is not None and r.any()]
    result.sort(key=lambda r: (-r.received, -r.closed, r.name))
    undispatched = rows.get(None)
    if undispatched is not None and undispatched.any():
        result.append(undispatched)
    return result


def default_week(today: dt.date | None = None) -> IsoWeek:
    """The last complete week before ``today`` (default: today, China time)."""
    return last_complete_week(today or clock.today())


def default_period(kind: str, today: dt.date | None = None) -> Period:
    """The last complete week, month, quarter or year before ``today``."""
    return last_complete(kind, today or clock.today())
