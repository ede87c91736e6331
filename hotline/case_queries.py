"""Lists of cases for windows, reports and the command line: filters, saved views, keyset pages.

Pages are fetched by key (the last row's sort value and id), never by OFFSET, so the millionth
row costs what the first does. Rows are small tuples-backed records, one query per page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, Field

from hotline import access, clock, contacts
from hotline.deadlines import (
    DEPARTMENT_DUE_WITHIN_WORKDAYS,
    DeadlineState,
    due_by_next_workday_before,
    due_within_before,
    state_condition,
)
from hotline.enums import OPEN_STATUSES, Status
from hotline.i18n import N_
from hotline.masking import scrub
from hotline.models import Case, CaseAssist, CaseContact, Department, Enterprise

OPEN = [s.value for s in OPEN_STATUSES]

VIEWS: dict[str, str] = {
    "all": N_("全部案件"),
    "pending_dispatch": N_("待派单"),
    "in_progress": N_("办理中"),
    "overdue": N_("已超期"),
    "due_today": N_("今日到期"),
    "awaiting_callback": N_("待回访"),
    "mine": N_("我的未结案件"),
    # The reminders' views (hotline/reminders.py); new views go after them so that the
    # Ctrl+number shortcuts of the older ones keep their meaning.
    "due_tomorrow": N_("明日到期"),
    "returned": N_("退回待重派"),
    "extension_requests": N_("延期待审批"),
    # Cases with a supervision notice not yet answered (督办, hotline.supervision).
    "supervised": N_("被督办"),
    # A department's desk (their own department's cases only, hotline.access).
    "to_accept": N_("待签收"),
    "dept_in_progress": N_("办理中"),
    "dept_due_soon": N_("即将到期"),
    "dept_replied": N_("已答复待回访"),
    # Co-handling (会办, hotline.cohandling): an assisting department's parts to answer, the
    # lead's cases whose parts came in, and for the centre the parts past their deadline.
    "dept_assist": N_("会办待答复"),
    "assist_answered": N_("会办意见已到"),
    "assist_overdue": N_("会办超期"),
}

# The views of a department's desk, in the order the desk shows them.
DEPARTMENT_VIEWS = (
    "all",
    "to_accept",
    "dept_in_progress",
    "dept_due_soon",
    "overdue",
    "dept_replied",
    "supervised",
    "dept_assist",
    "assist_answered",
)
# Views only a department's desk has (the centre's own views have other meanings).
DEPARTMENT_ONLY_VIEWS = frozenset(
    {
        "to_accept",
        "dept_in_progress",
        "dept_due_soon",
        "dept_replied",
        "dept_assist",
        "assist_answered",
    }
)
# A department's views of the cases it leads (主办); the cases it assists on (会办) have
# theirs (dept_assist), and count in "all" and in the deadline views by their parts.
LEAD_VIEWS = frozenset(
    {"to_accept", "dept_in_progress", "dept_replied", "supervised", "assist_answered"}
)


@dataclass(frozen=True)
class CaseFilter:
    view: str = "all"
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    department_ids: tuple[int, ...] = ()
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    enterprise_id: int | None = None
    user_id: int | None = None  # whose "mine" view
    case_ids: tuple[int, ...] | None = None  # restrict to these (search results)


@dataclass(frozen=True)
class CaseRow:
    """One row of the main case list (and its exports' pages), the contact masked where due."""

    id: int
    case_no: str
    received_at: dt.datetime
    kind: str
    category: str
    urgency: str
    status: str
    subject: str
    enterprise_name: str
    district: str
    department: str
    deadline: dt.date | None
    contact_name: str
    contact_phone: str
    confidential: bool
    version: int
    extra: dict[str, Any] = field(default_factory=dict)
    replied_at: dt.datetime | None = None  # the department's answer (handled_at)


SORTS: dict[str, Field] = {
    "id": Case.id,
    "case_no": Case.case_no,
    "received_at": Case.received_at,
    # Cases without a deadline come after all others, in both directions (_nulls_last_page).
    "deadline": Case.deadline,
    "status": Case.status,
    "kind": Case.kind,
    "category": Case.category,
    # By the administrative division code (the order of official tables); no district last.
    "district": Case.district,
}
# Sort keys that may be NULL: those rows come after all others (_nulls_last_page).
NULLABLE_SORTS = frozenset({"deadline", "district"})


def _accepted() -> Any:
    """The ids of cases their department accepted (签收) in the current dispatch."""
    from hotline.models import CaseHandling

    return CaseHandling.select(CaseHandling.case).where(CaseHandling.accepted_at.is_null(False))


def _supervised() -> Any:
    """The ids of cases with a supervision notice not yet answered."""
    from hotline.models import SupervisionNotice

    return SupervisionNotice.select(SupervisionNotice.case).where(
        SupervisionNotice.answered_at.is_null()
    )


def _where(query: Any, flt: CaseFilter, today: dt.date) -> Any:
    from hotline import cohandling

    # Whoever is signed in sees only what hotline.access allows, whatever the filter says.
    scope = access.list_condition()
    if scope is not None:
        query = query.where(scope)
    view = flt.view
    dispatched = Case.status == Status.DISPATCHED.value
    session = access.session_actor()
    mine = session.department_id if session is not None and access.is_department(session) else None
    if mine is not None and view in LEAD_VIEWS:
        query = query.where(Case.department == mine)
    if mine is not None and view == "overdue":
        # A department's own overdue cases: those it leads, and its parts past their day.
        query = query.where(
            ((Case.department == mine) & state_condition(DeadlineState.OVERDUE, today))
            | Case.id.in_(cohandling.parts_due_before(mine, today))
        )
        view = ""
    if view == "pending_dispatch":
        query = query.where(Case.status.in_([Status.REGISTERED.value, Status.RETURNED.value]))
    elif view == "in_progress":
        query = query.where(Case.status == Status.DISPATCHED.value)
    elif view == "overdue":
        query = query.where(state_condition(DeadlineState.OVERDUE, today))
    elif view == "due_today":
        query = query.where(state_condition(DeadlineState.DUE_TODAY, today))
    elif view == "due_tomorrow":
        from hotline.workdays import load_calendar

        soon_before = due_by_next_workday_before(load_calendar(), today)
        query = query.where(state_condition(DeadlineState.DUE_SOON, today, soon_before=soon_before))
    elif view == "awaiting_callback":
        query = query.where(Case.status == Status.REPLIED.value)
    elif view == "returned":
        query = query.where(Case.status == Status.RETURNED.value)
    elif view == "extension_requests":
        query = query.where(
            (Case.status == Status.DISPATCHED.value) & (Case.extension_status == "requested")
        )
    elif view == "supervised":
        query = query.where(Case.id.in_(_supervised()))
    elif view == "to_accept":
        query = query.where(dispatched & Case.id.not_in(_accepted()))
    elif view == "dept_in_progress":
        query = query.where(dispatched & Case.id.in_(_accepted()))
    elif view == "dept_due_soon":
        from hotline.workdays import load_calendar

        within = due_within_before(load_calendar(), today, DEPARTMENT_DUE_WITHIN_WORKDAYS)
        leading = state_condition(DeadlineState.DUE_TODAY, today) | state_condition(
            DeadlineState.DUE_SOON, today, soon_before=within
        )
        if mine is not None:
            # Its parts due within the same days count too (not those already overdue).
            soon_parts = cohandling.parts_due_before(mine, within).where(
                CaseAssist.deadline >= today
            )
            leading = ((Case.department == mine) & leading) | Case.id.in_(soon_parts)
        query = query.where(leading)
    elif view == "dept_replied":
        query = query.where(Case.status == Status.REPLIED.value)
    elif view == "dept_assist":
        query = query.where(dispatched & Case.id.in_(cohandling.open_parts_of(mine or 0)))
    elif view == "assist_answered":
        query = query.where(Case.id.in_(cohandling.answered_parts_waiting(mine or 0)))
    elif view == "assist_overdue":
        query = query.where(dispatched & Case.id.in_(cohandling.parts_due_before(None, today)))
    elif view == "mine":
        query = query.where((Case.registered_by == flt.user_id) & Case.status.in_(OPEN))
    if flt.statuses:
        query = query.where(Case.status.in_(list(flt.statuses)))
    if flt.kinds:
        query = query.where(Case.kind.in_(list(flt.kinds)))
    if flt.categories:
        query = query.where(Case.category.in_(list(flt.categories)))
    if flt.districts:
        query = query.where(Case.district.in_(list(flt.districts)))
    if flt.department_ids:
        query = query.where(Case.department.in_(list(flt.department_ids)))
    if flt.received_from:
        query = query.where(Case.received_at >= dt.datetime.combine(flt.received_from, dt.time()))
    if flt.received_to:
        end = dt.datetime.combine(flt.received_to + dt.timedelta(days=1), dt.time())
        query = query.where(Case.received_at < end)
    if flt.enterprise_id is not None:
        query = query.where(Case.enterprise == flt.enterprise_id)
    if flt.case_ids is not None:
        query = query.where(Case.id.in_(list(flt.case_ids)))
    return query


def fetch_page(
    flt: CaseFilter,
    *,
    sort: str = "id",
    descending: bool = True,
    after: tuple[Any, int] | None = None,
    limit: int = 100,
    reveal_confidential: bool = False,
) -> list[CaseRow]:
    """One page of rows; ``after`` is (sort value, id) of the last row already shown."""
    key = SORTS.get(sort, Case.id)
    today = clock.today()
    query = (
        Case.select(
            Case.id,
            Case.case_no,
            Case.received_at,
            Case.kind,
            Case.category,
            Case.urgency,
            Case.status,
            Case.subject,
            Enterprise.name,
            Case.district,
            Department.name,
            Case.deadline,
            Case.contact_name_masked,
            Case.contact_phone_masked,
            Case.confidential,
            Case.version,
            Case.handled_at,
            key.alias("sort_key"),
            # The real contact in the same query (a second one per page made scrolling
            # pause); where it cannot be read (row-level security) the join finds no row.
            CaseContact.case.alias("contact_case"),
            CaseContact.contact_name.alias("real_name"),
            CaseContact.contact_phone.alias("real_phone"),
        )
        .join(Enterprise, JOIN.LEFT_OUTER, on=(Case.enterprise == Enterprise.id))
        .switch(Case)
        .join(Department, JOIN.LEFT_OUTER, on=(Case.department == Department.id))
        .switch(Case)
        .join(CaseContact, JOIN.LEFT_OUTER, on=(CaseContact.case == Case.id))
    )
    query = _where(query, flt, today)
    if sort in NULLABLE_SORTS:
        raw = _nulls_last_page(query, key, sort, descending, after, limit)
    else:
        raw = _plain_rows(_keyset(query, key, sort, descending, after).limit(limit))
    rows = []
    for row in raw:
        (
            cid,
            case_no,
            received,
            kind,
            category,
            urgency,
            status,
            subject,
            enterprise,
            district,
            department,
            deadline,
            contact_name,
            contact_phone,
            confidential,
            version,
            replied_at,
            sort_key,
            contact_case,
            real_name,
            real_phone,
        ) = row
        found = (
            None if contact_case is None else contacts.Contact(real_name or "", real_phone or "")
        )
        if found is not None:
            if confidential and not reveal_confidential:
                subject = scrub(subject, name=found.name, phone=found.phone)
            else:
                contact_name, contact_phone = found.name, found.phone
        elif confidential and not reveal_confidential:
            subject = scrub(subject)  # the caller unknown here: every phone number masked
        rows.append(
            CaseRow(
                cid,
                case_no,
                _as_datetime(received),
                kind,
                category,
                urgency,
                status,
                subject,
                enterprise or "",
                district or "",
                department or "",
                _as_date(deadline),
                contact_name,
                contact_phone,
                bool(confidential),
                version,
                {"sort_key": key.python_value(sort_key)},
                None if replied_at is None else _as_datetime(replied_at),
            )
        )
    return rows


def _keyset(
    query: Any, key: Any, sort: str, descending: bool, after: tuple[Any, int] | None
) -> Any:
    """Rows after ``after`` in (key, id) order: one index range scan, no OFFSET."""
    if after is not None:
        value, last_id = after
        if sort == "id":
            query = query.where(Case.id < last_id if descending else Case.id > last_id)
        # The redundant ``key <= value`` lets the database seek in the (key, id) index
        # instead of scanning it from the top: deep pages stay as cheap as the first.
        elif descending:
            query = query.where(
                (key <= value) & ((key < value) | ((key == value) & (Case.id < last_id)))
            )
        else:
            query = query.where(
                (key >= value) & ((key > value) | ((key == value) & (Case.id > last_id)))
            )
    if sort == "id":
        return query.order_by(Case.id.desc() if descending else Case.id.asc())
    if descending:
        return query.order_by(key.desc(), Case.id.desc())
    return query.order_by(key.asc(), Case.id.asc())


def _nulls_last_page(
    query: Any,
    key: Any,
    sort: str,
    descending: bool,
    after: tuple[Any, int] | None,
    limit: int,
) -> list[tuple[Any, ...]]:
    """Sorted by a key that may be NULL (deadline, district), those rows last: rows with a
    value first, then the others.

    Each part is a plain keyset range over an index on (key, id) or on id, so deep pages
    stay cheap; a NULL in the key means the page continues among the rows without one.
    """
    rows: list[tuple[Any, ...]] = []
    if after is None or after[0] is not None:
        valued = query.where(key.is_null(False))
        rows = _plain_rows(_keyset(valued, key, sort, descending, after).limit(limit))
        if len(rows) == limit:
            return rows
        after = None
    empty = query.where(key.is_null())
    rest = _plain_rows(_keyset(empty, Case.id, "id", descending, after).limit(limit - len(rows)))
    return rows + rest


def _plain_rows(query: Any) -> list[tuple[Any, ...]]:
    """The rows as the database driver gives them: peewee's conversion of every column of
    every row cost a third of a page's time while scrolling; the callers convert the few
    columns that need it (dates, times, the sort key)."""
    return list(query.model._meta.database.execute(query).fetchall())


def iter_ids(
    flt: CaseFilter, *, sort: str = "id", descending: bool = False, batch: int = 2000
) -> Iterator[list[int]]:
    """The ids of every case matching ``flt`` in the list's order, ``batch`` at a time: the
    same keyset pages as :func:`fetch_page` (an export of what a list shows, however long)."""
    key = SORTS.get(sort, Case.id)
    today = clock.today()
    after: tuple[Any, int] | None = None
    while True:
        query = _where(Case.select(Case.id, key.alias("sort_key")), flt, today)
        if sort in NULLABLE_SORTS:
            rows = _nulls_last_page(query, key, sort, descending, after, batch)
        else:
            rows = list(_keyset(query, key, sort, descending, after).limit(batch).tuples())
        if rows:
            yield [row[0] for row in rows]
        if len(rows) < batch:
            return
        after = (key.python_value(rows[-1][1]), rows[-1][0])


def page_key(row: CaseRow, sort: str) -> tuple[Any, int]:
    return (row.extra.get("sort_key"), row.id)


def count(flt: CaseFilter) -> int:
    total: int = _where(Case.select(), flt, clock.today()).count()
    return total


def case_ids(flt: CaseFilter) -> frozenset[int]:
    """The ids of every case matching ``flt`` (for the reminders' small work queues)."""
    query = _where(Case.select(Case.id), flt, clock.today())
    return frozenset(case_id for (case_id,) in query.tuples())


def view_counts(user_id: int | None, views: Iterable[str] | None = None) -> dict[str, int]:
    """How many cases each view (of ``views``, default all) holds, "all" excepted."""
    wanted = VIEWS if views is None else views
    return {view: count(CaseFilter(view=view, user_id=user_id)) for view in wanted if view != "all"}


@dataclass(frozen=True)
class TodayFigures:
    received_today: int
    open: int
    overdue: int
    due_today: int


def today_figures() -> TodayFigures:
    today = clock.today()
    start = dt.datetime.combine(today, dt.time())
    return TodayFigures(
        received_today=_where(Case.select(), CaseFilter(), today)
        .where(Case.received_at >= start)
        .count(),
        open=_where(Case.select(), CaseFilter(), today).where(Case.status.in_(OPEN)).count(),
        overdue=count(CaseFilter(view="overdue")),
        due_today=count(CaseFilter(view="due_today")),
    )


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))
