"""Keeping the search index in step with the cases and enterprises.

One index row per case holds the tokens of its number, subject, description, request,
contact, enterprise and every timeline text (notes, replies, reasons); a row of
``case_code_fts`` holds the 4-grams of the codes in the same texts (credit codes, phone and
case numbers; see :mod:`hotline.search.tokens`).

A confidential case is indexed in these two tables as a role without the right to see its
caller reads it: contact masked, the caller's name and phone scrubbed from every free text
(:func:`masked_texts`). Its real texts go into ``case_private_fts`` (bigrams and code 4-grams
in one row, which never collide: a prefix query ``"x"*`` that meets a 4-gram ``xabc`` meets a
run holding ``x`` all the same). A search for a role without the right asks only the first two
tables, so the caller's name or phone never finds the case; a role with the right also asks
the private table, which holds only the confidential cases. The FTS5 tables are
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
from hotline.masking import Scrubber, mask_name, mask_phone
from hotline.models import Case, CaseEvent, Enterprise
from hotline.search.tokens import document_tokens, documents

log = logging.getLogger(__name__)

TOKENIZER = "unicode61 remove_diacritics 0"
TABLES = ("case_fts", "case_code_fts", "enterprise_fts", "case_private_fts")
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
CONTACT_NAME, CONTACT_PHONE = 4, 5  # their places in a case's texts
FREE_TEXTS = (1, 2, 3)  # subject, description, request; timeline texts follow the enterprise
TIMELINE_TEXTS = 8


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


def masked_texts(texts: list[str]) -> list[str]:
    """A confidential case's texts as a role without the right sees them: the contact masked,
    the caller's name and phone scrubbed from the subject, description, request and timeline."""
    clean = Scrubber(texts[CONTACT_NAME], texts[CONTACT_PHONE])
    out = list(texts)
    for place in (*FREE_TEXTS, *range(TIMELINE_TEXTS, len(out))):
        out[place] = clean(out[place])
    out[CONTACT_NAME] = mask_name(texts[CONTACT_NAME])
    out[CONTACT_PHONE] = mask_phone(texts[CONTACT_PHONE])
    return out


def case_sources(case_ids: Iterable[int]) -> dict[int, tuple[bool, list[str]]]:
    """Whether each case is confidential, and its real indexed texts in a fixed order."""
    ids = list(case_ids)
    out: dict[int, tuple[bool, list[str]]] = {}
    if not ids:
        return out
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        texts: dict[int, list[str]] = {}
        query = (
            Case.select(
                Case.id,
                Case.confidential,
                *(getattr(Case, column) for column in CASE_TEXT_COLUMNS),
                Enterprise.name,
                Enterprise.uscc,
            )
            .join(Enterprise, on=(Case.enterprise == Enterprise.id), join_type=JOIN.LEFT_OUTER)
            .where(Case.id.in_(chunk))
            .tuples()
        )
        for row in query:
            texts[row[0]] = [value or "" for value in row[2:]]
            out[row[0]] = (bool(row[1]), texts[row[0]])
        events = (
            CaseEvent.select(CaseEvent.case, CaseEvent.text)
            .where(CaseEvent.case.in_(chunk), CaseEvent.text != "")
            .order_by(CaseEvent.id)
            .tuples()
        )
        for case_id, text in events:
            if case_id in texts:
                texts[case_id].append(text)
    return out


def case_texts(case_ids: Iterable[int], *, reveal: bool = True) -> dict[int, list[str]]:
    """Every indexed text of each case, in a fixed order (the index depends on it); without
    ``reveal``, a confidential case's texts as :func:`masked_texts` gives them."""
    return {
        case_id: masked_texts(texts) if confidential and not reveal else texts
        for case_id, (confidential, texts) in case_sources(case_ids).items()
    }


CaseDocuments = tuple[str, str, str]  # tokens, code tokens, private tokens ("" if not confidential)


def case_documents(confidential: bool, texts: list[str]) -> CaseDocuments:
    """What a case puts in ``case_fts``, ``case_code_fts`` and ``case_private_fts``."""
    if not confidential:
        return (*documents(texts), "")
    tokens, codes = documents(masked_texts(texts))
    private = " ".join(part for part in documents(texts) if part)
    return tokens, codes, private


def _case_documents(case_id: int) -> CaseDocuments | None:
    source = case_sources([case_id]).get(case_id)
    return None if source is None else case_documents(*source)


def write_case_documents(
    rows: Iterable[tuple[int, str, str, str]], *, delete: bool = False, db: Database | None = None
) -> None:
    """Add (or with ``delete``, remove) case rows: (case id, tokens, code tokens, private
    tokens) each.

    Removing a row of a contentless table needs exactly the tokens it was added with.
    """
    conn = (db or current()).connection()
    rows = list(rows)
    for table, place, keep_empty in (
        ("case_fts", 1, True),
        ("case_code_fts", 2, False),
        ("case_private_fts", 3, False),
    ):
        if delete:
            sql = f"INSERT INTO {table}({table}, rowid, doc) VALUES('delete', ?, ?)"
        else:
            sql = f"INSERT INTO {table}(rowid, doc) VALUES(?, ?)"
        conn.executemany(sql, [(row[0], row[place]) for row in rows if keep_empty or row[place]])


class CaseIndexUpdate:
    """Re-index one case around a change: ``with CaseIndexUpdate(case_id): …change…``."""

    def __init__(self, case_id: int) -> None:
        self.case_id = case_id
        self.before: CaseDocuments | None = None

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
    sources = case_sources(ids)
    write_case_documents(
        [(case_id, *case_documents(*sources[case_id])) for case_id in ids if case_id in sources]
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
        sources = case_sources(ids[start : start + 500])
        before, after = [], []
        for case_id, (confidential, parts) in sources.items():
            previous = list(parts)
            previous[ENTERPRISE_TEXTS] = [old[0] or "", old[1] or ""]
            before.append((case_id, *case_documents(confidential, previous)))
            after.append((case_id, *case_documents(confidential, parts)))
        write_case_documents(before, delete=True)
        write_case_documents(after)


def _batched_case_rows(db: Database, batch: int) -> Iterator[list[tuple[int, str, str, str]]]:
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
        sources = case_sources(ids)
        yield [
            (case_id, *case_documents(*sources[case_id])) for case_id in ids if case_id in sources
        ]
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
    db.execute_sql("INSERT INTO case_private_fts(case_private_fts) VALUES('optimize')")
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
            [(case_id, codes) for case_id, _tokens, codes, _private in rows if codes],
        )
    db.execute_sql("INSERT INTO case_code_fts(case_code_fts) VALUES('optimize')")


def add_private_index(db: Database) -> None:
    """Index confidential cases apart (``case_private_fts``; ``case_private_search`` on
    PostgreSQL) and their masked texts in the shared tables: everything is rebuilt."""
    rebuild(db)
