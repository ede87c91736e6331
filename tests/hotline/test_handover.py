"""Shift handover notes and the cases the next shift must watch."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import cases, clock, handover, workflow
from hotline.enums import Role
from hotline.errors import PermissionDenied, ValidationError
from hotline.models import AuditEntry, Department
from hotline.permissions import Actor
from tests.conftest import sample_case

OPERATOR = Actor("坐席甲", Role.OPERATOR, None)
MANAGER = Actor("科长丙", Role.MANAGER, None)
MONDAY = dt.datetime(2026, 11, 23, 9, 30)


def test_note_is_written_audited_and_latest(database):
    with clock.frozen(MONDAY):
        handover.write_note(OPERATOR, "早班：华联商贸的审批案件待回电")
    with clock.frozen(MONDAY + dt.timedelta(hours=8)):
        handover.write_note(OPERATOR, "  晚班：无特别事项  ")
    note = handover.latest_note()
    assert note.text == "晚班：无特别事项"
    assert note.author_name == "坐席甲"
    assert AuditEntry.select().where(AuditEntry.action == "handover.write").count() == 2


def test_empty_note_is_refused(database):
    with pytest.raises(ValidationError) as info:
        handover.write_note(OPERATOR, "   ")
    assert info.value.fields() == {"text"}
    assert handover.latest_note() is None


@pytest.mark.parametrize("text", ["交班\x00说明", "交班\ud800说明"])
def test_unstorable_characters_are_refused(database, text: str):
    with pytest.raises(ValidationError) as info:
        handover.write_note(OPERATOR, text)
    assert info.value.fields() == {"text"}
    assert handover.latest_note() is None


def test_role_without_permission_is_refused(database):
    with pytest.raises(PermissionDenied):
        handover.write_note(MANAGER, "交接")


def test_summary_lists_open_urgent_and_overdue_cases(database):
    department = Department.select().first()
    with clock.frozen(MONDAY):
        urgent = cases.register(OPERATOR, sample_case(urgency="urgent", subject="紧急停电"))
        closed_urgent = cases.register(
            OPERATOR, sample_case(urgency="urgent", kind="consultation", subject="已答复咨询")
        )
        workflow.answer_on_spot(OPERATOR, closed_urgent.id, "已解答")
        late = cases.register(
            OPERATOR,
            sample_case(subject="逾期案件", enterprise={"name": "另一家公司"}, category="policy"),
        )
        workflow.dispatch(OPERATOR, late.id, department.id)
        handover.write_note(OPERATOR, "交班")
    with clock.frozen(MONDAY + dt.timedelta(days=30)):
        cases.register(OPERATOR, sample_case(subject="本班新案", enterprise={"name": "第三家"}))
        summary = handover.shift_summary()
    assert [c.id for c in summary.urgent] == [urgent.id]
    assert summary.urgent_total == 1
    assert [c.id for c in summary.overdue] == [late.id]
    assert summary.overdue[0].department.name == department.name
    assert summary.overdue[0].enterprise.name == "另一家公司"
    assert summary.note.text == "交班"
    assert summary.registered_in_shift == 1


def test_history_is_newest_first_with_author_time_and_text(database):
    lead = Actor("值班长乙", Role.SHIFT_LEAD, None)
    assert handover.history() == ([], 0)
    with clock.frozen(MONDAY):
        handover.write_note(OPERATOR, "早班：华联商贸的审批案件待回电")
    with clock.frozen(MONDAY + dt.timedelta(hours=8)):
        handover.write_note(lead, "晚班：\n两件退回待重派")
    with clock.frozen(MONDAY + dt.timedelta(hours=16)):
        handover.write_note(OPERATOR, "夜班：无特别事项")
    notes, total = handover.history(limit=2)
    assert total == 3
    assert [(n.author_name, n.written_at, n.text) for n in notes] == [
        ("坐席甲", MONDAY + dt.timedelta(hours=16), "夜班：无特别事项"),
        ("值班长乙", MONDAY + dt.timedelta(hours=8), "晚班：\n两件退回待重派"),
    ]
