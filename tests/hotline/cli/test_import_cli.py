"""``import`` on the command line: repeated imports skip and say so; bad files end in a message."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import sample_case
from tests.hotline.cli.conftest import Runner


def _rows(tmp_path: Path) -> Path:
    rows = [
        {**sample_case(subject=f"诉求{n}", received_at="2026-03-02T09:30:00")} for n in range(3)
    ]
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_second_import_skips_and_reports_the_rows(run_cli: Runner, tmp_path: Path) -> None:
    path = _rows(tmp_path)
    first = run_cli("import", str(path))
    assert first.code == 0 and "已导入 3 条" in first.out and "跳过" not in first.out
    second = run_cli("import", str(path))
    assert second.code == 0
    assert "已导入 0 条" in second.out and "已导入过，跳过 3 条" in second.out
    third = run_cli("--json", "import", str(path))
    assert third.code == 0
    assert {k: third.json()[k] for k in ("read", "imported", "skipped", "rejected")} == {
        "read": 3,
        "imported": 0,
        "skipped": 3,
        "rejected": 0,
    }


def test_unreadable_files_end_in_a_message_with_the_line(run_cli: Runner, tmp_path: Path) -> None:
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    result = run_cli("import", str(binary))
    assert result.code == 1 and "第 2 行" in result.out and "未导入任何数据" in result.out
    escaped = tmp_path / "escaped.json"  # a lone surrogate and a NUL, as JSON escapes
    escaped.write_text(json.dumps([sample_case(subject="\ud800", description="\x00")]))
    result = run_cli("import", str(escaped))
    assert result.code == 1 and "第 1 行" in result.out
    assert "subject" in result.out and "description" in result.out
    rejects = json.loads((tmp_path / "escaped.rejects.json").read_text(encoding="utf-8"))
    assert rejects[0]["subject"] == "\\ud800" and rejects[0]["description"] == "\\x00"
    result = run_cli("--json", "import", str(escaped))
    assert result.code == 1 and result.json()["errors"][0]["line"] == 1
