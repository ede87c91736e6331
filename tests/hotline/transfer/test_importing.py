"""Importing cases: the export round trip, bad rows reported and kept, numbering, dry runs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from hotline import audit, cases, corrections, db, workflow
from hotline.demo import generator
from hotline.enums import Role
from hotline.errors import PermissionDenied
from hotline.models import AuditEntry, Case, CaseEvent, Department
from hotline.permissions import Actor
from hotline.search import search
from hotline.transfer import exporting, importing
from hotline.transfer.replay import replay
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
    generator.generate(120, seed=11)
    case = cases.register(cli_actor, sample_case(confidential=True))
    workflow.add_note(cli_actor, case.id, "内部备注：企业要求保密")
    seen = cases.get(case.id).version  # a corrected case travels with its correction
    corrections.correct(
        cli_actor, case.id, {"subject": "更正后的标题"}, "补充", expected_version=seen
    )
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


def test_a_department_id_from_another_database_is_not_taken_as_ours(
    database, cli_actor, tmp_path
) -> None:
    """The timeline names a renamed department's current name by its id: an id written by
    the exporting database is replaced by ours for the same name, or dropped."""
    record = _timeline_case()
    record["timeline"][1]["data"]["department_id"] = 9_999
    record["timeline"][2]["data"] = {"department": "不存在的局", "department_id": 1}
    importing.import_file(cli_actor, _write(tmp_path / "ids.json", [record]))
    case = Case.get(Case.case_no == "YS20260302-0007")
    events = list(CaseEvent.select().where(CaseEvent.case == case.id).order_by(CaseEvent.id))
    ours = Department.get(Department.name == "市行政审批和政务信息管理局").id
    assert json.loads(events[1].data)["department_id"] == ours
    assert "department_id" not in json.loads(events[2].data)


def test_later_numbers_of_the_day_come_after_imported_ones(database, cli_actor, tmp_path) -> None:
    importing.import_file(cli_actor, _write(tmp_path / "a.json", [_timeline_case()]))
    fresh = cases.register(cli_actor, sample_case(received_at="2026-03-02T11:00:00"))
    assert fresh.case_no == "YS20260302-0008"


def test_rows_without_timeline_are_new_registrations(database, cli_actor, tmp_path) -> None:
    rows = [sample_case(), {**sample_case(), "status": "已受理"}]
    report = importing.import_file(cli_actor, _write(tmp_path / "new.json", rows))
    assert report.imported == 2 and len(set(report.case_nos)) == 2
    second = Case.get(Case.case_no == report.case_nos[1])
    assert second.status == "registered" and second.registered_by_name == "tester（命令行）"
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
    from hotline.errors import ValidationError
    from hotline.transfer.replay import TimelineEvent

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


# --- what users actually have: the program's own exports at any size, other encodings --------


def _fingerprint() -> list[Any]:
    """Everything an import may write, to compare before and after a failed one."""
    handle = db.current()
    tables = ("case", "case_event", "case_counter", "enterprise", "audit_entry", "imported_row")
    return [
        sorted(map(repr, handle.execute_sql(f'SELECT * FROM "{table}"').fetchall()))
        for table in tables
        if table in handle.get_tables()
    ]


def _demo_exports(tmp_path: Path, actor: Actor, count: int) -> dict[str, bytes]:
    """A demo database's CSV and JSON exports, as the ``export -o`` command writes them; the
    first case's description is padded so that the first MiB of the CSV ends inside a
    character (where the old per-chunk guess went wrong)."""
    db.open_database(tmp_path / "source.sqlite3")
    try:
        generator.generate(count, seed=7)
        first = Case.select().order_by(Case.id).first()
        for pad in range(400):
            Case.update(description=first.description + "x" * pad).where(
                Case.id == first.id
            ).execute()
            data = _export(actor, "csv").encode("utf-8-sig")
            if (data[1 << 20] & 0xC0) == 0x80:  # a continuation byte: a character cut
                break
        else:
            raise AssertionError("no padding put the MiB boundary inside a character")
        return {"csv": data, "json": _export(actor, "json").encode("utf-8")}
    finally:
        db.close()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_over_a_mebibyte_imports_back(database_target, cli_actor, tmp_path, fmt):
    exports = _demo_exports(tmp_path, cli_actor, 800)
    assert len(exports[fmt]) > 1 << 20
    source = tmp_path / f"export.{fmt}"
    source.write_bytes(exports[fmt])
    db.open_database(database_target)
    try:
        report = importing.import_file(cli_actor, source)
        assert (report.read, report.imported, report.rejected) == (800, 800, 0)
        assert not report.file_problems
        again = _export(cli_actor, fmt).encode("utf-8-sig" if fmt == "csv" else "utf-8")
        assert again == exports[fmt]
    finally:
        db.close()


def _csv_rows_text(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    exporting.write_csv(iter(records), out, lambda: None)
    return out.getvalue()


def _record(n: int, **overrides: Any) -> dict[str, Any]:
    """An export record (as ``exporting.iter_cases`` gives it) without a timeline."""
    record = {
        "case_no": f"YS20260302-{n:04d}",
        **sample_case(received_at="2026-03-02T09:30:00", subject=f"第{n}件诉求"),
        "confidential": False,
        "status": "registered",
        "timeline": [],
    }
    record.update(overrides)
    return record


def test_a_gb18030_file_is_read_as_such(database, cli_actor, tmp_path) -> None:
    source = tmp_path / "sheet.csv"
    source.write_bytes(_csv_rows_text([_record(n) for n in range(1, 4)]).encode("gb18030"))
    report = importing.import_file(cli_actor, source)
    assert (report.imported, report.rejected) == (3, 0)
    assert Case.get(Case.case_no == "YS20260302-0002").subject == "第2件诉求"


@pytest.mark.parametrize("first", ["utf-8", "gb18030"])
def test_a_file_mixing_encodings_is_refused_with_the_line(database, cli_actor, tmp_path, first):
    second = "gb18030" if first == "utf-8" else "utf-8"
    text = _csv_rows_text([_record(n) for n in range(1, 6)])
    lines = text.splitlines(keepends=True)  # header and 5 rows, one line each
    source = tmp_path / "mixed.csv"
    source.write_bytes("".join(lines[:4]).encode(first) + "".join(lines[4:]).encode(second))
    before = _fingerprint()
    report = importing.import_file(cli_actor, source)
    assert report.imported == 0 and _fingerprint() == before
    assert [p.field for p in report.file_problems] == ["file"]
    assert "编码" in report.file_problems[0].text and "第 5 行" in report.file_problems[0].text


def test_a_utf16_file_is_refused_with_a_message(database, cli_actor, tmp_path) -> None:
    source = tmp_path / "unicode.csv"
    source.write_bytes(_csv_rows_text([_record(1)]).encode("utf-16"))
    report = importing.import_file(cli_actor, source)
    assert report.imported == 0 and "UTF-16" in report.file_problems[0].text


def test_a_timeline_longer_than_the_csv_modules_default_limit_is_read(
    database, cli_actor, tmp_path
) -> None:
    notes = [
        {
            "at": f"2026-03-02T10:{m:02d}:00",
            "action": "note",
            "actor": "王芳",
            "internal": True,
            "text": "备注" * 9_000,
            "data": {},
        }
        for m in range(10)
    ]
    timeline = [
        {
            "at": "2026-03-02T09:35:00",
            "action": "register",
            "actor": "王芳",
            "internal": False,
            "text": "",
            "data": {},
        },
        *notes,
    ]
    source = tmp_path / "long.csv"
    source.write_text(_csv_rows_text([_record(1, timeline=timeline)]), encoding="utf-8")
    assert len(json.dumps(timeline, ensure_ascii=False)) > 131_072
    report = importing.import_file(cli_actor, source)
    assert (report.imported, report.rejected, report.file_problems) == (1, 0, [])
    assert CaseEvent.select().count() == 11


def test_a_cell_over_the_field_limit_names_row_and_column(
    database, cli_actor, tmp_path, monkeypatch
) -> None:
    from hotline.transfer import sources

    monkeypatch.setattr(sources, "FIELD_LIMIT", 1000)
    limit = csv.field_size_limit(1000)
    try:
        text = _csv_rows_text([_record(1), _record(2, description="长" * 1500), _record(3)])
        source = tmp_path / "huge.csv"
        source.write_text(text, encoding="utf-8")
        before = _fingerprint()
        report = importing.import_file(cli_actor, source)
    finally:
        csv.field_size_limit(limit)
    assert report.imported == 0 and _fingerprint() == before
    message = report.file_problems[0].text
    assert "第 3 行" in message and "description" in message


MALFORMED: dict[str, tuple[str, bytes]] = {
    # name: (suffix, content); every one ends in a message naming the line, nothing written
    "csv cut inside a quoted cell": (
        "csv",
        _csv_rows_text([_record(1), _record(2, description="引号, 里面")]).encode()[:-20],
    ),
    "csv cut in its last line": (
        "csv",
        _csv_rows_text([_record(1), _record(2)]).encode()[:-60],
    ),
    "json cut": ("json", json.dumps([_record(1), _record(2)], ensure_ascii=False).encode()[:-30]),
    "binary": ("csv", bytes(range(256)) * 40),
    "binary json": ("json", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
    "huge number": ("json", b'[{"case_no": ' + b"9" * 5000 + b"}]"),
    "deep nesting": ("json", b"[" * 100_000),
    "deep nesting in a row": ("json", b'[{"timeline": ' + b"[" * 500 + b"]" * 500 + b"}]"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_file_names_the_line_and_changes_nothing(
    database, cli_actor, tmp_path, name
) -> None:
    suffix, content = MALFORMED[name]
    source = tmp_path / f"bad.{suffix}"
    source.write_bytes(content)
    before = _fingerprint()
    report = importing.import_file(cli_actor, source)
    assert report.imported == 0 and _fingerprint() == before
    assert len(report.file_problems) == 1
    assert re.search(r"第 \d+ 行", report.file_problems[0].text), report.file_problems[0].text
    assert not list(tmp_path.glob("bad.rejects.*"))


def _events(**changes: Any) -> list[dict[str, Any]]:
    timeline = _timeline_case()["timeline"]
    timeline[2] = {**timeline[2], **changes}
    return timeline


BAD_ROWS: dict[str, tuple[dict[str, Any], set[str]]] = {
    # name: (row, the fields named); the row is rejected, the others imported
    "NUL in the description": (sample_case(description="诉求\x00内容"), {"description"}),
    "lone surrogate in the subject": (sample_case(subject="\ud800标题"), {"subject"}),
    "NUL in a timeline text": (
        _timeline_case(timeline=_events(text="已\x00办结")),
        {"timeline[3].text"},
    ),
    "surrogate in a timeline actor": (
        _timeline_case(timeline=_events(actor="王\udfff")),
        {"timeline[3].actor"},
    ),
    "NUL in a timeline event's data": (
        _timeline_case(timeline=_events(data={"note": "\x00"})),
        {"timeline[3].data.note"},
    ),
    "surrogate in the status": (_timeline_case(status="replied\udc80"), {"status"}),
    "absurd case number": (_timeline_case(case_no="YS20260302-2147483647"), {"case_no"}),
    "case number beyond the range": (_timeline_case(case_no="YS20260302-1000000"), {"case_no"}),
    "case number with extra zeros": (_timeline_case(case_no="YS20260302-00007"), {"case_no"}),
    "case number of no day": (_timeline_case(case_no="YS20260230-0007"), {"case_no"}),
    "case number of another prefix": (_timeline_case(case_no="AB20260302-0007"), {"case_no"}),
    "receipt time out of range": (
        sample_case(received_at="0001-01-01T00:00:00+14:00"),
        {"received_at"},
    ),
    "timeline time out of range": (
        _timeline_case(timeline=_events(at="9999-12-31T23:59:59-12:00")),
        {"timeline[3].at"},
    ),
    "receipt time not a date": (sample_case(received_at="2026-02-30T09:00:00"), {"received_at"}),
}


@pytest.mark.parametrize("name", sorted(BAD_ROWS))
def test_a_bad_row_is_reported_with_its_line_and_column(
    database, cli_actor, tmp_path, name
) -> None:
    row, fields = BAD_ROWS[name]
    good = _timeline_case(case_no="YS20260302-0001")
    source = tmp_path / "rows.json"  # escapes as json.dumps writes them: "\ud800", "\u0000"
    source.write_text("[\n" + json.dumps(good) + ",\n" + json.dumps(row) + "\n]\n")
    seen: list[importing.Rejected] = []
    report = importing.import_file(cli_actor, source, on_reject=seen.append)
    assert (report.imported, report.rejected) == (1, 1)
    assert seen[0].line == 3 and {p.field for p in seen[0].problems} == fields
    assert all("\x00" not in p.text and "\ud800" not in p.text for p in seen[0].problems)
    kept = json.loads(report.rejects_file.read_text(encoding="utf-8"))  # written, readable
    assert len(kept) == 1 and kept[0]["errors"]
    assert Case.select().count() == 1 and audit.verify().ok


def test_imported_numbers_leave_the_next_intake_room(database, cli_actor, tmp_path) -> None:
    report = importing.import_file(
        cli_actor, _write(tmp_path / "a.json", [_timeline_case(case_no="YS20260302-9999")])
    )
    assert report.imported == 1
    later = cases.register(cli_actor, sample_case(received_at="2026-03-02T16:00:00"))
    assert later.case_no == "YS20260302-10000"
    refused = importing.import_file(
        cli_actor,
        _write(tmp_path / "b.json", [_timeline_case(case_no="YS20260303-2147483647")]),
    )
    assert refused.rejected == 1
    after = cases.register(cli_actor, sample_case(received_at="2026-03-03T09:00:00"))
    assert after.case_no == "YS20260303-0001"


# --- a repeated import never duplicates --------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_second_import_of_the_same_file_skips_every_row(
    database, cli_actor, tmp_path, fmt
) -> None:
    records = [_record(n) for n in range(1, 4)]
    unnumbered = {**_record(0), "case_no": ""}
    records += [unnumbered, unnumbered]  # two equal rows without a number: two cases
    source = tmp_path / f"twice.{fmt}"
    if fmt == "csv":
        source.write_text(_csv_rows_text(records), encoding="utf-8-sig")
    else:
        _write(source, records)
    first = importing.import_file(cli_actor, source)
    assert (first.imported, first.skipped, first.rejected) == (5, 0, 0)
    before = _fingerprint()
    second = importing.import_file(cli_actor, source)
    assert _fingerprint() == before
    assert (second.read, second.imported, second.skipped, second.rejected) == (5, 0, 5, 0)
    assert second.ok
    dry = importing.import_file(cli_actor, source, dry_run=True)
    assert (dry.imported, dry.skipped) == (0, 5)


def test_rows_imported_from_csv_are_skipped_in_the_json_export(
    database, cli_actor, tmp_path
) -> None:
    timeline = _timeline_case()["timeline"]
    records = [_record(7, status="replied", timeline=timeline), {**_record(0), "case_no": ""}]
    csv_file = tmp_path / "a.csv"
    csv_file.write_text(_csv_rows_text(records), encoding="utf-8")
    assert importing.import_file(cli_actor, csv_file).imported == 2
    again = importing.import_file(cli_actor, _write(tmp_path / "a.json", records))
    assert (again.imported, again.skipped) == (0, 2)


KILLED_IMPORT = """
import sys
from hotline import db
from hotline.transfer import importing
from hotline.permissions import Actor

target, path = sys.argv[1:]
db.open_database(target)
write = importing._Importer.write
batches = 0


def write_then_wait(self, *args):
    global batches
    write(self, *args)
    batches += 1
    if batches == 3:  # inside the third batch's transaction, rows written, not committed
        print("third batch written", flush=True)
        sys.stdin.read()


importing._Importer.write = write_then_wait
importing.import_file(Actor.command_line("tester"), path, batch=400)
"""


def test_an_import_killed_halfway_then_run_again_has_every_row_once(
    database_target, cli_actor, tmp_path
) -> None:
    import os
    import signal
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[3]
    records = [{**_record(0, subject=f"无编号诉求{n % 450}"), "case_no": ""} for n in range(500)]
    records += [_record(n) for n in range(1, 1501)]
    source = _write(tmp_path / "many.json", records)  # 50 rows without a number twice
    db.open_database(database_target)
    db.close()
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, database_target, str(source)],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "third batch written"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    db.open_database(database_target)
    try:
        assert Case.select().count() == 800  # two batches committed, the third rolled back
        report = importing.import_file(cli_actor, source, batch=400)
        subjects = [c.subject for c in Case.select(Case.subject)]
        assert sorted(subjects) == sorted(r["subject"] for r in records)  # each once
        assert (report.imported, report.skipped, report.rejected) == (1200, 800, 0)
        assert audit.verify().ok
    finally:
        db.close()


def test_rows_without_a_number_never_take_one_the_file_carries(
    database, cli_actor, tmp_path
) -> None:
    unnumbered = {**_record(0), "case_no": ""}
    bad = _record(5, district="火星")  # rejected: fixed, it comes back with its number
    rows = [unnumbered, unnumbered, _record(1), _record(2), bad]
    report = importing.import_file(cli_actor, _write(tmp_path / "mixed.json", rows))
    assert (report.imported, report.rejected) == (4, 1)
    assert sorted(report.case_nos) == [
        "YS20260302-0001",
        "YS20260302-0002",
        "YS20260302-0006",
        "YS20260302-0007",
    ]


def test_a_timeline_cell_nested_too_deep_is_a_bad_row(database, cli_actor, tmp_path) -> None:
    source = tmp_path / "deep.csv"
    text = _csv_rows_text([_record(1), _record(2, timeline=[])])
    source.write_text(text.replace("[]", "[" * 900 + "]" * 900, 1), encoding="utf-8")
    seen: list[importing.Rejected] = []
    report = importing.import_file(cli_actor, source, on_reject=seen.append)
    assert (report.imported, report.rejected) == (1, 1)
    assert seen[0].line == 2 and {p.field for p in seen[0].problems} == {"timeline"}


def test_unstorable_text_in_a_csv_timeline_is_reported_and_kept(
    database, cli_actor, tmp_path
) -> None:
    event = {"at": "2026-03-02T09:35:00", "action": "register", "actor": "王芳", "text": "\x00"}
    event["a\ud800"] = "键名里的代理字符"
    text = _csv_rows_text([_record(1), _record(2, timeline=[event])])
    source = tmp_path / "keys.csv"  # the timeline cell holds JSON escapes: "\u0000", "\ud800"
    source.write_text(
        text.replace(
            json.dumps([event], ensure_ascii=False).replace('"', '""'),
            json.dumps([event]).replace('"', '""'),
        ),
        encoding="utf-8",
    )
    seen: list[importing.Rejected] = []
    report = importing.import_file(cli_actor, source, on_reject=seen.append)
    assert (report.imported, report.rejected) == (1, 1)
    assert {p.field for p in seen[0].problems} == {"timeline[1].text", "timeline[1].a\\ud800"}
    kept = list(csv.DictReader(report.rejects_file.open(encoding="utf-8-sig")))
    assert len(kept) == 1 and "timeline[1].a\\ud800" in kept[0]["errors"]


def test_the_department_stage_travels_with_the_timeline(tmp_path: Path, cli_actor: Actor) -> None:
    """Accepted, supervised, the notice answered by the reply, the caller disclosed: an
    export and import give the same department stage (rebuilt from the timeline)."""
    from hotline import clock, supervision
    from hotline.models import CaseHandling

    department = Actor("市监科员", Role.DEPARTMENT, None, department_id=1)
    db.open_database(tmp_path / "source.sqlite3")
    monday = dt.datetime(2026, 11, 23, 9, 30)
    with clock.frozen(monday):
        received = monday.isoformat()
        case = cases.register(
            cli_actor, sample_case(urgency="紧急", confidential=True, received_at=received)
        )
        workflow.dispatch(cli_actor, case.id, 1)
        workflow.accept(department, case.id)
        workflow.supervise(cli_actor, case.id, "请今日答复", 1, "reminder")
        workflow.grant_caller(cli_actor, case.id, "需联系来电人")
        workflow.reply(department, case.id, "已解决", resolution="partly", contact_made=True)
        other = cases.register(cli_actor, sample_case(urgency="紧急", received_at=received))
        workflow.dispatch(cli_actor, other.id, 1)
        workflow.supervise(cli_actor, other.id, "尚未答复", 2, "supervision")

    def stage() -> tuple[object, ...]:
        handling = [
            (
                h.case.case_no,
                h.accepted_at,
                h.accepted_by,
                h.resolution,
                h.contact_made,
                h.caller_granted,
            )
            for h in CaseHandling.select().order_by(CaseHandling.case)
        ]
        notices = [
            (
                cases.get(n.case_id).case_no,
                n.level,
                n.text,
                n.answer_by,
                n.issued_at,
                n.issued_by_name,
                n.answered_at,
                n.answer,
            )
            for n in SupervisionNotice.select().order_by(SupervisionNotice.id)
        ]
        return handling, notices

    from hotline.models import SupervisionNotice

    before = stage()
    exported = _export(cli_actor)
    db.close()
    source = tmp_path / "cases.json"
    source.write_text(exported, encoding="utf-8")
    db.open_database(tmp_path / "target.sqlite3")
    with clock.frozen(monday + dt.timedelta(days=1)):
        assert importing.import_file(cli_actor, source).imported == 2
    assert stage() == before
    assert len(before[1]) == 2 and before[1][0][6] is not None and before[1][1][6] is None
    assert [n.text for n in supervision.desk_notices()] == ["尚未答复"]
    db.close()
