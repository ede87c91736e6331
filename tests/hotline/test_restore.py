"""Restore loses no work: refused while another process has the database open (named), a
process whose database file was replaced writes nothing more, and a backup's schema must be
exactly what this program creates."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline import backup, cases, cli, db
from hotline.errors import DatabaseUnavailable, HotlineError
from tests.conftest import sample_case

ROOT = Path(__file__).resolve().parents[2]

# Registers cases until told to stop on standard input, printing each number once saved.
WRITER = """
import sys, threading
sys.path.insert(0, {root!r})
from hotline import cases, db
from hotline.errors import HotlineError
from hotline.permissions import Actor
from tests.conftest import sample_case
db.open_database({path!r})
actor = Actor.command_line("writer")
stop = threading.Event()
threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
n = 0
while not stop.is_set():
    try:
        case = cases.register(actor, sample_case(subject="恢复时写入 %d" % n))
    except HotlineError as exc:
        print("refused:", exc.text, flush=True)
        db.close()
        sys.exit(3)
    print(case.case_no, flush=True)
    n += 1
db.close()
print("done", flush=True)
"""

# Another program (like the sqlite3 shell) with the database open: no record of ours.
OTHER_PROGRAM = """
import sqlite3, sys
conn = sqlite3.connect({path!r})
print(conn.execute('select count(*) from "case"').fetchone()[0], flush=True)
sys.stdin.readline()
"""


def _numbers(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute('SELECT case_no FROM "case"')}


def _start(script: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script.format(root=str(ROOT), path=str(path))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        cwd=ROOT,
    )


def _lines(proc: subprocess.Popen[str]) -> Iterator[str]:
    assert proc.stdout is not None
    for line in proc.stdout:
        yield line.strip()


def _restore(live: Path, copy: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--db", str(live), "restore", str(copy)], stdout=out, stderr=err)
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def live_and_copy(tmp_path: Path, cli_actor) -> tuple[Path, Path]:
    live = tmp_path / "live.sqlite3"
    db.open_database(live)
    cases.register(cli_actor, sample_case(subject="备份里的"))
    copy = backup.backup_to(tmp_path / "copy.sqlite3", str(live))
    db.close()
    return live, copy


def test_restore_refuses_while_another_process_writes(live_and_copy) -> None:
    live, copy = live_and_copy
    writer = _start(WRITER, live)
    lines = _lines(writer)
    saved = [next(lines) for _ in range(3)]
    assert all(n.startswith("YS") for n in saved), saved

    code, message = _restore(live, copy)  # the writer keeps writing meanwhile

    assert writer.stdin is not None
    writer.stdin.write("stop\n")
    writer.stdin.flush()
    for line in lines:
        if line == "done":
            break
        saved.append(line)
    assert writer.wait() == 0, writer.stderr.read() if writer.stderr else ""
    kept_aside = set().union(*(_numbers(p) for p in live.parent.glob("*.replaced-*")))
    assert not set(saved) - _numbers(live) - kept_aside, "cases reported saved were lost"
    assert code == 1, message
    assert "正被使用" in message and f"进程 {writer.pid}" in message
    assert set(saved) <= _numbers(live)  # every case the writer reported saved is there
    assert not list(live.parent.glob("*.replaced-*"))


def test_restore_refuses_while_another_program_has_it_open(live_and_copy) -> None:
    live, copy = live_and_copy
    other = _start(OTHER_PROGRAM, live)
    assert next(_lines(other)) == "1"
    try:
        code, message = _restore(live, copy)
    finally:
        assert other.stdin is not None
        other.stdin.write("\n")
        other.stdin.flush()
        other.wait()
    assert code == 1 and "其他程序" in message, message
    assert _numbers(live) and not list(live.parent.glob("*.replaced-*"))


def test_a_holder_record_left_by_a_dead_process_is_not_in_the_way(live_and_copy) -> None:
    from hotline import holders

    live, copy = live_and_copy
    folder = holders.folder_of(live)
    folder.mkdir()
    (folder / "elsewhere-999999.json").write_text("{}")  # nobody holds its lock
    code, message = _restore(live, copy)
    assert code == 0, message
    assert not (folder / "elsewhere-999999.json").exists()


def test_restore_keeps_what_a_killed_program_left_in_the_wal(tmp_path: Path, cli_actor) -> None:
    live = tmp_path / "live.sqlite3"
    db.open_database(live)
    copy = backup.backup_to(tmp_path / "copy.sqlite3", str(live))
    db.close()
    writer = _start(WRITER, live)
    saved = [next(_lines(writer)) for _ in range(5)]
    writer.kill()
    writer.wait()
    assert Path(str(live) + "-wal").exists()
    kept = backup.restore_from(copy, str(live))
    assert kept is not None and set(saved) <= _numbers(kept)
    assert _numbers(live) == set()


def test_file_replaced_behind_a_writing_process_gets_no_more_writes(live_and_copy) -> None:
    live, copy = live_and_copy
    before = _numbers(copy)
    writer = _start(WRITER, live)
    lines = _lines(writer)
    saved = [next(lines) for _ in range(3)]
    orphan = live.with_name("orphan.sqlite3")
    os.link(live, orphan)  # keeps the replaced file readable
    replacement = live.with_name("replacement.sqlite3")
    with sqlite3.connect(copy) as src, sqlite3.connect(replacement) as dst:
        src.backup(dst)
    os.replace(replacement, live)  # what a restore by another program does
    refused = ""
    for line in lines:
        if line.startswith("refused:") or len(saved) > 300:  # old code: writes on and on
            refused = line
            break
        saved.append(line)
    writer.kill()  # gone already when it was refused
    writer.wait()
    assert "数据库已被替换" in refused
    _wal_back_to(live, orphan)
    assert _numbers(live) == before  # nothing reached the file now in place
    # Every case reported saved went to the file it had open, and nothing else did.
    assert _numbers(orphan) == before | set(saved)


def _wal_back_to(live: Path, orphan: Path) -> None:
    """SQLite leaves a moved database's WAL at the old name: give it back to its file."""
    wal = Path(f"{live}-wal")
    if wal.exists():
        wal.replace(f"{orphan}-wal")
    Path(f"{live}-shm").unlink(missing_ok=True)


def test_next_write_after_the_file_was_replaced_is_refused(tmp_path: Path, cli_actor) -> None:
    live, orphan = tmp_path / "live.sqlite3", tmp_path / "orphan.sqlite3"
    db.open_database(live)
    cases.register(cli_actor, sample_case())
    other = backup.backup_to(tmp_path / "other.sqlite3", str(live))
    os.link(live, orphan)
    os.replace(other, live)
    try:
        with pytest.raises(DatabaseUnavailable, match="数据库已被替换"):
            cases.register(cli_actor, sample_case(subject="不该写入"))
        assert not db.ping()
    finally:
        db.close()
    _wal_back_to(live, orphan)
    assert len(_numbers(orphan)) == 1 and len(_numbers(live)) == 1


# The backup's schema, compared whole -------------------------------------------------------


def _tampered(copy: Path, sql: str) -> Path:
    with sqlite3.connect(copy) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.executescript(sql)
    conn.close()
    return copy


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("DROP TABLE handover_note;", "缺少表 handover_note"),
        (
            'CREATE TRIGGER wipe AFTER INSERT ON "case" BEGIN DELETE FROM audit_entry; END;',
            "多出触发器 wipe",
        ),
        ('CREATE INDEX case_subject ON "case" (subject);', "多出索引 case_subject"),
        ("DROP INDEX case_deadline_id;", "缺少索引 case_deadline_id"),
        ('ALTER TABLE "case" ADD COLUMN note TEXT;', "表 case 的定义不同"),
        ('CREATE VIEW everything AS SELECT * FROM "case";', "多出数据库视图 everything"),
    ],
)
def test_a_backup_whose_schema_differs_is_refused(live_and_copy, sql: str, named: str) -> None:
    live, copy = live_and_copy
    _tampered(copy, sql)
    check = backup.check_backup(copy)
    assert not check.ok
    assert named in HotlineError(check.problem, **(check.params or {})).text
    code, message = _restore(live, copy)
    assert code == 1 and named in message
    assert _numbers(live) == _numbers(live)  # untouched
    assert not list(live.parent.glob("*.replaced-*"))


def test_an_untouched_backup_matches_the_schema(live_and_copy) -> None:
    _live, copy = live_and_copy
    check = backup.check_backup(copy)
    assert check.ok, check.params


@pytest.mark.parametrize("damage", ["garbage", "torn pages"])
def test_restore_over_an_unreadable_database_keeps_its_bytes(live_and_copy, damage) -> None:
    live, copy = live_and_copy
    data = bytearray(live.read_bytes())
    if damage == "garbage":
        data = bytearray(b"not a database " * 300)
    else:
        data[4096:] = b"\xff" * (len(data) - 4096)
    live.write_bytes(bytes(data))
    code, message = _restore(live, copy)
    assert code == 0, message
    kept = next(live.parent.glob("*.replaced-*"))
    assert kept.read_bytes() == bytes(data)
    assert _numbers(live) == _numbers(copy)
    with sqlite3.connect(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_two_restores_in_the_same_second_keep_both_databases(live_and_copy, cli_actor) -> None:
    from hotline import clock

    live, copy = live_and_copy
    with clock.frozen(clock.now()):
        first = backup.restore_from(copy, str(live))
        db.open_database(live)
        cases.register(cli_actor, sample_case(subject="两次恢复之间"))
        db.close()
        second = backup.restore_from(copy, str(live))
    assert first is not None and second is not None and first != second
    assert len(_numbers(first)) == 1 and len(_numbers(second)) == 2
