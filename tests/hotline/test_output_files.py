"""Output files (issue 12, class 1): no writer replaces the database, its files or its input,
and every file appears complete or not at all (failed write, full disk, SIGKILL).

Every writer is tried against every spelling of the database (the path, a ``..`` detour, a
symbolic link, a hard link, its ``-wal``/``-shm``/``-journal``); each must refuse with a
message naming the path and leave the database as it was. The commands are tried the same
way in ``tests/hotline/cli/test_output_paths.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hotline import backup, cases, db, drafts, output_files
from hotline.errors import HotlineError
from hotline.exemption.catalogue import default_catalogue, write_csv, write_xlsx
from hotline.permissions import Actor
from tests import small_disk
from tests.conftest import sample_case

ROOT = Path(__file__).resolve().parents[2]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cases(path: Path) -> int:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute('SELECT count(*) FROM "case"').fetchone()[0]


def _spell(db_path: Path, how: str) -> Path:
    """Another name for the database (or one of its files) in ``db_path``'s folder."""
    folder = db_path.parent
    if how == "itself":
        return db_path
    if how == "dotdot":
        (folder / "sub").mkdir(exist_ok=True)
        return folder / "sub" / ".." / db_path.name
    if how == "symlink":
        link = folder / "link.csv"
        link.symlink_to(db_path)
        return link
    if how == "hardlink":
        link = folder / "hard.csv"
        os.link(db_path, link)
        return link
    if how == "symlink-to-wal":  # a link to a file that does not exist yet
        link = folder / "wal-link.csv"
        link.symlink_to(Path(f"{db_path}-wal"))
        return link
    return Path(f"{db_path}{how}")  # -wal, -shm, -journal


SPELLINGS = [
    "itself",
    "dotdot",
    "symlink",
    "hardlink",
    "symlink-to-wal",
    "-wal",
    "-shm",
    "-journal",
]


@pytest.fixture
def filled_db(tmp_path: Path, cli_actor: Actor) -> Iterator[Path]:
    """A database file with one case, closed."""
    path = tmp_path / "live.sqlite3"
    db.open_database(path)
    cases.register(cli_actor, sample_case(subject="原有案件"))
    db.close()
    return path


LIBRARY_WRITERS: dict[str, Callable[[Path], object]] = {
    "catalogue-csv": lambda out: write_csv(default_catalogue(), out),
    "catalogue-xlsx": lambda out: write_xlsx(default_catalogue(), out),
    "pdf-copy": lambda out: output_files.copy_file(ROOT / "README.md", out),
    "replacing": lambda out: output_files.replacing(out).__enter__(),
}


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("writer", sorted(LIBRARY_WRITERS))
def test_no_library_writer_writes_over_the_open_database(
    filled_db: Path, writer: str, spelling: str
) -> None:
    """The catalogue export and the app's "save a copy of the PDF" go through the same check."""
    target = _spell(filled_db, spelling)
    db.open_database(filled_db)
    try:
        before = _digest(filled_db)
        with pytest.raises(HotlineError, match="未做任何改动"):
            LIBRARY_WRITERS[writer](target)
        assert _digest(filled_db) == before
    finally:
        db.close()
    assert _cases(filled_db) == 1


def test_a_backup_never_writes_over_the_database_it_copies(filled_db: Path) -> None:
    """A backup never writes over the database it copies, even when nothing has it open."""
    db.close()
    with pytest.raises(HotlineError):
        backup.backup_to(Path(f"{filled_db}-wal"), str(filled_db))
    assert not Path(f"{filled_db}-wal").exists()


# --- complete or nothing ---------------------------------------------------------------------


def _others(folder: Path, *keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_a_failing_writer_leaves_the_old_file_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "export.csv"
    target.write_text("旧内容", encoding="utf-8")
    with pytest.raises(RuntimeError), output_files.replacing(target, encoding="utf-8") as out:
        out.write("新内容" * 1000)
        raise RuntimeError("the writer failed halfway")
    assert target.read_text(encoding="utf-8") == "旧内容"
    assert _others(folder, "export.csv") == []


def test_the_named_fallback_leaves_nothing_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where there is no O_TMPFILE (Windows, macOS, some network drives)."""
    monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "export.csv"
    target.write_text("旧内容", encoding="utf-8")
    with pytest.raises(RuntimeError), output_files.replacing(target, encoding="utf-8") as out:
        out.write("新内容")
        raise RuntimeError("failed")
    assert _others(folder, "export.csv") == []
    with output_files.replacing(target, encoding="utf-8") as out:
        out.write("新内容")
    assert target.read_text(encoding="utf-8") == "新内容"
    assert _others(folder, "export.csv") == []


def mounted_tiny_disk(folder: Path) -> contextlib.AbstractContextManager[Path]:
    """A real 64 KiB file system at ``folder`` (tests/small_disk.py)."""
    return small_disk.mounted(folder, "64k")


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    with mounted_tiny_disk(tmp_path / "tiny") as folder:
        yield folder


def test_full_disk_backup_leaves_no_file(filled_db: Path, tiny_disk: Path) -> None:
    db.close()
    with pytest.raises(HotlineError, match="无法写入"):
        backup.backup_to(tiny_disk / "copy.sqlite3", str(filled_db))
    assert _others(tiny_disk) == []


def test_full_disk_draft_keeps_the_previous_one(
    tiny_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTLINE_HOME", str(tiny_disk))
    drafts.save("zhangsan", "d1", {"subject": "完整的旧版本"})
    with pytest.raises(HotlineError):
        drafts.save("zhangsan", "d1", {"subject": "新" * 100_000})
    assert drafts.load("zhangsan", "d1").data == {"subject": "完整的旧版本"}


# --- SIGKILL mid-write -----------------------------------------------------------------------

_KILLED_BACKUP = """
import sqlite3, sys, types
from pathlib import Path
from hotline import backup, output_files

class Source:
    def __init__(self, conn):
        self.conn = conn
    def backup(self, dst, pages):
        def progress(status, remaining, total):
            sys.stderr.write("started\\n")
            sys.stderr.flush()
            sys.stdin.readline()  # never answered: killed here
        self.conn.backup(dst, pages=8, progress=progress)
    def close(self):
        self.conn.close()

def connect(*args, **kwargs):
    conn = sqlite3.connect(*args, **kwargs)
    return Source(conn) if kwargs.get("uri") else conn

output_files.sqlite3 = types.SimpleNamespace(connect=connect, Error=sqlite3.Error)
backup.backup_to(Path(sys.argv[1]), sys.argv[2])
"""


def run_until_started(script: str, *args: str) -> None:
    """Run ``script`` until it says it is mid-write, then SIGKILL it."""
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.strip() == "started", line + process.stderr.read()
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_backup_leaves_no_journal_and_the_next_backup_tidies_up(
    filled_db: Path, tmp_path: Path
) -> None:
    db.close()
    with sqlite3.connect(filled_db) as conn:  # big enough for several backup steps
        conn.execute("CREATE TABLE IF NOT EXISTS ballast (x)")
        conn.executemany("INSERT INTO ballast VALUES (?)", [(os.urandom(2000),)] * 200)
    out = tmp_path / "backups"
    out.mkdir()
    target = out / "copy.sqlite3"
    run_until_started(_KILLED_BACKUP, str(target), str(filled_db))
    assert not target.exists()
    left = _others(out)
    assert all(name.startswith(".copy.sqlite3.") for name in left), left
    assert all(output_files.PARTIAL in name for name in left), left
    assert not [name for name in left if name.endswith("-journal")], left
    backup.backup_to(target, str(filled_db))
    assert _others(out) == ["copy.sqlite3"]
    with sqlite3.connect(target) as copy:  # whole and readable (its ballast table is
        # foreign to the schema, so check_backup would refuse it for that alone)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM ballast").fetchone()[0] == 200
