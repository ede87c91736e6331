"""Separation of duties: nobody decides on the extension they requested themselves."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import audit, auth, cases, clock, workflow
from hotline.enums import Role
from hotline.errors import PermissionDenied
from hotline.models import AuditEntry, Case
from hotline.permissions import Actor
from tests.conftest import sample_case

NOW = dt.datetime(2026, 11, 23, 9, 30)
ADMIN = Actor("管理员", Role.ADMIN, None)


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield


def _account(username: str, role: Role) -> Actor:
    user = auth.create_user(ADMIN, username, username, role.value, "secret-123", must_change=False)
    return auth.actor_for(user)


def _requested_by(requester: Actor) -> Case:
    case = cases.register(requester, sample_case(received_at=NOW.isoformat()))
    case = workflow.dispatch(requester, case.id, 1)
    return workflow.request_extension(
        requester, case.id, case.deadline + dt.timedelta(days=3), "需现场核查"
    )


@pytest.mark.parametrize("approve", [True, False])
def test_the_requester_cannot_decide_on_their_own_extension(
    database, frozen_now, approve: bool
) -> None:
    lead = _account("lead1", Role.SHIFT_LEAD)
    case = _requested_by(lead)
    entries = AuditEntry.select().count()
    with pytest.raises(PermissionDenied) as refused:
        workflow.decide_extension(lead, case.id, approve, "同意")
    assert "您不能审批自己提出的延期申请" in refused.value.text
    stored = Case.get_by_id(case.id)
    assert (stored.extension_status, stored.version) == ("requested", case.version)
    assert AuditEntry.select().count() == entries
    assert "decide_extension" not in workflow.allowed_actions(stored, lead)


def test_another_shift_lead_decides_and_is_offered_it(database, frozen_now) -> None:
    requester = _account("lead1", Role.SHIFT_LEAD)
    other = _account("lead2", Role.SHIFT_LEAD)
    case = _requested_by(requester)
    assert "decide_extension" in workflow.allowed_actions(case, other)
    decided = workflow.decide_extension(other, case.id, True, "同意")
    assert decided.extension_status == "approved"
    assert audit.verify().ok


def test_an_administrator_who_requested_cannot_approve_either(database, frozen_now) -> None:
    admin = _account("boss", Role.ADMIN)
    case = _requested_by(admin)
    with pytest.raises(PermissionDenied):
        workflow.decide_extension(admin, case.id, True)
    # The same person at the command line is recognised by the account.
    with pytest.raises(PermissionDenied):
        workflow.decide_extension(Actor.command_line("boss", admin.user_id), case.id, True)
