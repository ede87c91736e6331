"""Backups made while writing restore to identical data; bad backups are refused."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest

from hotline import audit, backup, cases, clock, db
from hotline.errors import HotlineError
from hotline.models import Case
from tests.conftest import sample_case


def _rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            'SELECT case_no, subject, status, version FROM "case" ORDER BY id'
        ).fetchall()


def test_backup_during_writes_restores_identically(tmp_path: Path, cli_actor) -> None:
    live = tmp_path / "live.sqlite3"
    db.open_database(live)
    for n in range(20):
        cases.register(cli_actor, sample_case(subject=f"备份前{n}"))
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < 200:
            cases.register(cli_actor, sample_case(subject=f"备份中{n}"))
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copy = backup.backup_to(tmp_path / "copy.sqlite3", str(live))
    finally:
        stop.set()
        thread.join()
    db.close()
    check = backup.check_backup(copy)
    assert check.ok, check.problem
    assert check.cases >= 20

    fresh = tmp_path / "elsewhere" / "restored.sqlite3"
    fresh.parent.mkdir()
    assert backup.restore_from(copy, str(fresh)) is None
    assert _rows(fresh) == _rows(copy)
    db.open_database(fresh)
    try:
        assert audit.verify().ok
        assert Case.select().count() == check.cases
    finally:
        db.close()


def test_corrupt_backup_is_refused_and_current_database_untouched(
    tmp_path: Path, cli_actor
) -> None:
    live = tmp_path / "live.sqlite3"
    db.open_database(live)
    cases.register(cli_actor, sample_case())
    copy = backup.backup_to(tmp_path / "copy.sqlite3", str(live))
    db.close()
    data = bytearray(copy.read_bytes())
    data[4096 : 4096 * 3] = b"\x00\x13" * 4096
    copy.write_bytes(bytes(data))
    before = _rows(live)
    assert not backup.check_backup(copy).ok
    with pytest.raises(HotlineError):
        backup.restore_from(copy, str(live))
    assert _rows(live) == before


def test_backup_with_a_broken_audit_chain_is_refused(tmp_path: Path, cli_actor) -> None:
    live = tmp_path / "live.sqlite3"
    db.open_database(live)
    cases.register(cli_actor, sample_case())
    db.close()
    copy = backup.backup_to(tmp_path / "copy.sqlite3", str(live))
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE audit_entry SET actor = 'x' WHERE id = 1")
    check = backup.check_backup(copy)
    assert not check.ok and "审计链" in check.problem


def test_restore_keeps_the_replaced_database(tmp_path: Path, cli_actor) -> None:
    live = tmp_path / "live.sqlite3"
    db.open_database(live)
    cases.register(cli_actor, sample_case(subject="旧的"))
    copy = backup.backup_to(tmp_path / "copy.sqlite3", str(live))
    cases.register(cli_actor, sample_case(subject="备份之后"))
    db.close()
    kept = backup.restore_from(copy, str(live))
    assert kept is not None and len(_rows(kept)) == 2
    assert [r[1] for r in _rows(live)] == ["旧的"]


@pytest.mark.sqlite_only("automatic backups copy the SQLite file")
def test_automatic_backups_rotate(tmp_path: Path, database) -> None:
    folder = tmp_path / "backups"
    start = dt.datetime(2026, 11, 1, 8, 0)
    for day in range(10):
        with clock.frozen(start + dt.timedelta(days=day)):
            assert backup.auto_backup(folder, keep=3) is not None
            assert backup.auto_backup(folder, keep=3) is None  # not due again the same day
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "auto-20261108-080000.sqlite3",
        "auto-20261109-080000.sqlite3",
        "auto-20261110-080000.sqlite3",
    ]


@pytest.mark.sqlite_only("backup copies the SQLite file")
def test_existing_output_is_not_overwritten(tmp_path: Path, database) -> None:
    out = tmp_path / "exists.sqlite3"
    out.write_text("keep me")
    with pytest.raises(HotlineError):
        backup.backup_to(out)
    assert out.read_text() == "keep me"
