"""Private files (issue 12, class 7): what the program writes is readable by its owner only.

The database and SQLite's files beside it, backups (made by hand, automatic, before a
migration), drafts, logs (rotated ones too), exports, reports and rejects files are ``0600``;
the folders the program creates are ``0700``; a folder the user chose keeps its mode. The
umask is the usual ``022`` here, under which files used to come out ``0644``.
"""

from __future__ import annotations

import io
import json
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline import backup, cli, db, drafts, logsetup, paths
from tests.conftest import sample_case

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _run(*args: str, stdin: str = "") -> int:
    out, err = io.StringIO(), io.StringIO()
    return cli.main(list(args), stdin=io.StringIO(stdin), stdout=out, stderr=err)


def test_a_new_database_and_its_wal_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "hotline.sqlite3"
    db.open_database(path)
    try:
        db.current().execute_sql("SELECT count(*) FROM schema_version").fetchone()
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert name.exists() and mode(name) == 0o600, name
    finally:
        db.close()
    assert mode(tmp_path / "new") == mode(tmp_path / "new" / "deeper") == 0o700


def test_the_data_and_log_folders_are_created_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "fresh" / "home"
    monkeypatch.setenv("HOTLINE_HOME", str(home))
    assert paths.data_dir() == home
    assert mode(home) == mode(home.parent) == 0o700
    assert mode(paths.log_dir()) == 0o700


def test_backups_are_owner_only(tmp_path: Path, cli_actor) -> None:
    live = tmp_path / "live.sqlite3"
    db.open_database(live)
    db.close()
    made = backup.backup_to(tmp_path / "by-hand" / "copy.sqlite3", str(live))
    assert mode(made) == 0o600 and mode(made.parent) == 0o700
    folder = tmp_path / "data" / "backups"
    auto = backup.auto_backup(folder, target=str(live))
    assert auto is not None and mode(auto) == 0o600
    assert mode(folder) == mode(folder.parent) == 0o700


def test_restore_keeps_the_replaced_database_and_the_anchor_owner_only(
    tmp_path: Path, cli_actor
) -> None:
    live = tmp_path / "live.sqlite3"
    db.open_database(live)
    db.close()
    copy = backup.backup_to(tmp_path / "copy.sqlite3", str(live))
    anchor = backup.anchor_path(copy)
    backup.record_anchor(copy)
    kept = backup.restore_from(copy, str(live))
    assert kept is not None and mode(kept) == 0o600
    assert mode(anchor) == 0o600
    fresh = tmp_path / "restored-into-nothing.sqlite3"
    assert backup.restore_from(copy, str(fresh)) is None
    assert mode(fresh) == 0o600


def test_the_copy_before_a_migration_is_owner_only(tmp_path: Path) -> None:
    from hotline import migrations

    live = tmp_path / "live.sqlite3"
    db.open_database(live)
    db.close()
    copy = migrations.backup_before_migration(str(live), 1)
    assert copy is not None and mode(copy) == 0o600


def test_drafts_are_owner_only() -> None:
    path = drafts.save("zhangsan", "d1", {"subject": "保密来电"})
    assert mode(path) == 0o600
    assert mode(path.parent) == mode(path.parent.parent) == 0o700


def test_logs_and_rotated_logs_are_owner_only(tmp_path: Path) -> None:
    target = logsetup.configure(directory=tmp_path / "logs")
    root = logging.getLogger()
    handler = next(h for h in root.handlers if getattr(h, "_hotline", False))
    try:
        logging.getLogger("hotline.test").info("来电记录")
        assert mode(target) == 0o600 and mode(target.parent) == 0o700
        handler.doRollover()
        logging.getLogger("hotline.test").info("轮换之后")
        rotated = target.with_name(target.name + ".1")
        assert mode(rotated) == 0o600 and mode(target) == 0o600
    finally:
        root.removeHandler(handler)
        handler.close()


def test_exports_reports_and_rejects_are_owner_only_in_the_users_folder(tmp_path: Path) -> None:
    database = tmp_path / "cli.sqlite3"
    assert _run("--db", str(database), "intake", "-", stdin=json.dumps(sample_case())) == 0
    chosen = tmp_path / "Documents"  # the user's own folder: left as it is
    chosen.mkdir(mode=0o755)
    os.chmod(chosen, 0o755)
    bad = chosen / "cases.csv"
    bad.write_text("subject,kind\n坏行,闲聊\n", encoding="utf-8")
    commands = {
        "cases.json": ["export", "-o", str(chosen / "cases.json")],
        "audit.csv": ["audit", "export", "-o", str(chosen / "audit.csv")],
        "weekly.pdf": ["report", "weekly", "-o", str(chosen / "weekly.pdf")],
        "cases.rejects.csv": ["import", str(bad)],
    }
    for name, args in commands.items():
        _run("--db", str(database), *args)
        assert mode(chosen / name) == 0o600, name
    assert mode(chosen) == 0o755
