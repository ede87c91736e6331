"""``HOTLINE_TEST_PG_PERSON=1``: the PostgreSQL variant of every test that uses the
``database_target`` or ``database`` fixture runs on a database set up by ``server setup``
(tables of an owner role that cannot log in, grants and row-level security generated from the
permission table, the audit trail written by the database), and PostgreSQL checks each write
of the program against the person who makes it:

- a write transaction runs as the actor whose permission the service checked last (or who
  was passed to a service that checks none first, :func:`_services_without_a_check`): an
  actor with a user of the database on a connection signed in as that person's own login
  role (made on first use, a member of the group of the role the program acts in, the other
  groups revoked), this thread's queries routed to it for the transaction; an actor without
  one (the command line's, most tests' ``Actor("坐席甲", Role.OPERATOR, None)``) under its
  group role (``SET LOCAL ROLE``), which has the same grants and policies but no login of its
  own, so the audit trail names the test role;
- outside write transactions the test role acts as the owner (the tests' own reads and
  set-up, and the command line a test runs with the URL).

A test marked ``single_login`` keeps a database of one login, and says why (the program's own
password check, tampering with the audit tables, a department's return checked against the
server's clock, an older schema built by dropping tables). README, "Testing against
PostgreSQL", gives the figures.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from hotline.enums import Role
from hotline.permissions import Actor
from hotline.pg.connection import ReconnectingPostgresqlDatabase, connect_params, url_parts

_ROLE_OPTION = re.compile(r"-c\s*role=\S+")  # the owner's: a person's login is not one
ENABLED = bool(os.environ.get("HOTLINE_TEST_PG_PERSON"))


_MADE: dict[str, tuple[str, Any]] = {}  # owner URL -> the test role's URL, the role names


@contextlib.contextmanager
def target() -> Iterator[str]:
    """A database set up by ``server setup``; its URL signs in as the test role acting as the
    owner (``-c role=…``), so a test that opens it again by URL (the command line) reads and
    writes the same database as the test's own set-up."""
    import psycopg2

    from hotline.pg.server import setup
    from tests.hotline.pg_server.conftest import empty_database

    with empty_database() as (url, names):
        setup.run(url)
        with contextlib.closing(psycopg2.connect(url)) as conn, conn.cursor() as cur:
            conn.autocommit = True
            for group in names.groups().values():
                cur.execute(f'GRANT "{group}" TO CURRENT_USER')
        owner_url = setup.with_role(url, names.owner)
        _MADE[owner_url] = (url, names)
        try:
            yield owner_url
        finally:
            del _MADE[owner_url]
            _may_end_sessions(url, names)


def _may_end_sessions(url: str, names: Any) -> None:
    """Make the test role a member of the people's login roles, so that dropping the database
    (``WITH (FORCE)``) may end the sessions a test left signed in as them (a worker thread's)."""
    import psycopg2

    with contextlib.closing(psycopg2.connect(url)) as conn, conn.cursor() as cur:
        conn.autocommit = True
        cur.execute(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (names.prefix + ".",)
        )
        for (login,) in cur.fetchall():
            cur.execute(f'GRANT "{login}" TO CURRENT_USER')


def made_here(target: str) -> bool:
    return target in _MADE


@contextlib.contextmanager
def database(target: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The database of :func:`target`, bound to the models as its owner, with the hooks above."""
    from hotline import auth, db, models, transactions
    from hotline.pg import login_rules

    url, names = _MADE[target]
    handle = db.open_database(target)
    hidden = _unreadable(handle, list(names.groups().values()))
    people = _People(url, names)
    acting: list[Any] = []  # the group role, and a department person's user id
    real_require = Actor.require
    real_locked = transactions.locked

    def act_as(actor: Actor) -> None:
        acting[:] = [names.group(actor.role), actor.user_id]

    def require(self: Actor, action: Any) -> None:
        real_require(self, action)
        act_as(self)

    @contextlib.contextmanager
    def locked(database: Any) -> Iterator[None]:
        if not acting or not _is_this(database, handle) or database.in_transaction():
            with real_locked(database):
                yield
            return
        group, person = acting
        saved = dict(models.unreadable_columns)
        models.unreadable_columns.clear()
        models.unreadable_columns.update(hidden[group])
        try:
            if person is not None and (own := people.connection(person, group, database)):
                with models.database_proxy.routed(own), real_locked(own):
                    yield
            else:
                with real_locked(database):
                    database.execute_sql(f'SET LOCAL ROLE "{group}"')
                    # What the login may do with the search index is known once per connection
                    # (a person's login does not change): asked again for the group's role.
                    login_rules.forget(database)
                    try:
                        yield
                    finally:
                        login_rules.forget(database)
        finally:
            models.unreadable_columns.clear()
            models.unreadable_columns.update(saved)
            # The next write is the test's own set-up (as the owner) unless a service asks a
            # permission first.
            acting.clear()

    monkeypatch.setattr(Actor, "require", require)
    for module, name in _services_without_a_check():
        monkeypatch.setattr(module, name, _acting_first(getattr(module, name), act_as))
    monkeypatch.setattr(transactions, "locked", locked)
    monkeypatch.setattr(
        auth, "create_first_admin", _as_administrator(auth.create_first_admin, act_as)
    )
    try:
        yield handle
    finally:
        people.close()
        db.close()


def _services_without_a_check() -> list[tuple[Any, str]]:
    """Services that write without asking a permission first (a person's own reply texts),
    or ask it inside their write transaction: the harness takes their actor on entry."""
    from hotline.reply_texts import service, transfer

    return [(service, "save_text"), (service, "delete_text"), (transfer, "import_file")]


def _acting_first(service: Any, act_as: Any) -> Any:
    """``service`` (whose first argument is the actor) with the actor taken before it runs."""

    @functools.wraps(service)
    def run(actor: Actor, *args: Any, **kwargs: Any) -> Any:
        act_as(actor)
        return service(actor, *args, **kwargs)

    return run


def _as_administrator(service: Any, act_as: Any) -> Any:
    """``service`` run as an administrator without a person: the first administrator, whom
    ``server setup --admin`` makes on a real server, made by a test through the program."""

    @functools.wraps(service)
    def run(*args: Any, **kwargs: Any) -> Any:
        act_as(Actor("setup", Role.ADMIN, None))
        return service(*args, **kwargs)

    return run


class _People:
    """Connections signed in as people's own login roles, one per user, each role made on
    first use with a password of this run and kept a member of the group of the role the
    program acts in (the other groups revoked), as ``hotline_create_person`` and
    ``hotline_set_role`` keep it."""

    def __init__(self, url: str, names: Any) -> None:
        self.url = url
        self.names = names
        self.open: dict[tuple[int, str], Any] = {}
        self.passwords: dict[str, str] = {}
        self.member_of: dict[int, str] = {}

    def connection(self, user_id: int, group: str, like: Any) -> Any | None:
        """The connection of user ``user_id`` acting in ``group``, with the session options of
        ``like`` (the database the program has open: a test may reopen it read-only); None
        when the test's actor names no user of the database (it then acts as the group role)."""
        from hotline.models import User

        user = User.get_or_none(User.id == user_id)
        if user is None:
            return None
        login = self.names.login(user.username)
        if login not in self.passwords:
            self.passwords[login] = self._sign_in(login)
        opened = url_parts(like.connect_params.get("dsn", ""))[1].get("options", "")
        options = _ROLE_OPTION.sub("", opened).strip()
        key = (user_id, options)
        if key not in self.open:
            params = connect_params(self.url)
            params.update(user=login, password=self.passwords[login])
            if options:
                params["options"] = options
            self.open[key] = ReconnectingPostgresqlDatabase(url_parts(self.url)[0], **params)
        if self.member_of.get(user_id) != group:
            self._admin(*self._membership(login, group))
            self.member_of[user_id] = group
        return self.open[key]

    def _membership(self, login: str, group: str) -> list[str]:
        others = [g for g in self.names.groups().values() if g != group]
        return [f'GRANT "{group}" TO "{login}"'] + [f'REVOKE "{g}" FROM "{login}"' for g in others]

    def _admin(self, *statements: str, params: Any = None) -> Any:
        import psycopg2

        with contextlib.closing(psycopg2.connect(self.url)) as conn, conn.cursor() as cur:
            conn.autocommit = True
            for statement in statements:
                cur.execute(statement, params)
                if cur.description is not None:
                    return cur.fetchone()
        return None

    def _sign_in(self, login: str) -> str:
        """A password of this run for ``login``, made a login role if it is not one yet."""
        password = secrets.token_hex(12)
        found = self._admin("SELECT 1 FROM pg_roles WHERE rolname = %s", params=(login,))
        verb = "ALTER" if found else "CREATE"
        self._admin(f'{verb} ROLE "{login}" LOGIN PASSWORD %s', params=(password,))
        return password

    def close(self) -> None:
        for database in self.open.values():
            if not database.is_closed():
                database.close()
        self.open.clear()


def _is_this(database: Any, handle: Any) -> bool:
    """Whether ``database`` is the set-up database (opened again by URL or not), not an SQLite
    file or another server database the test opened beside it."""
    from peewee import PostgresqlDatabase

    return isinstance(database, PostgresqlDatabase) and database.database == handle.database


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


# Tests whose PostgreSQL variant keeps a database of one login in this mode, and why:
PROGRAM_SIGN_IN = pytest.mark.single_login(
    "the program's own password check; a set-up server's is PostgreSQL's "
    "(tests/ui/start/test_server_sign_in.py)"
)
SERVER_CLOCK = pytest.mark.single_login(
    "a department's return, which a set-up server checks against its own clock, not the "
    "test's frozen one (tests/hotline/pg_server/test_department_steps.py returns at today's date)"
)
OLDER_SCHEMA = pytest.mark.single_login(
    "builds an older schema by dropping tables that a set-up server's policies and triggers "
    "depend on; a set-up server migrates through `server upgrade` (tests/hotline/pg_server)"
)
