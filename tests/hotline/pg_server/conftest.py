"""A database set up by ``server setup`` on the test server, with people of every role.

Each test gets a new, empty database whose roles carry a prefix of their own (derived from
the database's unique name, so parallel workers never share a role); the database and every
role of that prefix are dropped afterwards. Skipped without a server outside CI, failed in CI,
as every PostgreSQL test (tests/backends.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlparse

import psycopg2
import pytest

from hotline import db
from hotline.enums import Role
from hotline.pg.server import people, setup
from hotline.pg.server.names import RoleNames
from tests import backends

ADMIN = ("chief", "总管理员", "Chief-pass-1")
DEPARTMENTS = {"dept_a": 1, "dept_b": 2}  # login user → department id (the seeded ones)
PEOPLE = {
    Role.OPERATOR: ("op1", "坐席一", "Operator-pass-1"),
    Role.SHIFT_LEAD: ("lead1", "值班长一", "Lead-pass-1"),
    Role.MANAGER: ("boss1", "科长一", "Manager-pass-1"),
}


@dataclass
class Centre:
    """The set-up database: the URL of the role that set it up and the people's passwords."""

    url: str
    names: RoleNames
    passwords: dict[str, str] = field(default_factory=dict)  # login role → password
    opened: list[Any] = field(default_factory=list)

    def login(self, role: Role) -> str:
        username = ADMIN[0] if role is Role.ADMIN else PEOPLE[role][0]
        return self.names.login(username)

    def connect(self, login: str, password: str | None = None, **options: Any) -> Any:
        """A psycopg2 connection as ``login`` itself (no program in between)."""
        import psycopg2

        conn = psycopg2.connect(
            self.url, user=login, password=password or self.passwords[login], **options
        )
        self.opened.append(conn)
        return conn

    def as_role(self, role: Role) -> Any:
        return self.connect(self.login(role))

    def login_url(self, role: Role) -> str:
        """The URL a workstation of ``role``'s person would use, password included."""
        parsed = urlparse(self.url)
        login = self.login(role)
        secret = quote(self.passwords[login], safe="")
        netloc = f"{quote(login, safe='')}:{secret}@{parsed.hostname}:{parsed.port}"
        return parsed._replace(netloc=netloc).geturl()

    def owner_url(self) -> str:
        """The program acting as the table owner (how these tests make cases to work on)."""
        return setup.with_role(self.url, self.names.owner)

    def close(self) -> None:
        for conn in self.opened:
            with contextlib.suppress(Exception):
                conn.close()
        self.end_sessions()

    def end_sessions(self) -> None:
        """End what the program left open as each person (a worker thread's connection): the
        test role may not end another role's session, a role may end its own."""
        import psycopg2

        for login, password in self.passwords.items():
            with contextlib.suppress(psycopg2.Error):
                conn = psycopg2.connect(self.url, user=login, password=password)
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE usename = session_user AND pid <> pg_backend_pid()"
                    )
                conn.close()


def _drop_roles(conn: Any, prefix: str) -> None:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s OR rolname LIKE %s "
            "ORDER BY rolcanlogin DESC",
            (prefix.replace("_", "\\_") + "\\_%", prefix.replace("_", "\\_") + ".%"),
        )
        names = [row[0] for row in cur.fetchall()]
        for name in names:
            cur.execute('DROP ROLE IF EXISTS "{}"'.format(name.replace('"', '""')))


@contextlib.contextmanager
def empty_database() -> Iterator[tuple[str, RoleNames]]:
    """A new empty database on the test server, and its roles dropped afterwards."""
    server = backends.server()
    if not server.can_create_db:
        backends.unavailable("the test role may not create databases")
    with server.conn.cursor() as cur:
        cur.execute("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cur.fetchone()[0]:
            backends.unavailable("the test role may not create roles (CREATEROLE)")
    names: RoleNames | None = None
    try:
        with server.empty() as url:
            names = RoleNames.for_database(urlparse(url).path.lstrip("/"))
            yield url, names
            db.close()
    finally:
        if names is not None:
            _drop_roles(server.conn, names.prefix)


@pytest.fixture
def centre() -> Iterator[Centre]:
    """Set up with its first administrator; the administrator creates the other people
    through ``hotline_create_person`` with verifiers computed here."""
    with empty_database() as (url, names):
        setup.run(url, admin=ADMIN)
        found = Centre(url, names)
        found.passwords[names.login(ADMIN[0])] = ADMIN[2]
        admin = found.as_role(Role.ADMIN)
        with admin, admin.cursor() as cur:
            for role, (username, display, password) in PEOPLE.items():
                login = names.login(username)
                secret = people.verifier(admin, password, login)
                cur.execute(
                    "SELECT hotline_create_person(%s, %s, %s, %s)",
                    (username, display, role.value, secret),
                )
                found.passwords[login] = password
        try:
            yield found
        finally:
            found.close()


@pytest.fixture
def settled(centre: Centre) -> Centre:
    """The centre with its people as they are after their first sign-in: their one-time
    passwords changed (the command line does nothing else until then)."""
    import psycopg2

    usernames = [ADMIN[0], *(username for username, _, _ in PEOPLE.values())]
    conn = psycopg2.connect(centre.url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(f'SET ROLE "{centre.names.owner}"')
            cur.execute(
                'UPDATE public."user" SET must_change_password = false WHERE username = ANY(%s)',
                (usernames,),
            )
    finally:
        conn.close()
    return centre


@pytest.fixture
def cli_desk(settled: Centre, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[Centre]:
    """The settled centre for command-line tests: no password comes from the environment or
    a ``.pgpass`` file, only from what the test gives."""
    for name in ("PGPASSWORD", "PGUSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    yield settled
    db.close()


def bare_url(centre: Centre) -> str:
    """The centre's URL without a user or password, as a workstation has it."""
    parsed = urlparse(centre.url)
    return f"postgresql://{parsed.hostname}:{parsed.port}{parsed.path}"


def department_people(centre: Centre) -> None:
    """Two department people, each a member of one department (recorded by the owner)."""
    admin = centre.as_role(Role.ADMIN)
    with admin, admin.cursor() as cur:
        for username in DEPARTMENTS:
            login = centre.names.login(username)
            password = f"Dept-pass-{username}-1"
            cur.execute(
                "SELECT hotline_create_person(%s, %s, 'department', %s)",
                (username, username, people.verifier(admin, password, login)),
            )
            centre.passwords[login] = password
    owner = psycopg2.connect(centre.owner_url())
    centre.opened.append(owner)
    with owner, owner.cursor() as cur:
        for username, department in DEPARTMENTS.items():
            cur.execute(
                'INSERT INTO department_member (user_id, department_id) SELECT id, %s FROM "user" '
                "WHERE username = %s",
                (department, username),
            )


@pytest.fixture
def depts(centre: Centre) -> Iterator[Centre]:
    """The centre with two department people: dept_a in department 1, dept_b in 2."""
    from hotline import access

    department_people(centre)
    yield centre
    access.end_session()
    db.close()


def sign_in_person(centre: Centre, username: str) -> Any:
    """The program signed in as ``username``'s own login role (its one-time password changed
    the first time, as the sign-in window asks); the actor it acts as."""
    from hotline import auth

    login = centre.names.login(username)
    password = centre.passwords[login]
    user = auth.sign_in(username, password, server=centre.url)
    if user.must_change_password:
        auth.change_own_password(user.id, password, password + "-new!")
        centre.passwords[login] = password + "-new!"
        user = auth.sign_in(username, password + "-new!", server=centre.url)
    return auth.actor_for(user)
