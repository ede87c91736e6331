"""Exporting to XLSX and labelled CSV: labels, widths, frozen header, masking by role,
formula-looking texts kept as text, a list's filter and order, and the import reading it back."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hotline import cases, workflow
from hotline.case_queries import CaseFilter
from hotline.enums import Role
from hotline.errors import PermissionDenied
from hotline.models import AuditEntry, Case, CaseEvent, Department
from hotline.permissions import Actor
from hotline.transfer import exporting, importing
from tests.conftest import sample_case

SHIFT_LEAD = Actor("班长", Role.SHIFT_LEAD)
MANAGER = Actor("科长", Role.MANAGER)


def _sheet(path: Path):  # type: ignore[no-untyped-def]
    return load_workbook(path).active


def _rows(path: Path) -> list[dict[str, object]]:
    sheet = _sheet(path)
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_xlsx_has_labels_widths_frozen_header_and_a_filter(database, cli_actor, tmp_path) -> None:
    case = cases.register(cli_actor, sample_case(channel="letter", district="410611"))
    department = Department.get(Department.code == "SPJ")
    workflow.dispatch(cli_actor, case.id, department.id)
    path = tmp_path / "cases.xlsx"
    assert exporting.export_file(SHIFT_LEAD, path) == 1
    sheet = _sheet(path)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:W2"  # 19 columns, 3 of the call, 1 of co-handling
    assert sheet.column_dimensions["A"].width == 19
    assert sheet.column_dimensions["N"].width == 50  # the description
    assert sheet["A1"].font.b
    row = _rows(path)[0]
    assert row["案件编号"] == case.case_no
    assert row["受理渠道"] == "来信" and row["诉求类型"] == "投诉"
    assert row["状态"] == "已派单" and row["承办单位"] == department.name
    assert row["区县"] != "410611" and row["区县"]
    assert row["保密"] == "否"
    assert isinstance(row["受理时间"], dt.datetime)
    assert isinstance(row["办理期限"], dt.datetime)  # a date cell (openpyxl reads datetimes)
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm"
    entry = AuditEntry.select().where(AuditEntry.action == "case.export").get()
    assert json.loads(entry.detail)["format"] == "xlsx"


def test_xlsx_masks_confidential_callers_for_a_role_that_may_not_see_them(
    database, cli_actor, tmp_path
) -> None:
    cases.register(cli_actor, sample_case(confidential=True, subject="张伟反映 13812345678"))
    exporting.export_file(MANAGER, tmp_path / "manager.xlsx")
    exporting.export_file(SHIFT_LEAD, tmp_path / "lead.xlsx")
    masked = _rows(tmp_path / "manager.xlsx")[0]
    assert masked["联系人"] == "张*" and masked["联系电话"] == "138****5678"
    assert "13812345678" not in str(masked["诉求标题"]) and "张伟" not in str(masked["时间线"])
    full = _rows(tmp_path / "lead.xlsx")[0]
    assert full["联系人"] == "张伟" and full["联系电话"] == "13812345678"


def test_an_operator_may_not_export(database, cli_actor, tmp_path) -> None:
    cases.register(cli_actor, sample_case())
    with pytest.raises(PermissionDenied):
        exporting.export_file(Actor("坐席", Role.OPERATOR), tmp_path / "cases.xlsx")
    assert not (tmp_path / "cases.xlsx").exists()


def test_formula_looking_texts_stay_text(database, cli_actor, tmp_path) -> None:
    cases.register(
        cli_actor,
        sample_case(subject='=HYPERLINK("http://x")', request="+1 请办理", description="@SUM(1)"),
    )
    path = tmp_path / "cases.xlsx"
    exporting.export_file(SHIFT_LEAD, path)
    sheet = load_workbook(path).active
    cell = sheet["M2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    assert sheet["O2"].value == "+1 请办理" and sheet["O2"].data_type == "s"
    csv_path = tmp_path / "cases.csv"
    exporting.export_file(SHIFT_LEAD, csv_path, labels=True)
    text = csv_path.read_text(encoding="utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["诉求标题"] == '\'=HYPERLINK("http://x")' and row["企业诉求"] == "'+1 请办理"


def test_the_filter_and_order_of_a_list_are_honoured(database, cli_actor, tmp_path) -> None:
    made = cases.register_many(
        cli_actor, [sample_case(kind="complaint"), sample_case(kind="consultation")] * 3
    )
    complaints = [c.case_no for c in made if c.kind == "complaint"]
    path = tmp_path / "complaints.xlsx"
    count = exporting.export_file(
        SHIFT_LEAD, path, case_filter=CaseFilter(kinds=("complaint",)), descending=True
    )
    assert count == 3
    assert [r["案件编号"] for r in _rows(path)] == list(reversed(complaints))
    chosen = (made[1].id, made[4].id)
    exporting.export_file(SHIFT_LEAD, path, case_filter=CaseFilter(case_ids=chosen))
    assert [r["案件编号"] for r in _rows(path)] == [made[1].case_no, made[4].case_no]


def test_csv_writes_codes_unless_labels_are_asked_for(database, cli_actor, tmp_path) -> None:
    cases.register(cli_actor, sample_case(channel="letter"))
    codes = tmp_path / "codes.csv"
    exporting.export_file(SHIFT_LEAD, codes)
    row = next(csv.DictReader(io.StringIO(codes.read_text(encoding="utf-8-sig"))))
    assert row["channel"] == "letter" and row["district"] == "410611"
    labels = tmp_path / "labels.csv"
    exporting.export_file(SHIFT_LEAD, labels, labels=True)
    row = next(csv.DictReader(io.StringIO(labels.read_text(encoding="utf-8-sig"))))
    assert row["受理渠道"] == "来信" and row["区县"] != "410611"


@pytest.mark.parametrize(
    ("name", "labels"), [("codes.csv", False), ("labels.csv", True), ("c.xlsx", None)]
)
def test_the_import_reads_every_export_back(database, cli_actor, tmp_path, name, labels) -> None:
    case = cases.register(cli_actor, sample_case())
    workflow.dispatch(cli_actor, case.id, Department.get(Department.code == "SPJ").id)
    path = tmp_path / name
    exporting.export_file(SHIFT_LEAD, path, labels=labels)
    CaseEvent.delete().execute()
    Case.delete().execute()  # the import refuses a case number already there
    reasons: list[str] = []
    report = importing.import_file(
        cli_actor, path, dry_run=True, on_reject=lambda row: reasons.extend(row.reasons())
    )
    assert report.read == 1 and report.rejected == 0, reasons


def test_a_cancelled_export_leaves_no_file(database, cli_actor, tmp_path) -> None:
    cases.register_many(cli_actor, [sample_case()] * 3)
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "cases.xlsx"

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    before = set(ALL_TEMP_FILES)
    with pytest.raises(Cancelled):
        exporting.export_file(SHIFT_LEAD, path, progress=cancel)
    assert list(folder.iterdir()) == []
    assert set(ALL_TEMP_FILES) == before  # openpyxl's temporary copy of the rows is gone
    gc.collect()  # and nothing fails later when the abandoned sheet is collected


@pytest.mark.parametrize("name", ["cases.xlsx", "cases.csv"])
def test_a_file_exported_in_english_is_imported_in_chinese(
    database, cli_actor, tmp_path, name
) -> None:
    """An English-language desk's labelled export (English headings and labels) goes back
    into any desk: headings and labels are known in every language the program speaks."""
    from hotline import i18n

    case = cases.register(cli_actor, sample_case(category="approval", urgency="urgent"))
    workflow.dispatch(cli_actor, case.id, Department.get(Department.code == "SPJ").id)
    path = tmp_path / name
    i18n.set_locale("en")
    try:
        exporting.export_file(SHIFT_LEAD, path, labels=True)
    finally:
        i18n.set_locale("zh_CN")
    CaseEvent.delete().execute()
    Case.delete().execute()
    reasons: list[str] = []
    report = importing.import_file(
        cli_actor, path, on_reject=lambda row: reasons.extend(row.reasons())
    )
    assert (report.read, report.imported, report.rejected) == (1, 1, 0), reasons
    again = Case.get(Case.case_no == case.case_no)
    assert (again.category, again.urgency, again.status) == ("approval", "urgent", "dispatched")
