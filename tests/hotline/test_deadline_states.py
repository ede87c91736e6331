"""The SQL twin of ``deadlines.deadline_state``: ``state_condition`` selects exactly the cases
the function puts in each state, on both databases, and the lists and the handover use it."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import cases, clock, handover, workflow
from hotline.case_queries import CaseFilter, count
from hotline.deadlines import (
    DeadlinePolicy,
    DeadlineState,
    deadline_state,
    due_soon_before,
    state_condition,
    waiting_for_answer,
)
from hotline.enums import Role
from hotline.models import Case
from hotline.permissions import Actor
from hotline.workdays import WorkCalendar
from tests.conftest import sample_case

OPERATOR = Actor("坐席甲", Role.OPERATOR, None)
LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
MONDAY = dt.datetime(2026, 11, 23, 9, 30)
D = dt.date


def _register(**overrides: object) -> int:
    return cases.register(OPERATOR, sample_case(received_at=MONDAY.isoformat(), **overrides)).id


def _dispatched(kind: str = "consultation") -> int:
    case_id = _register(kind=kind)
    workflow.dispatch(OPERATOR, case_id, 1)
    return case_id


@pytest.fixture
def story(database) -> dict[str, int]:
    """Cases in every situation; consultations dispatched on Monday 11-23 are due Thu 11-26."""
    with clock.frozen(MONDAY):
        ids = {
            "registered": _register(),
            "complaint": _dispatched("complaint"),  # due Thu 12-10
            "short": _dispatched(),
            "returned": _dispatched(),
            "on_spot": _register(kind="consultation"),
            "withdrawn": _dispatched(),
            "extended": _dispatched(),
            "closed_on_deadline_day": _dispatched(),
            "missed": _dispatched(),
            "reopened": _dispatched(),
            "redispatched": _dispatched(),
        }
        workflow.return_case(OPERATOR, ids["returned"], "非本单位职责")
        workflow.answer_on_spot(OPERATOR, ids["on_spot"], "已解答")
        workflow.withdraw(OPERATOR, ids["withdrawn"], "企业撤回")
        workflow.request_extension(OPERATOR, ids["extended"], D(2026, 12, 4), "需现场核查")
        workflow.decide_extension(LEAD, ids["extended"], True, "同意")
        for name in ("reopened", "redispatched"):
            workflow.reply(OPERATOR, ids[name], "已答复")
            workflow.callback(OPERATOR, ids[name], "不满意", "未解决")
            workflow.reopen(OPERATOR, ids[name], "企业不满意")
    with clock.frozen(dt.datetime(2026, 11, 26, 23, 59)):
        closed = ids["closed_on_deadline_day"]
        workflow.reply(OPERATOR, closed, "已答复")
        workflow.close(OPERATOR, closed, "企业无法联系")
    with clock.frozen(dt.datetime(2026, 11, 27, 0, 0)):
        workflow.reply(OPERATOR, ids["missed"], "已答复")
    with clock.frozen(dt.datetime(2026, 11, 30, 9, 0)):  # a new round, due Thu 12-03
        workflow.dispatch(OPERATOR, ids["redispatched"], 1)
    return ids


def _python_states(today: dt.date, soon_before: dt.date | None) -> dict[int, DeadlineState]:
    return {
        case.id: deadline_state(
            case.deadline,
            today,
            waiting=waiting_for_answer(case.status),
            answered_at=case.handled_at or case.closed_at,
            soon_before=soon_before,
        )
        for case in Case.select()
    }


def _states_of(story: dict[str, int], today: dt.date) -> dict[str, DeadlineState]:
    soon = due_soon_before(DeadlinePolicy(), WorkCalendar(), today)
    by_id = _python_states(today, soon)
    return {name: by_id[case_id] for name, case_id in story.items()}


def test_states_of_the_story_on_its_days(story) -> None:
    S = DeadlineState
    common = {
        "registered": S.NONE,
        "returned": S.NONE,  # returning clears the deadline
        "on_spot": S.MET,
        "withdrawn": S.NONE,  # withdrawn before the answer: no longer waits
        "closed_on_deadline_day": S.MET,  # answered 23:59 on the deadline day
        "missed": S.MISSED,  # answered at 00:00 the day after
        "reopened": S.NONE,  # the new round has no deadline yet
    }
    assert _states_of(story, D(2026, 11, 26)) == common | {
        "complaint": S.ON_TIME,
        "short": S.DUE_TODAY,
        "extended": S.ON_TIME,  # the old deadline (today) no longer counts
        "redispatched": S.ON_TIME,  # its second round is due Thu 12-03
    }
    assert _states_of(story, D(2026, 11, 27)) == common | {
        "complaint": S.ON_TIME,
        "short": S.OVERDUE,
        "extended": S.ON_TIME,
        "redispatched": S.ON_TIME,
    }
    assert _states_of(story, D(2026, 12, 2)) == common | {
        "complaint": S.ON_TIME,
        "short": S.OVERDUE,
        "extended": S.ON_TIME,  # Fri 12-04 is two working days away: not yet due soon
        "redispatched": S.DUE_SOON,  # Thu 12-03 is one working day away
    }
    assert _states_of(story, D(2026, 12, 4)) == common | {
        "complaint": S.ON_TIME,
        "short": S.OVERDUE,
        "extended": S.DUE_TODAY,
        "redispatched": S.OVERDUE,
    }


DAYS = [D(2026, 11, 25), D(2026, 11, 26), D(2026, 11, 27), D(2026, 12, 2), D(2026, 12, 4)]


@pytest.mark.parametrize("with_soon", [True, False], ids=["due_soon", "lists"])
def test_sql_condition_selects_what_the_function_says(story, with_soon: bool) -> None:
    for today in DAYS:
        soon = due_soon_before(DeadlinePolicy(), WorkCalendar(), today) if with_soon else None
        expected = _python_states(today, soon)
        for state in DeadlineState:
            if state is DeadlineState.DUE_SOON and soon is None:
                continue
            condition = state_condition(state, today, soon_before=soon)
            selected = {case_id for (case_id,) in Case.select(Case.id).where(condition).tuples()}
            wanted = {case_id for case_id, got in expected.items() if got is state}
            assert selected == wanted, (today, state)


def test_due_soon_without_the_horizon_is_refused(database) -> None:
    with pytest.raises(ValueError):
        state_condition(DeadlineState.DUE_SOON, D(2026, 11, 26))


def test_lists_and_handover_count_the_same_overdue_cases(story) -> None:
    with clock.frozen(dt.datetime(2026, 12, 4, 10, 0)):
        overdue = {story["short"], story["redispatched"]}
        assert count(CaseFilter(view="overdue")) == 2
        assert count(CaseFilter(view="due_today")) == 1
        late, total = handover.overdue()
        assert {case.id for case in late} == overdue
        assert total == 2
