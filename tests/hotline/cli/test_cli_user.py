"""Who acted, from the command line: ``--user`` names an account on an SQLite file, the OS
user is used otherwise, and every stored name says the work was done on the command line."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest

from hotline import db
from hotline.models import AuditEntry, Case, CaseEvent
from tests.conftest import sample_case
from tests.hotline.cli.conftest import Runner, add_account


def _stored(path: Path) -> tuple[int, list[tuple[str, int | None]]]:
    db.open_database(path)
    try:
        events = [(e.actor_name, e.user_id) for e in CaseEvent.select().order_by(CaseEvent.id)]
        return Case.select().count(), events
    finally:
        db.close()


def test_user_without_an_account_is_refused_and_nothing_is_written(
    run_cli: Runner, db_path: Path
) -> None:
    add_account(db_path, "night1", "夜班坐席")
    result = run_cli("--user", "nigth1", "intake", "-", stdin=json.dumps(sample_case()))
    assert result.code == 2
    assert "nigth1" in result.err and "SQLite" in result.err
    assert _stored(db_path) == (0, [])
    for command in (["search", "x"], ["audit", "verify"], ["export", "-o", "-"]):
        assert run_cli("--user", "nobody", *command).code == 2  # also where nothing is recorded


def test_an_inactive_account_is_refused(run_cli: Runner, db_path: Path) -> None:
    add_account(db_path, "gone1", "离职坐席", active=False)
    result = run_cli("--user", "gone1", "intake", "-", stdin=json.dumps(sample_case()))
    assert result.code == 2 and "gone1" in result.err and "停用" in result.err
    assert _stored(db_path) == (0, [])


def test_an_account_is_recorded_by_its_name_marked_as_command_line(
    run_cli: Runner, db_path: Path
) -> None:
    user_id = add_account(db_path, "night1", "夜班坐席")
    result = run_cli("--user", "night1", "intake", "-", stdin=json.dumps(sample_case()))
    assert result.code == 0, result.err
    assert _stored(db_path) == (1, [("夜班坐席（命令行）", user_id)])


@pytest.mark.parametrize(
    "name", ["ab\x1b[2J", "a\nb", "a\u200bb", "a\u202eb", "a\u2066b", "a\ud800b", "a\ufeffb"]
)
def test_control_and_invisible_characters_in_user_are_refused(
    run_cli: Runner, db_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli("--user", name, "intake", "-", stdin=json.dumps(sample_case()))
    assert result.code == 2
    assert "控制字符" in capsys.readouterr().err  # argparse's own message
    assert _stored(db_path) == (0, [])


def test_without_user_a_fresh_database_works_as_the_os_user(
    run_cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "clerk")
    fresh = tmp_path / "fresh.sqlite3"
    made = run_cli("init", "--admin", "admin", "--password-stdin", stdin="Admin#2026\n", db=fresh)
    assert made.code == 0, made.err
    intake = run_cli("intake", "-", stdin=json.dumps(sample_case()), db=fresh)
    assert intake.code == 0, intake.err
    assert _stored(fresh) == (1, [("clerk（命令行）", None)])
    demo = run_cli("demo", "--cases", "3", db=tmp_path / "demo.sqlite3")
    assert demo.code == 0, demo.err


def test_an_os_user_with_an_account_is_recorded_as_that_account(
    run_cli: Runner, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_id = add_account(db_path, "night1", "夜班坐席")
    monkeypatch.setattr(getpass, "getuser", lambda: "night1")
    result = run_cli("intake", "-", stdin=json.dumps(sample_case()))
    assert result.code == 0, result.err
    assert _stored(db_path) == (1, [("夜班坐席（命令行）", user_id)])
    db.open_database(db_path)
    try:
        assert AuditEntry.select().where(AuditEntry.actor == "夜班坐席（命令行）@cli").exists()
    finally:
        db.close()


def test_an_os_user_name_with_control_characters_is_refused(
    run_cli: Runner, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "evil\u202enimda")
    result = run_cli("intake", "-", stdin=json.dumps(sample_case()))
    assert result.code == 2
    assert "evil\\u202enimda" in result.err and "\u202e" not in result.err
    assert _stored(db_path) == (0, [])
