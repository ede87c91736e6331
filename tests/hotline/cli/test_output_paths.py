"""Output paths from the command line (issue 12, class 1): every command that writes a file
refuses the database under any spelling (exit 1, a message naming the path, the database as
it was), never takes an import's input for its rejects file, and a full disk or a SIGKILL
leaves the previous file and nothing else.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from hotline import db
from tests.conftest import sample_case
from tests.hotline.cli.conftest import Runner
from tests.hotline.test_output_files import (
    SPELLINGS,
    _cases,
    _digest,
    _others,
    _spell,
    mounted_tiny_disk,
    run_until_started,
)

# Each CLI writer, as the arguments that write to ``{out}``.
CLI_WRITERS = {
    "export-csv": ["export", "--format", "csv", "-o", "{out}"],
    "export-json": ["export", "-o", "{out}"],
    "audit-export": ["audit", "export", "-o", "{out}"],
    "report-weekly": ["report", "weekly", "--week", "2026-W47", "-o", "{out}"],
    "backup": ["backup", "-o", "{out}"],
}


@pytest.fixture
def filled_db(run_cli: Runner, db_path: Path) -> Path:
    result = run_cli("intake", "-", stdin=json.dumps(sample_case(subject="原有案件")))
    assert result.code == 0, result.err
    return db_path


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("writer", sorted(CLI_WRITERS))
def test_no_command_writes_over_the_database(
    run_cli: Runner, filled_db: Path, writer: str, spelling: str
) -> None:
    target = _spell(filled_db, spelling)
    before = _digest(filled_db)
    args = [a.format(out=target) for a in CLI_WRITERS[writer]]
    result = run_cli(*args)
    assert result.code == 1, (result.out, result.err)
    assert str(target) in result.out + result.err
    assert "未做任何改动" in result.out + result.err or "已存在" in result.out + result.err
    db.close()
    assert _digest(filled_db) == before
    assert _cases(filled_db) == 1
    for sidecar in ("-journal",):
        assert not Path(f"{filled_db}{sidecar}").exists()
    assert run_cli("audit", "verify").code == 0


def test_audit_export_over_the_database_exits_1_and_keeps_it(
    run_cli: Runner, filled_db: Path
) -> None:
    """The example of the issue: it used to replace the database with a CSV and exit 0."""
    result = run_cli("audit", "export", "-o", str(filled_db))
    assert result.code == 1
    assert f"不能写入 {filled_db}" in result.out + result.err
    with filled_db.open("rb") as handle:
        assert handle.read(16) == db.SQLITE_HEADER
    assert _cases(filled_db) == 1


@pytest.mark.parametrize("spelling", ["symlink", "hardlink"])
def test_the_rejects_file_is_never_the_input(
    run_cli: Runner, db_path: Path, tmp_path: Path, spelling: str
) -> None:
    source = tmp_path / "cases.csv"
    source.write_text(
        "subject,channel\n坏行,nowhere\n", encoding="utf-8-sig"
    )  # a row that is rejected
    before = source.read_bytes()
    rejects = tmp_path / "cases.rejects.csv"
    if spelling == "symlink":
        rejects.symlink_to(source)
    else:
        os.link(source, rejects)
    result = run_cli("import", str(source))
    assert result.code == 1
    assert "就是要读取的文件" in result.out + result.err
    assert source.read_bytes() == before
    db.close()
    assert _cases(db_path) == 0


@pytest.fixture
def tiny_disk(tmp_path: Path):
    with mounted_tiny_disk(tmp_path / "tiny") as folder:
        yield folder


def test_full_disk_export_keeps_the_old_file(
    run_cli: Runner, db_path: Path, tiny_disk: Path
) -> None:
    for n in range(30):  # about 130 KB of JSON for a 64 KB disk
        record = sample_case(subject=f"磁盘写满测试{n}", description="长" * 1400)
        result = run_cli("intake", "-", stdin=json.dumps(record))
        assert result.code == 0, result.err
    target = tiny_disk / "cases.json"
    target.write_text("旧的导出", encoding="utf-8")
    result = run_cli("export", "-o", str(target))
    assert result.code == 1
    assert "无法写入" in result.out + result.err
    assert target.read_text(encoding="utf-8") == "旧的导出"
    assert _others(tiny_disk, "cases.json") == []


_KILLED_EXPORT = """
import sys
from hotline import cli
from hotline.transfer import exporting

real = exporting.iter_cases

def paused(**kwargs):
    for number, record in enumerate(real(**kwargs)):
        yield record
        if number == 5:
            sys.stdout.flush()
            sys.stderr.write("started\\n")
            sys.stderr.flush()
            sys.stdin.readline()  # never answered: killed here

exporting.iter_cases = paused
cli.main(sys.argv[1:])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_export_leaves_the_old_file_and_nothing_else(
    run_cli: Runner, db_path: Path, tmp_path: Path
) -> None:
    for n in range(20):
        result = run_cli("intake", "-", stdin=json.dumps(sample_case(subject=f"导出{n}")))
        assert result.code == 0, result.err
    db.close()
    out = tmp_path / "out"
    out.mkdir()
    target = out / "cases.csv"
    target.write_text("上次的完整导出", encoding="utf-8")
    run_until_started(
        _KILLED_EXPORT, "--db", str(db_path), "export", "--format", "csv", "-o", str(target)
    )
    assert target.read_text(encoding="utf-8") == "上次的完整导出"
    assert _others(out, "cases.csv") == []
