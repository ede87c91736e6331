"""Loading rows into PostgreSQL with ``COPY … FROM STDIN``, streamed from a generator.

``copy_rows`` turns rows (tuples of Python values, or the text, numbers and bytes SQLite hands
back) into ``COPY``'s text format line by line and gives psycopg2 a file object whose ``read``
pulls the next lines from the generator: a table of any size passes through a few tens of
kilobytes of memory. The server parses each value for its column's type, so one function
serves every table; what it cannot store (text with NUL characters, a value that does not parse)
fails the COPY, and the caller's transaction with it.

``index_statements`` and ``drop_indexes`` let a loader build a table's indexes once after the
load instead of row by row (much faster), driven by what the catalogue holds: any table, any
index a migration created.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

READ_SIZE = 1 << 16  # characters handed to psycopg2 per read

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class UnstorableText(ValueError):
    """A text holds a NUL character, which PostgreSQL's text types cannot store."""


def field(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        text: str = value
        if "\x00" in text:
            raise UnstorableText("A string literal cannot contain NUL (0x00) characters.")
        if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
            return text.translate(_ESCAPES)
        return text
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if kind is float:
        return repr(value)
    if kind in (bytes, bytearray, memoryview):
        return "\\\\x" + bytes(value).hex()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, dict | list):
        return field(json.dumps(value, ensure_ascii=False))
    return field(str(value))


def lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    for row in rows:
        yield "\t".join([field(v) for v in row]) + "\n"


class RowStream:
    """A read-only text file whose content is the COPY lines of ``rows``, made as it is read."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self._lines = lines(rows)
        # What went wrong making the lines: psycopg2 reports it as a cancelled COPY.
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> str:
        parts: list[str] = []
        filled = 0
        try:
            for line in self._lines:
                parts.append(line)
                filled += len(line)
                if 0 <= size <= filled:
                    break
        except BaseException as exc:
            self.error = exc
            raise
        return "".join(parts)

    def readline(self, size: int = -1) -> str:
        return next(self._lines, "")


def copy_rows(
    cursor: Any,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> None:
    """``COPY table (columns) FROM STDIN`` of ``rows``, streamed (see the module's notes)."""
    names = ", ".join(f'"{c}"' for c in columns)
    stream = RowStream(rows)
    try:
        cursor.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', stream, READ_SIZE)
    except Exception:
        if stream.error is not None:  # the rows' own error, not psycopg2's report of it
            raise stream.error from None
        raise


def counted(
    rows: Iterable[Sequence[Any]], every: int, report: Callable[[int], None]
) -> Iterator[Sequence[Any]]:
    """``rows`` unchanged, calling ``report(rows so far)`` every ``every`` rows and at the end."""
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % every == 0:
            report(done)
    if done % every:
        report(done)


# -- indexes built after a load ---------------------------------------------------------------


def index_statements(cur: Any, tables: Sequence[str]) -> list[tuple[str, str]]:
    """(drop, create) statements for every index of ``tables``, primary keys and unique
    constraints included (as constraints), in a safe order to re-create them."""
    cur.execute(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), i.relname "
        "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "JOIN pg_class i ON i.oid = c.conindid "
        "WHERE c.contype IN ('p', 'u') AND n.nspname = current_schema() "
        "AND c.conrelid = ANY(%s::regclass[]) ORDER BY c.contype, 1, 2",
        ([f'"{t}"' for t in tables],),
    )
    found: list[tuple[str, str]] = []
    owned = set()
    for relation, name, definition, index in cur.fetchall():
        owned.add(index)
        found.append(
            (
                f'ALTER TABLE {relation} DROP CONSTRAINT "{name}"',
                f'ALTER TABLE {relation} ADD CONSTRAINT "{name}" {definition}',
            )
        )
    cur.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) ORDER BY 1",
        (list(tables),),
    )
    for name, definition in cur.fetchall():
        if name not in owned:
            found.append((f'DROP INDEX "{name}"', definition))
    return found
