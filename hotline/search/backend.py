"""What a search index does, whichever database keeps it.

SQLite keeps the index in FTS5 tables (:class:`hotline.search.sqlite_backend.SqliteSearch`),
PostgreSQL in GIN-indexed token arrays (:class:`hotline.pg.search.PostgresSearch`). Both index
the same texts (:mod:`hotline.search.documents`) and give the same results; the rest of the
program asks :func:`hotline.search.index.backend` for the open database's and never which
database it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from peewee import Database

from hotline.search.documents import CaseDocuments
from hotline.search.tokens import Term


@dataclass(frozen=True)
class CaseLookup:
    """How the index answers one query: ``fetch(before_id, limit)`` gives candidate case ids,
    newest first, below ``before_id``; ``exact`` when each of them surely matches, without a
    check against its text."""

    fetch: Callable[[int | None, int], list[int]]
    exact: bool


class SearchBackend(Protocol):
    @property
    def db(self) -> Database:
        """The database whose index this is."""

    # Rows written in bulk (demo data, a large import) are indexed by one rebuild once they
    # are written, which is faster there than indexing them batch by batch.
    rebuild_after_bulk: ClassVar[bool]

    def install(self) -> None:
        """Create the index's tables if missing."""

    def rebuild(self, workers: int = 1) -> int:
        """Recompute the whole index from the data; returns the number of cases indexed.
        ``workers`` > 1: the texts are tokenised in that many processes (bulk commands)."""

    def add_code_index(self) -> None:
        """Bring an index built before the code 4-grams (schema 6) up to date."""

    def before_case_change(self, case_id: int) -> CaseDocuments | None:
        """What :meth:`after_case_change` needs to know of the case as it was."""

    def after_case_change(self, case_id: int, before: CaseDocuments | None) -> None:
        """Re-index a case changed since :meth:`before_case_change` (in its transaction)."""

    def index_new_cases(self, case_ids: Sequence[int]) -> None:
        """Index cases just inserted (inside their transaction)."""

    def index_enterprise(
        self, enterprise_id: int, name: str, uscc: str | None, old: tuple[str, str | None] | None
    ) -> None:
        """(Re-)index an enterprise, and its cases when it had ``old`` name and code."""

    def index_bulk_enterprises(self, rows: Iterable[tuple[int, str, str | None]]) -> None:
        """Index enterprises written in bulk: (id, name, code) each; nothing where
        ``rebuild_after_bulk`` (the writer rebuilds when done)."""

    def index_bulk_cases(self, rows: Iterable[tuple[int, str, str, str]]) -> None:
        """Index cases written in bulk: (id, *:func:`case_documents`) each; nothing where
        ``rebuild_after_bulk``."""

    def case_lookup(self, terms: Sequence[Term], reveal: bool) -> CaseLookup:
        """Candidates for cases matching every term (at least one term has a ``match``);
        with ``reveal`` also by the real texts of confidential cases."""

    def enterprise_candidates(self, terms: Sequence[Term], limit: int) -> list[int]:
        """Ids of enterprises whose tokens hold every term's, newest first."""
