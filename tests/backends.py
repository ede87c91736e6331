"""The databases tests run against: SQLite always, PostgreSQL when ``HOTLINE_TEST_PG`` is set.

``HOTLINE_TEST_PG`` is the URL of an empty database on a server the tests may use, e.g.
``postgresql://hotline:secret@127.0.0.1:55432/hotline_test``. Each PostgreSQL test gets a
database of its own, cloned from a template this worker migrated once (about 20 ms), or, when
the role may not create databases, a schema of its own in the given database (migrated per
test). ``private_cluster()`` starts a throwaway server for tests that stop and start it.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import random
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, urlencode, urlparse

import pytest

ENV = "HOTLINE_TEST_PG"
PG_URL = os.environ.get(ENV, "").strip()
SKIP_REASON = f"PostgreSQL backend not tested: set {ENV} to the URL of an empty test database"

requires_pg = pytest.mark.skipif(not PG_URL, reason=SKIP_REASON)


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine without a PostgreSQL server; fail in CI, which starts one
    (.ci/run), so that no PostgreSQL test can pass there by not running."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run should have provided it")
    pytest.skip(reason)


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=requires_pg),
]

_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:4]
_RUN = (
    f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{_HOST}_{os.getpid()}_{uuid.uuid4().hex[:4]}"
)
_NAME = re.compile(r"^hl_(?:t|e|tpl)_[a-z0-9]+_([0-9a-f]{4})_(\d+)_")
_counter = itertools.count(1)


def with_database(url: str, name: str) -> str:
    return urlparse(url)._replace(path="/" + quote(name)).geturl()


def with_schema(url: str, schema: str) -> str:
    parsed = urlparse(url)
    query = (
        parsed.query
        + ("&" if parsed.query else "")
        + urlencode({"options": f"-csearch_path={schema}"})
    )
    return parsed._replace(query=query).geturl()


class _Server:
    """The configured server: an autocommit admin connection and the per-worker template."""

    def __init__(self, url: str) -> None:
        import psycopg2

        self.url = url
        self.conn = psycopg2.connect(url)
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")
            self.can_create_db = bool(cur.fetchone()[0])
        self.template: str | None = None
        self.leftovers: list[str] = []
        if self.can_create_db:
            self._drop_stale()

    def _drop_stale(self) -> None:
        """Databases that earlier, killed test runs on this machine left behind."""
        with self.conn.cursor() as cur:
            cur.execute("SELECT datname FROM pg_database WHERE datname LIKE 'hl\\_%'")
            names = [row[0] for row in cur.fetchall()]
        for name in names:
            match = _NAME.match(name)
            if match and match.group(1) == _HOST and not _alive(int(match.group(2))):
                with contextlib.suppress(Exception):
                    self.drop_database(name)

    def execute(self, sql: str) -> None:
        with self.conn.cursor() as cur:
            cur.execute(sql)

    def drop_database(self, name: str) -> None:
        if not drop_database(self.conn, name):
            self.leftovers.append(name)

    def _template(self) -> str:
        if self.template is None:
            from hotline import db

            name = f"hl_tpl_{_RUN}"
            self.execute(f'CREATE DATABASE "{name}"')
            db.open_database(with_database(self.url, name))
            db.close()
            self.template = name
        return self.template

    @contextlib.contextmanager
    def fresh(self) -> Iterator[str]:
        """The URL of a new, migrated database (or schema) dropped afterwards."""
        if self.can_create_db:
            name = f"hl_t_{_RUN}_{next(_counter)}"
            self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template()}"')
            try:
                yield with_database(self.url, name)
            finally:
                from hotline import db

                with contextlib.suppress(Exception):
                    db.close()
                self.drop_database(name)
        else:
            schema = f"hl_t_{_RUN}_{next(_counter)}"
            self.execute(f'CREATE SCHEMA "{schema}"')
            try:
                yield with_schema(self.url, schema)
            finally:
                from hotline import db

                with contextlib.suppress(Exception):
                    db.close()
                self.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    @contextlib.contextmanager
    def empty(self) -> Iterator[str]:
        """The URL of a new database with no tables at all (migrate-to targets)."""
        if self.can_create_db:
            name = f"hl_e_{_RUN}_{next(_counter)}"
            self.execute(f'CREATE DATABASE "{name}"')
            try:
                yield with_database(self.url, name)
            finally:
                self.drop_database(name)
        else:
            with self.fresh_schema() as url:
                yield url

    @contextlib.contextmanager
    def fresh_schema(self) -> Iterator[str]:
        schema = f"hl_e_{_RUN}_{next(_counter)}"
        self.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield with_schema(self.url, schema)
        finally:
            self.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def close(self) -> None:
        for name in [*self.leftovers, *([self.template] if self.template else [])]:
            with contextlib.suppress(Exception):
                self.drop_database(name)
        self.conn.close()


def drop_database(conn: Any, name: str) -> bool:
    """Drop a test database, ending the connections a test left behind; False if it is busy.

    ``WITH (FORCE)`` may not end an autovacuum worker's connection (superusers only); a
    plain ``DROP`` stops autovacuum by itself.
    """
    import psycopg2

    for attempt in range(5):
        try:
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return True
        except psycopg2.errors.InsufficientPrivilege:
            try:
                with conn.cursor() as cur:
                    cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
                return True
            except psycopg2.errors.ObjectInUse:
                time.sleep(0.1 * (attempt + 1))
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_server: _Server | None = None


def server() -> _Server:
    global _server
    if not PG_URL:
        unavailable(SKIP_REASON)
    if _server is None:
        _server = _Server(PG_URL)
    return _server


def shutdown() -> None:
    global _server
    if _server is not None:
        _server.close()
        _server = None


@contextlib.contextmanager
def fresh_target(backend: str, tmp_path: Path) -> Iterator[str]:
    """A path or URL for a new, migrated database of ``backend``."""
    if backend == "sqlite":
        yield str(tmp_path / "hotline.sqlite3")
    else:
        with server().fresh() as url:
            yield url


# -- a private server the tests may stop and start ------------------------------------------


def _pg_bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def free_port() -> int:
    """A port free on 127.0.0.1 now, below the kernel's ephemeral range (32768 and up on
    Linux): a port the kernel handed out (``bind(0)``) and released may be given again at
    once as the local port of any outgoing connection (the other test worker's database
    connections), and the server meant to listen there then cannot."""
    start = random.SystemRandom().randrange(20_000, 32_000)  # not the tests' seeded random
    for offset in range(12_000):
        port = 20_000 + (start - 20_000 + offset) % 12_000
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000")


@dataclass
class Cluster:
    """A throwaway PostgreSQL server on 127.0.0.1; superuser ``postgres`` with ``password``."""

    bindir: Path
    datadir: Path
    port: int
    run_as: str | None  # "postgres" when we are root (initdb refuses root)
    password: str

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.run_as:
            command = ["su", self.run_as, "-s", "/bin/sh", "-c", subprocess.list2cmdline(command)]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def url(self, database: str = "postgres", *, password: bool = True) -> str:
        secret = f":{self.password}" if password else ""
        return f"postgresql://postgres{secret}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.datadir.parent} "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.datadir.parent / "log"),
            "-o", options, "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")


@contextlib.contextmanager
def private_cluster() -> Iterator[Cluster]:
    """Start a new server (password authentication over TCP) that a test may stop and start.

    Skipped, with the reason, where the server programs are missing or cannot run.
    """
    bindir = _pg_bindir()
    if bindir is None:
        unavailable("PostgreSQL server programs (initdb, pg_ctl) are not installed")
    run_as = None
    if os.geteuid() == 0:
        if shutil.which("su") is None:
            unavailable("running as root without su: cannot run initdb as the postgres user")
        run_as = "postgres"
    base = Path(tempfile.mkdtemp(prefix="hotline-pg-"))
    if run_as:
        shutil.chown(base, user=run_as)
    cluster = Cluster(bindir, base / "data", free_port(), run_as, uuid.uuid4().hex[:12])
    pwfile = base / "pwfile"
    pwfile.write_text(cluster.password + "\n")
    if run_as:
        shutil.chown(pwfile, user=run_as)
    try:
        init = cluster._run(
            "initdb", "-D", str(cluster.datadir), "-U", "postgres", f"--pwfile={pwfile}",
            "--auth-local=trust", "--auth-host=scram-sha-256",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", check=False,
        )  # fmt: skip
        if init.returncode != 0:
            unavailable(f"initdb failed: {init.stderr.strip()[:300]}")
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(Exception):
            cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.1) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until it is true (for servers starting, not for timing claims)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
