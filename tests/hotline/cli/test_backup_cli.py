"""``backup`` and ``restore`` from the command line; a missing database is not created."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import sample_case


def _intake(run_cli, subject: str) -> None:
    result = run_cli("intake", "-", stdin=json.dumps(sample_case(subject=subject)))
    assert result.code == 0, result.err


def test_backup_then_restore(run_cli, db_path: Path, tmp_path: Path) -> None:
    _intake(run_cli, "第一件")
    copy = tmp_path / "copy.sqlite3"
    made = run_cli("--json", "backup", "-o", str(copy))
    assert made.code == 0, made.err
    assert made.json()["cases"] == 1
    _intake(run_cli, "第二件")
    restored = run_cli("--json", "restore", str(copy))
    assert restored.code == 0, restored.err
    kept = restored.json()["replaced_kept_at"]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute('select subject from "case"').fetchall() == [("第一件",)]
    with sqlite3.connect(kept) as conn:
        assert conn.execute('select count(*) from "case"').fetchone()[0] == 2
    assert run_cli("audit", "verify").code == 0


def test_restore_refuses_a_broken_file(run_cli, db_path: Path, tmp_path: Path) -> None:
    _intake(run_cli, "原有案件")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all")
    result = run_cli("restore", str(bad))
    assert result.code == 1 and "没有改动" in result.out
    with sqlite3.connect(db_path) as conn:
        assert conn.execute('select subject from "case"').fetchall() == [("原有案件",)]


def test_commands_do_not_create_a_missing_database(run_cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    result = run_cli("search", "企业", db=missing)
    assert result.code == 1 and "不存在" in (result.out + result.err)
    assert not missing.exists()


def _head(path: Path) -> tuple[int, str]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT last_id, last_hash FROM audit_head").fetchone()


def _cut_tail(path: Path, keep: int) -> None:
    with sqlite3.connect(path) as conn:
        (digest,) = conn.execute("SELECT hash FROM audit_entry WHERE id = ?", (keep,)).fetchone()
        conn.execute("DELETE FROM audit_entry WHERE id > ?", (keep,))
        conn.execute("UPDATE audit_head SET last_id = ?, last_hash = ?", (keep, digest))


def test_backup_prints_and_records_its_audit_anchor(run_cli, db_path: Path, tmp_path) -> None:
    for n in range(3):
        _intake(run_cli, f"案件{n}")
    made = run_cli("--json", "backup", "-o", str(tmp_path / "a.sqlite3"))
    assert made.code == 0, made.err
    entry, digest = _head(db_path)
    assert entry >= 3
    assert (made.json()["audit_last_entry"], made.json()["audit_last_hash"]) == (entry, digest)
    text = run_cli("backup", "-o", str(tmp_path / "b.sqlite3"))
    assert f"审计锚点：第 {entry} 条 · 哈希 {digest[:16]}…" in text.out
    assert f"--expect {entry}:{digest}" in text.out
    assert (tmp_path / "b.sqlite3.audit.json").exists()


def test_a_backup_whose_chain_was_cut_is_refused(run_cli, db_path: Path, tmp_path) -> None:
    for n in range(3):
        _intake(run_cli, f"案件{n}")
    copy = tmp_path / "copy.sqlite3"
    made = run_cli("--json", "backup", "-o", str(copy))
    anchor = f"{made.json()['audit_last_entry']}:{made.json()['audit_last_hash']}"
    _intake(run_cli, "恢复前最后一件")
    _cut_tail(copy, 1)  # the backup alone still verifies: its head moved back with it
    result = run_cli("restore", str(copy))
    assert result.code == 1 and "备份时记下" in result.out, result.out + result.err
    (tmp_path / "copy.sqlite3.audit.json").unlink()  # the record beside it gone as well
    result = run_cli("restore", "--expect", anchor, str(copy))
    assert result.code == 1 and "锚点不符" in result.out, result.out + result.err
    with sqlite3.connect(db_path) as conn:
        assert conn.execute('select count(*) from "case"').fetchone()[0] == 4
