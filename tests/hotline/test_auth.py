"""Sign-in: hashed passwords, a minimum strength, lockout after 5 failures, forced change."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
from typing import Literal

import pytest
from argon2 import PasswordHasher

from hotline import auth, clock, db
from hotline.errors import ValidationError
from hotline.models import AuditEntry, User
from hotline.permissions import Actor

NOW = dt.datetime(2026, 11, 25, 22, 0)

# The program's own passwords and lockout (SQLite, a server of one login). On a server set up by
# ``server setup`` PostgreSQL checks the password: tests/ui/start/test_server_sign_in.py and
# tests/hotline/pg_server/test_people.py.
pytestmark = pytest.mark.single_login("the program's own password check and lockout")


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


# -- issue 12, class 8: the lock screen counts, attempts are counted atomically, equal work --


class CountingHasher(PasswordHasher):
    """The tests' cheap hasher, recording which hashes each verification checked."""

    def __init__(self, gate: threading.Barrier | None = None) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checked: list[str] = []
        self.gate = gate
        self.lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self.lock:
            self.checked.append(hash if isinstance(hash, str) else hash.decode())
        if self.gate is not None:
            self.gate.wait(timeout=60)  # every attempt reaches its check before any goes on
        return super().verify(hash, password)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    hasher = CountingHasher()
    monkeypatch.setattr(auth, "hasher", hasher)
    return hasher


def test_unlocking_counts_failures_and_locks_like_sign_in(admin) -> None:
    with clock.frozen(NOW):
        with pytest.raises(auth.SignInFailed):
            auth.sign_in("admin", "wrong")  # failures at the two doors add up
        for _ in range(auth.MAX_FAILURES - 2):
            with pytest.raises(auth.SignInFailed) as info:
                auth.unlock(admin.id, "wrong")
            assert not isinstance(info.value, auth.AccountLocked)
        with pytest.raises(auth.AccountLocked) as info:
            auth.unlock(admin.id, "wrong")  # the fifth: locked at once, and said so
        assert info.value.text == "密码错误次数过多，账号已锁定，请 15 分钟后再试"
        with pytest.raises(auth.AccountLocked):
            auth.unlock(admin.id, "Adm1n-pass")  # the right password no longer opens it
        with pytest.raises(auth.AccountLocked):
            auth.sign_in("admin", "Adm1n-pass")
    with clock.frozen(NOW + auth.LOCKOUT + dt.timedelta(seconds=1)):
        assert auth.unlock(admin.id, "Adm1n-pass").failed_attempts == 0
    actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert actions.count("user.unlock_failed") == auth.MAX_FAILURES - 1
    assert actions[-1] == "user.unlock"


def test_a_right_password_resets_the_count(admin) -> None:
    with clock.frozen(NOW):
        for _ in range(auth.MAX_FAILURES - 1):
            with pytest.raises(auth.SignInFailed):
                auth.unlock(admin.id, "wrong")
        auth.unlock(admin.id, "Adm1n-pass")
        for _ in range(auth.MAX_FAILURES - 1):
            with pytest.raises(auth.SignInFailed) as info:
                auth.sign_in("admin", "wrong")
            assert not isinstance(info.value, auth.AccountLocked)


def test_every_answer_checks_exactly_one_hash(admin, counting: CountingHasher) -> None:
    """Unknown, inactive and locked accounts cost an Argon2 check like a wrong password."""
    actor = auth.actor_for(admin)
    auth.create_user(actor, "op1", "坐席乙", "operator", "Start-pass1", must_change=False)
    gone = auth.create_user(actor, "op2", "坐席丙", "operator", "Start-pass1", must_change=False)
    auth.set_active(actor, gone.id, False)
    with contextlib.suppress(auth.SignInFailed):
        auth.sign_in("nobody", "x")  # any dummy hash is made once, before the counting
    attempts = [
        lambda: auth.sign_in("admin", "Adm1n-pass"),
        lambda: auth.sign_in("admin", "wrong"),
        lambda: auth.sign_in("nobody", "wrong"),
        lambda: auth.sign_in("op2", "Start-pass1"),
        lambda: auth.unlock(admin.id, "wrong"),
        lambda: auth.unlock(987654, "wrong"),
    ]
    with clock.frozen(NOW):
        for _ in range(auth.MAX_FAILURES):
            with pytest.raises(auth.SignInFailed):
                auth.sign_in("op1", "wrong")
        attempts += [
            lambda: auth.sign_in("op1", "Start-pass1"),  # locked
            lambda: auth.sign_in("op1", "wrong"),
        ]
        for attempt in attempts:
            counting.checked.clear()
            with contextlib.suppress(auth.SignInFailed):
                attempt()
            assert len(counting.checked) == 1


def _attempt_in_own_connection(user_id: int, unlocking: bool) -> None:
    """One attempt from this thread's own connection (peewee's are per thread), as from
    another computer."""
    try:
        if unlocking:
            auth.unlock(user_id, "wrong")
        else:
            auth.sign_in("admin", "wrong")
    except auth.SignInFailed:
        pass
    finally:
        db.close()  # this thread's connection


@pytest.mark.parametrize("unlocking", [False, True], ids=["sign_in", "unlock"])
def test_parallel_attempts_get_no_more_checks_than_allowed(
    admin, monkeypatch: pytest.MonkeyPatch, unlocking: bool
) -> None:
    parallel = 2 * auth.MAX_FAILURES
    counting = CountingHasher()
    monkeypatch.setattr(auth, "hasher", counting)
    with contextlib.suppress(auth.SignInFailed):
        auth.sign_in("nobody", "x")  # any dummy hash is made once, before the counting
    counting.checked.clear()
    counting.gate = threading.Barrier(parallel)
    real = User.get_by_id(admin.id).password_hash
    threads = [
        threading.Thread(target=_attempt_in_own_connection, args=(admin.id, unlocking))
        for _ in range(parallel)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not counting.gate.broken  # type: ignore[union-attr]
    assert len(counting.checked) == parallel  # each attempt checked one hash ...
    assert counting.checked.count(real) == auth.MAX_FAILURES  # ... the real one only 5 times
    counting.gate = None
    with pytest.raises(auth.AccountLocked):
        auth.sign_in("admin", "Adm1n-pass")


def test_signing_out_is_audited(admin) -> None:
    user = auth.sign_in("admin", "Adm1n-pass")
    auth.sign_out(auth.SignedInUser.of(user))
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (last.action, last.entity_id, last.actor) == ("user.sign_out", str(user.id), "管理员甲")
    assert json.loads(last.detail) == {"reason": "user"}
