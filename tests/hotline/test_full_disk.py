"""A full or read-only database refuses a write with the program's own message.

Faults are injected with the databases' own switches: SQLite's ``PRAGMA max_page_count``
(the next page the file needs fails with SQLITE_FULL, as on a full disk) and ``PRAGMA
query_only``; PostgreSQL's ``default_transaction_read_only`` (a server cannot be filled up
from a test). After the refusal the connection is usable, nothing half-written is left and
everything saved before is still there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from peewee import Database

from hotline import audit, cases, db, handover, workflow
from hotline.errors import DatabaseUnavailable
from hotline.models import Case, CaseEvent
from hotline.permissions import Actor
from hotline.transfer import importing
from tests.conftest import sample_case

BIG = "企业反映审批拖延。" * 800  # several pages: it cannot fit into free space already there


def _fill_up(handle: Database) -> None:
    """SQLite: the file may not grow by a single page more (the disk is full)."""
    (pages,) = handle.execute_sql("PRAGMA page_count").fetchone()
    handle.execute_sql(f"PRAGMA max_page_count = {pages}")


def _make_room(handle: Database) -> None:
    handle.execute_sql("PRAGMA max_page_count = 1073741823")


def _read_only(handle: Database) -> None:
    if db.is_sqlite(handle):
        handle.execute_sql("PRAGMA query_only = 1")
    else:
        handle.execute_sql("SET SESSION default_transaction_read_only = on")


def _writable(handle: Database) -> None:
    if db.is_sqlite(handle):
        handle.execute_sql("PRAGMA query_only = 0")
    else:
        handle.execute_sql("SET SESSION default_transaction_read_only = off")


def _register(actor: Actor, saved: Case) -> object:
    return cases.register(actor, sample_case(description=BIG))


def _register_many(actor: Actor, saved: Case) -> object:
    return cases.register_many(actor, [sample_case(description=BIG), sample_case()])


def _note(actor: Actor, saved: Case) -> object:
    return workflow.add_note(actor, saved.id, BIG[:4000])


def _handover(actor: Actor, saved: Case) -> object:
    return handover.write_note(actor, BIG[:4000])


WRITES: dict[str, Callable[[Actor, Case], object]] = {
    "register": _register,
    "register_many": _register_many,
    "note": _note,
    "handover": _handover,
}


def _state() -> tuple[int, int, int]:
    return Case.select().count(), CaseEvent.select().count(), audit.verify().checked


@pytest.mark.sqlite_only("PRAGMA max_page_count; the PostgreSQL server refuses by read-only")
@pytest.mark.parametrize("write", WRITES)
def test_a_full_database_refuses_with_its_message_and_loses_nothing_saved(
    database, cli_actor, write: str
) -> None:
    saved = cases.register(cli_actor, sample_case())
    before = _state()
    _fill_up(database)

    with pytest.raises(DatabaseUnavailable) as info:
        WRITES[write](cli_actor, saved)

    assert "磁盘已满" in info.value.text  # not peewee's "cannot rollback - no transaction"
    assert not database.in_transaction()
    assert _state() == before  # nothing half-written
    _make_room(database)
    WRITES[write](cli_actor, saved)  # the same connection writes again once there is room
    assert Case.get_by_id(saved.id).subject == sample_case()["subject"]
    assert audit.verify().ok


@pytest.mark.parametrize("write", WRITES)
def test_a_read_only_database_refuses_with_its_message_and_loses_nothing_saved(
    database, cli_actor, write: str
) -> None:
    saved = cases.register(cli_actor, sample_case())
    before = _state()
    _read_only(database)
    try:
        with pytest.raises(DatabaseUnavailable) as info:
            WRITES[write](cli_actor, saved)
    finally:
        _writable(database)

    assert "只读" in info.value.text
    assert not database.in_transaction()
    assert _state() == before
    WRITES[write](cli_actor, saved)
    assert audit.verify().ok


def _json_file(path: Path, count: int, start: int) -> Path:
    rows = [sample_case(subject=f"第 {start + i} 件", description=BIG) for i in range(count)]
    lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    return path


@pytest.mark.sqlite_only("PRAGMA max_page_count")
def test_an_import_stopped_by_a_full_database_keeps_the_batches_before_and_says_where(
    database, cli_actor, tmp_path: Path
) -> None:
    def pages() -> int:
        return int(database.execute_sql("PRAGMA page_count").fetchone()[0])

    before = pages()
    importing.import_file(cli_actor, _json_file(tmp_path / "first.json", 4, 1), batch=4)
    batch_pages = pages() - before  # what one batch of four needs
    database.execute_sql(f"PRAGMA max_page_count = {pages() + batch_pages + batch_pages // 2}")

    report = importing.import_file(cli_actor, _json_file(tmp_path / "second.json", 12, 5), batch=4)

    assert report.imported == 4 and len(report.case_nos) == 4  # one more batch, committed
    assert Case.select().count() == 8
    assert set(report.case_nos) <= {c.case_no for c in Case.select()}
    assert not report.ok
    (problem,) = report.file_problems
    assert "导入在第 6 行处停止" in problem.text  # the first row of the refused batch
    assert "磁盘已满" in problem.text and "已导入的 4 条已保存" in problem.text
    assert audit.verify().ok


@pytest.mark.sqlite_only("PRAGMA max_page_count")
def test_a_full_database_inside_a_nested_write_says_so_and_keeps_nothing(database) -> None:
    database.execute_sql("CREATE TABLE filler (x)")
    _fill_up(database)
    with pytest.raises(DatabaseUnavailable) as info, db.write_transaction():
        database.execute_sql("INSERT INTO filler VALUES (1)")
        with db.write_transaction():  # a savepoint inside the transaction
            database.execute_sql("INSERT INTO filler VALUES (?)", (BIG,))
    assert "磁盘已满" in info.value.text
    assert not database.in_transaction()
    assert database.execute_sql("SELECT count(*) FROM filler").fetchone()[0] == 0
