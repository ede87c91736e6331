"""``password``: a person changes their own password from the command line (an SQLite file
here; the one-time password on a per-person server in tests/hotline/pg_server)."""

from __future__ import annotations

from pathlib import Path

from hotline import auth, db
from hotline.models import User
from tests.hotline.cli.conftest import Runner, add_account


def _password_is(path: Path, username: str, password: str) -> bool:
    db.open_database(path)
    try:
        return auth.verify_password(User.get(User.username == username), password)
    finally:
        db.close()


def test_the_password_is_changed_with_the_old_one(run_cli: Runner, db_path: Path) -> None:
    add_account(db_path, "seat7", "坐席七")
    result = run_cli(
        "--user", "seat7", "--sign-in-stdin", "password", "--new-password-stdin",
        stdin="Seat#2026a\nNew-Seat#2027b\n",
    )  # fmt: skip
    assert (result.code, result.out.strip()) == (0, "已更改用户 seat7 的密码"), result.err
    assert _password_is(db_path, "seat7", "New-Seat#2027b")
    db.open_database(db_path)
    try:
        from hotline.models import AuditEntry

        assert AuditEntry.select().where(AuditEntry.action == "user.change_password").count() == 1
    finally:
        db.close()


def test_a_wrong_old_password_or_a_weak_new_one_changes_nothing(
    run_cli: Runner, db_path: Path
) -> None:
    add_account(db_path, "seat7", "坐席七")
    wrong = run_cli(
        "--user", "seat7", "--sign-in-stdin", "password", "--new-password-stdin",
        stdin="not-it\nNew-Seat#2027b\n",
    )  # fmt: skip
    assert wrong.code == 1 and "原密码不正确" in wrong.err
    weak = run_cli(
        "--user", "seat7", "--sign-in-stdin", "password", "--new-password-stdin",
        stdin="Seat#2026a\n123\n",
    )  # fmt: skip
    assert weak.code == 1 and "密码" in weak.err
    assert _password_is(db_path, "seat7", "Seat#2026a")


def test_without_a_terminal_the_passwords_must_come_from_standard_input(
    run_cli: Runner, db_path: Path
) -> None:
    add_account(db_path, "seat7", "坐席七")
    result = run_cli("--user", "seat7", "password")
    assert result.code == 2 and "--new-password-stdin" in result.err
    assert _password_is(db_path, "seat7", "Seat#2026a")
