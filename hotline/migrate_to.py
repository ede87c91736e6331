"""Moving a centre from its SQLite file to a PostgreSQL server (``python main.py migrate-to URL``).

The target must be an empty database. In ONE transaction on the server: the migrations build
the schema (so every table any migration creates is included, later ones too), the tables'
indexes and foreign keys are dropped, the rows of every table are streamed in unchanged (ids,
audit chain and hashes included) with one ``COPY`` each (:mod:`hotline.pg.copy`: never a whole
table in memory), the indexes are built and the foreign keys re-added (which checks every
reference), the id sequences are moved past the copied ids, the search index is built, and
every table is compared with the source by row count and an order-independent checksum of its
values (the source's taken from the rows as they are streamed). Any difference or error rolls
everything back: the target is left empty and the source is never written (beyond the usual
upgrade of an old schema, which copies the file first). ``progress`` hears of each table's
rows as they go, ``steps`` of each stage after the copy.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline import db, migrations, worker_processes
from hotline.errors import DatabaseRefused, HotlineError
from hotline.i18n import N_
from hotline.pg import copy, values
from hotline.pg import schema as pg_schema

log = logging.getLogger(__name__)

BATCH = 2000
# Tables of big rows go over a few rows at a time: 256 KiB attachment chunks would otherwise
# put 500 MB in memory per batch (the chunk table holds at most CHUNK_SIZE bytes a row).
BATCH_OF: dict[str, int] = {"attachment_chunk": 4}
Progress = Callable[[str, int, int], None]  # (table, rows copied, rows in table)
# The stages after the copy, by name: "indexes", "statistics", "search", "verify".
Steps = Callable[[str], None]
STEPS = ("indexes", "statistics", "search", "verify")
MAINTENANCE_WORK_MEM = "256MB"  # per index build, for this transaction only


class MigrationFailed(HotlineError):
    """The copy did not verify; the target was rolled back to empty."""


@dataclass(frozen=True)
class TableReport:
    table: str
    source_rows: int
    target_rows: int
    source_checksum: str
    target_checksum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_checksum == self.target_checksum


@dataclass
class MigrationReport:
    source: str
    target: str
    tables: list[TableReport] = field(default_factory=list)
    indexed_cases: int = 0
    audit_entries_verified: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "ok": self.ok,
            "seconds": round(self.seconds, 2),
            "indexed_cases": self.indexed_cases,
            "audit_entries_verified": self.audit_entries_verified,
            "tables": [
                {
                    "table": t.table,
                    "rows": t.target_rows,
                    "source_rows": t.source_rows,
                    "checksum": t.target_checksum,
                    "source_checksum": t.source_checksum,
                    "ok": t.ok,
                }
                for t in self.tables
            ],
        }


# -- the two sides ---------------------------------------------------------------------------


def _sqlite_tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Ordinary tables and their columns; FTS tables and their shadows are derived, skipped."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    tables: dict[str, list[str]] = {}
    for name, _ in rows:
        if name.startswith("sqlite_") or name in virtual:
            continue
        if any(name.startswith(f"{v}_") for v in virtual):
            continue
        tables[name] = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
    return tables


def batch_of(table: str) -> int:
    """Rows of ``table`` copied (and read back) at a time."""
    return BATCH_OF.get(table, BATCH)


def _sqlite_rows(
    conn: sqlite3.Connection, table: str, columns: Sequence[str]
) -> Iterator[tuple[Any, ...]]:
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.execute(f'SELECT {names} FROM "{table}"')
    while batch := cursor.fetchmany(batch_of(table)):
        yield from batch


def _pg_rows(pg_conn: Any, table: str, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    names = ", ".join(f'"{c}"' for c in columns)
    # A server-side cursor streams in batches (psycopg2 needs WITH HOLD in autocommit mode).
    with pg_conn.cursor(name=f"verify_{table}", withhold=True) as cur:
        cur.itersize = batch_of(table)
        cur.execute(f'SELECT {names} FROM "{table}"')
        yield from cur


def _check_target_empty(target: Any, shown: str) -> None:
    tables = [t for t in target.get_tables()]
    if tables:
        raise DatabaseRefused(
            N_(
                "目标数据库 {target} 不是空的（已有 {count} 个表，例如 {example}），未做任何改动。请指定一个新建的空数据库。"
            ),
            target=shown,
            count=len(tables),
            example=", ".join(tables[:3]),
        )


def _copy_table(
    source: sqlite3.Connection,
    cur: Any,
    table: str,
    columns: Sequence[tuple[str, str]],
    progress: Progress | None,
) -> tuple[int, str]:
    """Stream ``table`` into the server with one ``COPY``; returns the source rows' count and
    checksum, taken from the rows as they go (one read of the source for both)."""
    names = [c for c, _ in columns]
    kinds = [k for _, k in columns]
    (total,) = source.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    digest = values.Digest(kinds)

    def report(done: int) -> None:
        if progress:
            progress(table, done, total)

    rows = copy.counted(digest.through(_sqlite_rows(source, table, names)), BATCH, report)
    try:
        copy.copy_rows(cur, table, names, rows)
    except ValueError as exc:  # NUL characters (PostgreSQL text cannot hold them), a bad value
        raise MigrationFailed(
            N_("表 {table} 中有 PostgreSQL 不能保存的内容（{reason}），迁移已撤销。"),
            table=table,
            reason=str(exc),
        ) from exc
    except psycopg2_errors() as exc:  # a value the column's type does not take
        raise MigrationFailed(
            N_("表 {table} 中有 PostgreSQL 不能保存的内容（{reason}），迁移已撤销。"),
            table=table,
            reason=str(exc).strip().splitlines()[0],
        ) from exc
    if progress and total == 0:
        progress(table, 0, 0)
    return digest.count, digest.hexdigest()


def psycopg2_errors() -> type[Exception]:
    import psycopg2

    return psycopg2.DataError


# -- the whole move ---------------------------------------------------------------------------


def migrate(
    source: str | Path,
    url: str,
    *,
    progress: Progress | None = None,
    steps: Steps | None = None,
) -> MigrationReport:
    """Copy the SQLite database ``source`` into the empty PostgreSQL database ``url``."""
    from hotline.pg import search as pg_search

    started = time.perf_counter()
    if not db.is_url(url):
        raise DatabaseRefused(
            N_("迁移目标必须是 PostgreSQL 地址（postgresql://…）：{url}"), url=url
        )
    source = str(source)
    if db.is_url(source):
        raise DatabaseRefused(
            N_("迁移的来源必须是 SQLite 数据库文件：{url}"), url=db.describe(source)
        )
    shown = db.describe(url)
    report = MigrationReport(source=source, target=shown)

    # Bring the source's schema up to date (copying the file first) exactly as opening it would.
    db.open_database(source, create=False)
    db.close()
    reader = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    try:
        reader.execute("BEGIN")  # one consistent snapshot for the copy and the checksums
        source_tables = _sqlite_tables(reader)
        target = db.connect(url)
        try:
            _check_target_empty(target, shown)
            with db.write_transaction(target):
                migrations.upgrade(target, url)
                _copy_all(reader, target, source_tables, report, progress, steps)
                # Statistics for the planner now, not when autovacuum gets round to it: without
                # them it reads every timeline row to find a few cases' (index and first searches).
                _step(steps, "statistics")
                target.execute_sql("ANALYZE")
                _step(steps, "search")
                report.indexed_cases = pg_search.PostgresSearch(target).rebuild(
                    worker_processes.default_workers()
                )
                _step(steps, "verify")
                _verify(target, report)
                if not report.ok:
                    bad = ", ".join(t.table for t in report.tables if not t.ok)
                    raise MigrationFailed(
                        N_("迁移后核对不一致（{tables}），已撤销，目标数据库保持为空。"),
                        tables=bad,
                    )
                _verify_audit(report)
        finally:
            db.close()
    finally:
        reader.close()
    report.seconds = time.perf_counter() - started
    log.info("migrated %s to %s: %s tables", source, shown, len(report.tables))
    return report


def _copy_all(
    reader: sqlite3.Connection,
    target: Any,
    source_tables: dict[str, list[str]],
    report: MigrationReport,
    progress: Progress | None,
    steps: Steps | None,
) -> None:
    from hotline.pg import search as pg_search

    conn = target.connection()
    with conn.cursor() as cur:
        target_columns = pg_schema.columns(cur)
        copied = [t for t in target_columns if t not in pg_search.DERIVED_TABLES]
        unknown = sorted(set(source_tables) - set(copied))
        if unknown:
            raise MigrationFailed(
                N_("源数据库中有本程序不认识的表：{tables}。请用同一版本的程序迁移。"),
                tables=", ".join(unknown),
            )
        for table in copied:
            if table not in source_tables:
                continue
            theirs = set(source_tables[table])
            ours = {c for c, _ in target_columns[table]}
            if theirs != ours:
                raise MigrationFailed(
                    N_("表 {table} 的列与本程序不一致（源：{source}；目标：{target}）。"),
                    table=table,
                    source=", ".join(sorted(theirs)),
                    target=", ".join(sorted(ours)),
                )
        tables = [t for t in copied if t in source_tables]
        foreign_keys = pg_schema.foreign_keys(cur)
        for relation, name, _ in foreign_keys:
            cur.execute(f'ALTER TABLE {relation} DROP CONSTRAINT "{name}"')
        cur.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))  # the migrations' seeds
        # Every index is built once after the load (much faster than row by row).
        indexes = copy.index_statements(cur, tables)
        for drop, _ in reversed(indexes):
            cur.execute(drop)
        sums = {}
        for table in tables:
            sums[table] = _copy_table(reader, cur, table, target_columns[table], progress)
        _step(steps, "indexes")
        cur.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
        for _, create in indexes:
            cur.execute(create)
        for relation, name, definition in foreign_keys:  # re-adding checks every reference
            cur.execute(f'ALTER TABLE {relation} ADD CONSTRAINT "{name}" {definition}')
        pg_schema.reset_sequences(cur, tables)
        report.tables = [TableReport(t, sums[t][0], 0, sums[t][1], "") for t in tables]


def _step(steps: Steps | None, name: str) -> None:
    log.info("migrate-to: %s", name)
    if steps:
        steps(name)


def _verify(target: Any, report: MigrationReport) -> None:
    """Each table's rows read back from the server, beside the source's (taken on the way)."""
    conn = target.connection()
    with conn.cursor() as cur:
        target_columns = pg_schema.columns(cur)
    checked = []
    for entry in report.tables:
        names = [c for c, _ in target_columns[entry.table]]
        kinds = [k for _, k in target_columns[entry.table]]
        target_rows, target_sum = values.digest(_pg_rows(conn, entry.table, names), kinds)
        checked.append(
            TableReport(
                entry.table, entry.source_rows, target_rows, entry.source_checksum, target_sum
            )
        )
    report.tables = checked


def _verify_audit(report: MigrationReport) -> None:
    from hotline import audit

    result = audit.verify()
    if not result.ok:
        raise MigrationFailed(
            N_("迁移后审计链校验失败（{problem}），已撤销。"), problem=audit.describe(result)
        )
    report.audit_entries_verified = result.checked
