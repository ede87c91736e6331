"""Who is calling: a number's earlier callers and cases, a follow-up note instead of a new
case, and the call kept with the case (hotline/callers.py, hotline/case_calls.py)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from hotline import callers, case_calls, cases, clock, migrations, timeline, workflow
from hotline.case_calls import CallRecord
from hotline.enums import Role
from hotline.errors import NotFound, ValidationError
from hotline.models import CaseCall
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.hotline.desk import MANAGER, NOW, OPERATOR

OTHER = {"name": "淇县永兴机械厂", "uscc": ""}


def _register(phone: str, *, at: dt.datetime = NOW, **overrides) -> int:
    data = sample_case(
        received_at=at.isoformat(), contact={"name": "张伟", "phone": phone}, **overrides
    )
    return cases.register(OPERATOR, data).id


def test_a_number_lists_its_callers_and_cases_open_first(database) -> None:
    closed = _register("13812345678", at=NOW - dt.timedelta(days=40))
    workflow.withdraw(OPERATOR, closed, "重复来电")
    older_open = _register("13812345678", at=NOW - dt.timedelta(days=20), enterprise=OTHER)
    newest_open = _register("13812345678", at=NOW - dt.timedelta(days=1))
    _register("13900000000")  # another number

    found = callers.history(OPERATOR, "13812345678")
    assert [c.brief.id for c in found.cases] == [newest_open, older_open, closed]
    assert [c.is_open for c in found.cases] == [True, True, False]
    assert [(k.contact_name, k.enterprise.name if k.enterprise else "") for k in found.callers] == [
        ("张伟", "鹤壁市华联商贸有限公司"),
        ("张伟", "淇县永兴机械厂"),
    ]
    first = found.callers[0]
    assert (first.cases, first.open_cases) == (2, 1)
    assert first.enterprise is not None and first.enterprise.uscc == "91410600MA44XKQ35C"
    assert not found.more


def test_an_unknown_number_has_no_history(database) -> None:
    _register("13812345678")
    found = callers.history(OPERATOR, "13700000000")
    assert not found.known and found.callers == [] and found.cases == []


def test_the_list_is_capped_and_says_there_is_more(database) -> None:
    for day in range(3):
        _register("13812345678", at=NOW - dt.timedelta(days=day))
    found = callers.history(OPERATOR, "13812345678", limit=2)
    assert len(found.cases) == 2 and found.more
    assert [c.cases for c in found.callers] == [3]  # everyone, over every case of the number


def test_a_role_that_may_not_see_confidential_callers_is_not_told_of_them(database) -> None:
    _register("13812345678", confidential=True)
    assert callers.history(OPERATOR, "13812345678").known
    assert not callers.history(MANAGER, "13812345678").known


def test_a_follow_up_is_a_note_the_department_sees_with_the_call_kept(database) -> None:
    case_id = _register("13812345678")
    call = CallRecord(call_at=NOW, call_id="1733.42", line="2", extension="8001")
    callers.follow_up(OPERATOR, case_id, "企业问何时能办好", call)
    notes = [e for e in timeline.events(case_id) if e.action == "note"]
    assert notes[-1].text == "来电催办：企业问何时能办好"
    assert not notes[-1].internal
    [kept] = case_calls.calls_of(case_id)
    assert (kept.purpose, kept.call_id, kept.line, kept.extension) == (
        "follow_up",
        "1733.42",
        "2",
        "8001",
    )
    assert kept.call_at == NOW


def test_a_follow_up_needs_text_and_the_right_to_add_notes(database) -> None:
    case_id = _register("13812345678")
    with pytest.raises(ValidationError):
        callers.follow_up(OPERATOR, case_id, "  ", None)
    nobody = Actor("部门", Role.DEPARTMENT, None)
    with pytest.raises(NotFound):  # a department sees only its own cases
        callers.follow_up(nobody, case_id, "催办", None)
    assert case_calls.calls_of(case_id) == []


def test_a_case_from_a_call_keeps_the_call_and_when_it_was_saved(database, monkeypatch) -> None:
    saved = NOW + dt.timedelta(minutes=3, seconds=5)
    monkeypatch.setattr(clock, "now", lambda: saved)
    call = CallRecord(call_at=NOW, call_id="abc")
    case = cases.register(OPERATOR, sample_case(received_at=NOW.isoformat()), call=call)
    [kept] = case_calls.calls_of(case.id)
    assert (kept.purpose, kept.call_id, kept.saved_at) == ("intake", "abc", saved)
    assert kept.seconds_to_save == 185
    assert case_calls.intake_calls([case.id]) == {case.id: kept}


def test_the_median_time_from_call_to_saved_case(database, monkeypatch) -> None:
    for minutes in (1, 2, 10):
        saved = NOW + dt.timedelta(minutes=minutes)
        monkeypatch.setattr(clock, "now", lambda saved=saved: saved)
        cases.register(
            OPERATOR, sample_case(received_at=NOW.isoformat()), call=CallRecord(call_at=NOW)
        )
    begin, stop = NOW, NOW + dt.timedelta(days=1)
    assert case_calls.median_seconds_to_save(begin, stop) == 120
    assert case_calls.median_seconds_to_save(stop, stop + dt.timedelta(days=1)) is None


def test_migrations_18_and_19_are_idempotent_and_index_the_phone(database) -> None:
    from hotline import db

    for version in (18, 19):
        [migration] = [m for m in migrations.MIGRATIONS if m.version == version]
        migration.apply(db.current())  # a second time: nothing changes, nothing fails
    assert "case_call" in db.current().get_tables()
    indexes = {i.name for i in db.current().get_indexes("case_contact")}
    assert "case_contact_phone" in indexes
    assert CaseCall.select().count() == 0


@pytest.mark.sqlite_only("the schema check reads an SQLite file")
def test_an_upgraded_database_has_the_schema_of_a_new_one(database, database_target) -> None:
    from hotline import schema_check

    conn = sqlite3.connect(database_target)
    try:
        assert schema_check.differences(conn, migrations.latest_version()) == []
    finally:
        conn.close()


def test_the_export_carries_the_call_id_and_times(database, monkeypatch, tmp_path) -> None:
    import csv
    import json

    from hotline.transfer import exporting
    from tests.hotline.desk import LEAD

    saved = NOW + dt.timedelta(minutes=2)
    monkeypatch.setattr(clock, "now", lambda: saved)
    cases.register(
        OPERATOR,
        sample_case(received_at=NOW.isoformat()),
        call=CallRecord(call_at=NOW, call_id="1733.42"),
    )
    cases.register(OPERATOR, sample_case(received_at=NOW.isoformat(), subject="信件"))
    path = tmp_path / "cases.json"
    exporting.export_file(LEAD, path)
    records = json.loads(path.read_text(encoding="utf-8"))
    assert [r["call"] for r in records] == [
        {"id": "1733.42", "at": NOW.isoformat(), "saved_at": saved.isoformat()},
        {"id": "", "at": None, "saved_at": None},
    ]
    labelled = tmp_path / "cases.csv"
    exporting.export_file(LEAD, labelled, labels=True)
    with labelled.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert (rows[0]["通话编号"], rows[0]["来电时间"], rows[0]["登记保存时间"]) == (
        "1733.42",
        "2026-11-23 09:30:00",
        "2026-11-23 09:32:00",
    )
