"""The open database's search index, and keeping it in step with the cases and enterprises.

:func:`backend` gives the index of the open database (:mod:`hotline.search.backend`), made the
first time it is asked for, not when the database opens, so that start-up loads no search
code. Every change to a case's indexed texts (see :mod:`hotline.search.documents`) goes through
:class:`CaseIndexUpdate` or :func:`index_new_cases` inside its transaction, every change to an
enterprise through :func:`index_enterprise`; the backend writes its own tables.
"""

from __future__ import annotations

from collections.abc import Iterable

from peewee import Database, SqliteDatabase

from hotline.models import database_proxy
from hotline.search.backend import SearchBackend
from hotline.search.documents import CaseDocuments

_chosen: SearchBackend | None = None


def backend(db: Database | None = None) -> SearchBackend:
    """The search index of ``db`` (default: the database the models are bound to)."""
    global _chosen
    db = db or database_proxy.obj
    if db is None:
        raise RuntimeError("no database is open")
    chosen = _chosen
    if chosen is None or chosen.db is not db:
        chosen = _chosen = _for_database(db)
    return chosen


def _for_database(db: Database) -> SearchBackend:
    if isinstance(db, SqliteDatabase):
        from hotline.search.sqlite_backend import SqliteSearch

        return SqliteSearch(db)
    from hotline.pg.search import PostgresSearch

    return PostgresSearch(db)


class CaseIndexUpdate:
    """Re-index one case around a change: ``with CaseIndexUpdate(case_id): …change…``."""

    def __init__(self, case_id: int) -> None:
        self.case_id = case_id
        self.before: CaseDocuments | None = None

    def __enter__(self) -> CaseIndexUpdate:
        self.search = backend()
        self.before = self.search.before_case_change(self.case_id)
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.search.after_case_change(self.case_id, self.before)


def index_new_case(case_id: int) -> None:
    """Index a case just inserted (inside its transaction)."""
    backend().index_new_cases([case_id])


def index_new_cases(case_ids: Iterable[int]) -> None:
    """Index cases just inserted (inside their transaction), reading their texts in bulk."""
    backend().index_new_cases(list(case_ids))


def index_enterprise(
    enterprise_id: int, name: str, uscc: str | None, old: tuple[str, str | None] | None = None
) -> None:
    """(Re-)index an enterprise; ``old`` is its previous (name, uscc) when it was indexed.

    Call it after the change is written: its cases hold its name and code too, so a changed
    enterprise has its cases re-indexed as well.
    """
    backend().index_enterprise(enterprise_id, name, uscc, old)


def rebuild(db: Database | None = None, *, workers: int = 1) -> int:
    """Rebuild the whole index from the database; returns the number of cases indexed.
    Commands that rebuild a big database pass ``workers``
    (:func:`hotline.worker_processes.default_workers`); the app's own rebuilds stay in its
    process."""
    return backend(db).rebuild(workers)


def install(db: Database) -> None:
    backend(db).install()


def add_code_index(db: Database) -> None:
    """Index the codes (4-grams of credit codes, phone and case numbers) of a database whose
    index was built without them."""
    backend(db).add_code_index()


def add_private_index(db: Database) -> None:
    """Index confidential cases apart (their masked texts in the shared index, their real
    texts in the private one): everything is rebuilt."""
    backend(db).rebuild()
