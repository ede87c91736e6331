"""The centre's idle-lock policy caps every workstation's idle lock."""

from __future__ import annotations

import pytest

from hotline import audit, lock_policy
from hotline.enums import Role
from hotline.errors import PermissionDenied, ValidationError
from hotline.lock_policy import IdleLockPolicy
from hotline.models import AuditEntry
from hotline.permissions import Actor

ADMIN = Actor("管理员", Role.ADMIN, 1)


def test_the_effective_time_is_capped_and_off_only_when_allowed() -> None:
    strict = IdleLockPolicy(max_minutes=10, allow_off=False)
    assert [strict.effective(m) for m in (0, 5, 10, 60)] == [10, 5, 10, 10]
    lenient = IdleLockPolicy(max_minutes=60, allow_off=True)
    assert [lenient.effective(m) for m in (0, 5, 90)] == [0, 5, 60]


def test_the_policy_is_stored_audited_and_checked(database) -> None:
    assert lock_policy.load() == IdleLockPolicy()
    lock_policy.save(ADMIN, IdleLockPolicy(max_minutes=12, allow_off=True))
    assert lock_policy.load() == IdleLockPolicy(12, True)
    assert AuditEntry.select().where(AuditEntry.action == "policy.idle_lock").count() == 1
    with pytest.raises(ValidationError):
        lock_policy.save(ADMIN, IdleLockPolicy(max_minutes=0))
    with pytest.raises(PermissionDenied):
        lock_policy.save(Actor("坐席", Role.OPERATOR, 2), IdleLockPolicy(5))
    assert lock_policy.load() == IdleLockPolicy(12, True)
    assert audit.verify().ok
