"""Schema versions and the ordered migrations that bring a database up to date.

Each migration runs in its own transaction and records its version. Before migrating an
existing SQLite file the program copies it beside itself; a database that a newer program
wrote is refused and left untouched.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import Database, SqliteDatabase

from hotline import __version__, clock, seed, transactions
from hotline.attachments import schema as attachments_schema
from hotline.errors import DatabaseRefused
from hotline.exemption import schema as exemption_schema
from hotline.i18n import N_
from hotline.knowledge import schema as knowledge_schema
from hotline.models import (
    BASE_MODELS,
    AuditHead,
    Case,
    Department,
    District,
    SchemaVersion,
)
from hotline.reply_texts import schema as reply_text_schema
from hotline.targets import is_url

log = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Database], None]


# The base schema's names of the case's contact columns (migration 19 renamed them).
_V1_CONTACT_COLUMNS = {
    "contact_name_masked": "contact_name",
    "contact_phone_masked": "contact_phone",
}


def _create_case_v1(db: Database) -> None:
    """``case`` as the base schema made it, contact columns under their old names (the
    reference schema of an older version must stay what that version created)."""
    schema: Any = Case._schema  # type: ignore[attr-defined]  # peewee's schema manager
    sql, params = db.get_sql_context().sql(schema._create_table(safe=True)).query()
    for new, old in _V1_CONTACT_COLUMNS.items():
        sql = sql.replace(f'"{new}"', f'"{old}"')
    db.execute_sql(sql, params)
    schema.create_indexes(safe=True)


def _base_schema(db: Database) -> None:
    for model in BASE_MODELS:  # in the order of their foreign keys
        if model is Case:
            _create_case_v1(db)
        else:
            model.create_table(safe=True)
    District.insert_many(seed.DISTRICTS, fields=[District.code, District.name]).execute()
    Department.insert_many(
        seed.DEPARTMENTS,
        fields=[Department.code, Department.name, Department.enforcement_body, Department.phone],
    ).execute()
    AuditHead.create(id=1, last_id=0, last_hash=GENESIS_HASH)


def _before_contacts_apart(db: Database) -> contextlib.AbstractContextManager[None]:
    """What a migration before 19 that reads cases runs under (see migration 19)."""
    from hotline import contacts

    if "contact_name" in _column_names(db, "case"):
        return contacts.reading_base_schema()
    return contextlib.nullcontext()


def _search_index(db: Database) -> None:
    from hotline.search import index

    index.install(db)
    with _before_contacts_apart(db):
        index.rebuild(db)


def _code_index(db: Database) -> None:
    from hotline.search import index

    with _before_contacts_apart(db):
        index.add_code_index(db)


def _list_indexes(db: Database) -> None:
    """Indexes that keep sorted case lists fast on a million rows (deadline, status)."""
    db.execute_sql('CREATE INDEX IF NOT EXISTS case_deadline_id ON "case" (deadline, id)')
    db.execute_sql('CREATE INDEX IF NOT EXISTS case_status_id ON "case" (status, id)')
    db.execute_sql('CREATE INDEX IF NOT EXISTS case_received_at_id ON "case" (received_at, id)')


def _private_index(db: Database) -> None:
    from hotline.search import index

    with _before_contacts_apart(db):
        index.add_private_index(db)


def _imported_rows(db: Database) -> None:
    """Which rows of import files are in the database (a hash of each row's normalised
    content), so that importing a file again, after a kill or on purpose, skips them."""
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS imported_row ("
        "row_key VARCHAR(64) NOT NULL PRIMARY KEY, "
        'case_id INTEGER NOT NULL REFERENCES "case" (id) ON DELETE CASCADE)'
    )
    db.execute_sql("CREATE INDEX IF NOT EXISTS imported_row_case_id ON imported_row (case_id)")


def _former_names(db: Database) -> None:
    """Former names of enterprises (曾用名), kept when a name is corrected or records merged."""
    from hotline.models import EnterpriseFormerName

    db.create_tables([EnterpriseFormerName], safe=True)


def _departments_at_work(db: Database) -> None:
    """Department users and their department, the department stage of a case (accepted,
    outcome of the reply, caller granted) and supervision notices (督办)."""
    from hotline.models import CaseHandling, DepartmentMember, SupervisionNotice

    db.create_tables([DepartmentMember, CaseHandling, SupervisionNotice], safe=True)


def _case_calls(db: Database) -> None:
    """The calls cases were registered from or followed up on (call id, call and save time)."""
    from hotline.models import CaseCall

    db.create_tables([CaseCall], safe=True)
    # The caller's earlier cases are found by phone in case_contact (migration 19's index).


def _co_handling(db: Database) -> None:
    """Assisting departments of a case (会办) and their parts of the answer."""
    from hotline.models import CaseAssist

    db.create_tables([CaseAssist], safe=True)


def _open_parts_index(db: Database) -> None:
    """The open co-handling parts of a department, with their cases, from the index alone:
    what a department's lists ask (``hotline.cohandling.assisted_cases``) and, on a shared
    server, the row-level security policy of every table a department reads, once a query."""
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS case_assist_open_parts "
        "ON case_assist (department_id, case_id) WHERE NOT cancelled"
    )


def _column_names(db: Database, table: str) -> set[str]:
    return {column.name for column in db.get_columns(table)}


def _contacts_apart(db: Database) -> None:
    """The callers' contacts move to ``case_contact``; ``case`` keeps their masked forms (so
    a shared server can refuse a confidential caller row by row, docs/server-security.md)."""
    from hotline import contacts
    from hotline.models import CaseContact

    db.create_tables([CaseContact], safe=True)
    # When the phone rings, the caller's earlier cases are found by the number (hotline.callers).
    db.execute_sql("CREATE INDEX IF NOT EXISTS case_contact_phone ON case_contact (contact_phone)")
    if "contact_name" not in _column_names(db, "case"):
        return  # done already
    db.execute_sql(
        "INSERT INTO case_contact (case_id, confidential, contact_name, contact_phone) "
        'SELECT c.id, c.confidential, c.contact_name, c.contact_phone FROM "case" c '
        "WHERE NOT EXISTS (SELECT 1 FROM case_contact k WHERE k.case_id = c.id)"
    )
    for new, old in _V1_CONTACT_COLUMNS.items():
        db.execute_sql(f'ALTER TABLE "case" RENAME COLUMN "{old}" TO "{new}"')
    param = db.param
    update = 'UPDATE "case" SET contact_name_masked = ?, contact_phone_masked = ? WHERE id = ?'
    read = (
        "SELECT case_id, contact_name, contact_phone FROM case_contact "
        f"WHERE case_id > {param} ORDER BY case_id LIMIT 5000"
    )
    last = 0
    while rows := list(db.execute_sql(read, (last,))):
        values = []
        for case_id, name, phone in rows:
            masked = contacts.masked_columns(name, phone)
            if (masked["contact_name_masked"], masked["contact_phone_masked"]) != (name, phone):
                values.append(
                    (masked["contact_name_masked"], masked["contact_phone_masked"], case_id)
                )
        if values and isinstance(db, SqliteDatabase):
            db.cursor().executemany(update, values)
        elif values:
            from psycopg2.extras import execute_values

            execute_values(
                db.cursor(),
                'UPDATE "case" SET contact_name_masked = v.n, contact_phone_masked = v.p '
                'FROM (VALUES %s) AS v (n, p, i) WHERE "case".id = v.i',
                values,
                page_size=1000,
            )
        last = rows[-1][0]


MIGRATIONS: list[Migration] = [
    Migration(
        1, "base schema: users, departments, districts, enterprises, cases, audit", _base_schema
    ),
    Migration(2, "full-text search index (character bigrams)", _search_index),
    # 3 is left for PostgreSQL search structures.
    Migration(
        exemption_schema.SCHEMA_VERSION,
        "exemption checklist: catalogue versions, assessments, penalty records",
        exemption_schema.create_tables,
    ),
    Migration(5, "indexes for sorted case lists", _list_indexes),
    Migration(
        6, "search index of codes (4-grams of credit codes, phone and case numbers)", _code_index
    ),
    Migration(
        7,
        "search index: confidential callers' contacts only for roles allowed to see them",
        _private_index,
    ),
    Migration(8, "keys of imported rows: a repeated import skips them", _imported_rows),
    Migration(10, "former names of enterprises (曾用名)", _former_names),
    Migration(
        attachments_schema.SCHEMA_VERSION,
        "attachments: documents on cases, stored in chunks with their SHA-256",
        attachments_schema.create_tables,
    ),
    Migration(
        14,
        "departments at work: department users, acceptance and reply outcome, supervision",
        _departments_at_work,
    ),
    Migration(15, "co-handling: assisting departments and their parts (会办)", _co_handling),
    Migration(
        knowledge_schema.SCHEMA_VERSION,
        "knowledge base: articles, versions, search tokens, synonyms, flags, uses by cases",
        knowledge_schema.create_tables,
    ),
    Migration(
        reply_text_schema.SCHEMA_VERSION,
        "reply texts (常用语): private and shared, with the centre's first texts",
        reply_text_schema.create_tables,
    ),
    Migration(18, "incoming calls: call id and times of a case", _case_calls),
    Migration(
        19,
        "callers' contacts in a table of their own (case_contact, indexed by phone); the case "
        "keeps masked forms",
        _contacts_apart,
    ),
    Migration(20, "index of each department's open co-handling parts", _open_parts_index),
]


def latest_version() -> int:
    return MIGRATIONS[-1].version


def _user_tables(db: Database) -> list[str]:
    return [t for t in db.get_tables() if not t.startswith("sqlite_")]


def current_version(db: Database) -> int:
    """The schema version of ``db``: 0 when empty; refuses a foreign database."""
    tables = _user_tables(db)
    if not tables:
        return 0
    if "schema_version" not in tables:
        raise DatabaseRefused(N_("该数据库不是本程序创建的（缺少版本表），未做任何改动。"))
    row = SchemaVersion.select(SchemaVersion.version).order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def check_not_newer(db: Database) -> int:
    version = current_version(db)
    latest = latest_version()
    if version > latest:
        raise DatabaseRefused(
            N_(
                "该数据库由更新版本的程序写入（架构版本 {found}，本程序支持到 {supported}），请升级程序；数据库未做任何改动。"
            ),
            found=version,
            supported=latest,
        )
    return version


def _check_may_migrate(db: Database, version: int) -> None:
    """A shared server's database (``server setup``) is upgraded by its administrator with
    ``server upgrade``; a person's own role, which owns nothing, is told so before anything."""
    if isinstance(db, SqliteDatabase):
        return
    row = db.execute_sql(
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
        "WHERE c.oid = to_regclass('schema_version')"
    ).fetchone()
    if row is not None and not row[0]:
        raise DatabaseRefused(
            N_(
                "该数据库的架构版本是 {found}，本程序需要 {supported}。共用服务器上的数据库只能由服务器管理员用 server upgrade 升级；数据库未做任何改动。"
            ),
            found=version,
            supported=latest_version(),
        )


def backup_before_migration(target: str, version: int) -> Path | None:
    """Copy an SQLite file (consistently, via the backup API) before migrating it."""
    if is_url(target):
        log.info("PostgreSQL database: take a pg_dump before upgrading schema %s", version)
        return None
    source = Path(target)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    copy = source.with_name(f"{source.name}.v{version}-{stamp}.bak")
    from hotline.output_files import copy_sqlite

    copy_sqlite(source, copy)  # complete or not at all, owner-only
    log.info("copied %s to %s before migrating from version %s", source, copy, version)
    return copy


def _apply_unless_done(db: Database, migration: Migration) -> None:
    if current_version(db) >= migration.version:
        # Another workstation started the same new program at the same moment and applied it
        # first: the write lock made this one wait for it.
        log.info("schema %s was applied by another process", migration.version)
        return
    log.info("migrating to schema %s: %s", migration.version, migration.description)
    migration.apply(db)
    SchemaVersion.create(
        version=migration.version,
        description=migration.description[:200],
        applied_at=clock.now(),
        program_version=__version__,
    )


def upgrade(db: Database, target: str, up_to: int | None = None) -> int:
    """Apply every migration newer than the database's version (only up to ``up_to`` when
    given: tests build older databases with it); returns the new version."""
    version = check_not_newer(db)
    pending = [
        m for m in MIGRATIONS if m.version > version and (up_to is None or m.version <= up_to)
    ]
    if not pending:
        return version
    if version > 0:
        _check_may_migrate(db, version)
    backed_up = version == 0  # a new database has nothing to keep
    for migration in pending:
        with transactions.locked(db):  # the lock every writer takes first: one migrates at a time
            found = current_version(db)  # another workstation may have migrated meanwhile
            if not backed_up and 0 < found < migration.version:
                # Under the lock: workstations starting the new program at once copy the
                # database once, not each while another is half-way through its migrations.
                backup_before_migration(target, found)
            backed_up = True
            _apply_unless_done(db, migration)
        version = migration.version
    if isinstance(db, SqliteDatabase):
        db.execute_sql("PRAGMA optimize")
    return version
