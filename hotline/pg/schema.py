"""Reading the PostgreSQL schema the migrations built: columns, foreign keys, sequences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def columns(cur: Any) -> dict[str, list[tuple[str, str]]]:
    """Each table's (column, data type), in column order."""
    cur.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
    )
    found: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in cur.fetchall():
        found.setdefault(table, []).append((column, kind))
    return found


def foreign_keys(cur: Any) -> list[tuple[str, str, str]]:
    """(table, constraint name, definition) of every foreign key, to drop and re-add."""
    cur.execute(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
        "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE c.contype = 'f' AND n.nspname = current_schema() ORDER BY 1, 2"
    )
    return list(cur.fetchall())


def reset_sequences(cur: Any, tables: Iterable[str]) -> None:
    """Move every id sequence of ``tables`` past the largest id copied in."""
    for table in tables:
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = %s AND column_default LIKE 'nextval(%%'",
            (table,),
        )
        for (column,) in cur.fetchall():
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                f'COALESCE((SELECT max("{column}") FROM "{table}"), 0) + 1, false)',
                (f'"{table}"', column),
            )
