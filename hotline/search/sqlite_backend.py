"""The search index on SQLite: contentless FTS5 tables.

``case_fts`` holds each case's bigrams (one row per case, its rowid the case's id),
``case_code_fts`` the 4-grams of its codes, ``enterprise_fts`` each enterprise's bigrams, and
``case_private_fts`` the real texts of confidential cases (bigrams and code 4-grams in one
row, which never collide: a prefix query ``"x"*`` that meets a 4-gram ``xabc`` meets a run
holding ``x`` all the same); see :mod:`hotline.search.documents` for what each row holds.

The tables are contentless (``content=''``, ``detail=none``): they store no copy of the text,
only which rows hold each token, so the index stays small. Removing a row from such a table
needs the tokens it was indexed with, so a case's row is recomputed from the database before
and after a change.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from peewee import Database

from hotline.models import Case, tuples
from hotline.search.backend import CaseLookup
from hotline.search.documents import (
    ENTERPRISE_TEXTS,
    CaseDocuments,
    case_documents,
    case_sources,
    every_case_source,
)
from hotline.search.tokens import Term, document_tokens
from hotline.worker_processes import ordered_map

log = logging.getLogger(__name__)

TOKENIZER = "unicode61 remove_diacritics 0"
TABLES = ("case_fts", "case_code_fts", "enterprise_fts", "case_private_fts")
BATCH = 20_000  # cases read at a time by a rebuild

# A query of codes only takes its candidates from the code index. A query with codes and
# other words does when the codes have at most this many there: a common code ("2026") with
# a name leaves it to the bigrams.
CODE_CANDIDATES = 2_000

CaseDocumentsRow = tuple[int, str, str, str]  # case id and its CaseDocuments


def enterprise_tokens(name: str, uscc: str | None) -> str:
    return document_tokens([name, uscc or ""])


def _case_documents(case_id: int) -> CaseDocuments | None:
    source = case_sources([case_id]).get(case_id)
    return None if source is None else case_documents(*source)


def _fts_candidates(
    db: Database, expression: str, before_id: int | None, limit: int, table: str = "case_fts"
) -> list[int]:
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ?"
    params: list[object] = [expression]
    if before_id is not None:
        sql += " AND rowid < ?"
        params.append(before_id)
    sql += " ORDER BY rowid DESC LIMIT ?"
    params.append(limit)
    return [row[0] for row in db.execute_sql(sql, params)]


def _with_private(
    db: Database, expression: str, table: str, reveal: bool, before_id: int | None, limit: int
) -> list[int]:
    """Candidates from ``table``, and for a role that may see confidential callers also from
    the private index of confidential cases: the newest ``limit`` of both."""
    found = _fts_candidates(db, expression, before_id, limit, table)
    if not reveal:
        return found
    private = _fts_candidates(db, expression, before_id, limit, "case_private_fts")
    if not private:
        return found
    return sorted(set(found).union(private), reverse=True)[:limit]


def chunk_documents(chunk: list[tuple[int, bool, list[str]]]) -> list[CaseDocumentsRow]:
    """A chunk of cases (id, confidential, texts) as their index rows: the CPU-bound part of a
    rebuild, run in worker processes (:func:`hotline.worker_processes.ordered_map`)."""
    return [
        (case_id, *case_documents(confidential, texts)) for case_id, confidential, texts in chunk
    ]


@dataclass(frozen=True)
class SqliteSearch:
    """:class:`hotline.search.backend.SearchBackend` over FTS5 tables."""

    db: Database
    rebuild_after_bulk: ClassVar[bool] = False

    # -- writing ----------------------------------------------------------------------------

    def write_case_documents(
        self, rows: Iterable[CaseDocumentsRow], *, delete: bool = False
    ) -> None:
        """Add (or with ``delete``, remove) case rows: (case id, tokens, code tokens, private
        tokens) each.

        Removing a row of a contentless table needs exactly the tokens it was added with.
        """
        conn = self.db.connection()
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
            conn.executemany(
                sql, [(row[0], row[place]) for row in rows if keep_empty or row[place]]
            )

    def write_enterprise_rows(self, rows: Iterable[tuple[int, str, str | None]]) -> None:
        """Index new enterprises: (id, name, credit code) each."""
        self.db.connection().executemany(
            "INSERT INTO enterprise_fts(rowid, doc) VALUES(?, ?)",
            [(eid, enterprise_tokens(name, uscc)) for eid, name, uscc in rows],
        )

    index_bulk_cases = write_case_documents
    index_bulk_enterprises = write_enterprise_rows

    def before_case_change(self, case_id: int) -> CaseDocuments | None:
        return _case_documents(case_id)

    def after_case_change(self, case_id: int, before: CaseDocuments | None) -> None:
        after = _case_documents(case_id)
        if after == before:
            return
        if before is not None:
            self.write_case_documents([(case_id, *before)], delete=True)
        if after is not None:
            self.write_case_documents([(case_id, *after)])

    def index_new_cases(self, case_ids: Sequence[int]) -> None:
        sources = case_sources(case_ids)
        self.write_case_documents(
            [
                (case_id, *case_documents(*sources[case_id]))
                for case_id in case_ids
                if case_id in sources
            ]
        )

    def index_enterprise(
        self, enterprise_id: int, name: str, uscc: str | None, old: tuple[str, str | None] | None
    ) -> None:
        if old is not None:
            self.db.execute_sql(
                "INSERT INTO enterprise_fts(enterprise_fts, rowid, doc) VALUES('delete', ?, ?)",
                (enterprise_id, enterprise_tokens(*old)),
            )
            self._reindex_cases_of(enterprise_id, old)
        self.write_enterprise_rows([(enterprise_id, name, uscc)])

    def _reindex_cases_of(self, enterprise_id: int, old: tuple[str, str | None]) -> None:
        """Replace the rows of the enterprise's cases, indexed with its ``old`` name and code."""
        ids = [
            row[0] for row in tuples(Case.select(Case.id).where(Case.enterprise == enterprise_id))
        ]
        for start in range(0, len(ids), 500):
            sources = case_sources(ids[start : start + 500])
            before, after = [], []
            for case_id, (confidential, parts) in sources.items():
                previous = list(parts)
                previous[ENTERPRISE_TEXTS] = [old[0] or "", old[1] or ""]
                before.append((case_id, *case_documents(confidential, previous)))
                after.append((case_id, *case_documents(confidential, parts)))
            self.write_case_documents(before, delete=True)
            self.write_case_documents(after)

    def install(self) -> None:
        for table in TABLES:
            self.db.execute_sql(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
                f"doc, content='', detail=none, tokenize='{TOKENIZER}')"
            )

    def _every_case_row(self, workers: int = 1) -> Iterable[list[CaseDocumentsRow]]:
        chunks = every_case_source(self.db, BATCH)
        return ordered_map(chunk_documents, chunks, workers=workers)

    def rebuild(self, workers: int = 1) -> int:
        db = self.db
        self.install()
        for table in TABLES:
            db.execute_sql(f"INSERT INTO {table}({table}) VALUES('delete-all')")
        count = 0
        for rows in self._every_case_row(workers):
            self.write_case_documents(rows)
            count += len(rows)
        enterprises = db.execute_sql("SELECT id, name, uscc FROM enterprise").fetchall()
        self.write_enterprise_rows(enterprises)
        for table in ("case_fts", "case_code_fts", "case_private_fts"):
            db.execute_sql(f"INSERT INTO {table}({table}) VALUES('optimize')")
        log.info("search index rebuilt: %s cases, %s enterprises", count, len(enterprises))
        return count

    def add_code_index(self) -> None:
        """Create and fill ``case_code_fts`` in a database whose bigram index is built."""
        if self.db.table_exists("case_code_fts"):
            return  # the search index was (re)built with it
        self.install()
        conn = self.db.connection()
        for rows in self._every_case_row():
            conn.executemany(
                "INSERT INTO case_code_fts(rowid, doc) VALUES(?, ?)",
                [(case_id, codes) for case_id, _tokens, codes, _private in rows if codes],
            )
        self.db.execute_sql("INSERT INTO case_code_fts(case_code_fts) VALUES('optimize')")

    # -- asking -----------------------------------------------------------------------------

    def case_lookup(self, terms: Sequence[Term], reveal: bool) -> CaseLookup:
        """Candidates from the code index when the query's codes are few there (or it has
        nothing but codes), else from the bigrams."""
        codes = self._code_expression(terms)
        if codes is not None:
            fetch = functools.partial(_with_private, self.db, codes, "case_code_fts", reveal)
            return CaseLookup(fetch, exact=all(t.code_exact for t in terms))
        expression = " AND ".join(f"({t.match})" for t in terms if t.match)
        fetch = functools.partial(_with_private, self.db, expression, "case_fts", reveal)
        return CaseLookup(fetch, exact=all(t.exact for t in terms))

    def _code_expression(self, terms: Sequence[Term]) -> str | None:
        """The code-index query to take candidates from, or None to use the bigrams."""
        expression = " AND ".join(f"({t.code})" for t in terms if t.code)
        if not expression:
            return None
        if all(t.code_only for t in terms):
            return expression
        (count,) = self.db.execute_sql(
            "SELECT count(*) FROM (SELECT rowid FROM case_code_fts "
            "WHERE case_code_fts MATCH ? LIMIT ?)",
            (expression, CODE_CANDIDATES + 1),
        ).fetchone()
        return expression if count <= CODE_CANDIDATES else None

    def enterprise_candidates(self, terms: Sequence[Term], limit: int) -> list[int]:
        expression = " AND ".join(f"({t.match})" for t in terms if t.match)
        rows = self.db.execute_sql(
            "SELECT rowid FROM enterprise_fts WHERE enterprise_fts MATCH ? "
            "ORDER BY rowid DESC LIMIT ?",
            (expression, limit),
        )
        return [row[0] for row in rows]
