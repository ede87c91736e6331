"""The centre's setting for incoming calls over HTTP: off by default, stored, audited without
the token, checked (hotline/call_listener_policy.py)."""

from __future__ import annotations

import json

import pytest

from hotline import audit, audit_text, call_listener_policy
from hotline.call_listener_policy import CallListenerPolicy
from hotline.enums import Role
from hotline.errors import PermissionDenied, ValidationError
from hotline.models import AuditEntry, Setting
from hotline.permissions import Actor

ADMIN = Actor("管理员", Role.ADMIN, 1)
TOKEN = "a" * 24


def test_off_until_an_administrator_turns_it_on(database) -> None:
    assert call_listener_policy.load() == CallListenerPolicy()
    assert not CallListenerPolicy().enabled


def test_the_setting_is_stored_and_audited_without_the_token(database) -> None:
    call_listener_policy.save(ADMIN, CallListenerPolicy(True, 48000, TOKEN))
    call_listener_policy.save(ADMIN, CallListenerPolicy(True, 48000, "b" * 24))
    assert call_listener_policy.load() == CallListenerPolicy(True, 48000, "b" * 24)
    entries = list(
        AuditEntry.select()
        .where(AuditEntry.action == "policy.call_listener")
        .order_by(AuditEntry.id)
    )
    assert len(entries) == 2
    assert all(TOKEN not in e.detail and "b" * 24 not in e.detail for e in entries)
    assert json.loads(entries[1].detail)["after"]["token_changed"] is True
    assert audit.verify().ok
    [first, second] = [e for e in audit.entries(ADMIN) if e.action == "policy.call_listener"][::-1]
    names = audit_text.Names(users={}, departments={}, districts={}, enterprises={})
    assert audit_text.sentence(first, names) == "开启来电弹屏的 HTTP 接口：127.0.0.1 端口 48000"
    assert audit_text.sentence(second, names).endswith("令牌已更换")


@pytest.mark.parametrize(
    ("policy", "field"),
    [
        (CallListenerPolicy(True, 80, TOKEN), "port"),
        (CallListenerPolicy(True, 48000, "short"), "token"),
        (CallListenerPolicy(True, 48000, "含中文的令牌" * 4), "token"),
        (CallListenerPolicy(True, 48000, "with space" * 3), "token"),
    ],
)
def test_a_bad_setting_is_refused_by_field(database, policy, field) -> None:
    with pytest.raises(ValidationError) as caught:
        call_listener_policy.save(ADMIN, policy)
    assert [p.field for p in caught.value.problems] == [field]
    assert call_listener_policy.load() == CallListenerPolicy()


def test_only_an_administrator_changes_it(database) -> None:
    with pytest.raises(PermissionDenied):
        call_listener_policy.save(
            Actor("坐席", Role.OPERATOR, 2), CallListenerPolicy(True, 48000, TOKEN)
        )


def test_an_unreadable_stored_setting_means_off(database) -> None:
    Setting.insert(key=call_listener_policy.SETTING_KEY, value="{not json").execute()
    assert call_listener_policy.load() == CallListenerPolicy()


def test_a_new_token_is_long_and_different_each_time() -> None:
    first, second = call_listener_policy.new_token(), call_listener_policy.new_token()
    assert first != second and len(first) >= call_listener_policy.MIN_TOKEN
