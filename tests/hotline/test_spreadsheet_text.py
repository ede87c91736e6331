"""Spreadsheet formulas (issue 12, class 4): every CSV and XLSX the program writes shows a text
that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return as text, and the program's
own files import back unchanged.

CSV cells are read back with :mod:`csv` (no cell may start a formula); XLSX cells with
openpyxl (no cell may be a formula cell).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from hotline import audit, cases, contacts, db
from hotline.exemption.catalogue import default_catalogue, write_csv, write_xlsx
from hotline.exemption.tabular import parse_catalogue_file
from hotline.models import Case
from hotline.permissions import Actor
from hotline.spreadsheet_text import TRIGGERS, needs_quote, neutralise, restore
from hotline.transfer import exporting, importing
from tests.conftest import sample_case

# Texts a clerk types that a spreadsheet would run: all must survive as typed.
FORMULA_LIKE = {
    "subject": "=1+1 审批拖延",
    "description": "- 第一点：材料已交\n- 第二点：无人答复",
    "request": "@窗口 请答复",
    "enterprise": {"name": "+鹤壁市公式测试有限公司", "uscc": "91410600MA44XKQ35C"},
    "contact": {"name": "'=张伟", "phone": "13812345678"},  # already quoted once
}


def _starts_a_formula(cell: str) -> bool:
    return cell[:1] in TRIGGERS and cell != ""


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@given(st.text())
def test_restore_undoes_neutralise_for_every_text(text: str) -> None:
    quoted = neutralise(text)
    assert restore(quoted) == text
    assert not _starts_a_formula(quoted)
    assert needs_quote(text) == (quoted != text)


@given(st.text(alphabet="'=+-@\t\rab", max_size=8))
def test_quotes_before_a_trigger_round_trip(text: str) -> None:
    assert restore(neutralise(text)) == text


def test_csv_export_quotes_formulas_and_imports_back_unchanged(
    database, cli_actor: Actor, tmp_path: Path
) -> None:
    cases.register(cli_actor, sample_case(**FORMULA_LIKE))
    out = io.StringIO()
    exporting.export(cli_actor, out, "csv")
    cells = _csv_cells(out.getvalue())
    assert [c for c in cells if _starts_a_formula(c)] == []
    assert "'=1+1 审批拖延" in cells and "''=张伟" in cells
    source = tmp_path / "cases.csv"
    source.write_text(out.getvalue(), encoding="utf-8-sig")
    db.close()
    db.open_database(tmp_path / "other.sqlite3")
    report = importing.import_file(cli_actor, source)
    assert (report.imported, report.rejected) == (1, 0)
    case = Case.get()
    assert case.subject == FORMULA_LIKE["subject"]
    assert case.description == FORMULA_LIKE["description"]
    assert case.request == FORMULA_LIKE["request"]
    assert contacts.of(case).name == "'=张伟"
    assert case.enterprise.name == "+鹤壁市公式测试有限公司"


def test_audit_export_quotes_formulas(database, tmp_path: Path) -> None:
    actor = Actor.command_line('=HYPERLINK("http://x","点我")')
    cases.register(actor, sample_case())
    out = tmp_path / "audit.csv"
    audit.export_csv(Actor.command_line("tester"), out)
    cells = _csv_cells(out.read_text(encoding="utf-8-sig"))
    assert [c for c in cells if _starts_a_formula(c)] == []
    if db.server_roles() is None:  # (a server's entries name the login role, chosen by none)
        assert any(c.startswith("'=HYPERLINK") for c in cells)  # the actor, quoted


def _rejected_export(cli_actor: Actor, tmp_path: Path) -> Path:
    """The program's own CSV export of a formula-like case, with its kind made invalid."""
    cases.register(cli_actor, sample_case(**FORMULA_LIKE))
    out = io.StringIO()
    exporting.export(cli_actor, out, "csv")
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    rows[1][rows[0].index("kind")] = "闲聊"
    source = tmp_path / "sheet.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return source


def test_csv_rejects_quote_formulas_once_and_import_back(
    database, cli_actor: Actor, tmp_path: Path
) -> None:
    source = _rejected_export(cli_actor, tmp_path)
    db.close()
    db.open_database(tmp_path / "other.sqlite3")
    report = importing.import_file(cli_actor, source)
    assert report.rejected == 1 and report.rejects_file is not None
    text = report.rejects_file.read_text(encoding="utf-8-sig")
    assert [c for c in _csv_cells(text) if _starts_a_formula(c)] == []
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["subject"] == "'=1+1 审批拖延"  # as the input had it, not quoted twice
    assert rows[0]["contact.name"] == "''=张伟"
    rows[0]["kind"] = "complaint"  # the clerk fixes the row and imports the rejects file
    fixed = tmp_path / "fixed.csv"
    with fixed.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow(rows[0])
    assert importing.import_file(cli_actor, fixed).imported == 1
    case = Case.get()
    assert (case.subject, contacts.of(case).name) == ("=1+1 审批拖延", "'=张伟")


def test_xlsx_rejects_keep_text_cells_text(database, cli_actor: Actor, tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    from hotline.spreadsheet_text import xlsx_row

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["渠道", "类型", "类别", "区县", "企业名称", "联系人", "联系电话", "标题"])
    row = ["热线电话", "投诉", "行政审批", "不存在区", "=1+1", "@张伟", "13912345678", "-标题"]
    sheet.append(xlsx_row(sheet, row))  # texts, as a spreadsheet saves typed '=1+1
    source = tmp_path / "sheet.xlsx"
    book.save(source)
    report = importing.import_file(cli_actor, source)
    assert report.rejected == 1 and report.rejects_file is not None
    rejects = load_workbook(report.rejects_file)  # not data_only: formulas would show as such
    cells = [cell for line in rejects.active.iter_rows() for cell in line]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = [c.value for c in cells]
    assert {"=1+1", "@张伟", "-标题"} <= set(values)


def _formula_catalogue():
    catalogue = default_catalogue()
    first = dataclasses.replace(
        catalogue.items[0], violation="=未按规定公示", body="+市场监督管理局"
    )
    return dataclasses.replace(catalogue, items=(first, *catalogue.items[1:]))


def test_catalogue_csv_quotes_formulas_and_reads_back(tmp_path: Path) -> None:
    catalogue = _formula_catalogue()
    path = tmp_path / "catalogue.csv"
    write_csv(catalogue, path)
    cells = _csv_cells(path.read_text(encoding="utf-8-sig"))
    assert [c for c in cells if _starts_a_formula(c)] == []
    again = parse_catalogue_file(path, name="清单", version="9", effective_date=dt.date(2026, 1, 1))
    assert again.items[0].violation == "=未按规定公示"
    assert again.items[0].body == "+市场监督管理局"


def test_catalogue_xlsx_has_no_formula_cells(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "catalogue.xlsx"
    write_xlsx(_formula_catalogue(), path)
    book = load_workbook(path)
    cells = [cell for line in book.active.iter_rows() for cell in line]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    again = parse_catalogue_file(path, name="清单", version="9", effective_date=dt.date(2026, 1, 1))
    assert again.items[0].violation == "=未按规定公示"
