"""``HOTLINE_TEST_PG_PERSON=1``: the PostgreSQL variant of the tests that use the ``database``
fixture runs on a database set up by ``server setup`` (tables of the owner role that cannot
log in, grants from the permission table, the audit trail written by the database), and
every write transaction of a service runs under the group role of the actor whose permission
the service checked last (``SET LOCAL ROLE``), so PostgreSQL checks the program's writes
against what that role may do.

The test role acts as the owner outside write transactions (the tests' own reads and set-up),
and is a member of every group so that it may take their role: the audit trail therefore names
the test role, not each person (the per-person tests of ``tests/hotline/pg_server/`` sign in as
each person's own login role). A department person is the exception: the server finds a
department's rows through the login role (``session_user``), which ``SET ROLE`` does not
change, so a department actor's write transaction runs on a connection signed in as that
person's own login role (made on first use, a member of the department group), this thread's
queries routed to it for the transaction. What runs in this mode and what does not: README,
"Testing against PostgreSQL".
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from hotline.enums import Role

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
        people = _DepartmentPeople(url, names)
        acting: list[Any] = []  # the group role, and a department person's user id
        real_require = Actor.require
        real_locked = transactions.locked

        def require(self: Actor, action: Any) -> None:
            real_require(self, action)
            # A department actor without a user (no person) stays with the group's role: the
            # server finds no case of theirs.
            department = self.role == Role.DEPARTMENT and self.user_id is not None
            person = self.user_id if department else None
            acting[:] = [names.group(self.role), person]

        @contextlib.contextmanager
        def locked(database: Any) -> Iterator[None]:
            if not acting or database.in_transaction():
                with real_locked(database):
                    yield
                return
            group, person = acting
            saved = dict(models.unreadable_columns)
            models.unreadable_columns.clear()
            models.unreadable_columns.update(hidden[group])
            try:
                if person is not None:
                    own = people.connection(person)
                    with models.database_proxy.routed(own), real_locked(own):
                        yield
                else:
                    with real_locked(database):
                        database.execute_sql(f'SET LOCAL ROLE "{group}"')
                        yield
            finally:
                models.unreadable_columns.clear()
                models.unreadable_columns.update(saved)

        monkeypatch.setattr(Actor, "require", require)
        monkeypatch.setattr(transactions, "locked", locked)
        try:
            yield handle
        finally:
            people.close()
            db.close()


class _DepartmentPeople:
    """Connections signed in as department people's own login roles, one per user, each role
    made on first use (a member of the department group, with a password of this run)."""

    def __init__(self, url: str, names: Any) -> None:
        self.url = url
        self.names = names
        self.open: dict[int, Any] = {}

    def connection(self, user_id: int) -> Any:
        if user_id not in self.open:
            self.open[user_id] = self._sign_in(user_id)
        return self.open[user_id]

    def _sign_in(self, user_id: int) -> Any:
        import psycopg2

        from hotline.models import User
        from hotline.pg.connection import ReconnectingPostgresqlDatabase, connect_params, url_parts

        login = self.names.login(User.get_by_id(user_id).username)
        password = secrets.token_hex(12)
        with contextlib.closing(psycopg2.connect(self.url)) as conn, conn.cursor() as cur:
            conn.autocommit = True
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,))
            verb = "ALTER" if cur.fetchone() else "CREATE"
            cur.execute(f'{verb} ROLE "{login}" LOGIN PASSWORD %s', (password,))
            cur.execute(f'GRANT "{self.names.department}" TO "{login}"')
        params = connect_params(self.url)
        params.update(user=login, password=password)
        return ReconnectingPostgresqlDatabase(url_parts(self.url)[0], **params)

    def close(self) -> None:
        for database in self.open.values():
            if not database.is_closed():
                database.close()
        self.open.clear()


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
