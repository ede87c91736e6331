"""Writing to the database: the write lock every writer takes first, and a refused write in
the user's words.

Below :mod:`hotline.db` (which adds the check that the file was not replaced) so that the
migrations take the same lock without importing the module that runs them.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from peewee import Database, DatabaseError, SqliteDatabase

from hotline.errors import DatabaseUnavailable
from hotline.i18n import N_

WRITE_LOCK_KEY = 0x686F746C  # "hotl": the advisory lock PostgreSQL writers take first


@contextlib.contextmanager
def locked(db: Database) -> Iterator[None]:
    """A transaction on ``db`` that takes the write lock at once (SQLite ``BEGIN IMMEDIATE``).

    Taking it at the start avoids SQLite's deadlock between two readers that both want to
    write; PostgreSQL gets an ordinary transaction. A write the database refuses (disk full,
    read-only, busy) comes out as :class:`~hotline.errors.DatabaseUnavailable`.
    """
    try:
        if isinstance(db, SqliteDatabase) and not db.in_transaction():
            with db.atomic("IMMEDIATE"):
                yield
        elif not db.in_transaction():
            # PostgreSQL: one advisory lock serialises writers as SQLite's write lock does,
            # so writers never deadlock on the rows (audit head, day counter) they share.
            with db.atomic():
                db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
                yield
        else:
            with db.atomic():
                yield
    except Exception as exc:
        failure = first_failure(exc)
        translated = translate_write_error(failure)
        if translated is not failure:
            raise translated from failure
        if failure is not exc:
            raise failure from None  # the transaction's own error, not the failed ROLLBACK
        raise


# SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR, ...);
# peewee's ROLLBACK (or ROLLBACK TO SAVEPOINT) after it then fails with one of these, which
# must not hide the first error.
_ROLLBACK_GONE = ("no transaction is active", "no such savepoint")


def first_failure(exc: BaseException) -> BaseException:
    """The error that ended the transaction, looking past failed ROLLBACKs that followed it."""
    seen: set[int] = set()
    while (
        any(text in str(exc) for text in _ROLLBACK_GONE)
        and exc.__context__ is not None
        and id(exc) not in seen
    ):
        seen.add(id(exc))
        exc = exc.__context__
    # peewee raises its own class with the driver's error as the context: keep peewee's.
    return exc


MSG_BUSY = N_("数据库正被其他程序占用，暂时无法保存。请稍后重试；您输入的内容仍保留。")
MSG_READONLY = N_("数据库是只读的，无法保存。请检查文件权限或磁盘；您输入的内容仍保留。")
MSG_FULL = N_("磁盘已满，无法保存。请清理磁盘空间后重试；您输入的内容仍保留。")
MSG_DISK_IO = N_("读写数据库时磁盘出错，无法保存。请检查磁盘或网络盘；您输入的内容仍保留。")
MSG_SERVER_READONLY = N_(
    "数据库服务器拒绝写入（只读），无法保存。请联系数据库管理员；您输入的内容仍保留。"
)
MSG_SERVER_FULL = N_(
    "数据库服务器的磁盘已满或资源不足，无法保存。请联系数据库管理员；您输入的内容仍保留。"
)

# SQLite's primary result codes (extended codes such as SQLITE_IOERR_WRITE start with them).
_SQLITE_CODES = (
    ("SQLITE_FULL", MSG_FULL),
    ("SQLITE_READONLY", MSG_READONLY),
    ("SQLITE_IOERR", MSG_DISK_IO),
    ("SQLITE_BUSY", MSG_BUSY),
    ("SQLITE_LOCKED", MSG_BUSY),
)
# PostgreSQL SQLSTATEs: 25006 read_only_sql_transaction, class 53 insufficient resources
# (53100 disk_full), 58030 io_error.
_PG_CODES = (
    ("25006", MSG_SERVER_READONLY),
    ("53", MSG_SERVER_FULL),
    ("58030", MSG_DISK_IO),
)
# A driver error without a code: its text.
_WRITE_ERRORS = (
    ("locked", MSG_BUSY),
    ("busy", MSG_BUSY),
    ("readonly", MSG_READONLY),
    ("read-only", MSG_READONLY),
    ("full", MSG_FULL),
    ("disk i/o", MSG_DISK_IO),
)


def translate_write_error(exc: BaseException) -> BaseException:
    """A clear, translated error for a write the database refused; others pass through."""
    if not isinstance(exc, (DatabaseError, sqlite3.DatabaseError)):
        return exc
    driver = getattr(exc, "orig", None) or exc
    # A driver's code (SQLite's name, PostgreSQL's SQLSTATE) decides when there is one.
    for attribute, codes in (("sqlite_errorname", _SQLITE_CODES), ("pgcode", _PG_CODES)):
        code = getattr(driver, attribute, None)
        if code:
            message = next((m for prefix, m in codes if code.startswith(prefix)), None)
            return DatabaseUnavailable(message) if message is not None else exc
    text = str(exc).lower()
    for needle, message in _WRITE_ERRORS:
        if needle in text:
            return DatabaseUnavailable(message)
    return exc
