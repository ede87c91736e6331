"""Co-handling (会办) in the demo data: a share of the dispatched cases has assisting
departments whose parts agree with the case's timeline as the workflow writes it, count in
the department desk views and print on the case summary."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from hotline import access, case_queries, clock, cohandling, workdays
from hotline.case_queries import CaseFilter
from hotline.demo import generator
from hotline.enums import Role, Status
from hotline.models import Case, CaseAssist, CaseEvent, Department
from hotline.permissions import Actor
from hotline.reports.case_data import load_case_summary
from hotline.transfer.replay import TimelineEvent

NOW = dt.datetime(2026, 11, 25, 15, 30)
CASES = 800
SEED = 6  # makes parts in every state, an open one past its deadline included
ENDING = ("dispatch", "return", "reopen", "withdraw")


@pytest.fixture
def demo(database):
    with clock.frozen(NOW):
        generator.generate(CASES, seed=SEED)
        yield


def _events(case_id: int) -> list[TimelineEvent]:
    rows = CaseEvent.select().where(CaseEvent.case == case_id).order_by(CaseEvent.id)
    return [
        TimelineEvent(e.at, e.action, e.actor_name, e.internal, e.text, json.loads(e.data))
        for e in rows
    ]


def _co_handled() -> list[int]:
    return sorted({row.case_id for row in CaseAssist.select(CaseAssist.case)})


def _same(at: dt.datetime, other: object) -> bool:
    return at.replace(microsecond=0) == cohandling._as_datetime(other).replace(microsecond=0)


def test_a_realistic_share_in_every_state(demo) -> None:
    dispatched = Case.select().where(Case.dispatched_at.is_null(False)).count()
    co_handled = _co_handled()
    assert 0.05 <= len(co_handled) / dispatched <= 0.15
    cases = Case.select().where(Case.id.in_(co_handled))
    assert not any(c.kind == "praise" or c.urgency == "urgent" for c in cases)
    states = Counter(
        (part.state, part.overdue(NOW.date()))
        for case_id in co_handled
        for part in cohandling.case_parts(case_id, with_cancelled=True)
    )
    assert states[(cohandling.PART_ANSWERED, False)] > states[(cohandling.PART_ANSWERED, True)] > 0
    assert states[(cohandling.PART_CANCELLED, False)] > 0  # returned, then re-dispatched
    assert states[(cohandling.PART_UNANSWERED, True)] > 0  # the lead replied without it
    assert states[(cohandling.PART_OPEN, False)] + states[(cohandling.PART_OPEN, True)] > 0


def test_parts_agree_with_the_timeline(demo) -> None:
    calendar = workdays.load_calendar()
    for case_id in _co_handled():
        events = _events(case_id)
        for part in cohandling.case_parts(case_id, with_cancelled=True):
            dispatch = next(
                e for e in events if e.action == "dispatch" and _same(part.assigned_at, e.at)
            )
            named = {p["department"]: p["deadline"] for p in dispatch.data["assisting"]}
            assert named[part.department] == part.deadline.isoformat()
            assert part.department != dispatch.data["department"]  # the lead never assists
            lead_due = dt.date.fromisoformat(dispatch.data["deadline"])
            options = {
                min(lead_due, calendar.add_workdays(dispatch.at.date(), days)) for days in (2, 3, 5)
            }
            assert part.deadline in options
            later = [e for e in events if e.at >= dispatch.at and e is not dispatch]
            if part.answered_at is not None:
                answer = next(
                    e
                    for e in later
                    if e.action == "answer_assist" and e.data["department"] == part.department
                )
                assert _same(part.answered_at, answer.at)
                assert answer.actor == part.department == part.answered_by
                assert answer.data["on_time"] is part.on_time
            if part.state == cohandling.PART_CANCELLED:
                ending = next(e for e in later if e.action in ENDING)
                assert part.ended_at is not None and _same(part.ended_at, ending.at)
            if part.state == cohandling.PART_UNANSWERED:
                reply = next(e for e in later if e.action == "reply")
                assert part.ended_at is not None and _same(part.ended_at, reply.at)
                assert part.department in reply.data["parts_unanswered"]
            if part.state == cohandling.PART_OPEN:
                assert Case.get_by_id(case_id).status == Status.DISPATCHED.value
                assert not any(e.action in (*ENDING, "reply") for e in later)


def test_department_desk_views_count_the_parts(demo) -> None:
    parts = [
        part
        for case_id in _co_handled()
        for part in cohandling.case_parts(case_id)
        if Case.get_by_id(case_id).status == Status.DISPATCHED.value
    ]
    shown = 0
    for department in Department.select():
        actor = Actor(department.name, Role.DEPARTMENT, None, department_id=department.id)
        access.begin_session(actor)
        try:
            assisting = case_queries.case_ids(CaseFilter(view="dept_assist"))
            answered = case_queries.case_ids(CaseFilter(view="assist_answered"))
        finally:
            access.end_session()
        assert assisting == {
            p.case_id for p in parts if p.open and p.department_id == department.id
        }
        leads = {
            p.case_id for p in parts if Case.get_by_id(p.case_id).department_id == department.id
        }
        assert answered == {
            p.case_id for p in parts if p.case_id in leads and p.state == cohandling.PART_ANSWERED
        }
        shown += len(assisting)
    assert shown > 0
    overdue = case_queries.case_ids(CaseFilter(view="assist_overdue"))
    assert overdue == {p.case_id for p in parts if p.open and p.deadline < NOW.date()}
    assert overdue  # the centre's 会办超期


def test_the_case_summary_prints_the_parts(demo) -> None:
    printed = 0
    for case_id in _co_handled()[:20]:
        case = Case.get_by_id(case_id)
        summary = load_case_summary(case.case_no)
        parts = cohandling.case_parts(case_id)
        assert [line.department for line in summary.cohandling] == [p.department for p in parts]
        for line, part in zip(summary.cohandling, parts, strict=True):
            assert line.deadline == part.deadline and line.on_time is part.on_time
            assert line.answer == part.answer
        printed += sum(1 for line in summary.cohandling if line.answer)
    assert printed > 0
