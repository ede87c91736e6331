"""The audit chain: every change recorded; editing, deleting or inserting rows is detected."""

from __future__ import annotations

import io

import pytest

from hotline import audit, cases, cli, db, workflow
from hotline.db import current
from hotline.errors import ValidationError
from hotline.models import AuditEntry
from tests.conftest import sample_case

# What these tests do to the audit tables a server set up by ``server setup`` refuses to every
# login (tests/hotline/pg_server/test_audit_in_database.py); they test the program's verify on
# SQLite and a server of one login, where the tables can be written.
TAMPERS = pytest.mark.single_login("tampers with the audit tables, which a set-up server refuses")


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


@TAMPERS
def test_edited_entry_is_named(history) -> None:
    target = history[3]
    current().execute_sql(sql("UPDATE audit_entry SET actor = 'mallory' WHERE id = ?"), (target,))
    result = audit.verify()
    assert not result.ok
    assert result.bad_entry_id == target and result.problem == "altered"


@TAMPERS
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


@TAMPERS
def test_deleted_entry_is_named(history) -> None:
    current().execute_sql(sql("DELETE FROM audit_entry WHERE id = ?"), (history[4],))
    result = audit.verify()
    assert not result.ok
    assert result.bad_entry_id == history[5] and result.problem == "deleted"


@TAMPERS
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


# Anchors kept outside the table (issue 12, class 10) ------------------------------------


def _cut_tail(keep: int) -> None:
    """Delete the entries after ``keep`` and move the head back: an intact, shorter chain."""
    kept = AuditEntry.get_by_id(keep)
    current().execute_sql(sql("DELETE FROM audit_entry WHERE id > ?"), (keep,))
    current().execute_sql(
        sql("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1"), (keep, kept.hash)
    )


@TAMPERS
def test_a_cut_tail_passes_verify_but_not_an_anchor(history) -> None:
    last = AuditEntry.get_by_id(history[-1])
    anchor = audit.Anchor.parse(f"{last.id}:{last.hash}")
    assert audit.verify(expect=anchor).ok
    _cut_tail(history[-4])
    assert audit.verify().ok  # the chain alone cannot tell
    result = audit.verify(expect=anchor)
    assert not result.ok and result.problem == "expected_missing"
    text = audit.describe(result)
    assert f"没有第 {last.id} 条" in text and f"第 {history[-4]} 条" in text


def test_an_anchor_with_another_hash_fails(history) -> None:
    entry = AuditEntry.get_by_id(history[2])
    wrong = "0" * 16 if not entry.hash.startswith("0" * 16) else "f" * 16
    result = audit.verify(expect=audit.Anchor(entry.id, wrong))
    assert not result.ok and result.problem == "expected_mismatch"
    assert f"第 {entry.id} 条" in audit.describe(result)


def test_an_anchor_may_give_a_prefix_of_sixteen_hex_characters(history) -> None:
    entry = AuditEntry.get_by_id(history[3])
    assert audit.verify(expect=audit.Anchor.parse(f"{entry.id}:{entry.hash[:16].upper()}")).ok
    assert audit.verify(expect=audit.Anchor.parse(f" {entry.id} : {entry.hash[:20]}… ")).ok
    for bad in (f"{entry.id}:{entry.hash[:15]}", entry.hash, f"x:{entry.hash}", "0:" + "a" * 16):
        with pytest.raises(ValidationError):
            audit.Anchor.parse(bad)


@TAMPERS
@pytest.mark.parametrize(
    "damage",
    [
        "DELETE FROM audit_head",
        "UPDATE audit_head SET last_hash = 'x'",
        "UPDATE audit_head SET last_id = last_id + 5",
        "UPDATE audit_head SET last_id = last_id - 1",
    ],
)
def test_a_damaged_head_never_reads_entry_none(history, damage: str) -> None:
    current().execute_sql(damage)
    result = audit.verify()
    assert not result.ok and result.bad_entry_id is not None
    assert "None" not in audit.describe(result)


@TAMPERS
def test_audit_verify_expect_from_the_command_line(history, database_target: str) -> None:
    last = AuditEntry.get_by_id(history[-1])

    def verify(*args: str) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(["--db", database_target, "audit", "verify", *args], stdout=out, stderr=err)
        return code, out.getvalue() + err.getvalue()

    code, text = verify()
    assert code == 0 and f"第 {last.id} 条 · 哈希 {last.hash[:16]}" in text
    assert verify("--expect", f"{last.id}:{last.hash}")[0] == 0
    db.open_database(database_target)
    _cut_tail(history[-3])
    db.close()
    assert verify()[0] == 0
    code, text = verify("--expect", f"{last.id}:{last.hash[:16]}")
    assert code == 1 and f"没有第 {last.id} 条" in text and "None" not in text
    assert verify("--expect", "12:abc")[0] == 1  # too short: said, not a traceback
