"""Whether an SQLite file has exactly the schema this program creates for its schema version.

The reference is a database made by :mod:`hotline.migrations` up to that version in a
temporary folder (once per version and process); every table, index, view and trigger in
``sqlite_master`` is compared by its normalised SQL, so a column, type, constraint, index or
trigger that differs, is missing or was added is named. SQLite's own objects
(``sqlite_stat1``, automatic indexes) are left out: they follow from the rest.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import threading
from pathlib import Path

from hotline.i18n import N_, _

Schema = dict[tuple[str, str], str]  # (type, name) -> normalised SQL

KINDS = {
    "table": N_("表"),
    "index": N_("索引"),
    "view": N_("数据库视图"),
    "trigger": N_("触发器"),
}
SHOWN = 8  # differences named in the message; the rest are counted

_cache: dict[int, Schema] = {}
_lock = threading.Lock()


def _normalise(sql: str | None) -> str:
    return re.sub(r"\s+", " ", (sql or "").strip()).replace("( ", "(").replace(" )", ")")


def read_schema(conn: sqlite3.Connection) -> Schema:
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    return {(kind, name): _normalise(sql) for kind, name, sql in rows}


def reference(version: int) -> Schema:
    """The schema :mod:`hotline.migrations` creates up to ``version`` (cached per process).

    The models are bound to a temporary database while it is made, so call this from the
    command line, not while other threads use the database.
    """
    with _lock:
        if version not in _cache:
            _cache[version] = _build(version)
        return _cache[version]


def _build(version: int) -> Schema:
    from peewee import SqliteDatabase

    from hotline import db, migrations
    from hotline.models import database_proxy

    with tempfile.TemporaryDirectory(prefix="hotline-schema-") as folder:
        path = Path(folder) / f"reference-{version}.sqlite3"
        fresh = SqliteDatabase(str(path), pragmas=db.SQLITE_PRAGMAS)
        previous = database_proxy.obj
        database_proxy.initialize(fresh)
        try:
            fresh.connect()
            migrations.upgrade(fresh, str(path), up_to=version)
        finally:
            fresh.close()
            database_proxy.initialize(previous)
        with sqlite3.connect(path) as conn:
            schema = read_schema(conn)
        conn.close()
    return schema


def differences(conn: sqlite3.Connection, version: int) -> list[str]:
    """What differs between ``conn``'s schema and the reference for ``version``, for a person."""
    found = read_schema(conn)
    expected = reference(version)
    lines: list[str] = []
    for key in sorted(expected.keys() | found.keys()):
        kind, name = key
        label = _(KINDS.get(kind, kind))
        if key not in found:
            lines.append(_("缺少{kind} {name}").format(kind=label, name=name))
        elif key not in expected:
            lines.append(_("多出{kind} {name}").format(kind=label, name=name))
        elif found[key] != expected[key]:
            lines.append(_("{kind} {name} 的定义不同").format(kind=label, name=name))
    return lines


def summary(lines: list[str]) -> str:
    shown = "；".join(lines[:SHOWN])
    if len(lines) > SHOWN:
        shown += _("；另有 {count} 处").format(count=len(lines) - SHOWN)
    return shown
