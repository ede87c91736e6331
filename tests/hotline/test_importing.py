"""Importing cases: the export round trip, bad rows reported and kept, numbering, dry runs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from hotline import cases, db, demo, exporting, importing, workflow
from hotline.case_replay import replay
from hotline.enums import Role
from hotline.errors import PermissionDenied
from hotline.models import AuditEntry, Case, CaseEvent, Department
from hotline.permissions import Actor
from hotline.search import search
from tests.conftest import sample_case


def _export(actor: Actor, fmt: str = "json") -> str:
    out = io.StringIO()
    exporting.export(actor, out, fmt)
    return out.getvalue()


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(
        "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n",
        encoding="utf-8",
    )
    return path


def _timeline_case(**overrides: Any) -> dict[str, Any]:
    """A dispatched and replied case as the export writes it."""
    record: dict[str, Any] = {
        **sample_case(received_at="2026-03-02T09:30:00"),
        "case_no": "YS20260302-0007",
        "status": "replied",
        "timeline": [
            {"at": "2026-03-02T09:35:00", "action": "register", "actor": "王芳"},
            {
                "at": "2026-03-02T10:00:00",
                "action": "dispatch",
                "actor": "王芳",
                "data": {"department": "市行政审批和政务信息管理局", "deadline": "2026-03-19"},
            },
            {"at": "2026-03-05T15:00:00", "action": "reply", "actor": "王芳", "text": "已办结"},
        ],
    }
    record.update(overrides)
    return record


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_gives_the_same_cases(tmp_path: Path, cli_actor: Actor, fmt: str) -> None:
    db.open_database(tmp_path / "source.sqlite3")
    demo.generate(120, seed=11)
    case = cases.register(cli_actor, sample_case(confidential=True))
    workflow.add_note(cli_actor, case.id, "内部备注：企业要求保密")
    first = _export(cli_actor, fmt)
    db.close()
    source = tmp_path / f"cases.{fmt}"
    source.write_text(first, encoding="utf-8")
    db.open_database(tmp_path / "target.sqlite3")
    report = importing.import_file(cli_actor, source)
    assert (report.read, report.imported, report.rejected) == (121, 121, 0)
    assert report.rejects_file is None
    second = _export(cli_actor, fmt)
    db.close()
    if fmt == "json":
        assert json.loads(second) == json.loads(first)
    else:
        assert list(csv.reader(io.StringIO(second))) == list(csv.reader(io.StringIO(first)))


def test_imported_case_has_the_columns_its_timeline_implies(database, cli_actor, tmp_path) -> None:
    source = _write(tmp_path / "one.json", [_timeline_case()])
    report = importing.import_file(cli_actor, source)
    assert report.imported == 1
    case = Case.get(Case.case_no == "YS20260302-0007")
    assert case.status == "replied" and case.reply == "已办结"
    assert case.department.name == "市行政审批和政务信息管理局"
    assert str(case.deadline) == "2026-03-19" and case.version == 3
    assert case.registered_by_name == "王芳"
    events = list(CaseEvent.select().where(CaseEvent.case == case.id).order_by(CaseEvent.id))
    assert [e.action for e in events] == ["register", "dispatch", "reply"]
    assert [c.case_no for c in map(Case.get_by_id, search("华联").case_ids)] == [case.case_no]
    # The workflow goes on from there.
    assert workflow.callback(cli_actor, case.id, "satisfied").status == "called_back"
    entry = AuditEntry.select().where(AuditEntry.action == "case.import").get()
    assert "YS20260302-0007" in entry.detail


def test_later_numbers_of_the_day_come_after_imported_ones(database, cli_actor, tmp_path) -> None:
    importing.import_file(cli_actor, _write(tmp_path / "a.json", [_timeline_case()]))
    fresh = cases.register(cli_actor, sample_case(received_at="2026-03-02T11:00:00"))
    assert fresh.case_no == "YS20260302-0008"


def test_rows_without_timeline_are_new_registrations(database, cli_actor, tmp_path) -> None:
    rows = [sample_case(), {**sample_case(), "status": "已受理"}]
    report = importing.import_file(cli_actor, _write(tmp_path / "new.json", rows))
    assert report.imported == 2 and len(set(report.case_nos)) == 2
    second = Case.get(Case.case_no == report.case_nos[1])
    assert second.status == "registered" and second.registered_by_name == "tester"
    assert second.repeat_of_id == Case.get(Case.case_no == report.case_nos[0]).id
    actions = [e.action for e in CaseEvent.select().where(CaseEvent.case == second.id)]
    assert actions == ["register", "repeat"]


def test_bad_rows_are_reported_and_kept_in_a_rejects_file(database, cli_actor, tmp_path) -> None:
    good = _timeline_case()
    bad_intake = {**sample_case(district="火星", contact={"name": "", "phone": "123"})}
    bad_order = _timeline_case(case_no="YS20260302-0008")
    bad_order["timeline"] = [bad_order["timeline"][0], bad_order["timeline"][2]]
    wrong_status = _timeline_case(case_no="YS20260302-0009", status="closed")
    source = _write(tmp_path / "mixed.json", [good, bad_intake, bad_order, wrong_status])
    seen: list[importing.Rejected] = []
    report = importing.import_file(cli_actor, source, on_reject=seen.append)
    assert (report.read, report.imported, report.rejected) == (4, 1, 3)
    assert [r.position for r in seen] == [2, 3, 4]
    assert [r.line for r in seen] == [3, 4, 5]  # one object per line after "["
    fields = [{p.field for p in r.problems} for r in seen]
    assert {"district", "contact.name", "contact.phone"} <= fields[0]
    assert fields[1] == {"timeline[2].action"}
    assert fields[2] == {"status"}
    assert report.rejects_file == tmp_path / "mixed.rejects.json"
    kept = json.loads(report.rejects_file.read_text(encoding="utf-8"))
    assert [row.get("case_no") for row in kept] == [None, "YS20260302-0008", "YS20260302-0009"]
    assert any("district" in reason for reason in kept[0]["errors"])
    # Fixing the rows in the rejects file and importing it again works.
    for row in kept:
        row.pop("errors")
    kept[0].update(district="淇滨区", contact={"name": "刘洋", "phone": "13912345678"})
    kept[1]["timeline"] = good["timeline"]
    kept[2]["status"] = "replied"
    again = importing.import_file(cli_actor, _write(tmp_path / "fixed.json", kept))
    assert (again.imported, again.rejected) == (3, 0)


def test_duplicates_in_the_file_and_in_the_database(database, cli_actor, tmp_path) -> None:
    importing.import_file(cli_actor, _write(tmp_path / "a.json", [_timeline_case()]))
    cases.register(cli_actor, sample_case(received_at="2026-03-02T11:00:00"))  # -0008
    rows = [
        _timeline_case(),  # imported before: skipped
        _timeline_case(case_no="YS20260302-0008"),  # another case has the number: rejected
        _timeline_case(case_no="YS20260302-0010"),
        _timeline_case(case_no="YS20260302-0010"),  # twice in the file: rejected
    ]
    seen: list[importing.Rejected] = []
    report = importing.import_file(
        cli_actor, _write(tmp_path / "b.json", rows), on_reject=seen.append
    )
    assert (report.imported, report.skipped, report.rejected) == (1, 1, 2)
    assert sorted(r.case_no for r in seen) == ["YS20260302-0008", "YS20260302-0010"]
    assert Case.select().count() == 3


def test_dry_run_writes_nothing(database, cli_actor, tmp_path) -> None:
    source = _write(tmp_path / "dry.json", [_timeline_case(), {"subject": "缺很多字段"}])
    report = importing.import_file(cli_actor, source, dry_run=True)
    assert (report.imported, report.rejected, report.dry_run) == (1, 1, True)
    assert Case.select().count() == 0
    assert not (tmp_path / "dry.rejects.json").exists()
    assert report.rejects_file is None


def test_csv_rejects_keep_the_columns_and_add_reasons(database, cli_actor, tmp_path) -> None:
    cases.register(cli_actor, sample_case())
    text = _export(cli_actor, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    broken = list(rows[1])
    broken[rows[0].index("kind")] = "闲聊"
    broken[rows[0].index("case_no")] = "YS20260302-0001"
    source = tmp_path / "sheet.csv"
    with source.open("w", encoding="gb18030", newline="") as handle:  # as a spreadsheet saves it
        csv.writer(handle).writerows([rows[0], broken])
    db.close()
    db.open_database(tmp_path / "other.sqlite3")
    report = importing.import_file(cli_actor, source)
    assert report.rejected == 1
    rejects = list(csv.DictReader(report.rejects_file.open(encoding="utf-8-sig")))
    assert rejects[0]["kind"] == "闲聊" and "kind" in rejects[0]["errors"]
    assert rejects[0]["enterprise.name"] == "鹤壁市华联商贸有限公司"


def test_chinese_headings_and_xlsx(database, cli_actor, tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        ["渠道", "类型", "类别", "区县", "企业名称", "联系人", "联系电话", "标题", "诉求内容"]
    )
    sheet.append(
        [
            "热线电话",
            "投诉",
            "行政审批",
            "淇滨区",
            "鹤壁市表格测试有限公司",
            "王强",
            "13912345678",
            "表格导入",
            "从 Excel 导入的诉求内容",
        ]
    )
    sheet.append(
        [
            "热线电话",
            "投诉",
            "行政审批",
            "不存在区",
            "鹤壁市表格测试有限公司",
            "王强",
            "13912345678",
            "表格导入",
            "第二行有误",
        ]
    )
    source = tmp_path / "sheet.xlsx"
    book.save(source)
    report = importing.import_file(cli_actor, source)
    assert (report.imported, report.rejected) == (1, 1)
    assert Case.get(Case.subject == "表格导入").status == "registered"
    assert report.rejects_file == tmp_path / "sheet.rejects.xlsx" and report.rejects_file.exists()


def test_broken_json_is_a_file_problem_and_changes_nothing(database, cli_actor, tmp_path) -> None:
    source = tmp_path / "broken.json"
    good = json.dumps(_timeline_case(), ensure_ascii=False)
    source.write_text(f'[\n{good},\n{{"subject": oops}}\n]\n', encoding="utf-8")
    report = importing.import_file(cli_actor, source)
    assert report.imported == 0 and Case.select().count() == 0
    assert report.file_problems and "第 3 行" in report.file_problems[0].text
    assert not (tmp_path / "broken.rejects.json").exists()


def test_import_needs_permission(database, tmp_path) -> None:
    with pytest.raises(PermissionDenied):
        importing.import_file(Actor("科长", Role.MANAGER), tmp_path / "x.json")


def test_replay_refuses_what_the_workflow_refuses(database) -> None:
    from hotline.case_replay import TimelineEvent
    from hotline.errors import ValidationError

    t = __import__("datetime").datetime(2026, 3, 2, 10)
    reply_first = [TimelineEvent(t, "register", "a"), TimelineEvent(t, "reply", "a", text="x")]
    with pytest.raises(ValidationError) as caught:
        replay(reply_first, kind="complaint", received_at=t, ceiling_days=30)
    assert caught.value.fields() == {"timeline[2].action"}
    spot = [TimelineEvent(t, "register", "a"), TimelineEvent(t, "answer_on_spot", "a")]
    with pytest.raises(ValidationError):
        replay(spot, kind="complaint", received_at=t, ceiling_days=30)
    assert replay(spot, kind="consultation", received_at=t, ceiling_days=30).status == "closed"
    assert Department.select().count() > 0


@pytest.mark.sqlite_only("compares the FTS5 tables with a rebuilt copy")
def test_a_large_import_is_indexed_batch_by_batch(
    database, cli_actor, tmp_path, monkeypatch
) -> None:
    """No rebuild of the whole index at the end: a big import into a big database stays quick."""
    from hotline.search import index
    from tests.hotline.index_check import assert_index_is_as_rebuilt

    cases.register(cli_actor, sample_case(subject="早已登记的案件"))
    monkeypatch.setattr(importing, "REBUILD_INDEX_AFTER", 2)
    rebuilds = []
    monkeypatch.setattr(index, "rebuild", lambda *a, **k: rebuilds.append(1))
    rows = [
        sample_case(subject=f"导入案件{n}", contact={"name": "孙丽", "phone": f"1390000{n:04d}"})
        for n in range(7)
    ]
    report = importing.import_file(cli_actor, _write(tmp_path / "many.json", rows), batch=3)
    assert report.imported == 7 and rebuilds == []
    assert len(search("导入案件").case_ids) == 7
    assert search("00000005").case_ids == [Case.get(Case.case_no == report.case_nos[5]).id]
    monkeypatch.undo()
    assert_index_is_as_rebuilt(database)
