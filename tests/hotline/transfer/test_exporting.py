"""Exporting cases: JSON and CSV content, confidential masking, permissions, streaming."""

from __future__ import annotations

import csv
import io
import json

import pytest

from hotline import cases, workflow
from hotline.enums import Role
from hotline.errors import PermissionDenied
from hotline.models import AuditEntry, Department
from hotline.permissions import Actor
from hotline.transfer import exporting
from tests.conftest import sample_case


def _export(actor: Actor, fmt: str = "json", **options: object) -> str:
    out = io.StringIO()
    exporting.export(actor, out, fmt, **options)  # type: ignore[arg-type]
    return out.getvalue()


def test_json_has_intake_keys_status_and_timeline(database, cli_actor) -> None:
    case = cases.register(cli_actor, sample_case(received_at="2026-03-02T09:30:00"))
    department = Department.get(Department.code == "SPJ")
    workflow.dispatch(cli_actor, case.id, department.id, note="请尽快办理")
    records = json.loads(_export(cli_actor))
    assert len(records) == 1
    record = records[0]
    assert record["case_no"] == case.case_no
    assert record["enterprise"] == {"name": "鹤壁市华联商贸有限公司", "uscc": "91410600MA44XKQ35C"}
    assert record["contact"] == {"name": "张伟", "phone": "13812345678"}
    assert record["received_at"] == "2026-03-02T09:30:00"
    assert record["status"] == "dispatched" and record["confidential"] is False
    actions = [event["action"] for event in record["timeline"]]
    assert actions == ["register", "dispatch"]
    dispatch = record["timeline"][1]
    assert dispatch["text"] == "请尽快办理" and dispatch["actor"] == "tester（命令行）"
    assert dispatch["data"]["department"] == department.name
    assert AuditEntry.select().where(AuditEntry.action == "case.export").count() == 1


def test_csv_has_flat_columns_and_a_timeline_column(database, cli_actor) -> None:
    cases.register(cli_actor, sample_case())
    rows = list(csv.DictReader(io.StringIO(_export(cli_actor, "csv"))))
    assert list(rows[0]) == list(exporting.CSV_COLUMNS)
    assert rows[0]["enterprise.uscc"] == "91410600MA44XKQ35C"
    assert rows[0]["confidential"] == "false"
    assert json.loads(rows[0]["timeline"])[0]["action"] == "register"


def test_confidential_contacts_masked_on_request(database, cli_actor) -> None:
    case = cases.register(cli_actor, sample_case(confidential=True))
    workflow.add_note(cli_actor, case.id, "张伟说可打 13812345678 联系")
    full = json.loads(_export(cli_actor))[0]
    assert full["contact"] == {"name": "张伟", "phone": "13812345678"}
    masked = json.loads(_export(cli_actor, mask_confidential=True))[0]
    assert masked["contact"] == {"name": "张*", "phone": "138****5678"}
    note = masked["timeline"][-1]["text"]
    assert "13812345678" not in note and "张伟" not in note


def test_a_role_that_may_not_see_contacts_gets_them_masked(database, cli_actor) -> None:
    cases.register(cli_actor, sample_case(confidential=True))
    manager = Actor("科长", Role.MANAGER)
    record = json.loads(_export(manager))[0]
    assert record["contact"]["phone"] == "138****5678"


def test_export_needs_permission(database, cli_actor) -> None:
    with pytest.raises(PermissionDenied):
        _export(Actor("坐席", Role.OPERATOR))


def test_batches_cover_every_case_in_order(database, cli_actor) -> None:
    numbers = [c.case_no for c in cases.register_many(cli_actor, [sample_case()] * 7)]
    records = list(exporting.iter_cases(batch=3))
    assert [r["case_no"] for r in records] == numbers
    assert all(len(r["timeline"]) >= 1 for r in records)


def test_empty_database_gives_an_empty_array(database, cli_actor) -> None:
    assert json.loads(_export(cli_actor)) == []
