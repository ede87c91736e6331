"""Moving from SQLite to PostgreSQL: everything copied and verified, or nothing at all."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg2
import pytest

from hotline import audit, auth, cases, db, handover, migrate_to, workflow
from hotline.errors import DatabaseRefused
from hotline.migrate_to import MigrationFailed, migrate
from hotline.models import (
    AuditEntry,
    Case,
    CaseEvent,
    CaseHandling,
    DepartmentMember,
    SupervisionNotice,
    User,
)
from hotline.search import search, suggest_enterprises
from tests.conftest import sample_case

QUERIES = [
    "王芳",
    "芳",
    "李强",
    "工程款",
    "天宇建材",
    "款工程",
    "91410600MA44XKQ35C",
    "91410622MA45RUNE19",
    "备注",
]


@pytest.fixture
def source(tmp_path: Path, cli_actor) -> Path:
    """An SQLite database with users, cases in several states, notes, audit entries."""
    path = tmp_path / "centre.sqlite3"
    db.open_database(path)
    try:
        admin = auth.create_first_admin("admin", "系统管理员", "Admin#2026")
        first = cases.register(
            cli_actor,
            sample_case(
                contact={"name": "王芳", "phone": "13900001111"},
                subject="食品标签被罚款",
                # Not the credit code the second case gives another name to.
                enterprise={"name": "鹤壁市华联商贸有限公司", "uscc": ""},
            ),
        )
        second = cases.register(
            cli_actor,
            sample_case(
                contact={"name": "李强", "phone": "0392-3312345"},
                enterprise={"name": "鹤壁市天宇建材有限公司", "uscc": "91410622MA45RUNE19"},
                subject="工程款拖欠",
            ),
        )
        workflow.dispatch(cli_actor, first.id, 1)
        workflow.add_note(cli_actor, second.id, "备注：企业补充了合同")
        workflow.withdraw(cli_actor, second.id, "企业撤回")
        cases.register_many(
            cli_actor,
            [
                sample_case(subject=f"批量{n}", enterprise={"name": "鹤壁市华联商贸有限公司"})
                for n in range(30)
            ],
        )
        handover.write_note(cli_actor, "交班：两件待派单")
        # The department stage: a department user, an accepted case, a supervision notice.
        member = auth.create_user(
            cli_actor, "dept_scjg", "市监科员", "department", "Dept#2026x", department_id=1
        )
        department = auth.actor_for(member)
        workflow.accept(department, first.id)
        urgent = cases.register(
            cli_actor,
            sample_case(
                urgency="紧急", confidential=True, enterprise={"name": "鹤壁市华联商贸有限公司"}
            ),
        )
        workflow.dispatch(cli_actor, urgent.id, 1)
        workflow.supervise(cli_actor, urgent.id, "请今日答复", 1, "supervision")
        workflow.grant_caller(cli_actor, urgent.id, "需联系来电人")
        assert User.get_by_id(admin.id).username == "admin"
    finally:
        db.close()
    return path


def _snapshot() -> dict[str, object]:
    return {
        "cases": [(c.id, c.case_no, c.status, c.version) for c in Case.select().order_by(Case.id)],
        "events": CaseEvent.select().count(),
        "audit": [(e.id, e.hash) for e in AuditEntry.select().order_by(AuditEntry.id)],
        "search": {q: search(q).case_ids for q in QUERIES},
        "suggest": {q: [e.id for e in suggest_enterprises(q)] for q in QUERIES},
        "members": list(DepartmentMember.select().tuples()),
        "handling": [
            (h.case_id, h.accepted_at, h.caller_granted)
            for h in CaseHandling.select().order_by(CaseHandling.case)
        ],
        "notices": [
            (n.case_id, n.level, n.text, n.answer_by, n.answered_at)
            for n in SupervisionNotice.select().order_by(SupervisionNotice.id)
        ],
    }


def test_everything_is_copied_and_verified(empty_pg_url: str, source: Path, cli_actor) -> None:
    db.open_database(source)
    before = _snapshot()
    db.close()

    report = migrate(source, empty_pg_url)

    assert report.ok
    tables = {t.table: t for t in report.tables}
    assert {"case", "case_event", "audit_entry", "audit_head", "user", "enterprise"} <= set(tables)
    assert tables["case"].target_rows == 33
    assert {"department_member", "case_handling", "supervision_notice"} <= set(tables)
    assert all(t.source_checksum == t.target_checksum for t in report.tables)
    assert report.audit_entries_verified == len(before["audit"])  # type: ignore[arg-type]
    db.open_database(empty_pg_url)
    try:
        assert _snapshot() == before  # same ids, chain, and the same search results
        assert audit.verify().ok
        newer = cases.register(
            cli_actor, sample_case(enterprise={"name": "鹤壁市华联商贸有限公司"})
        )  # sequences moved past copied ids
        assert newer.id == 34 and audit.verify().ok
        assert auth.sign_in("admin", "Admin#2026").username == "admin"
    finally:
        db.close()


def test_a_target_that_is_not_empty_is_refused(pg_url: str, source: Path) -> None:
    db.open_database(pg_url)
    cases_before = Case.select().count()
    db.close()
    with pytest.raises(DatabaseRefused) as info:
        migrate(source, pg_url)
    assert "不是空的" in info.value.text
    db.open_database(pg_url)
    assert Case.select().count() == cases_before
    db.close()


def test_a_failed_copy_leaves_the_target_empty(empty_pg_url: str, source: Path) -> None:
    db.open_database(source)
    db.current().execute_sql("UPDATE case_event SET text = ? WHERE id = 1", ("坏\x00字符",))
    db.close()
    with pytest.raises(MigrationFailed) as info:
        migrate(source, empty_pg_url)
    assert "case_event" in info.value.text
    conn = psycopg2.connect(empty_pg_url)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        assert cur.fetchone()[0] == 0
    conn.close()


def _cli(argv: list[str]) -> tuple[int, str, str]:
    """Run ``migrate-to`` through the command-line runner (its parser has just this command)."""
    import argparse
    import io

    from hotline.cli import runner
    from hotline.cli.commands import migrate_to as command

    parser = argparse.ArgumentParser(prog="main.py")
    common = argparse.ArgumentParser(add_help=False)
    runner._global_options(common, top=False)
    command.register(parser.add_subparsers(dest="command"), common)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0), "", ""
    out, err = io.StringIO(), io.StringIO()
    return runner.run(args, stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_command_line(empty_pg_url: str, source: Path, capsys) -> None:
    code, out, _ = _cli(["migrate-to", empty_pg_url, "--db", str(source), "--json"])
    assert code == 0
    result = json.loads(out)
    assert result["ok"] and {t["table"] for t in result["tables"]} >= {"case", "audit_entry"}
    code, _, err = _cli(["migrate-to", empty_pg_url, "--db", str(source)])
    assert code == 1 and "不是空的" in err  # no longer empty
    assert _cli(["migrate-to"])[0] == 2


def test_a_copy_that_differs_is_caught_and_undone(
    empty_pg_url: str, source: Path, monkeypatch
) -> None:
    real_copy = migrate_to._copy_table

    def lossy_copy(reader, cur, table, columns, progress):  # type: ignore[no-untyped-def]
        source_sums = real_copy(reader, cur, table, columns, progress)
        if table == "case_event":  # one note's text changed on the way
            cur.execute("UPDATE case_event SET text = text || '!' WHERE id = 1")
        return source_sums

    monkeypatch.setattr(migrate_to, "_copy_table", lossy_copy)
    with pytest.raises(MigrationFailed) as info:
        migrate(source, empty_pg_url)
    assert "case_event" in info.value.text
    conn = psycopg2.connect(empty_pg_url)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        assert cur.fetchone()[0] == 0
    conn.close()


def _indexes(url: str) -> set[tuple[str, str]]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            )
            found = set(cur.fetchall())
            cur.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
            )
            return found | {(f"{t}:{n}", d) for t, n, d in cur.fetchall()}
    finally:
        conn.close()


def test_indexes_are_built_after_the_copy_as_the_migrations_make_them(
    empty_pg_url: str, pg_url: str, source: Path
) -> None:
    steps: list[str] = []
    copied: dict[str, list[tuple[int, int]]] = {}
    migrate(
        source,
        empty_pg_url,
        progress=lambda table, done, total: copied.setdefault(table, []).append((done, total)),
        steps=steps.append,
    )
    assert steps == list(migrate_to.STEPS)
    assert copied["case"][-1] == (33, 33) and copied["case_event"][-1][0] > 33
    # Every index, primary key, unique and foreign key of a database the migrations built.
    assert _indexes(empty_pg_url) == _indexes(pg_url)


def test_progress_comes_while_a_table_is_streamed(
    empty_pg_url: str, source: Path, monkeypatch
) -> None:
    monkeypatch.setattr(migrate_to, "BATCH", 10)
    seen: list[tuple[int, int]] = []
    migrate(
        source,
        empty_pg_url,
        progress=lambda table, done, total: table == "case" and seen.append((done, total)),
    )
    assert seen == [(10, 33), (20, 33), (30, 33), (33, 33)]


def test_a_value_the_column_does_not_take_undoes_everything(
    empty_pg_url: str, source: Path
) -> None:
    db.open_database(source)
    db.current().execute_sql('UPDATE "case" SET round = ? WHERE id = 2', ("二",))
    db.close()
    with pytest.raises(MigrationFailed) as info:
        migrate(source, empty_pg_url)
    assert "case" in info.value.text
    conn = psycopg2.connect(empty_pg_url)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        assert cur.fetchone()[0] == 0
    conn.close()
