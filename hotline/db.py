"""Opening the database: an SQLite file (the default) or a PostgreSQL URL, same code.

``open_database`` binds the models' proxy, refuses files that are not databases or that a
newer program wrote, and brings an older schema up to date (copying the file first).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from peewee import (
    Database,
    DatabaseError,
    InterfaceError,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
)

from hotline import file_errors, paths, targets, transactions
from hotline.errors import DatabaseRefused, DatabaseReplaced, HotlineError
from hotline.i18n import N_
from hotline.models import database_proxy

# Where a target is a server or a file is decided in one small module that the migrations share;
# the rest of the program asks this one.
from hotline.targets import describe as describe
from hotline.targets import is_url as is_url

if TYPE_CHECKING:
    from hotline.pg.server.names import RoleNames

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
    "synchronous": "normal",
    "cache_size": -32_000,
}


def resolve_target(target: str | os.PathLike[str] | None) -> str:
    """The database to use: the argument, else ``HOTLINE_DB``, else the default file."""
    if target:
        return os.fspath(target)
    env = os.environ.get("HOTLINE_DB")
    if env:
        return env
    return str(paths.default_database_path())


def _check_sqlite_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseRefused(
            N_("无法读取数据库文件 {path}：{reason}"), path=str(path), reason=exc.strerror
        ) from exc
    if header != SQLITE_HEADER:
        raise DatabaseRefused(N_("文件 {path} 不是本程序的数据库，未做任何改动。"), path=str(path))


def _preflight_sqlite(path: Path) -> None:
    """Refuse, without writing a byte, a file that is foreign, corrupt or from a newer program.

    Opening through peewee would switch the file to WAL first, so this looks read-only.
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    from hotline import migrations

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseRefused(
            N_("无法打开数据库 {target}：{reason}"), target=str(path), reason=str(exc)
        ) from exc
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables:
            return
        if "schema_version" not in tables:
            raise DatabaseRefused(N_("该数据库不是本程序创建的（缺少版本表），未做任何改动。"))
        (found,) = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _unreadable(str(path), exc) from exc
    finally:
        conn.close()
    latest = migrations.latest_version()
    if found > latest:
        raise DatabaseRefused(
            N_(
                "该数据库由更新版本的程序写入（架构版本 {found}，本程序支持到 {supported}），请升级程序；数据库未做任何改动。"
            ),
            found=found,
            supported=latest,
        )


def _check_writable(path: Path) -> None:
    folder = path.parent
    if (path.exists() and not os.access(path, os.W_OK)) or (
        folder.exists() and not os.access(folder, os.W_OK)
    ):
        raise DatabaseRefused(
            N_(
                "数据库文件 {path} 是只读的（或所在文件夹不可写），无法保存任何内容。请检查文件权限或磁盘，或把它复制到可写的位置。"
            ),
            path=str(path),
        )


def _sqlite(path: Path) -> SqliteDatabase:
    _check_sqlite_file(path)
    _check_writable(path)
    _preflight_sqlite(path)
    if not path.exists():
        from hotline.private_files import create_private, private_folder

        # Owner-only before SQLite opens it; SQLite gives -wal/-shm/-journal the same mode.
        create_private(private_folder(path.parent) / path.name)
    return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_MS / 1000)


class PersonalSignInNeeded(DatabaseRefused):
    """The server refused the URL's own login: on a server set up with a login role per
    person (``server setup``), each person signs in as themself (:func:`connect`'s
    ``person``). The message is the server's refusal, for when it is not that."""


# A person's own login: (user name in the program, password or None for ~/.pgpass).
Person = tuple[str, "str | None"]


def _postgres(url: str, person: Person | None = None) -> PostgresqlDatabase:
    from hotline.pg.connection import ReconnectingPostgresqlDatabase, connect_params, url_parts

    name, _ = url_parts(url)
    if not name:
        raise DatabaseRefused(N_("数据库地址缺少数据库名：{url}"), url=describe(url))
    # The whole URL goes to libpq (query parameters such as sslmode included); without a
    # password in it libpq reads the standard password file (~/.pgpass).
    params = connect_params(url)
    if person is not None:
        from hotline.pg.server.names import RoleNames

        params["user"] = RoleNames.for_database(name).login(person[0])
        if person[1] is not None:
            params["password"] = person[1]
    return ReconnectingPostgresqlDatabase(name, **params)


# On a server set up with a login role per person: the names of its roles (None elsewhere).
_server_roles: RoleNames | None = None


def server_roles() -> RoleNames | None:
    """The role names of the open database when it is set up with a login role per person
    (``server setup``), else None (SQLite, or a server with one login for everyone)."""
    return _server_roles


def per_person() -> bool:
    """Whether the open database is a server where each person signs in as their own role."""
    return _server_roles is not None


def _look_at_server(db: PostgresqlDatabase) -> None:
    """Whether the tables belong to the owner role of ``server setup`` (then each person signs
    in as their own role), and which columns this session may not read."""
    from hotline import models
    from hotline.pg.server.names import RoleNames

    global _server_roles
    names = RoleNames.for_database(str(db.database))
    row = db.execute_sql(
        "SELECT pg_get_userbyid(relowner) FROM pg_class "
        "WHERE oid = to_regclass('public.schema_version')"
    ).fetchone()
    _server_roles = names if row is not None and row[0] == names.owner else None
    models.unreadable_columns.clear()
    if _server_roles is None:
        return
    hidden: dict[str, set[str]] = {}
    for table, column in db.execute_sql(
        "SELECT c.relname, a.attname FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE c.relkind IN ('r', 'p') AND NOT has_column_privilege(c.oid, a.attnum, 'SELECT')"
    ):
        hidden.setdefault(str(table), set()).add(str(column))
    models.unreadable_columns.update({t: frozenset(c) for t, c in hidden.items()})


_NEEDS_OWN_LOGIN = (
    "password authentication failed",
    "no password supplied",
    "password is required",
    "permission denied for database",
    "not permitted to log in",
)


def connect(
    target: str | os.PathLike[str] | None = None,
    *,
    create: bool = True,
    person: Person | None = None,
) -> Database:
    """Bind the models to ``target`` and connect, without touching the schema.

    With ``create=False`` a missing SQLite file is an error instead of a new empty database
    (a network drive that is not mounted must not look like an empty hotline). ``person``:
    on a server, sign in as that person's own login role (user name, password; None: libpq's
    password file). Without it, a server that refuses the URL's login raises
    :class:`PersonalSignInNeeded`.
    """
    resolved = resolve_target(target)
    if not create and not is_url(resolved) and not Path(resolved).exists():
        raise DatabaseRefused(
            N_(
                "数据库文件不存在：{path}。如果要新建数据库，请运行 init；如果数据库在网络盘上，请确认网络盘已连接。"
            ),
            path=resolved,
        )
    global _server_roles
    _server_roles = None
    from hotline import models

    models.unreadable_columns.clear()
    db: Database = _postgres(resolved, person) if is_url(resolved) else _sqlite(Path(resolved))
    database_proxy.initialize(db)
    targets.remember_opened(resolved)
    before = _file_identity(resolved)
    try:
        if isinstance(db, SqliteDatabase):
            _connect_sqlite(db)
        else:
            db.connect(reuse_if_open=True)
    except Exception as exc:  # driver errors differ by backend
        if is_url(resolved):
            from hotline.pg.connection import refusal

            refused = refusal(exc, resolved, describe(resolved))
            if person is None and any(text in str(exc) for text in _NEEDS_OWN_LOGIN):
                raise PersonalSignInNeeded(refused.message, **refused.params) from exc
            raise refused from exc
        raise DatabaseRefused(
            N_("无法打开数据库 {target}：{reason}"),
            target=describe(resolved),
            reason=str(exc).strip(),
        ) from exc
    if isinstance(db, SqliteDatabase):
        _check_sqlite_readable(db, resolved)
        _remember_file(resolved, before)
    elif isinstance(db, PostgresqlDatabase):
        _look_at_server(db)
    return db


def _connect_sqlite(db: SqliteDatabase) -> None:
    """Connect, setting the pragmas. Switching a new file to WAL needs the file to itself for
    a moment, and SQLite answers "locked" at once, without its busy timeout, when another
    workstation is doing the same: try again for as long as the busy timeout would wait."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.01
    while True:
        try:
            db.connect(reuse_if_open=True)
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            log.info("database busy while connecting; trying again")
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


# The SQLite file connected to (device, inode): a file put in its place later (a restore by
# another program, a copy) must not receive writes meant for the one this process opened.
_identity: tuple[int, int] | None = None


def _file_identity(target: str) -> tuple[int, int] | None:
    if is_url(target):
        return None
    try:
        info = os.stat(target)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _remember_file(target: str, before: tuple[int, int] | None) -> None:
    """Record the file connected to and that this process has it open (hotline.holders)."""
    from hotline import holders

    global _identity
    _identity = _file_identity(target)
    if before is not None and before != _identity:
        raise DatabaseReplaced(N_("数据库已被替换（恢复备份？），请重新打开程序"))
    holders.hold(Path(target))


def check_not_replaced() -> None:
    """Refuse to go on when the SQLite file opened was replaced by another one since.

    One ``stat`` call: cheap enough before every write transaction and every poll.
    """
    target = targets.opened()
    if target is None or is_url(target) or database_proxy.obj is None:
        return
    if not is_sqlite():
        return
    now = _file_identity(target)
    if _identity is None:
        _remember_file(target, None)
    elif now != _identity:
        raise DatabaseReplaced(N_("数据库已被替换（恢复备份？），请重新打开程序"))


def _check_sqlite_readable(db: SqliteDatabase, target: str) -> None:
    try:
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except (sqlite3.DatabaseError, DatabaseError) as exc:
        db.close()
        raise _unreadable(target, exc) from exc


_DISK_TROUBLE = ("SQLITE_IOERR", "SQLITE_FULL", "SQLITE_CANTOPEN", "SQLITE_READONLY")


def _unreadable(path: str, exc: BaseException) -> DatabaseRefused:
    """A file SQLite could not read: damaged, or (a full or read-only disk) not its fault."""
    driver = getattr(exc, "orig", None) or exc
    if str(getattr(driver, "sqlite_errorname", "")).startswith(_DISK_TROUBLE):
        return DatabaseRefused(
            N_(
                "无法打开数据库文件 {path}：{reason}。数据库本身没有改动；请检查磁盘是否已满或只读。"
            ),
            path=path,
            reason=file_errors.reason(driver),
        )
    return DatabaseRefused(
        N_("数据库文件 {path} 已损坏或无法读取（{reason}），未做任何改动。"),
        path=path,
        reason=str(exc),
    )


def open_database(
    target: str | os.PathLike[str] | None = None,
    *,
    migrate: bool = True,
    create: bool = True,
    person: Person | None = None,
) -> Database:
    """Connect to ``target`` and make its schema current (see :mod:`hotline.migrations`;
    a person's own login on a shared server never migrates: a schema older or newer than
    the program's is refused with a message naming ``server upgrade``)."""
    from hotline import migrations

    db = connect(target, create=create, person=person)
    if migrate:
        migrations.upgrade(db, resolve_target(target))
    else:
        migrations.check_not_newer(db)
    return db


def opened_target() -> str | None:
    """The path or URL of the database last connected to (None before any)."""
    return targets.opened()


def bound() -> Database | None:
    """The database the models are bound to now, None before any was opened."""
    bound_now: Database | None = database_proxy.obj
    return bound_now


def current() -> Database:
    """The database the models are bound to."""
    db: Database | None = database_proxy.obj
    if db is None:
        raise RuntimeError("no database is open")
    return db


def is_sqlite(db: Database | None = None) -> bool:
    return isinstance(db or current(), SqliteDatabase)


@contextlib.contextmanager
def write_transaction(database: Database | None = None) -> Iterator[None]:
    """A transaction that takes the write lock at once (see :func:`hotline.transactions.locked`),
    on the open database unless ``database`` is given, after checking that the file under it
    was not replaced."""
    db = database or current()
    check_not_replaced()
    with transactions.locked(db):
        yield


def ping() -> bool:
    """Whether the database answers now (reconnecting to a server that came back)."""
    try:
        check_not_replaced()
        current().execute_sql("SELECT 1").fetchone()
    except (HotlineError, OperationalError, InterfaceError):
        return False
    return True


def close() -> None:
    from hotline import holders

    global _server_roles
    _server_roles = None
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()
    holders.release()
