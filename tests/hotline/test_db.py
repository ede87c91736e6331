"""Opening databases: refusals leave files untouched; migrations copy the file first."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from hotline import cases, db, migrations
from hotline.errors import DatabaseRefused
from hotline.models import Case, SchemaVersion
from hotline.search import search
from tests.conftest import sample_case
from tests.hotline import old_schema


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_current_with_pragmas(tmp_path: Path) -> None:
    handle = db.open_database(tmp_path / "new.sqlite3")
    try:
        assert migrations.current_version(handle) == migrations.latest_version()
        assert handle.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert handle.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert handle.execute_sql("PRAGMA busy_timeout").fetchone()[0] == db.BUSY_TIMEOUT_MS
        assert handle.execute_sql("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    finally:
        db.close()


def test_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("这不是数据库", encoding="utf-8")
    before = digest(path)
    with pytest.raises(DatabaseRefused) as info:
        db.open_database(path)
    assert "不是本程序的数据库" in info.value.text
    assert digest(path) == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
    before = digest(path)
    with pytest.raises(DatabaseRefused):
        db.open_database(path)
    db.close()
    assert digest(path) == before


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    db.open_database(path)
    SchemaVersion.create(
        version=999, description="from the future", applied_at="2030-01-01", program_version="9.9"
    )
    db.close()
    before = digest(path)
    with pytest.raises(DatabaseRefused) as info:
        db.open_database(path)
    db.close()
    assert "更新版本" in info.value.text
    assert digest(path) == before


def test_corrupt_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.sqlite3"
    db.open_database(path)
    db.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseRefused):
        db.open_database(path)
    db.close()


def test_migration_from_version_one_backs_up_and_indexes(tmp_path: Path, cli_actor) -> None:
    path = tmp_path / "old.sqlite3"
    handle = db.connect(path)
    migrations.upgrade(handle, str(path), up_to=1)
    assert migrations.current_version(handle) == 1
    # Version 1 had no search index nor case_contact: the row as version 1 wrote it.
    old_id = old_schema.case_before_19(
        handle,
        "YS20260302-0001",
        enterprise_id=old_schema.enterprise("鹤壁市华联商贸有限公司"),
        subject="老版本里的案件",
    )
    db.close()

    db.open_database(path)
    try:
        assert migrations.current_version(db.current()) == migrations.latest_version()
        backups = list(tmp_path.glob("old.sqlite3.v1-*.bak"))
        assert len(backups) == 1
        with sqlite3.connect(backups[0]) as conn:
            assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
        assert search("老版本").case_ids == [old_id]
        assert search("刘强").case_ids == [old_id]  # not confidential: found by its caller
        assert Case.select().count() == 1
    finally:
        db.close()


def test_environment_variable_chooses_the_database(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("HOTLINE_DB", str(target))
    db.open_database()
    db.close()
    assert target.exists()


def test_default_database_lives_in_the_data_directory(tmp_path: Path) -> None:
    db.open_database()
    db.close()
    assert (tmp_path / "home" / "hotline.sqlite3").exists()


def test_postgres_url_without_server_gives_a_clear_message() -> None:
    with pytest.raises(DatabaseRefused) as info:
        db.open_database("postgresql://nobody:secret@127.0.0.1:1/hotline")
    assert "secret" not in info.value.text
    assert "无法打开数据库" in info.value.text


def test_missing_file_is_not_silently_created(tmp_path: Path) -> None:
    path = tmp_path / "unmounted" / "hotline.sqlite3"
    with pytest.raises(DatabaseRefused) as info:
        db.open_database(path, create=False)
    assert "不存在" in info.value.text
    assert not path.exists()


def test_read_only_file_gives_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "ro.sqlite3"
    db.open_database(path)
    db.close()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode)
    )
    with pytest.raises(DatabaseRefused) as info:
        db.open_database(path)
    assert "只读" in info.value.text


def test_locked_database_gives_a_clear_message(tmp_path: Path, cli_actor, monkeypatch) -> None:
    from hotline.errors import DatabaseUnavailable

    path = tmp_path / "locked.sqlite3"
    handle = db.open_database(path)
    handle.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseUnavailable) as info:
            cases.register(cli_actor, sample_case())
        assert "占用" in info.value.text
    finally:
        other.execute("ROLLBACK")
        other.close()
        db.close()


def test_migration_from_version_five_adds_the_code_index(tmp_path: Path, cli_actor) -> None:
    path = tmp_path / "v5.sqlite3"
    handle = db.connect(path)
    migrations.upgrade(handle, str(path), up_to=5)
    made = old_schema.case_before_19(
        handle,
        "YS20260302-0001",
        enterprise_id=old_schema.enterprise("鹤壁市华联商贸有限公司", "91410600MA44XKQ35C"),
        subject="施工许可审批拖延",
        name="张伟",
        phone="13812340987",
    )
    handle.execute_sql("DROP TABLE case_code_fts")  # version 5 had only the bigram index
    db.close()

    db.open_database(path)
    try:
        assert migrations.current_version(db.current()) == migrations.latest_version()
        assert search("0987").case_ids == [made]  # a phone's last digits, from the new index
        assert search("91410600MA44XKQ35C").case_ids == [made]
    finally:
        db.close()


def test_a_migration_another_workstation_applied_meanwhile_is_skipped(
    database_target: str, monkeypatch
) -> None:
    """Two workstations start the new program at once: the second waits, then finds it done."""
    from hotline import clock

    handle = db.connect(database_target)
    migrations.upgrade(handle, database_target, up_to=5)
    SchemaVersion.delete().where(SchemaVersion.version > 5).execute()  # PostgreSQL's is fresh
    six = next(m for m in migrations.MIGRATIONS if m.version == 6)

    def meanwhile(target: str, version: int) -> None:  # runs after the version was read
        with handle.atomic():
            six.apply(handle)
            SchemaVersion.create(
                version=6, description="elsewhere", applied_at=clock.now(), program_version="x"
            )

    monkeypatch.setattr(migrations, "backup_before_migration", meanwhile)
    try:
        assert migrations.upgrade(handle, database_target) == migrations.latest_version()
        sixes = SchemaVersion.select().where(SchemaVersion.version == 6)
        assert [row.description for row in sixes] == ["elsewhere"]
    finally:
        db.close()


def test_a_new_file_locked_for_a_moment_by_another_desk_is_opened(tmp_path, monkeypatch) -> None:
    """Switching a new file to WAL needs it to itself for a moment; SQLite says "locked" at
    once (no busy timeout) when another workstation starting at the same time does the same.
    Opening tries again instead of refusing the database."""
    from peewee import OperationalError, SqliteDatabase

    real = SqliteDatabase.connect
    refusals = [OperationalError("database is locked")] * 2

    def connect(self, reuse_if_open=False):  # type: ignore[no-untyped-def]
        if refusals:
            raise refusals.pop()
        return real(self, reuse_if_open=reuse_if_open)

    monkeypatch.setattr(SqliteDatabase, "connect", connect)
    handle = db.open_database(tmp_path / "new.sqlite3")
    try:
        assert refusals == [] and handle.execute_sql("SELECT 1").fetchone() == (1,)
    finally:
        db.close()


def test_other_errors_while_connecting_are_not_retried(tmp_path, monkeypatch) -> None:
    from peewee import OperationalError, SqliteDatabase

    calls: list[int] = []

    def connect(self, reuse_if_open=False):  # type: ignore[no-untyped-def]
        calls.append(1)
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(SqliteDatabase, "connect", connect)
    with pytest.raises(DatabaseRefused, match="disk I/O error"):
        db.open_database(tmp_path / "new.sqlite3")
    assert calls == [1]
