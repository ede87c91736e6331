"""COPY's text format, streamed from a generator (hotline/pg/copy.py)."""

from __future__ import annotations

import datetime as dt
import itertools

import psycopg2
import pytest

from hotline.pg import copy, schema


def test_values_are_written_in_copy_text_format() -> None:
    assert copy.field(None) == "\\N"
    assert copy.field("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"
    assert copy.field("营商环境") == "营商环境"
    assert copy.field(True) == "t" and copy.field(False) == "f"
    assert copy.field(12) == "12" and copy.field(0.5) == "0.5"
    assert copy.field(b"\x00\xff") == "\\\\x00ff"
    assert copy.field(dt.datetime(2026, 1, 2, 3, 4, 5, 6)) == "2026-01-02 03:04:05.000006"
    assert copy.field(dt.date(2026, 1, 2)) == "2026-01-02"
    assert copy.field({"a": "甲"}) == '{"a": "甲"}'
    with pytest.raises(copy.UnstorableText):
        copy.field("坏\x00字")


def test_the_stream_makes_lines_only_as_they_are_read() -> None:
    made = 0

    def endless():  # type: ignore[no-untyped-def]
        nonlocal made
        for n in itertools.count():
            made += 1
            yield (n, "案件")

    stream = copy.RowStream(endless())
    first = stream.read(100)
    assert first.startswith("0\t案件\n1\t案件\n") and 100 <= len(first) < 120
    assert made < 20  # an endless table, and memory holds one read


def test_rows_round_trip_through_the_server(pg_url: str) -> None:
    rows = [
        (1, "制表\t换行\n反斜杠\\", True, dt.datetime(2026, 5, 1, 8, 30), b"\x01\x02", None),
        (2, "", False, None, None, 3.25),
    ]
    conn = psycopg2.connect(pg_url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "CREATE TEMP TABLE t (id int PRIMARY KEY, s text, b boolean, at timestamp, "
                "raw bytea, x double precision)"
            )
            copy.copy_rows(cur, "t", ["id", "s", "b", "at", "raw", "x"], iter(rows))
            cur.execute("SELECT id, s, b, at, raw, x FROM t ORDER BY id")
            back = [(r[0], r[1], r[2], r[3], r[4] and bytes(r[4]), r[5]) for r in cur.fetchall()]
        assert back == rows
    finally:
        conn.close()


def test_an_error_in_the_rows_is_raised_as_itself(pg_url: str) -> None:
    def broken():  # type: ignore[no-untyped-def]
        yield (1,)
        raise LookupError("source gone")

    conn = psycopg2.connect(pg_url)
    try:
        with conn.cursor() as cur:
            cur.execute("CREATE TEMP TABLE t (id int)")
            with pytest.raises(LookupError, match="source gone"):
                copy.copy_rows(cur, "t", ["id"], broken())
    finally:
        conn.close()


def test_indexes_are_listed_to_drop_and_build_again(pg_url: str) -> None:
    conn = psycopg2.connect(pg_url)
    try:
        with conn.cursor() as cur:
            statements = copy.index_statements(cur, ["case", "case_event"])
            creates = [create for _, create in statements]
            assert any("PRIMARY KEY" in c and '"case"' in c for c in creates)
            assert any("CREATE INDEX" in c and "case_event" in c for c in creates)
            cur.execute("SELECT count(*) FROM pg_indexes WHERE tablename IN ('case', 'case_event')")
            assert len(statements) == cur.fetchone()[0]
            for relation, name, _ in schema.foreign_keys(cur):  # they need the primary keys
                cur.execute(f'ALTER TABLE {relation} DROP CONSTRAINT "{name}"')
            for drop, _ in reversed(statements):
                cur.execute(drop)
            for _, create in statements:
                cur.execute(create)
        conn.rollback()
    finally:
        conn.close()
