"""Reading a new official list from CSV, XLSX or JSON: all rows right, or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hotline.errors import ValidationError
from hotline.exemption.catalogue import (
    default_catalogue,
    parse_catalogue_file,
    write_csv,
    write_xlsx,
)

CATALOGUE = default_catalogue()
META = {"name": "测试清单", "version": "2026.2", "effective_date": dt.date(2026, 7, 1)}


def fields(error: ValidationError) -> dict[str, str]:
    return {p.field: p.text for p in error.problems}


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_csv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    write_csv(CATALOGUE, path)
    imported = parse_catalogue_file(path, **META)
    assert imported.version == "2026.2" and imported.name == "测试清单"
    assert [i.to_dict() for i in imported] == [i.to_dict() for i in CATALOGUE]
    assert all(item.catalogue_version == "2026.2" for item in imported)


def test_xlsx_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    write_xlsx(CATALOGUE, path)
    imported = parse_catalogue_file(path, **META)
    assert [i.to_dict() for i in imported] == [i.to_dict() for i in CATALOGUE]


def test_json_file_keeps_its_own_version(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps(CATALOGUE.to_dict(), ensure_ascii=False), encoding="utf-8")
    imported = parse_catalogue_file(path)
    assert imported == CATALOGUE
    assert parse_catalogue_file(path, version="2027.1").version == "2027.1"


def test_broken_csv_row_is_reported_by_row_and_column(tmp_path: Path) -> None:
    source = tmp_path / "good.csv"
    write_csv(CATALOGUE, source)
    rows = read_csv(source)
    penalty = rows[0].index("处罚依据")
    rows[11][penalty] = "  "  # the 11th item, on spreadsheet row 12
    rows[20][rows[0].index("首违回溯期（天）")] = "一年"
    broken = tmp_path / "broken.csv"
    write_rows(broken, rows)
    with pytest.raises(ValidationError) as caught:
        parse_catalogue_file(broken, **META)
    found = fields(caught.value)
    assert "row 12, column 处罚依据" in found
    assert "row 21, column 首违回溯期（天）" in found
    assert len(found) == 2


def test_broken_xlsx_row_is_reported_by_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    write_xlsx(CATALOGUE, path)
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    sheet.cell(row=5, column=7, value="no_illegal_gain 没有冒号")  # 适用条件
    sheet.cell(row=9, column=1, value=sheet.cell(row=3, column=1).value)  # repeated code
    workbook.save(path)
    with pytest.raises(ValidationError) as caught:
        parse_catalogue_file(path, **META)
    found = fields(caught.value)
    assert "row 5, column 适用条件" in found
    assert "row 9, column 编号" in found
    assert "重复" in found["row 9, column 编号"]


def test_headings_may_be_english_keys_and_aliases(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    write_rows(
        path,
        [
            [
                "序号",
                "code",
                "执法主体",
                "领域",
                "违法行为",
                "违法依据",
                "处罚依据",
                "条件",
                "回溯期(天)",
            ],
            [
                "1",
                "X-001",
                "税务机关",
                "发票",
                "未按规定缴销发票",
                "《甲法》第一条",
                "《甲法》第二条",
                "no_illegal_gain：没有违法所得；small：情节轻微",
                "365",
            ],
        ],
    )
    imported = parse_catalogue_file(path, **META)
    item = imported.get("X-001")
    assert item is not None and item.body == "税务机关"
    assert item.condition_ids == ("no_illegal_gain", "small")
    assert item.keywords == ()


def test_gbk_csv_from_chinese_excel(tmp_path: Path) -> None:
    source = tmp_path / "utf8.csv"
    write_csv(CATALOGUE, source)
    gbk = tmp_path / "gbk.csv"
    write_rows(gbk, read_csv(source), encoding="gb18030")
    assert len(parse_catalogue_file(gbk, **META)) == len(CATALOGUE)


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    write_rows(path, [["编号", "实施主体"], ["A-1", "税务机关"]])
    with pytest.raises(ValidationError) as caught:
        parse_catalogue_file(path, **META)
    texts = " ".join(fields(caught.value).values())
    assert "处罚依据" in texts and "适用条件" in texts


def test_spreadsheet_needs_a_version(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    write_csv(CATALOGUE, path)
    with pytest.raises(ValidationError) as caught:
        parse_catalogue_file(path, name="x")
    assert {"version", "effective_date"} <= set(fields(caught.value))


def test_broken_json_item_is_reported_by_index_and_field(tmp_path: Path) -> None:
    data = CATALOGUE.to_dict()
    data["items"][3]["penalty_provision"] = ""
    data["items"][5]["conditions"] = [{"id": "Bad Id", "text": "x"}]
    data["items"][7]["lookback_days"] = 0
    path = tmp_path / "list.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        parse_catalogue_file(path)
    assert set(fields(caught.value)) == {
        "items[3].penalty_provision",
        "items[5].conditions",
        "items[7].lookback_days",
    }


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text('{\n  "name": "x",\n  oops\n}', encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        parse_catalogue_file(path)
    assert "line 3" in fields(caught.value)


def test_unsupported_file_type(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ValidationError):
        parse_catalogue_file(path, **META)


def test_empty_or_damaged_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ValidationError):
        parse_catalogue_file(empty, **META)
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"not a zip file")
    with pytest.raises(ValidationError) as caught:
        parse_catalogue_file(damaged, **META)
    assert "file" in fields(caught.value)
