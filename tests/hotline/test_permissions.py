"""Every service call, every role: allowed calls succeed, refused ones raise and change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from hotline import auth, cases, clock, corrections, enterprises, workflow
from hotline.enums import Role
from hotline.errors import PermissionDenied
from hotline.models import AuditEntry, Case, CaseEvent, User
from hotline.permissions import PERMISSIONS, Action, Actor
from tests.conftest import sample_case
from tests.hotline.desk import add_people, department_person
from tests.pg_person import SERVER_CLOCK

NOW = dt.datetime(2026, 11, 23, 9, 30)
SETUP = Actor.command_line("setup")


def _registered() -> Case:
    return cases.register(SETUP, sample_case(received_at=NOW.isoformat()))


def _dispatched() -> Case:
    return workflow.dispatch(SETUP, _registered().id, 1)


def _urgent_dispatched() -> Case:
    case = cases.register(SETUP, sample_case(urgency="紧急"))
    return workflow.dispatch(SETUP, case.id, 1)


def _confidential_dispatched() -> Case:
    case = cases.register(SETUP, sample_case(confidential=True))
    return workflow.dispatch(SETUP, case.id, 1)


def _replied() -> Case:
    return workflow.reply(SETUP, _dispatched().id, "已办理")


def _called_back() -> Case:
    return workflow.callback(SETUP, _replied().id, "不满意", "没解决")


def _extension_requested() -> Case:
    case = _dispatched()
    return workflow.request_extension(SETUP, case.id, case.deadline + dt.timedelta(days=3), "核查")


def _consultation() -> Case:
    return cases.register(SETUP, sample_case(kind="咨询", received_at=NOW.isoformat()))


def _user() -> User:
    return auth.create_user(SETUP, "victim", "被操作用户", "operator", "Passw0rd!x")


# name -> (permission, prepare, call(actor, prepared))
CALLS: dict[str, tuple[Action, Callable[[], Any], Callable[[Actor, Any], Any]]] = {
    "register": (Action.CASE_REGISTER, lambda: None, lambda a, _: cases.register(a, sample_case())),
    "register_many": (
        Action.CASE_REGISTER,
        lambda: None,
        lambda a, _: cases.register_many(a, [sample_case()]),
    ),
    "answer_on_spot": (
        Action.CASE_ANSWER_ON_SPOT,
        _consultation,
        lambda a, c: workflow.answer_on_spot(a, c.id, "已解答"),
    ),
    "dispatch": (Action.CASE_DISPATCH, _registered, lambda a, c: workflow.dispatch(a, c.id, 1)),
    "return": (
        Action.CASE_RETURN,
        _dispatched,
        lambda a, c: workflow.return_case(a, c.id, "非本单位"),
    ),
    "request_extension": (
        Action.CASE_REQUEST_EXTENSION,
        _dispatched,
        lambda a, c: workflow.request_extension(a, c.id, c.deadline + dt.timedelta(days=2), "核查"),
    ),
    "decide_extension": (
        Action.CASE_DECIDE_EXTENSION,
        _extension_requested,
        lambda a, c: workflow.decide_extension(a, c.id, True),
    ),
    "reply": (
        Action.CASE_REPLY,
        _dispatched,
        lambda a, c: workflow.reply(a, c.id, "答复", resolution="resolved", contact_made=True),
    ),
    "accept": (Action.CASE_ACCEPT, _dispatched, lambda a, c: workflow.accept(a, c.id)),
    "supervise": (
        Action.CASE_SUPERVISE,
        _urgent_dispatched,
        lambda a, c: workflow.supervise(a, c.id, "请加快", 2, "reminder"),
    ),
    "grant_caller": (
        Action.CASE_GRANT_CALLER,
        _confidential_dispatched,
        lambda a, c: workflow.grant_caller(a, c.id, "需联系来电人"),
    ),
    "callback": (Action.CASE_CALLBACK, _replied, lambda a, c: workflow.callback(a, c.id, "满意")),
    "close": (Action.CASE_CLOSE, _called_back, lambda a, c: workflow.close(a, c.id)),
    "reopen": (Action.CASE_REOPEN, _called_back, lambda a, c: workflow.reopen(a, c.id, "重办")),
    "withdraw": (
        Action.CASE_WITHDRAW,
        _registered,
        lambda a, c: workflow.withdraw(a, c.id, "撤回"),
    ),
    "note": (Action.CASE_ADD_NOTE, _dispatched, lambda a, c: workflow.add_note(a, c.id, "备注")),
    "correct": (
        Action.CASE_CORRECT,
        _registered,
        lambda a, c: corrections.correct(a, c.id, {"subject": "更正"}, "核对", expected_version=1),
    ),
    "correct_closed": (
        Action.CASE_CORRECT_CLOSED,
        lambda: workflow.withdraw(SETUP, _registered().id, "撤回"),
        lambda a, c: corrections.correct(
            a, c.id, {"subject": "更正"}, "核对", expected_version=c.version
        ),
    ),
    "update_enterprise": (
        Action.CASE_REGISTER,
        _registered,
        lambda a, c: enterprises.update_details(
            a, c.enterprise_id, industry="零售", steward_name="刘专员", steward_phone="13600001234"
        ),
    ),
    "create_user": (
        Action.USER_MANAGE,
        lambda: None,
        lambda a, _: auth.create_user(a, "newbie", "新人", "operator", "Passw0rd!x"),
    ),
    "reset_password": (
        Action.USER_MANAGE,
        _user,
        lambda a, u: auth.reset_password(a, u.id, "Temp0rary!x"),
    ),
    "deactivate": (Action.USER_MANAGE, _user, lambda a, u: auth.set_active(a, u.id, False)),
}


def _state() -> tuple[int, int, int, list[tuple]]:
    return (
        AuditEntry.select().count(),
        CaseEvent.select().count(),
        User.select().count(),
        list(Case.select(Case.id, Case.status, Case.version).tuples()),
    )


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=SERVER_CLOCK) if n == "return" else n for n in sorted(CALLS)]
)
def test_permission_table_is_enforced(database, role: Role, name: str) -> None:
    permission, prepare, call = CALLS[name]
    with clock.frozen(NOW):
        prepared = prepare()
        if role is Role.DEPARTMENT:  # a person of the cases' department
            actor = department_person(f"{role.value}-user", 1, 901)
            add_people(actor)
        else:
            actor = Actor(f"{role.value}-user", role, None)
        if role is Role.DEPARTMENT and name in ("reply", "request_extension"):
            workflow.accept(actor, prepared.id)  # a department accepts before working
        before = _state()
        if permission in PERMISSIONS[role]:
            call(actor, prepared)
            assert _state() != before
        else:
            with pytest.raises(PermissionDenied):
                call(actor, prepared)
            assert _state() == before


def test_every_action_a_role_has_is_exercised() -> None:
    exercised = {permission for permission, _, _ in CALLS.values()}
    case_work = {
        a
        for a in Action
        if a.value.startswith("case.")
        and a
        not in (
            Action.CASE_VIEW,
            Action.CASE_VIEW_CONFIDENTIAL,
            Action.CASE_EXPORT,
            Action.CASE_IMPORT,
        )
    }
    assert case_work <= exercised
