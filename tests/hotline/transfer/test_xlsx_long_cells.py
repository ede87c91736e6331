"""XLSX files Excel accepts: no cell over 32,767 characters, no character XML cannot hold.

A timeline (or a text an old database holds) longer than a cell keeps its beginning in its
cell and goes on in the sheet "超长内容"; the import joins it again, exactly. A control
character an old database holds is written as its escape, never dropped, never a crash.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from hotline import cases, db, workflow
from hotline.i18n import set_locale
from hotline.models import Case, CaseEvent
from hotline.permissions import Actor
from hotline.reports import service
from hotline.reports.data import BreakdownRow, Dimension
from hotline.spreadsheet_text import XLSX_CELL_LIMIT, xlsx_length
from hotline.transfer import exporting, importing
from hotline.transfer.long_cells import MARKER
from hotline.transfer.sources import read_rows
from tests.conftest import sample_case

# Everything a text may hold that a cut could spoil: characters beyond U+FFFF (two UTF-16
# units in Excel's count), quotes and line breaks (escaped in the timeline's JSON).
PIECE = "办理情况：“已督办”\n企业回复满意😀。" + "材料补正说明" * 40


def _long_text(length: int, salt: str = "") -> str:
    text = (salt + PIECE) * (length // len(PIECE) + 1)
    return text[:length]


def _json(actor: Actor) -> Any:
    out = io.StringIO()
    exporting.export(actor, out, "json")
    return json.loads(out.getvalue())


def _every_cell(path: Path) -> list[tuple[str, Any]]:
    book = load_workbook(path)
    return [
        (sheet.title, value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    ]


def _assert_excel_accepts(path: Path) -> None:
    texts = [value for _title, value in _every_cell(path) if isinstance(value, str)]
    assert texts and max(xlsx_length(text) for text in texts) <= XLSX_CELL_LIMIT


def _long_case(actor: Actor) -> Case:
    """A case with a timeline of more than 100,000 characters and the longest description."""
    case = cases.register(actor, sample_case(description=_long_text(20_000, "描述")))
    for number in range(22):
        workflow.add_note(actor, case.id, _long_text(5_000, f"第{number}条"))
    return case


@pytest.mark.parametrize("labels", [True, False])
def test_a_100k_timeline_fits_excels_cells_and_imports_back_exactly(
    database_target, cli_actor, tmp_path: Path, labels: bool
) -> None:
    db.open_database(tmp_path / "source.sqlite3")
    try:
        long_case = _long_case(cli_actor)
        cases.register(cli_actor, sample_case(subject="短的案件"))
        original = _json(cli_actor)
        path = tmp_path / "cases.xlsx"
        assert exporting.export_file(cli_actor, path, labels=labels) == 2
    finally:
        db.close()
    timeline = json.dumps(original[0]["timeline"], ensure_ascii=False)
    assert len(timeline) > 100_000

    _assert_excel_accepts(path)
    book = load_workbook(path)
    assert book.sheetnames == ["案件", "超长内容"]
    main, rest = book.worksheets
    heading = "时间线" if labels else "timeline"
    headings = [cell.value for cell in main[1]]
    cell = main.cell(row=2, column=headings.index(heading) + 1).value
    assert cell.endswith(MARKER) and timeline.startswith(cell[: -len(MARKER)])
    assert main.cell(row=3, column=headings.index(heading) + 1).value.startswith("[")
    pieces = list(rest.iter_rows(min_row=2, values_only=True))
    assert [cells[:4] for cells in pieces] == [
        (long_case.case_no, 2, heading, number) for number in range(2, len(pieces) + 2)
    ]
    assert cell[: -len(MARKER)] + "".join(cells[4] for cells in pieces) == timeline

    db.open_database(database_target)
    try:
        report = importing.import_file(cli_actor, path)
        assert (report.read, report.imported, report.rejected) == (2, 2, 0)
        again = _json(cli_actor)
    finally:
        db.close()
    if labels:  # a typed Excel time holds milliseconds: the receipt time's microseconds go
        for before, after in zip(original, again, strict=True):
            moments = [dt.datetime.fromisoformat(r["received_at"]) for r in (before, after)]
            assert abs(moments[0] - moments[1]) < dt.timedelta(milliseconds=1)
            after["received_at"] = before["received_at"]
    assert again == original


def test_a_text_longer_than_a_cell_from_an_old_database_is_kept_whole(
    database, cli_actor, tmp_path: Path
) -> None:
    """An older version stored a 100,000-character description: the export keeps all of it;
    the import refuses it as too long and its rejects file, an XLSX too, keeps it whole."""
    case = cases.register(cli_actor, sample_case())
    description = _long_text(100_000, "旧数据")
    Case.update(description=description).where(Case.id == case.id).execute()
    path = tmp_path / "old.xlsx"
    exporting.export_file(cli_actor, path)
    _assert_excel_accepts(path)
    (row,) = read_rows(path)
    assert row.data["description"] == description and not row.issues

    report = importing.import_file(cli_actor, path)
    assert (report.imported, report.rejected) == (0, 1)
    assert report.rejects_file is not None
    _assert_excel_accepts(report.rejects_file)
    (rejected,) = read_rows(report.rejects_file)
    assert rejected.data["description"] == description


def test_a_cut_text_whose_note_was_edited_away_is_reported(
    database_target, cli_actor, tmp_path: Path
) -> None:
    db.open_database(tmp_path / "source.sqlite3")
    try:
        _long_case(cli_actor)
        path = tmp_path / "cases.xlsx"
        exporting.export_file(cli_actor, path)
    finally:
        db.close()
    book = load_workbook(path)
    main = book.worksheets[0]
    headings = [cell.value for cell in main[1]]
    cell = main.cell(row=2, column=headings.index("时间线") + 1)
    cell.value = cell.value[: -len(MARKER)] + "（手工改动）"
    book.save(path)
    db.open_database(database_target)
    try:
        seen: list[importing.Rejected] = []
        report = importing.import_file(cli_actor, path, on_reject=seen.append)
        assert (report.imported, report.rejected) == (0, 1)
        assert any("接续内容无法接上" in p.text for p in seen[0].problems)
        assert Case.select().count() == 0
        assert report.rejects_file is not None
        _assert_excel_accepts(report.rejects_file)
        (rejected,) = read_rows(report.rejects_file)  # the edited cell, then every piece
        kept = json.dumps(rejected.data["timeline"], ensure_ascii=False)
        assert "（手工改动）" in kept and len(kept) > 100_000
    finally:
        db.close()


def test_control_characters_an_old_database_holds_are_shown_not_dropped(
    database, cli_actor, tmp_path: Path
) -> None:
    case = cases.register(cli_actor, sample_case())
    workflow.add_note(cli_actor, case.id, "备注")
    Case.update(subject="标题\x0b含控制字符", request="企业\x1f诉求").where(
        Case.id == case.id
    ).execute()
    CaseEvent.update(text="备注\x07响铃").where(CaseEvent.action == "note").execute()
    for labels in (True, False):
        path = tmp_path / f"control-{labels}.xlsx"
        assert exporting.export_file(cli_actor, path, labels=labels) == 1
        texts = [value for _title, value in _every_cell(path) if isinstance(value, str)]
        assert "标题\\x0b含控制字符" in texts and "企业\\x1f诉求" in texts
        timeline = next(text for text in texts if text.startswith("[{"))
        assert "备注\\u0007响铃" in timeline  # JSON's own escape


def test_statistics_with_a_control_character_in_a_name_are_written(
    database, tmp_path: Path
) -> None:
    from hotline.reports.periods import Period

    actor = Actor.command_line("tester")
    report = service.gather_statistics(actor, Period.month(2026, 11))
    row = BreakdownRow(name="旧的承办单位\x0b名称")
    report = dataclasses.replace(
        report, breakdowns={**report.breakdowns, Dimension.DEPARTMENT: [row]}
    )
    path = service.export_statistics_xlsx(actor, report, tmp_path)
    names = [value for title, value in _every_cell(path) if title == "承办单位"]
    assert "旧的承办单位\\x0b名称" in names


def test_a_file_written_in_english_is_joined_in_chinese(
    database_target, cli_actor, tmp_path: Path
) -> None:
    db.open_database(tmp_path / "source.sqlite3")
    try:
        _long_case(cli_actor)
        original = _json(cli_actor)
        path = tmp_path / "english.xlsx"
        set_locale("en")
        try:
            exporting.export_file(cli_actor, path, labels=False)
        finally:
            set_locale("zh_CN")
    finally:
        db.close()
    book = load_workbook(path)
    assert book.sheetnames[1] == "Long texts"
    assert "continued on the sheet" in str(book.worksheets[0]["Q2"].value)
    db.open_database(database_target)
    try:
        report = importing.import_file(cli_actor, path)
        assert (report.imported, report.rejected) == (1, 0)
        assert _json(cli_actor) == original
    finally:
        db.close()
