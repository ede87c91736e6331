"""Heavy reads from a PostgreSQL streaming replica (``--read-db URL`` / ``HOTLINE_READ_DB``).

A centre whose server has a hot-standby replica may give the program its URL: the weekly and
period reports, the statistics, exports and search then run their queries there
(:func:`read`), and the primary keeps its time for intake and the workflow. Nothing that is
about to be written is read there: a block that runs inside a transaction on the primary (a
write's own reads) stays on the primary, and the replica refuses writes anyway.

A replica is used only when it is a copy of the same cluster and database (its system
identifier and database name are the primary's, checked once per connection). When it cannot
be reached, or fails during a read, the block runs again on the primary (reads change
nothing), a warning goes to the log, and the replica is tried again after ``RETRY_AFTER``
seconds. A replica lags the primary by the time its WAL takes to arrive (usually well under a
second): a case saved a moment ago may be missing from a report read there for that long.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from peewee import Database, DatabaseError, InterfaceError, OperationalError

from hotline.errors import DatabaseRefused, DatabaseUnavailable
from hotline.i18n import N_
from hotline.models import database_proxy
from hotline.targets import describe, is_url

log = logging.getLogger(__name__)

ENV = "HOTLINE_READ_DB"
RETRY_AFTER = 30.0  # seconds a replica found down is left alone
T = TypeVar("T")

_lock = threading.Lock()
_configured: str | None = None
_explicit = False
_replica: Database | None = None
_down_until = 0.0
_checked: set[int] = set()  # ids of the replica's connections found to be the primary's copy


class NotAReplica(RuntimeError):
    """The replica URL leads to another cluster or database than the primary."""


_FAILURES = (OperationalError, InterfaceError, DatabaseError, DatabaseUnavailable, NotAReplica)


def configure(url: str | None) -> None:
    """Use ``url`` as the read replica (None: none, whatever ``HOTLINE_READ_DB`` says)."""
    global _configured, _explicit
    if url and not is_url(url):
        raise DatabaseRefused(
            N_("只读副本必须是 PostgreSQL 地址（postgresql://…）：{url}"), url=url
        )
    with _lock:
        _close()
        _configured = url or None
        _explicit = True


def reset() -> None:
    """Forget the replica configured: ``HOTLINE_READ_DB`` decides again."""
    global _configured, _explicit
    with _lock:
        _close()
        _configured = None
        _explicit = False


def url() -> str | None:
    """The replica's URL: the one configured, else ``HOTLINE_READ_DB``."""
    if _explicit:
        return _configured
    return os.environ.get(ENV, "").strip() or None


def close() -> None:
    with _lock:
        _close()


def _close() -> None:
    global _replica, _down_until
    if _replica is not None and not _replica.is_closed():
        _replica.close()
    _replica = None
    _down_until = 0.0
    _checked.clear()


def read(fn: Callable[[], T], *, again: bool = True) -> T:
    """``fn()``, its queries on the replica where that is safe and the replica answers (see
    the module's notes); on the primary otherwise. When the replica fails during ``fn`` it
    runs again on the primary, unless ``again`` is False (``fn`` wrote somewhere it cannot
    undo): then the error is raised."""
    replica = _usable()
    if replica is None:
        return fn()
    try:
        with database_proxy.routed(replica):
            _check(replica)
    except _FAILURES as exc:
        _down(exc)
        return fn()
    try:
        with database_proxy.routed(replica):
            return fn()
    except _FAILURES as exc:
        _down(exc)
        if not again:
            raise
    return fn()


def _usable() -> Database | None:
    global _replica
    target = url()
    primary = database_proxy.primary
    if target is None or primary is None or database_proxy.routed_to() is not None:
        return None
    from hotline import db

    if db.is_sqlite(primary) or primary.in_transaction():
        return None  # a write's own reads, or no server to have a replica of
    with _lock:
        if time.monotonic() < _down_until:
            return None
        if _replica is None:
            from hotline.pg.connection import (
                ReconnectingPostgresqlDatabase,
                connect_params,
                url_parts,
            )

            name, _ = url_parts(target)
            _replica = ReconnectingPostgresqlDatabase(name, **connect_params(target))
        return _replica


def _check(replica: Database) -> None:
    """Refuse a "replica" that is another cluster or database (once per connection)."""
    connection = replica.connection()
    if id(connection) in _checked:
        return
    primary = database_proxy.primary
    assert primary is not None
    sql = "SELECT system_identifier, current_database() FROM pg_control_system()"
    theirs = replica.execute_sql(sql).fetchone()
    ours = primary.execute_sql(sql).fetchone()
    if tuple(theirs) != tuple(ours):
        raise NotAReplica(f"{describe(url() or '')} is not a copy of the primary database")
    _checked.add(id(connection))
    log.info("reading reports and searches from the replica %s", describe(url() or ""))


def _down(exc: BaseException) -> None:
    global _down_until
    with _lock:
        _down_until = time.monotonic() + RETRY_AFTER
        _checked.clear()  # a new connection is checked again
        replica = _replica
    if replica is not None and not replica.is_closed():
        try:
            replica.close()
        except Exception:
            log.debug("closing the replica's connection failed", exc_info=True)
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    log.warning(
        "read replica %s unavailable (%s); reading from the primary, trying the replica "
        "again in %.0f s",
        describe(url() or ""),
        reason,
        RETRY_AFTER,
    )
