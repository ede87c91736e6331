"""Keeping the search index in step with the cases and enterprises.

One index row per case holds the tokens of its number, subject, description, request,
contact, enterprise and every timeline text (notes, replies, reasons); a row of
``case_code_fts`` holds the 4-grams of the codes in the same texts (credit codes, phone and
case numbers; see :mod:`hotline.search.tokens`). The FTS5 tables are
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
from hotline.search.tokens import document_tokens, documents

log = logging.getLogger(__name__)

TOKENIZER = "unicode61 remove_diacritics 0"
TABLES = ("case_fts", "case_code_fts", "enterprise_fts")
# A case's own indexed texts, in index order; its enterprise's name and code and its timeline
# texts follow (case_texts). The index depends on the order.
CASE_TEXT_COLUMNS = (
    "case_no",
    "subject",
    "description",
    "request",
    "contact_name",
    "contact_phone",
)


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
    for table in TABLES:
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
                *(getattr(Case, column) for column in CASE_TEXT_COLUMNS),
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


def _case_documents(case_id: int) -> tuple[str, str] | None:
    texts = case_texts([case_id]).get(case_id)
    return None if texts is None else documents(texts)


def write_case_documents(
    rows: Iterable[tuple[int, str, str]], *, delete: bool = False, db: Database | None = None
) -> None:
    """Add (or with ``delete``, remove) case rows: (case id, tokens, code tokens) each.

    Removing a row of a contentless table needs exactly the tokens it was added with.
    """
    conn = (db or current()).connection()
    if delete:
        main = "INSERT INTO case_fts(case_fts, rowid, doc) VALUES('delete', ?, ?)"
        code = "INSERT INTO case_code_fts(case_code_fts, rowid, doc) VALUES('delete', ?, ?)"
    else:
        main = "INSERT INTO case_fts(rowid, doc) VALUES(?, ?)"
        code = "INSERT INTO case_code_fts(rowid, doc) VALUES(?, ?)"
    rows = list(rows)
    conn.executemany(main, [(case_id, tokens) for case_id, tokens, _codes in rows])
    conn.executemany(code, [(case_id, codes) for case_id, _tokens, codes in rows if codes])


class CaseIndexUpdate:
    """Re-index one case around a change: ``with CaseIndexUpdate(case_id): …change…``."""

    def __init__(self, case_id: int) -> None:
        self.case_id = case_id
        self.before: tuple[str, str] | None = None

    def __enter__(self) -> CaseIndexUpdate:
        if enabled():
            self.before = _case_documents(self.case_id)
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None and _pg():
            from hotline.pg import search as pg_search

            pg_search.reindex_cases([self.case_id])
        if exc_type is not None or not enabled():
            return
        after = _case_documents(self.case_id)
        if after == self.before:
            return
        if self.before is not None:
            write_case_documents([(self.case_id, *self.before)], delete=True)
        if after is not None:
            write_case_documents([(self.case_id, *after)])


def index_new_case(case_id: int) -> None:
    """Index a case just inserted (inside its transaction)."""
    index_new_cases([case_id])


def index_new_cases(case_ids: Iterable[int]) -> None:
    """Index cases just inserted (inside their transaction), reading their texts in bulk."""
    ids = list(case_ids)
    if _pg():
        from hotline.pg import search as pg_search

        pg_search.reindex_cases(ids)
    if not enabled():
        return
    texts = case_texts(ids)
    write_case_documents(
        [(case_id, *documents(texts[case_id])) for case_id in ids if case_id in texts]
    )


def enterprise_tokens(name: str, uscc: str | None) -> str:
    return document_tokens([name, uscc or ""])


def index_enterprise(
    enterprise_id: int, name: str, uscc: str | None, old: tuple[str, str | None] | None = None
) -> None:
    """(Re-)index an enterprise; ``old`` is its previous (name, uscc) when it was indexed.

    Call it after the change is written: its cases hold its name and code too, so a changed
    enterprise has its cases re-indexed as well.
    """
    if _pg():
        from hotline.pg import search as pg_search

        pg_search.index_enterprise(enterprise_id, name, uscc)
        if old is not None:
            pg_search.reindex_cases(_case_ids_of(enterprise_id))
    if not enabled():
        return
    db = current()
    if old is not None:
        db.execute_sql(
            "INSERT INTO enterprise_fts(enterprise_fts, rowid, doc) VALUES('delete', ?, ?)",
            (enterprise_id, enterprise_tokens(*old)),
        )
        _reindex_cases_of(enterprise_id, old)
    write_enterprise_rows([(enterprise_id, name, uscc)])


def write_enterprise_rows(
    rows: Iterable[tuple[int, str, str | None]], db: Database | None = None
) -> None:
    """Index new enterprises: (id, name, credit code) each."""
    (db or current()).connection().executemany(
        "INSERT INTO enterprise_fts(rowid, doc) VALUES(?, ?)",
        [(eid, enterprise_tokens(name, uscc)) for eid, name, uscc in rows],
    )


def _case_ids_of(enterprise_id: int) -> list[int]:
    return [row[0] for row in Case.select(Case.id).where(Case.enterprise == enterprise_id).tuples()]


ENTERPRISE_TEXTS = slice(6, 8)  # where case_texts puts the enterprise's name and code


def _reindex_cases_of(enterprise_id: int, old: tuple[str, str | None]) -> None:
    """Replace the rows of the enterprise's cases, indexed with its ``old`` name and code."""
    ids = _case_ids_of(enterprise_id)
    for start in range(0, len(ids), 500):
        texts = case_texts(ids[start : start + 500])
        before, after = [], []
        for case_id, parts in texts.items():
            previous = list(parts)
            previous[ENTERPRISE_TEXTS] = [old[0] or "", old[1] or ""]
            before.append((case_id, *documents(previous)))
            after.append((case_id, *documents(parts)))
        write_case_documents(before, delete=True)
        write_case_documents(after)


def _batched_case_rows(db: Database, batch: int) -> Iterator[list[tuple[int, str, str]]]:
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
        yield [(case_id, *documents(texts[case_id])) for case_id in ids if case_id in texts]
        last = ids[-1]


def rebuild(db: Database | None = None, batch: int = 20_000) -> int:
    """Rebuild every table from the database; returns the number of cases indexed."""
    db = db or current()
    if _pg(db):
        from hotline.pg import search as pg_search

        return pg_search.rebuild(db)
    if not enabled(db):
        return 0
    install(db)
    for table in TABLES:
        db.execute_sql(f"INSERT INTO {table}({table}) VALUES('delete-all')")
    count = 0
    for rows in _batched_case_rows(db, batch):
        write_case_documents(rows, db=db)
        count += len(rows)
    enterprises = db.execute_sql("SELECT id, name, uscc FROM enterprise").fetchall()
    write_enterprise_rows(enterprises, db)
    db.execute_sql("INSERT INTO case_fts(case_fts) VALUES('optimize')")
    db.execute_sql("INSERT INTO case_code_fts(case_code_fts) VALUES('optimize')")
    log.info("search index rebuilt: %s cases, %s enterprises", count, len(enterprises))
    return count


def add_code_index(db: Database, batch: int = 20_000) -> None:
    """Create and fill ``case_code_fts`` in a database whose bigram index is already built.

    On PostgreSQL the code 4-grams go into the same token arrays: they are rebuilt.
    """
    if _pg(db):
        from hotline.pg import search as pg_search

        pg_search.rebuild(db)
        return
    if not enabled(db) or db.table_exists("case_code_fts"):
        return  # the search index was (re)built with it
    install(db)
    conn = db.connection()
    for rows in _batched_case_rows(db, batch):
        conn.executemany(
            "INSERT INTO case_code_fts(rowid, doc) VALUES(?, ?)",
            [(case_id, codes) for case_id, _tokens, codes in rows if codes],
        )
    db.execute_sql("INSERT INTO case_code_fts(case_code_fts) VALUES('optimize')")
