"""Every allowed and refused transition of the case state machine."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import audit, clock, timeline, workflow
from hotline.enums import Status
from hotline.errors import ConflictError, HotlineError, PermissionDenied, ValidationError
from hotline.models import Case, CaseEvent
from tests.hotline.audit_count import program_entries
from tests.hotline.desk import LEAD, MANAGER, NOW, OPERATOR
from tests.hotline.desk import register_case as _case


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield


def _to(status: Status, **overrides) -> Case:
    """A case brought to ``status`` along the normal path."""
    case = _case(**overrides)
    if status == Status.REGISTERED:
        return case
    if status == Status.WITHDRAWN:
        return workflow.withdraw(OPERATOR, case.id, "重复登记")
    if status == Status.CLOSED and overrides.get("kind") == "consultation":
        return workflow.answer_on_spot(OPERATOR, case.id, "已解答")
    case = workflow.dispatch(OPERATOR, case.id, 1)
    if status == Status.DISPATCHED:
        return case
    if status == Status.RETURNED:
        return workflow.return_case(OPERATOR, case.id, "不属于本单位职责")
    case = workflow.reply(OPERATOR, case.id, "已办理")
    if status == Status.REPLIED:
        return case
    case = workflow.callback(OPERATOR, case.id, "满意", "")
    if status == Status.CALLED_BACK:
        return case
    return workflow.close(OPERATOR, case.id)


# (action, call) for every transition; the call takes a case id.
CALLS = {
    "answer_on_spot": lambda a, i: workflow.answer_on_spot(a, i, "已当场解答"),
    "dispatch": lambda a, i: workflow.dispatch(a, i, 2),
    "return": lambda a, i: workflow.return_case(a, i, "非本单位职责"),
    "request_extension": lambda a, i: workflow.request_extension(
        a, i, dt.date(2026, 12, 20), "需现场核查"
    ),
    "reply": lambda a, i: workflow.reply(a, i, "已答复企业"),
    "callback": lambda a, i: workflow.callback(a, i, "基本满意", "还行"),
    "close": lambda a, i: workflow.close(a, i, "企业无法联系"),
    "reopen": lambda a, i: workflow.reopen(a, i, "企业不满意"),
    "withdraw": lambda a, i: workflow.withdraw(a, i, "企业撤回"),
    "note": lambda a, i: workflow.add_note(a, i, "已电话联系"),
}

ALLOWED_FROM = {
    "answer_on_spot": {Status.REGISTERED},
    "dispatch": {Status.REGISTERED, Status.RETURNED},
    "return": {Status.DISPATCHED},
    "request_extension": {Status.DISPATCHED},
    "reply": {Status.DISPATCHED},
    "callback": {Status.REPLIED},
    "close": {Status.REPLIED, Status.CALLED_BACK},
    "reopen": {Status.CALLED_BACK, Status.CLOSED},
    "withdraw": set(Status) - {Status.CLOSED, Status.WITHDRAWN},
    "note": set(Status),
}

EXPECTED_TARGET = {
    "answer_on_spot": Status.CLOSED,
    "dispatch": Status.DISPATCHED,
    "return": Status.RETURNED,
    "reply": Status.REPLIED,
    "callback": Status.CALLED_BACK,
    "close": Status.CLOSED,
    "reopen": Status.REGISTERED,
    "withdraw": Status.WITHDRAWN,
}


@pytest.mark.parametrize("action", sorted(CALLS))
@pytest.mark.parametrize("status", list(Status))
def test_transition_table(database, frozen_now, action: str, status: Status) -> None:
    case = _to(status, kind="consultation" if action == "answer_on_spot" else "complaint")
    events_before = CaseEvent.select().where(CaseEvent.case == case.id).count()
    audit_before = program_entries()
    if status in ALLOWED_FROM[action]:
        updated = CALLS[action](OPERATOR, case.id)
        expected = EXPECTED_TARGET.get(action, status)
        assert updated.status == expected.value
        assert CaseEvent.select().where(CaseEvent.case == case.id).count() == events_before + 1
        assert program_entries() == audit_before + 1
    else:
        with pytest.raises(HotlineError):
            CALLS[action](OPERATOR, case.id)
        assert Case.get_by_id(case.id).status == status.value
        assert Case.get_by_id(case.id).version == case.version
        assert program_entries() == audit_before
    assert audit.verify().ok


def test_allowed_actions_follow_the_table(database, frozen_now) -> None:
    case = _to(Status.DISPATCHED)
    assert set(workflow.allowed_actions(case, OPERATOR)) == {
        "return",
        "request_extension",
        "reply",
        "withdraw",
        "note",
    }
    assert workflow.allowed_actions(case, MANAGER) == ["note"]


def test_manager_may_not_dispatch_and_nothing_changes(database, frozen_now) -> None:
    case = _case()
    with pytest.raises(PermissionDenied):
        workflow.dispatch(MANAGER, case.id, 1)
    assert Case.get_by_id(case.id).status == Status.REGISTERED.value


def test_only_a_shift_lead_approves_an_extension(database, frozen_now) -> None:
    case = _to(Status.DISPATCHED)
    case = workflow.request_extension(
        OPERATOR, case.id, case.deadline + dt.timedelta(days=7), "需要现场核查"
    )
    assert case.extension_status == "requested"
    with pytest.raises(PermissionDenied):
        workflow.decide_extension(OPERATOR, case.id, True)
    approved = workflow.decide_extension(LEAD, case.id, True, "同意")
    assert approved.deadline == case.extension_until
    assert approved.extended
    with pytest.raises(ValidationError):
        workflow.request_extension(
            OPERATOR, case.id, approved.deadline + dt.timedelta(days=1), "再延"
        )


def test_extension_cannot_pass_the_legal_limit(database, frozen_now) -> None:
    case = _to(Status.DISPATCHED)
    with pytest.raises(ValidationError) as info:
        workflow.request_extension(OPERATOR, case.id, NOW.date() + dt.timedelta(days=61), "太久")
    assert info.value.fields() == {"until"}


def test_extension_after_the_deadline_is_refused(database) -> None:
    with clock.frozen(NOW):
        case = _to(Status.DISPATCHED)
    with (
        clock.frozen(dt.datetime.combine(case.deadline + dt.timedelta(days=1), dt.time(10))),
        pytest.raises(ValidationError),
    ):
        workflow.request_extension(OPERATOR, case.id, case.deadline + dt.timedelta(days=5), "晚了")


def test_return_window_is_two_working_days(database) -> None:
    with clock.frozen(NOW):  # Monday
        case = _to(Status.DISPATCHED)
    with clock.frozen(NOW + dt.timedelta(days=3)), pytest.raises(ValidationError):  # Thursday
        workflow.return_case(OPERATOR, case.id, "非本单位职责")
    with clock.frozen(NOW + dt.timedelta(days=2)):  # Wednesday, second working day
        returned = workflow.return_case(OPERATOR, case.id, "非本单位职责")
    assert returned.status == Status.RETURNED.value
    assert returned.department_id is None


def test_dispatch_sets_a_working_day_deadline(database, frozen_now) -> None:
    case = workflow.dispatch(OPERATOR, _case().id, 1)
    # Complaint: 13 working days after Monday 2026-11-23 -> Thursday 2026-12-10.
    assert case.deadline == dt.date(2026, 12, 10)
    urgent = workflow.dispatch(OPERATOR, _case(urgency="紧急").id, 1)
    assert urgent.deadline == NOW.date()


def test_stale_version_is_refused_and_nothing_is_overwritten(database, frozen_now) -> None:
    case = _case()
    seen = case.version
    workflow.dispatch(LEAD, case.id, 1, expected_version=seen)
    with pytest.raises(ConflictError) as info:
        workflow.withdraw(OPERATOR, case.id, "撤回", expected_version=seen)
    assert "值班长乙" in info.value.text
    assert Case.get_by_id(case.id).status == Status.DISPATCHED.value


def test_a_note_does_not_make_open_forms_stale(database, frozen_now) -> None:
    case = _case()
    workflow.add_note(LEAD, case.id, "内部备注")
    dispatched = workflow.dispatch(OPERATOR, case.id, 1, expected_version=case.version)
    assert dispatched.status == Status.DISPATCHED.value


def test_reopen_starts_a_second_round(database, frozen_now) -> None:
    case = _to(Status.CALLED_BACK)
    reopened = workflow.reopen(OPERATOR, case.id, "企业不满意")
    assert reopened.round == 2
    assert reopened.department_id is None and reopened.satisfaction is None
    labels = [e.action for e in timeline.events(case.id)]
    assert labels == ["register", "dispatch", "reply", "callback", "reopen"]


def test_on_spot_answer_only_for_consultations(database, frozen_now) -> None:
    complaint = _case()
    with pytest.raises(ValidationError):
        workflow.answer_on_spot(OPERATOR, complaint.id, "答复")
    consultation = _case(kind="咨询")
    closed = workflow.answer_on_spot(OPERATOR, consultation.id, "已解答政策问题")
    assert closed.status == Status.CLOSED.value and closed.handled_at is not None


def test_closing_without_callback_needs_a_reason(database, frozen_now) -> None:
    case = _to(Status.REPLIED)
    with pytest.raises(ValidationError):
        workflow.close(OPERATOR, case.id)
    assert workflow.close(OPERATOR, case.id, "三次回访未接通").status == Status.CLOSED.value


def test_required_reasons(database, frozen_now) -> None:
    case = _to(Status.DISPATCHED)
    for call in (
        lambda: workflow.return_case(OPERATOR, case.id, "  "),
        lambda: workflow.reply(OPERATOR, case.id, ""),
        lambda: workflow.withdraw(OPERATOR, case.id, ""),
        lambda: workflow.add_note(OPERATOR, case.id, ""),
    ):
        with pytest.raises(ValidationError):
            call()
    with pytest.raises(ValidationError):
        workflow.callback(OPERATOR, _to(Status.REPLIED).id, "很好")
