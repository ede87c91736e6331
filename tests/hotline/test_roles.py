"""Changing a user's role: audited; the last active administrator keeps the role."""

from __future__ import annotations

import json

import pytest

from hotline import audit, auth
from hotline.enums import Role
from hotline.errors import HotlineError, PermissionDenied, ValidationError
from hotline.models import AuditEntry, User
from hotline.permissions import Actor

SETUP = Actor("管理员", Role.ADMIN, None)


def _user(username: str, role: Role) -> User:
    return auth.create_user(SETUP, username, username, role.value, "secret-123", must_change=False)


def test_an_administrator_changes_a_role_and_it_is_audited(database) -> None:
    admin = _user("admin1", Role.ADMIN)
    seat = _user("seat1", Role.OPERATOR)
    changed = auth.change_role(auth.actor_for(admin), seat.id, "shift_lead")
    assert changed.role == Role.SHIFT_LEAD.value
    assert User.get_by_id(seat.id).role == Role.SHIFT_LEAD.value
    entry = AuditEntry.select().where(AuditEntry.action == "user.change_role").get()
    assert json.loads(entry.detail)["before"] == "operator"
    assert json.loads(entry.detail)["after"] == "shift_lead"
    assert audit.verify().ok


def test_the_last_administrator_cannot_be_demoted(database) -> None:
    admin = _user("admin1", Role.ADMIN)
    with pytest.raises(HotlineError) as refused:
        auth.change_role(auth.actor_for(admin), admin.id, "operator")
    assert "唯一在用的系统管理员" in refused.value.text
    assert User.get_by_id(admin.id).role == Role.ADMIN.value
    # An inactive administrator does not count: still the last one in use.
    other = _user("admin2", Role.ADMIN)
    auth.set_active(auth.actor_for(admin), other.id, False)
    with pytest.raises(HotlineError):
        auth.change_role(auth.actor_for(admin), admin.id, "manager")
    auth.set_active(auth.actor_for(admin), other.id, True)
    auth.change_role(auth.actor_for(admin), admin.id, "manager")
    assert User.get_by_id(admin.id).role == Role.MANAGER.value


def test_only_user_managers_change_roles_and_bad_roles_are_refused(database) -> None:
    admin = _user("admin1", Role.ADMIN)
    lead = _user("lead1", Role.SHIFT_LEAD)
    seat = _user("seat1", Role.OPERATOR)
    with pytest.raises(PermissionDenied):
        auth.change_role(auth.actor_for(lead), seat.id, "admin")
    with pytest.raises(ValidationError):
        auth.change_role(auth.actor_for(admin), seat.id, "superuser")
    with pytest.raises(ValidationError):
        auth.change_role(auth.actor_for(admin), seat.id, "operator")  # no change
    assert User.get_by_id(seat.id).role == Role.OPERATOR.value
