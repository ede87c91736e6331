"""Keeping the search index in step with the cases and enterprises.

One index row per case holds the tokens of its number, subject, description, request,
contact, enterprise and every timeline text (notes, replies, reasons). The FTS5 tables are
contentless (``content=''``, ``detail=none``): they store no copy of the text, only which rows
hold each token, so the index stays small. Removing a row from such a table needs the tokens it
was indexed with, so a case's row is recomputed from the database before and after a change.

On PostgreSQL there is no FTS5: these functions hand over to :mod:`hotline.pg.search`, which
keeps the same tokens in one GIN-indexed array per case.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from peewee import JOIN, Database, SqliteDatabase

from hotline.db import current
from hotline.models import Case, CaseEvent, Enterprise
from hotline.search.tokens import document_tokens

log = logging.getLogger(__name__)

TOKENIZER = "unicode61 remove_diacritics 0"


def enabled(db: Database | None = None) -> bool:
    return isinstance(db or current(), SqliteDatabase)


def _pg(db: Database | None = None) -> bool:
    from hotline.pg import search as pg_search

    return pg_search.enabled(db)


def install(db: Database) -> None:
    if _pg(db):
        from hotline.pg import search as pg_search

        pg_search.install(db)
    if not enabled(db):
        return
    for table in ("case_fts", "enterprise_fts"):
        db.execute_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
            f"doc, content='', detail=none, tokenize='{TOKENIZER}')"
        )


def case_texts(case_ids: Iterable[int]) -> dict[int, list[str]]:
    """Every indexed text of each case, in a fixed order (the index depends on it)."""
    ids = list(case_ids)
    texts: dict[int, list[str]] = {}
    if not ids:
        return texts
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = (
            Case.select(
                Case.id,
                Case.case_no,
                Case.subject,
                Case.description,
                Case.request,
                Case.contact_name,
                Case.contact_phone,
                Enterprise.name,
                Enterprise.uscc,
            )
            .join(Enterprise, on=(Case.enterprise == Enterprise.id), join_type=JOIN.LEFT_OUTER)
            .where(Case.id.in_(chunk))
            .tuples()
        )
        for row in query:
            texts[row[0]] = [value or "" for value in row[1:]]
        events = (
            CaseEvent.select(CaseEvent.case, CaseEvent.text)
            .where(CaseEvent.case.in_(chunk), CaseEvent.text != "")
            .order_by(CaseEvent.id)
            .tuples()
        )
        for case_id, text in events:
            if case_id in texts:
                texts[case_id].append(text)
    return texts


def _case_tokens(case_id: int) -> str | None:
    texts = case_texts([case_id]).get(case_id)
    return None if texts is None else document_tokens(texts)


class CaseIndexUpdate:
    """Re-index one case around a change: ``with CaseIndexUpdate(case_id): …change…``."""

    def __init__(self, case_id: int) -> None:
        self.case_id = case_id
        self.before: str | None = None

    def __enter__(self) -> CaseIndexUpdate:
        if enabled():
            self.before = _case_tokens(self.case_id)
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None and _pg():
            from hotline.pg import search as pg_search

            pg_search.reindex_cases([self.case_id])
        if exc_type is not None or not enabled():
            return
        db = current()
        if self.before is not None:
            db.execute_sql(
                "INSERT INTO case_fts(case_fts, rowid, doc) VALUES('delete', ?, ?)",
                (self.case_id, self.before),
            )
        after = _case_tokens(self.case_id)
        if after is not None:
            db.execute_sql("INSERT INTO case_fts(rowid, doc) VALUES(?, ?)", (self.case_id, after))


def index_new_case(case_id: int) -> None:
    """Index a case just inserted (inside its transaction)."""
    if _pg():
        from hotline.pg import search as pg_search

        pg_search.reindex_cases([case_id])
    if not enabled():
        return
    tokens = _case_tokens(case_id)
    if tokens is not None:
        current().execute_sql("INSERT INTO case_fts(rowid, doc) VALUES(?, ?)", (case_id, tokens))


def enterprise_tokens(name: str, uscc: str | None) -> str:
    return document_tokens([name, uscc or ""])


def index_enterprise(
    enterprise_id: int, name: str, uscc: str | None, old: tuple[str, str | None] | None = None
) -> None:
    """(Re-)index an enterprise; ``old`` is its previous (name, uscc) when it was indexed."""
    if _pg():
        from hotline.pg import search as pg_search

        pg_search.index_enterprise(enterprise_id, name, uscc)
    if not enabled():
        return
    db = current()
    if old is not None:
        db.execute_sql(
            "INSERT INTO enterprise_fts(enterprise_fts, rowid, doc) VALUES('delete', ?, ?)",
            (enterprise_id, enterprise_tokens(*old)),
        )
    db.execute_sql(
        "INSERT INTO enterprise_fts(rowid, doc) VALUES(?, ?)",
        (enterprise_id, enterprise_tokens(name, uscc)),
    )


def _batched_case_rows(db: Database, batch: int) -> Iterator[list[tuple[int, str]]]:
    last = 0
    while True:
        ids = [
            row[0]
            for row in db.execute_sql(
                'SELECT id FROM "case" WHERE id > ? ORDER BY id LIMIT ?', (last, batch)
            )
        ]
        if not ids:
            return
        texts = case_texts(ids)
        yield [(case_id, document_tokens(texts[case_id])) for case_id in ids if case_id in texts]
        last = ids[-1]


def rebuild(db: Database | None = None, batch: int = 20_000) -> int:
    """Rebuild both tables from the database; returns the number of cases indexed."""
    db = db or current()
    if _pg(db):
        from hotline.pg import search as pg_search

        return pg_search.rebuild(db)
    if not enabled(db):
        return 0
    install(db)
    db.execute_sql("INSERT INTO case_fts(case_fts) VALUES('delete-all')")
    db.execute_sql("INSERT INTO enterprise_fts(enterprise_fts) VALUES('delete-all')")
    count = 0
    conn = db.connection()
    for rows in _batched_case_rows(db, batch):
        conn.executemany("INSERT INTO case_fts(rowid, doc) VALUES(?, ?)", rows)
        count += len(rows)
    enterprises = db.execute_sql("SELECT id, name, uscc FROM enterprise").fetchall()
    conn.executemany(
        "INSERT INTO enterprise_fts(rowid, doc) VALUES(?, ?)",
        [(eid, enterprise_tokens(name, uscc)) for eid, name, uscc in enterprises],
    )
    db.execute_sql("INSERT INTO case_fts(case_fts) VALUES('optimize')")
    log.info("search index rebuilt: %s cases, %s enterprises", count, len(enterprises))
    return count
