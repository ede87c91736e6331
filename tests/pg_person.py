"""``HOTLINE_TEST_PG_PERSON=1``: the PostgreSQL variant of the tests that use the ``database``
fixture runs on a database set up by ``server setup`` (tables of the owner role that cannot
log in, grants from the permission table, the audit trail written by the database), and
every write transaction of a service runs under the group role of the actor whose permission
the service checked last (``SET LOCAL ROLE``), so PostgreSQL checks the program's writes
against what that role may do.

The test role acts as the owner outside write transactions (the tests' own reads and set-up),
and is a member of every group so that it may take their role: the audit trail therefore names
the test role, not each person (the per-person tests of ``tests/hotline/pg_server/`` sign in as
each person's own login role). What runs in this mode and what does not: README, "Testing
against PostgreSQL".
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import pytest

ENABLED = bool(os.environ.get("HOTLINE_TEST_PG_PERSON"))


@contextlib.contextmanager
def database(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A set-up database, bound to the models as its owner, with the hooks above."""
    import psycopg2

    from hotline import db, models, transactions
    from hotline.permissions import Actor
    from hotline.pg.server import setup
    from tests.hotline.pg_server.conftest import empty_database

    with empty_database() as (url, names):
        setup.run(url)
        with contextlib.closing(psycopg2.connect(url)) as conn, conn.cursor() as cur:
            conn.autocommit = True
            for group in names.groups().values():
                cur.execute(f'GRANT "{group}" TO CURRENT_USER')
        handle = db.open_database(setup.with_role(url, names.owner))
        hidden = _unreadable(handle, list(names.groups().values()))
        acting: list[str] = []
        real_require = Actor.require
        real_locked = transactions.locked

        def require(self: Actor, action: Any) -> None:
            real_require(self, action)
            acting[:] = [names.group(self.role)]

        @contextlib.contextmanager
        def locked(database: Any) -> Iterator[None]:
            if not acting or database.in_transaction():
                with real_locked(database):
                    yield
                return
            saved = dict(models.unreadable_columns)
            with real_locked(database):
                database.execute_sql(f'SET LOCAL ROLE "{acting[0]}"')
                models.unreadable_columns.clear()
                models.unreadable_columns.update(hidden[acting[0]])
                try:
                    yield
                finally:
                    models.unreadable_columns.clear()
                    models.unreadable_columns.update(saved)

        monkeypatch.setattr(Actor, "require", require)
        monkeypatch.setattr(transactions, "locked", locked)
        try:
            yield handle
        finally:
            db.close()


def _unreadable(handle: Any, groups: list[str]) -> dict[str, dict[str, frozenset[str]]]:
    """Per group: the columns it may not read, by table (what ``hotline.db`` finds for a
    person of that group when they sign in)."""
    out: dict[str, dict[str, frozenset[str]]] = {}
    for group in groups:
        found: dict[str, set[str]] = {}
        for table, column in handle.execute_sql(
            "SELECT c.relname, a.attname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
            "WHERE c.relkind IN ('r', 'p') "
            "AND NOT has_column_privilege(%s, c.oid, a.attnum, 'SELECT')",
            (group,),
        ):
            found.setdefault(str(table), set()).add(str(column))
        out[group] = {table: frozenset(columns) for table, columns in found.items()}
    return out
