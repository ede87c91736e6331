"""Sign-in: hashed passwords, a minimum strength, lockout after 5 failures, forced change."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import auth, clock
from hotline.errors import ValidationError
from hotline.models import User
from hotline.permissions import Actor

NOW = dt.datetime(2026, 11, 25, 22, 0)


@pytest.fixture
def admin(database):
    return auth.create_first_admin("admin", "管理员甲", "Adm1n-pass")


def test_a_display_name_the_database_cannot_store_is_refused(admin) -> None:
    with pytest.raises(ValidationError) as info:
        auth.create_user(auth.actor_for(admin), "bob", "鲍\ud800勃", "operator", "Seat#2026a")
    assert info.value.fields() == {"display_name"}


def test_password_is_stored_as_argon2(admin) -> None:
    stored = User.get_by_id(admin.id).password_hash
    assert stored.startswith("$argon2id$") and "Adm1n-pass" not in stored
    assert auth.sign_in("admin", "Adm1n-pass").id == admin.id


@pytest.mark.parametrize("weak", ["short1", "onlyletters", "12345678", ""])
def test_weak_passwords_are_refused(admin, weak: str) -> None:
    with pytest.raises(ValidationError) as info:
        auth.create_user(auth.actor_for(admin), "op1", "坐席", "operator", weak)
    assert "password" in info.value.fields()


def test_five_failures_lock_the_account_for_a_while(admin) -> None:
    with clock.frozen(NOW):
        for _ in range(auth.MAX_FAILURES):
            with pytest.raises(auth.SignInFailed):
                auth.sign_in("admin", "wrong")
        with pytest.raises(auth.SignInFailed) as info:
            auth.sign_in("admin", "Adm1n-pass")  # right password, still locked
        assert "锁定" in info.value.text
    with clock.frozen(NOW + auth.LOCKOUT + dt.timedelta(seconds=1)):
        assert auth.sign_in("admin", "Adm1n-pass").failed_attempts == 0


def test_reset_forces_a_change_and_deactivation_blocks(admin) -> None:
    actor = auth.actor_for(admin)
    user = auth.create_user(actor, "op1", "坐席乙", "operator", "Start-pass1", must_change=False)
    auth.reset_password(actor, user.id, "Temp-pass1")
    signed = auth.sign_in("op1", "Temp-pass1")
    assert signed.must_change_password
    with pytest.raises(ValidationError):
        auth.change_password(signed, "Temp-pass1", "Temp-pass1")  # must differ
    auth.change_password(signed, "Temp-pass1", "New-pass22")
    assert not auth.sign_in("op1", "New-pass22").must_change_password
    auth.set_active(actor, user.id, False)
    with pytest.raises(auth.SignInFailed) as info:
        auth.sign_in("op1", "New-pass22")
    assert "停用" in info.value.text


def test_unknown_user_gets_the_same_message_as_a_wrong_password(admin) -> None:
    with pytest.raises(auth.SignInFailed) as unknown:
        auth.sign_in("nobody", "whatever1")
    with pytest.raises(auth.SignInFailed) as wrong:
        auth.sign_in("admin", "whatever1")
    assert unknown.value.text == wrong.value.text


def test_an_admin_cannot_deactivate_themselves(admin) -> None:
    from hotline.errors import HotlineError

    with pytest.raises(HotlineError):
        auth.set_active(auth.actor_for(admin), admin.id, False)
    assert isinstance(auth.actor_for(admin), Actor)
