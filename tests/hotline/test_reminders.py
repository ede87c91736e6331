"""Reminders: each kind, who gets which, and what counts as new since the previous check."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import case_queries, cases, clock, reminders, workflow
from hotline.case_queries import CaseFilter
from hotline.enums import Role
from hotline.permissions import Actor
from tests.conftest import sample_case

OPERATOR = Actor("坐席甲", Role.OPERATOR, None)
LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
MONDAY = dt.datetime(2026, 11, 23, 9, 30)


def _case(**overrides):
    return cases.register(OPERATOR, sample_case(received_at=MONDAY.isoformat(), **overrides))


def _dispatched(**overrides):
    return workflow.dispatch(OPERATOR, _case(**overrides).id, 1)


def test_roles_get_the_reminders_of_their_work() -> None:
    assert reminders.kinds_for(Role.OPERATOR) == (
        "awaiting_callback",
        "returned",
        "due_today",
        "due_tomorrow",
    )
    assert "extension_requests" in reminders.kinds_for(Role.SHIFT_LEAD)
    # Those who chase departments hear of a co-handling part past its deadline.
    assert "assist_overdue" in reminders.kinds_for(Role.SHIFT_LEAD)
    assert reminders.kinds_for(Role.MANAGER) == ("due_today", "due_tomorrow", "assist_overdue")
    # The department's queues are a department's: the centre's administrator has the rest.
    assert set(reminders.kinds_for(Role.ADMIN)) == set(reminders.KINDS) - {
        "to_accept",
        "supervised",
        "dept_assist",
        "assist_answered",
    }
    assert reminders.kinds_for(Role.DEPARTMENT) == (
        "to_accept",
        "supervised",
        "dept_assist",
        "assist_answered",
    )
    assert not reminders.view_allowed("extension_requests", Role.OPERATOR)
    assert reminders.view_allowed("extension_requests", Role.SHIFT_LEAD)
    assert reminders.view_allowed("awaiting_callback", Role.MANAGER)


def test_each_kind_is_counted(database) -> None:
    with clock.frozen(MONDAY):
        replied = workflow.reply(OPERATOR, _dispatched().id, "已办理")
        returned = workflow.return_case(OPERATOR, _dispatched().id, "非本单位职责")
        urgent = _dispatched(urgency="紧急")  # due the same working day
        asked = workflow.request_extension(
            OPERATOR, _dispatched().id, dt.date(2026, 12, 20), "需现场核查"
        )
        consultation = _dispatched(kind="咨询")  # 3 working days: Thursday 26th
        _case()  # registered only: no reminder
        lead = reminders.check(Role.SHIFT_LEAD)
        operator = reminders.check(Role.OPERATOR)
    assert lead.counts == {
        "awaiting_callback": 1,
        "returned": 1,
        "extension_requests": 1,
        "due_today": 1,
        "due_tomorrow": 0,
        "assist_overdue": 0,
    }
    assert lead.marks.ids["awaiting_callback"] == {replied.id}
    assert lead.marks.ids["returned"] == {returned.id}
    assert lead.marks.ids["extension_requests"] == {asked.id}
    assert lead.marks.ids["due_today"] == {urgent.id}
    assert "extension_requests" not in operator.counts  # not an operator's decision
    assert operator.total == 3
    with clock.frozen(dt.datetime(2026, 11, 25, 8)):  # Wednesday: Thursday is tomorrow
        assert reminders.check(Role.MANAGER).marks.ids["due_tomorrow"] == {consultation.id}


def test_tomorrow_spans_the_weekend(database) -> None:
    with clock.frozen(dt.datetime(2026, 11, 25, 9)):  # Wednesday + 3 working days: Monday
        case = _dispatched(kind="咨询")
    assert case.deadline == dt.date(2026, 11, 30)
    with clock.frozen(dt.datetime(2026, 11, 26, 9)):  # Thursday: not yet
        assert reminders.check(Role.OPERATOR).counts["due_tomorrow"] == 0
    with clock.frozen(dt.datetime(2026, 11, 27, 9)):  # Friday: the next working day
        assert reminders.check(Role.OPERATOR).counts["due_tomorrow"] == 1
        assert case_queries.count(CaseFilter(view="due_tomorrow")) == 1
    with clock.frozen(dt.datetime(2026, 11, 30, 9)):  # Monday: due today instead
        found = reminders.check(Role.OPERATOR)
    assert found.counts["due_tomorrow"] == 0 and found.counts["due_today"] == 1


def test_new_since_the_previous_check(database) -> None:
    with clock.frozen(MONDAY):
        waiting = workflow.reply(OPERATOR, _dispatched().id, "已办理")
        first = reminders.check(Role.OPERATOR)
        assert first.counts["awaiting_callback"] == 1
        assert not first.any_new  # the first check of a session only takes the marks
        again = reminders.check(Role.OPERATOR, first.marks)
        assert not again.any_new  # nothing happened meanwhile
        fresh = workflow.reply(OPERATOR, _dispatched().id, "已办理")
        sent_back = workflow.return_case(OPERATOR, _dispatched().id, "非本单位职责")
        second = reminders.check(Role.OPERATOR, again.marks)
        assert second.new["awaiting_callback"] == (fresh.id,)
        assert second.new["returned"] == (sent_back.id,)
        assert second.counts["awaiting_callback"] == 2
        assert not reminders.check(Role.OPERATOR, second.marks).any_new  # said once
        # A case that left a queue and comes back is new again.
        workflow.dispatch(OPERATOR, sent_back.id, 2)
        third = reminders.check(Role.OPERATOR, second.marks)
        assert third.counts["returned"] == 0 and not third.any_new
        workflow.return_case(OPERATOR, sent_back.id, "仍非本单位职责")
        fourth = reminders.check(Role.OPERATOR, third.marks)
        assert fourth.new["returned"] == (sent_back.id,)
        assert fourth.without({sent_back.id}).new["returned"] == ()
    assert waiting.id not in fourth.new["awaiting_callback"]


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.MANAGER])
def test_extension_requests_are_news_only_for_those_who_decide(database, role) -> None:
    with clock.frozen(MONDAY):
        case = _dispatched()
        lead_before = reminders.check(Role.SHIFT_LEAD)
        other_before = reminders.check(role)
        workflow.request_extension(OPERATOR, case.id, dt.date(2026, 12, 20), "需现场核查")
        assert reminders.check(Role.SHIFT_LEAD, lead_before.marks).new["extension_requests"] == (
            case.id,
        )
        assert not reminders.check(role, other_before.marks).any_new
