"""Checking the SQLite search index against one rebuilt from the data."""

from __future__ import annotations

from hotline.search import index
from hotline.search.sqlite_backend import TABLES


def vocabulary(database) -> dict[str, set[tuple[str, int]]]:
    """Every (token, row count) of each SQLite index table: what the index believes it holds."""
    out = {}
    for table in TABLES:
        database.execute_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_{table} USING fts5vocab(main, {table}, row)"
        )
        rows = database.execute_sql(f"SELECT term, doc FROM temp.v_{table}").fetchall()
        out[table] = {(term, count) for term, count in rows}
    return out


def assert_index_is_as_rebuilt(database) -> None:
    live = vocabulary(database)
    index.rebuild()
    assert vocabulary(database) == live
