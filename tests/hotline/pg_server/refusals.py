"""Trying, as a person's own role, what PostgreSQL must refuse."""

from __future__ import annotations

from typing import Any

import psycopg2
import psycopg2.errors


def refused(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> str:
    """Run ``sql``; it must fail with insufficient_privilege (42501). Returns the message."""
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
    except psycopg2.errors.InsufficientPrivilege as exc:
        conn.rollback()
        return str(exc)
    except psycopg2.Error as exc:
        conn.rollback()
        raise AssertionError(f"{sql!r} failed, but not for want of privilege: {exc}") from exc
    conn.rollback()
    raise AssertionError(f"{sql!r} was allowed")


def allowed(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> int:
    """Run and commit ``sql``; returns the row count."""
    with conn.cursor() as cur:
        cur.execute(sql, params)
        count: int = cur.rowcount
    conn.commit()
    return count


def one(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    conn.commit()
    return row[0] if row and len(row) == 1 else row


def rows(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every row of ``sql`` (committed, so the next statement starts afresh)."""
    with conn.cursor() as cur:
        cur.execute(sql, params or None)  # without parameters a % is the SQL's own
        found = list(cur.fetchall())
    conn.commit()
    return found
