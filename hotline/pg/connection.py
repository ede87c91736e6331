"""The PostgreSQL connection: libpq URL with sensible defaults, clear refusals, reconnecting.

A workstation keeps one connection per thread for hours; the server may restart or the
network may drop meanwhile. ``ReconnectingPostgresqlDatabase`` notices a dead connection and
opens a new one, but only where that cannot lose or repeat a change:

- a dead connection found *before* a statement is sent is replaced silently;
- ``BEGIN`` and read-only statements outside a transaction that fail because the connection
  died are retried once on a new connection (they changed nothing);
- anything else — a write outside a transaction, or any statement inside a transaction —
  raises :class:`~hotline.errors.DatabaseUnavailable`; the server has rolled the transaction
  back, so nothing half-written remains, and the next operation reconnects by itself;
- a ``COMMIT`` whose answer never arrived raises ``DatabaseUnavailable`` with a message saying
  the change may or may not have been saved.
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

import peewee
import psycopg2
import psycopg2.extensions
import psycopg2.extras
from peewee import InterfaceError, OperationalError, PostgresqlDatabase

from hotline.errors import DatabaseRefused, DatabaseUnavailable, ValidationError
from hotline.i18n import N_

log = logging.getLogger(__name__)

# libpq keywords a URL may set; anything the URL leaves out gets these defaults. The TCP
# settings make a cut network show up within about a minute instead of the system's ~15.
# No JIT compilation: the program's queries are short, and a plan whose estimated cost
# passes jit_above_cost (a row-level security policy's subqueries can do it) spent 70 ms
# compiling a 9 ms page of the case list (benchmarks/README.md, issue 15).
DEFAULTS: dict[str, Any] = {
    "options": "-c jit=off",
    "connect_timeout": 5,
    "application_name": "hotline",
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 30_000,
}

MSG_UNAVAILABLE = N_(
    "数据库服务器暂时无法连接（{reason}）。刚才的操作没有保存；您输入的内容仍保留，服务器恢复后程序会自动重新连接，请稍后重试。"
)
MSG_NUL = N_("文字中有不能保存的控制字符（U+0000），请删除后再保存")
MSG_COMMIT_UNKNOWN = N_(
    "保存时与数据库服务器的连接中断（{reason}），无法确认刚才的修改是否已保存。请在服务器恢复后刷新查看；您输入的内容仍保留。"
)

_READ_ONLY = re.compile(r"^\s*(SELECT|SHOW|BEGIN|SET\s+(SESSION\s+)?\w+\s*(=|TO))\b", re.IGNORECASE)
_WRITE_WORDS = re.compile(
    r"\b(INSERT|UPDATE|DELETE|MERGE|NEXTVAL|SETVAL|PG_NOTIFY)\b", re.IGNORECASE
)


def url_parts(url: str) -> tuple[str, dict[str, str]]:
    """The database name and the query parameters (libpq keywords) of a URL."""
    parsed = urlparse(url)
    return unquote(parsed.path.lstrip("/")), dict(parse_qsl(parsed.query))


def connect_params(url: str) -> dict[str, Any]:
    """Keyword arguments for psycopg2: the whole URL as DSN, defaults for what it leaves out.

    Without a password in the URL libpq reads the standard password file (``~/.pgpass``,
    ``%APPDATA%\\postgresql\\pgpass.conf`` on Windows, or ``PGPASSFILE``).
    """
    _, query = url_parts(url)
    params: dict[str, Any] = {"dsn": url}
    for key, value in DEFAULTS.items():
        if key not in query:
            params[key] = value
    return params


def is_safe_to_retry(sql: str) -> bool:
    """A statement that changes nothing when it runs twice (or ran not at all)."""
    return bool(_READ_ONLY.match(sql)) and not _WRITE_WORDS.search(sql)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    # libpq prefixes every line; keep the first meaningful one.
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line.replace("FATAL:  ", "")
    return type(exc).__name__


def refusal(exc: BaseException, url: str, shown: str) -> DatabaseRefused:
    """A clear message for a connection the server or the network refused."""
    text = str(exc)
    name, _ = url_parts(url)
    parsed = urlparse(url)
    user = unquote(parsed.username or "") or "?"
    where = f"{parsed.hostname or 'localhost'}:{parsed.port or 5432}"
    if "does not exist" in text and "database" in text:
        return DatabaseRefused(
            N_(
                "无法打开数据库 {target}：服务器 {server} 上没有数据库 {name}，请先按 README 创建。"
            ),
            target=shown,
            server=where,
            name=name,
        )
    if "password authentication failed" in text or ("role" in text and "does not exist" in text):
        return DatabaseRefused(
            N_("无法打开数据库 {target}：服务器拒绝了用户 {user} 的登录，用户名或密码不对。"),
            target=shown,
            user=user,
        )
    if "no password supplied" in text or "password is required" in text:
        return DatabaseRefused(
            N_(
                "无法打开数据库 {target}：服务器要求用户 {user} 的密码，请写在地址中，或写入 PostgreSQL 密码文件（~/.pgpass，Windows 为 %APPDATA%\\postgresql\\pgpass.conf）。"
            ),
            target=shown,
            user=user,
        )
    if "permission denied" in text or "pg_hba.conf" in text:
        return DatabaseRefused(
            N_(
                "无法打开数据库 {target}：服务器不允许用户 {user} 从本机连接数据库 {name}（{reason}）。"
            ),
            target=shown,
            user=user,
            name=name,
            reason=_reason(exc),
        )
    if "Connection refused" in text or "timeout expired" in text or "could not" in text:
        return DatabaseRefused(
            N_(
                "无法打开数据库 {target}：连不上服务器 {server}（{reason}）。请确认服务器已启动、地址和端口正确、网络畅通。"
            ),
            target=shown,
            server=where,
            reason=_reason(exc),
        )
    return DatabaseRefused(
        N_("无法打开数据库 {target}：{reason}"), target=shown, reason=_reason(exc)
    )


# What peewee does when it finds psycopg2 at import; it may not have (hotline.lazy_drivers).
psycopg2.extras.register_uuid()


class Psycopg2Adapter(peewee.Psycopg2Adapter):
    """peewee's psycopg2 adapter, with the psycopg2 imported here.

    peewee's own uses the psycopg2 it imported, and ``hotline.lazy_drivers`` imports peewee
    with the driver hidden, so that SQLite users never load it.
    """

    txn_idle = psycopg2.extensions.TRANSACTION_STATUS_IDLE
    txn_inerror = psycopg2.extensions.TRANSACTION_STATUS_INERROR
    txn_unknown = psycopg2.extensions.TRANSACTION_STATUS_UNKNOWN

    def __init__(self) -> None:
        super().__init__()
        self.json_type = self.jsonb_type = psycopg2.extras.Json

    def check_driver(self) -> None:
        pass  # imported above

    def get_binary_type(self) -> Any:
        return psycopg2.Binary

    def connect(self, db: ReconnectingPostgresqlDatabase, **params: Any) -> Any:
        if db.database.startswith("postgresql://"):
            params.setdefault("dsn", db.database)
        else:
            params.setdefault("dbname", db.database)
        conn = psycopg2.connect(**params)
        if db._register_unicode:
            psycopg2.extensions.register_type(psycopg2.extensions.UNICODE, conn)
            psycopg2.extensions.register_type(psycopg2.extensions.UNICODEARRAY, conn)
        if db._encoding:
            conn.set_client_encoding(db._encoding)
        return conn


class ReconnectingPostgresqlDatabase(PostgresqlDatabase):
    """``PostgresqlDatabase`` that survives a server restart or a network cut (see module)."""

    psycopg2_adapter = Psycopg2Adapter
    # peewee's internals used here, which its stubs leave out.
    _state: Any
    _register_unicode: bool
    _encoding: str | None

    def _dead(self) -> bool:
        conn = self._state.conn
        return not self._state.closed and conn is not None and bool(conn.closed)

    def _drop(self) -> None:
        """Forget the current connection without talking to the server."""
        conn = self._state.conn
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()
        self._state.reset()

    def _reconnect(self) -> None:
        self._drop()
        try:
            self.connect()
        except (OperationalError, InterfaceError, psycopg2.Error) as exc:
            self._drop()
            raise DatabaseUnavailable(MSG_UNAVAILABLE, reason=_reason(exc)) from exc
        log.info("reconnected to the database server")

    def _ensure_alive(self) -> None:
        """Before sending: replace a connection known to be dead (nothing is lost)."""
        if self._dead():
            if self.in_transaction():
                raise DatabaseUnavailable(MSG_UNAVAILABLE, reason="connection lost")
            log.warning("database connection was lost; reconnecting")
            self._reconnect()

    def cursor(self, named_cursor: Any = None) -> Any:
        if self.is_closed():
            try:
                self.connect()
            except (OperationalError, InterfaceError) as exc:
                self._drop()
                raise DatabaseUnavailable(MSG_UNAVAILABLE, reason=_reason(exc)) from exc
        return super().cursor(named_cursor)  # type: ignore[no-untyped-call]

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        self._ensure_alive()
        try:
            return super().execute_sql(sql, params)  # type: ignore[no-untyped-call]
        except ValueError as exc:
            if "NUL" not in str(exc):
                raise
            # SQLite stores U+0000, PostgreSQL text cannot: refuse it as bad input, not a crash.
            raise ValidationError.single("text", MSG_NUL) from exc
        except (OperationalError, InterfaceError) as exc:
            if not self._dead():
                raise
            reason = _reason(exc)
            if self.in_transaction():
                log.warning("database connection lost inside a transaction: %s", reason)
                raise DatabaseUnavailable(MSG_UNAVAILABLE, reason=reason) from exc
            if not is_safe_to_retry(sql):
                log.warning("database connection lost during a write: %s", reason)
                self._drop()
                raise DatabaseUnavailable(MSG_UNAVAILABLE, reason=reason) from exc
            log.warning("database connection lost (%s); reconnecting and retrying", reason)
            self._reconnect()
            return super().execute_sql(sql, params)  # type: ignore[no-untyped-call]

    def begin(self, *args: Any, **kwargs: Any) -> None:
        # Called before the transaction is pushed: a failed BEGIN is always safe to repeat.
        self._ensure_alive()
        try:
            super().begin(*args, **kwargs)
        except (OperationalError, InterfaceError):
            if not self._dead():
                raise
            log.warning("database connection lost; reconnecting before BEGIN")
            self._reconnect()
            super().begin(*args, **kwargs)

    def rollback(self) -> None:
        if self._dead():
            # The server already threw the transaction away with the connection.
            if not self.in_transaction():
                self._drop()
            return
        super().rollback()

    def commit(self) -> None:
        try:
            super().commit()
        except (OperationalError, InterfaceError) as exc:
            if not self._dead():
                raise
            raise DatabaseUnavailable(MSG_COMMIT_UNKNOWN, reason=_reason(exc)) from exc

    def close(self) -> bool:
        if self._dead() and not self.in_transaction():
            self._drop()
            return True
        return super().close()
