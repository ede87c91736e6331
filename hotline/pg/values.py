"""Values on their way from SQLite to PostgreSQL, and checksums both sides agree on.

SQLite hands back what peewee stored (text for dates, 0/1 for booleans); PostgreSQL hands back
typed values. Each value is put in the form the target column takes, and both sides' values
reduce to one canonical text per column type, so a table's checksum is the same on both when
the rows are the same, in any order.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from hotline import clock

MASK = (1 << 256) - 1


def canonical(value: Any, kind: str) -> str:
    if value is None:
        return "\\N"
    if kind == "boolean":
        return "t" if _to_bool(value) else "f"
    if kind in ("integer", "bigint", "smallint"):
        return str(int(value))
    if kind.startswith("timestamp"):
        return _to_datetime(value).isoformat(" ", "microseconds")
    if kind == "date":
        return clock.as_date(value).isoformat()
    if kind in ("double precision", "real"):
        return repr(float(value))
    if kind == "numeric":
        return format(decimal.Decimal(str(value)).normalize(), "f")
    if kind in ("json", "jsonb"):
        loaded = json.loads(value) if isinstance(value, str | bytes) else value
        return json.dumps(loaded, sort_keys=True, ensure_ascii=False)
    if kind == "bytea":
        return bytes(value).hex()
    return str(value)


def _to_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "t", "true", "y", "yes")
    return bool(value)


def _to_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))


def for_insert(value: Any, kind: str) -> Any:
    """A SQLite value in the form the PostgreSQL column takes."""
    if value is None:
        return None
    if kind == "boolean":
        return _to_bool(value)
    if kind in ("integer", "bigint", "smallint"):
        return int(value)
    if kind.startswith("timestamp"):
        return _to_datetime(value)
    if kind == "date":
        return clock.as_date(value)
    if kind in ("json", "jsonb"):
        return value if isinstance(value, str) else json.dumps(value)
    if kind == "bytea":
        return bytes(value)
    if kind in ("double precision", "real", "numeric"):
        return value
    return value if isinstance(value, str) else str(value)


def digest(rows: Iterable[Sequence[Any]], kinds: Sequence[str]) -> tuple[int, str]:
    """Row count and the sum of the rows' SHA-256 (order does not matter, duplicates do)."""
    summed = Digest(kinds)
    for row in rows:
        summed.add(row)
    return summed.count, summed.hexdigest()


class Digest:
    """:func:`digest` taken row by row, e.g. from rows on their way somewhere else."""

    def __init__(self, kinds: Sequence[str]) -> None:
        self.kinds = list(kinds)
        self.count = 0
        self.total = 0

    def add(self, row: Sequence[Any]) -> None:
        text = "\x1f".join(canonical(v, k) for v, k in zip(row, self.kinds, strict=True))
        self.total = (
            self.total + int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest())
        ) & MASK
        self.count += 1

    def through(self, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        """``rows`` unchanged, each added on its way."""
        for row in rows:
            self.add(row)
            yield row

    def hexdigest(self) -> str:
        return f"{self.total:064x}"
