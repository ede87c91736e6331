"""A full or read-only disk during any command ends in the program's own message, exit 1.

The database is filled up with SQLite's own limit (``PRAGMA max_page_count``, set on every
connection the command opens); files are written to a real small filesystem (a tmpfs, see
tests/small_disk.py) that is full or read-only.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlparse

import pytest

from hotline import cli, db
from hotline.models import Case
from tests import small_disk
from tests.conftest import sample_case
from tests.hotline.cli.conftest import Runner

BIG = "企业反映审批拖延。" * 800


def _cases(path: Path) -> int:
    db.open_database(path)
    try:
        return Case.select().count()
    finally:
        db.close()


@pytest.fixture
def full_database(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every connection to ``db_path`` may not grow the file by a page (a full disk)."""
    handle = db.open_database(db_path)
    (pages,) = handle.execute_sql("PRAGMA page_count").fetchone()
    db.close()
    monkeypatch.setitem(db.SQLITE_PRAGMAS, "max_page_count", pages)
    return db_path


@pytest.fixture
def disk(tmp_path: Path):
    with small_disk.mounted(tmp_path / "disk") as path:
        yield path


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text
    assert "cannot rollback" not in text


def test_intake_into_a_full_database_says_so(run_cli: Runner, db_path: Path, monkeypatch) -> None:
    assert run_cli("intake", "-", stdin=json.dumps(sample_case())).code == 0
    handle = db.open_database(db_path)
    (pages,) = handle.execute_sql("PRAGMA page_count").fetchone()
    db.close()
    monkeypatch.setitem(db.SQLITE_PRAGMAS, "max_page_count", pages)

    result = run_cli("intake", "-", stdin=json.dumps(sample_case(description=BIG)))

    assert result.code == 1
    assert "磁盘已满" in result.err
    _no_traceback(result.err)
    monkeypatch.delitem(db.SQLITE_PRAGMAS, "max_page_count")
    assert _cases(db_path) == 1  # the case saved before is there, the refused one is not


def test_import_into_a_full_database_says_where_it_stopped(
    run_cli: Runner, full_database: Path, tmp_path: Path
) -> None:
    source = tmp_path / "cases.json"
    source.write_text(
        json.dumps([sample_case(description=BIG) for _ in range(3)], ensure_ascii=False),
        encoding="utf-8",
    )

    result = run_cli("import", str(source))

    assert result.code == 1
    assert "导入在第" in result.out and "磁盘已满" in result.out
    assert "已导入 0 条" in result.out
    _no_traceback(result.out + result.err)


def test_a_database_on_a_full_disk_refuses_a_case_and_keeps_the_saved_ones(
    disk: Path, cli_actor
) -> None:
    """A real full filesystem: the write fails in SQLite's WAL, at the statement or COMMIT."""
    from hotline import audit, cases
    from hotline.errors import DatabaseUnavailable

    handle = db.open_database(disk / "hotline.sqlite3")
    try:
        saved = cases.register(cli_actor, sample_case())
        handle.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL must grow again
        filler = small_disk.fill(disk)
        with pytest.raises(DatabaseUnavailable) as info:
            cases.register(cli_actor, sample_case(description=BIG))
        assert "磁盘已满" in info.value.text
        filler.unlink()
        assert [c.id for c in Case.select()] == [saved.id]
        assert audit.verify().ok
        cases.register(cli_actor, sample_case())  # room again: the same connection writes
        assert Case.select().count() == 2
    finally:
        db.close()


def test_export_to_a_full_disk_says_so_and_leaves_no_partial_file(
    run_cli: Runner, disk: Path
) -> None:
    for _ in range(5):
        assert run_cli("intake", "-", stdin=json.dumps(sample_case(description=BIG))).code == 0
    small_disk.fill(disk)

    result = run_cli("export", "-o", str(disk / "cases.json"))

    assert result.code == 1
    assert "磁盘已满" in result.err
    _no_traceback(result.err)
    assert small_disk.others(disk) == []


def test_backup_to_a_full_disk_says_so_and_leaves_no_partial_file(
    run_cli: Runner, disk: Path
) -> None:
    for _ in range(5):
        assert run_cli("intake", "-", stdin=json.dumps(sample_case(description=BIG))).code == 0
    small_disk.fill(disk)

    result = run_cli("backup", "-o", str(disk / "backup.sqlite3"))

    assert result.code == 1
    assert "磁盘已满" in result.err
    _no_traceback(result.err)
    assert small_disk.others(disk) == []


@pytest.mark.parametrize("command", ["export", "backup"])
def test_writing_to_a_read_only_disk_says_so(run_cli: Runner, disk: Path, command: str) -> None:
    assert run_cli("intake", "-", stdin=json.dumps(sample_case())).code == 0
    small_disk.read_only(disk)

    result = run_cli(command, "-o", str(disk / "out.file"))

    assert result.code == 1
    assert "只读" in result.err
    _no_traceback(result.err)
    assert small_disk.others(disk) == []


def test_a_database_on_a_full_disk_is_not_called_damaged(disk: Path, run_cli: Runner) -> None:
    path = disk / "hotline.sqlite3"
    assert run_cli("intake", "-", stdin=json.dumps(sample_case()), db=path).code == 0
    small_disk.fill(disk)

    result = run_cli("intake", "-", stdin=json.dumps(sample_case()), db=path)

    assert result.code == 1
    assert "已损坏" not in result.err
    assert "磁盘" in result.err
    _no_traceback(result.err)


def _read_only_target(target: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The same database, every connection of the command refused writes by the database."""
    if not db.is_url(target):
        monkeypatch.setitem(db.SQLITE_PRAGMAS, "query_only", 1)
        return target
    parsed = urlparse(target)
    query = dict(parse_qsl(parsed.query))
    query["options"] = (query.get("options", "") + " -cdefault_transaction_read_only=on").strip()
    return parsed._replace(query=urlencode(query, quote_via=quote)).geturl()  # libpq: no "+"


def test_a_database_that_refuses_writes_gives_the_message_on_both_backends(
    database, database_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.close()
    target = _read_only_target(database_target, monkeypatch)
    out, err = io.StringIO(), io.StringIO()

    code = cli.main(
        ["--db", target, "intake", "-"],
        stdin=io.StringIO(json.dumps(sample_case())),
        stdout=out,
        stderr=err,
    )

    assert code == 1
    assert "只读" in err.getvalue()
    _no_traceback(err.getvalue())
    monkeypatch.delitem(db.SQLITE_PRAGMAS, "query_only", raising=False)
    db.open_database(database_target)
    assert Case.select().count() == 0


def test_a_log_line_the_full_disk_refuses_prints_no_traceback(disk: Path, capsys) -> None:
    import logging

    from hotline import logsetup

    root = logging.getLogger()
    before = list(root.handlers), root.level
    logsetup.configure(directory=disk)
    try:
        small_disk.fill(disk)
        logging.getLogger("hotline.test").warning("一行日志 %s", "x" * 10_000)
    finally:
        for handler in list(root.handlers):
            if handler not in before[0]:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(before[1])
    err = capsys.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err
