"""The audit chain: every change recorded; editing, deleting or inserting rows is detected."""

from __future__ import annotations

import pytest

from hotline import audit, cases, workflow
from hotline.db import current
from hotline.models import AuditEntry
from tests.conftest import sample_case


def sql(text: str) -> str:
    """Raw SQL written with ``?`` placeholders, in the open database's parameter style."""
    return text.replace("?", current().param)


@pytest.fixture
def history(database, cli_actor):
    for n in range(4):
        case = cases.register(cli_actor, sample_case(subject=f"审计测试{n}"))
        workflow.dispatch(cli_actor, case.id, 1)
    assert audit.verify().ok
    return [e.id for e in AuditEntry.select().order_by(AuditEntry.id)]


def test_every_change_is_in_the_chain(history) -> None:
    actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert actions.count("case.register") == 4
    assert actions.count("case.dispatch") == 4
    result = audit.verify()
    assert result.ok and result.checked == len(history)


def test_edited_entry_is_named(history) -> None:
    target = history[3]
    current().execute_sql(sql("UPDATE audit_entry SET actor = 'mallory' WHERE id = ?"), (target,))
    result = audit.verify()
    assert not result.ok
    assert result.bad_entry_id == target and result.problem == "altered"


def test_edited_entry_with_recomputed_hash_breaks_the_next_link(history) -> None:
    target = AuditEntry.get_by_id(history[2])
    forged = audit.entry_hash(
        target.prev_hash,
        target.at,
        "mallory",
        target.action,
        target.entity,
        target.entity_id,
        target.detail,
    )
    current().execute_sql(
        sql("UPDATE audit_entry SET actor='mallory', hash=? WHERE id=?"), (forged, target.id)
    )
    result = audit.verify()
    assert not result.ok and result.bad_entry_id == history[3]


def test_deleted_entry_is_named(history) -> None:
    current().execute_sql(sql("DELETE FROM audit_entry WHERE id = ?"), (history[4],))
    result = audit.verify()
    assert not result.ok
    assert result.bad_entry_id == history[5] and result.problem == "deleted"


def test_deleted_last_entry_is_detected(history) -> None:
    current().execute_sql(sql("DELETE FROM audit_entry WHERE id = ?"), (history[-1],))
    assert not audit.verify().ok


def test_inserted_entry_is_named(history) -> None:
    before = AuditEntry.get_by_id(history[5])
    current().execute_sql(
        sql(
            "INSERT INTO audit_entry (id, at, actor, action, entity, entity_id, detail, prev_hash,"
            " hash) VALUES (?, ?, 'mallory', 'case.register', 'case', 'X', '{}', ?, ?)"
        ),
        (max(history) + 1, before.at, "0" * 64, "f" * 64),
    )
    result = audit.verify()
    assert not result.ok and result.bad_entry_id == max(history) + 1
