"""``export --format xlsx``, ``--labels`` and the list's filters on the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import sample_case
from tests.hotline.cli.conftest import Runner


def _intake(run_cli: Runner, *records: dict[str, object]) -> list[str]:
    result = run_cli("--json", "intake", "-", stdin=json.dumps(list(records)))
    assert result.code == 0, result.err
    return [row["case_no"] for row in result.json()]


def test_xlsx_with_labels_frozen_header_and_filter(run_cli: Runner, tmp_path: Path) -> None:
    numbers = _intake(
        run_cli, sample_case(kind="complaint", channel="letter"), sample_case(kind="consultation")
    )
    out = tmp_path / "cases.xlsx"
    result = run_cli("export", "--format", "xlsx", "-o", str(out), "--kind", "投诉")
    assert result.code == 0, result.err
    assert "已导出 1 个案件" in result.out
    sheet = load_workbook(out).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:W2"
    assert [c.value for c in sheet[2]][:3] == [numbers[0], sheet["B2"].value, "来信"]
    assert sheet["A1"].value == "案件编号"


def test_format_from_the_file_name_and_search(run_cli: Runner, tmp_path: Path) -> None:
    _intake(run_cli, sample_case(subject="食堂油烟扰民"), sample_case())
    out = tmp_path / "found.xlsx"
    assert run_cli("export", "-o", str(out), "--search", "油烟").code == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][12] == "食堂油烟扰民"


def test_csv_codes_by_default_labels_on_request(run_cli: Runner, tmp_path: Path) -> None:
    _intake(run_cli, sample_case(channel="letter"))
    codes = run_cli("export", "--format", "csv")
    assert next(csv.DictReader(io.StringIO(codes.out)))["channel"] == "letter"
    labels = run_cli("export", "--format", "csv", "--labels", "--district", "410611")
    row = next(csv.DictReader(io.StringIO(labels.out)))
    assert row["受理渠道"] == "来信"
    none = run_cli("export", "--format", "csv", "--labels", "--view", "overdue")
    assert list(csv.reader(io.StringIO(none.out)))[1:] == []


def test_bad_filters_and_xlsx_to_stdout_are_usage_errors(run_cli: Runner) -> None:
    _intake(run_cli, sample_case())
    for args in (
        ["export", "--format", "xlsx"],
        ["export", "--kind", "nonsense"],
        ["export", "--view", "nonsense"],
        ["export", "--district", "火星"],
        ["export", "--department", "不存在的局"],
        ["export", "--from", "昨天"],
    ):
        result = run_cli(*args)
        assert result.code == 2, args
        assert "Traceback" not in result.err and result.out == ""
