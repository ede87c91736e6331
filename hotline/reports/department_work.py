"""How each department worked its cases in a period: dispatched to it, accepted on time,
returned, extensions requested and granted, supervision notices and how they were answered,
the working days it took to answer, and its co-handling parts (会办).

Every figure is read from the timeline (the workflow records the department of each step)
and the supervision notices and co-handling parts beside it, so it is the same whatever
happened to the case afterwards: a step counts for the department that took it, a notice or
an extension request for the department the case was dispatched to then. Each figure keeps
the ids of the cases it counts (the statistics window lists them).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hotline.i18n import N_
from hotline.models import CaseAssist, CaseEvent, Department, SupervisionNotice, tuples
from hotline.workdays import load_calendar

DISPATCHED = "dispatched"
ACCEPTED = "accepted"
ACCEPTED_ON_TIME = "accepted_on_time"
RETURNED = "returned"
EXTENSION_REQUESTED = "extension_requested"
EXTENSION_GRANTED = "extension_granted"
SUPERVISION_ISSUED = "supervision_issued"
SUPERVISION_ON_TIME = "supervision_on_time"
REPLIED = "replied"
PARTS_ASSIGNED = "parts_assigned"
PARTS_ON_TIME = "parts_on_time"

# The figures in the order the report's table and the statistics window show them.
MEASURES: dict[str, str] = {
    DISPATCHED: N_("派单"),
    ACCEPTED: N_("签收"),
    ACCEPTED_ON_TIME: N_("按时签收"),
    RETURNED: N_("退回"),
    EXTENSION_REQUESTED: N_("申请延期"),
    EXTENSION_GRANTED: N_("批准延期"),
    SUPERVISION_ISSUED: N_("被督办"),
    SUPERVISION_ON_TIME: N_("督办按时答复"),
    REPLIED: N_("答复"),
    PARTS_ASSIGNED: N_("会办"),
    PARTS_ON_TIME: N_("会办按时答复"),
}
AVERAGE_WORKDAYS = N_("平均答复工作日")
STEP_ACTIONS = ("dispatch", "accept", "return", "request_extension", "decide_extension", "reply")


@dataclass
class DepartmentWork:
    """One department's figures in a period; ``cases[measure]`` the cases each counts."""

    department_id: int
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    cases: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    answer_workdays: int = 0  # working days from dispatch to reply, summed over the replies

    def add(self, measure: str, case_id: int) -> None:
        self.counts[measure] += 1
        self.cases[measure].add(case_id)

    @property
    def average_workdays(self) -> float | None:
        """Working days from dispatch to the reply, on average (None: no reply)."""
        replied = self.counts[REPLIED]
        return None if not replied else self.answer_workdays / replied

    def any(self) -> bool:
        return any(self.counts.values())


def _data(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _moment(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))


def _day(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


class _Dispatches:
    """Each case's dispatches (when, to which department), to find the department a case
    was with at a moment."""

    def __init__(self, case_ids: Iterable[int], until: dt.datetime) -> None:
        self.by_case: dict[int, list[tuple[dt.datetime, int | None]]] = defaultdict(list)
        ids = sorted(set(case_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = tuples(
                CaseEvent.select(CaseEvent.case, CaseEvent.at, CaseEvent.action, CaseEvent.data)
                .where(
                    CaseEvent.case.in_(chunk)
                    & CaseEvent.action.in_(["dispatch", "return", "reopen"])
                    & (CaseEvent.at < until)
                )
                .order_by(CaseEvent.case, CaseEvent.at, CaseEvent.id)
            )
            for case_id, at, action, data in rows:
                department = (
                    _int(_data(data).get("department_id")) if action == "dispatch" else None
                )
                self.by_case[int(case_id)].append((_moment(at), department))

    def at(self, case_id: int, moment: dt.datetime) -> tuple[dt.datetime, int] | None:
        """The dispatch the case was under at ``moment`` (None: it was with no department)."""
        steps = self.by_case.get(case_id, [])
        index = bisect.bisect_right([when for when, _d in steps], moment) - 1
        if index < 0 or steps[index][1] is None:
            return None
        when, department = steps[index]
        assert department is not None
        return when, department


def department_work(begin: dt.datetime, stop: dt.datetime) -> list[DepartmentWork]:
    """Every department's figures for [begin, stop), busiest first; departments with
    nothing in the period left out."""
    names = dict(tuples(Department.select(Department.id, Department.name)))
    found: dict[int, DepartmentWork] = {}

    def work(department_id: int) -> DepartmentWork:
        row = found.get(department_id)
        if row is None:
            name = str(names.get(department_id, department_id))
            row = found[department_id] = DepartmentWork(department_id, name)
        return row

    calendar = load_calendar()
    steps = list(
        tuples(
            CaseEvent.select(CaseEvent.case, CaseEvent.at, CaseEvent.action, CaseEvent.data)
            .where(
                (CaseEvent.at >= begin) & (CaseEvent.at < stop) & CaseEvent.action.in_(STEP_ACTIONS)
            )
            .order_by(CaseEvent.id)
        )
    )
    notices = list(
        tuples(
            SupervisionNotice.select(
                SupervisionNotice.case,
                SupervisionNotice.issued_at,
                SupervisionNotice.answer_by,
                SupervisionNotice.answered_at,
            ).where((SupervisionNotice.issued_at >= begin) & (SupervisionNotice.issued_at < stop))
        )
    )
    involved = {int(row[0]) for row in steps} | {int(row[0]) for row in notices}
    dispatches = _Dispatches(involved, stop)
    for case_id, at, action, text in steps:
        case_id, moment, data = int(case_id), _moment(at), _data(text)
        department = _int(data.get("department_id"))
        if action in ("request_extension", "decide_extension", "reply") or department is None:
            under = dispatches.at(case_id, moment)
            if under is None:
                continue
            dispatched_at, department = under
        if action == "dispatch":
            work(department).add(DISPATCHED, case_id)
        elif action == "accept":
            work(department).add(ACCEPTED, case_id)
            last_day = _day(data.get("return_until"))
            if last_day is None or moment.date() <= last_day:
                work(department).add(ACCEPTED_ON_TIME, case_id)
        elif action == "return":
            work(department).add(RETURNED, case_id)
        elif action == "request_extension":
            work(department).add(EXTENSION_REQUESTED, case_id)
        elif action == "decide_extension":
            if data.get("approved"):
                work(department).add(EXTENSION_GRANTED, case_id)
        elif action == "reply":
            row = work(department)
            row.add(REPLIED, case_id)
            row.answer_workdays += calendar.workdays_between(dispatched_at.date(), moment.date())
    for case_id, issued_at, answer_by, answered_at in notices:
        under = dispatches.at(int(case_id), _moment(issued_at))
        if under is None:
            continue
        row = work(under[1])
        row.add(SUPERVISION_ISSUED, int(case_id))
        due = _day(answer_by)
        if answered_at is not None and due is not None and _moment(answered_at).date() <= due:
            row.add(SUPERVISION_ON_TIME, int(case_id))
    parts = tuples(
        CaseAssist.select(
            CaseAssist.case, CaseAssist.department, CaseAssist.deadline, CaseAssist.answered_at
        ).where(
            (CaseAssist.assigned_at >= begin)
            & (CaseAssist.assigned_at < stop)
            & ~CaseAssist.cancelled
        )
    )
    for case_id, department_id, deadline, answered_at in parts:
        row = work(int(department_id))
        row.add(PARTS_ASSIGNED, int(case_id))
        due = _day(deadline)
        if answered_at is not None and due is not None and _moment(answered_at).date() <= due:
            row.add(PARTS_ON_TIME, int(case_id))
    result = [row for row in found.values() if row.any()]
    result.sort(key=lambda r: (-r.counts[DISPATCHED], -r.counts[REPLIED], r.name))
    return result


def total(rows: Iterable[DepartmentWork]) -> DepartmentWork:
    """The sum of ``rows`` (the table's last line)."""
    summed = DepartmentWork(0, "")
    for row in rows:
        for measure, number in row.counts.items():
            summed.counts[measure] += number
        for measure, ids in row.cases.items():
            summed.cases[measure] |= ids
        summed.answer_workdays += row.answer_workdays
    return summed
