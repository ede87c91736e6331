"""Reading the case list's rows for the model, on a worker thread.

Big pages are read as several keyset queries with a short pause between them: the GUI thread
needs the interpreter lock for every cell it paints, and would otherwise wait for the whole
page to be built.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from hotline import case_queries
from hotline.case_queries import CaseFilter, CaseRow

CHUNK = 200  # rows per query
CHUNK_PAUSE_S = 0.002


def read_page(
    flt: CaseFilter,
    *,
    sort: str,
    descending: bool,
    after: tuple[Any, int] | None,
    limit: int,
    reveal: bool,
) -> tuple[list[CaseRow], float]:
    """Up to ``limit`` rows after the key ``after``; and the slowest query's time in ms."""
    rows: list[CaseRow] = []
    cursor, slowest = after, 0.0
    while len(rows) < limit:
        if rows:
            time.sleep(CHUNK_PAUSE_S)
        wanted = min(CHUNK, limit - len(rows))
        started = time.perf_counter()
        chunk = case_queries.fetch_page(
            flt,
            sort=sort,
            descending=descending,
            after=cursor,
            limit=wanted,
            reveal_confidential=reveal,
        )
        slowest = max(slowest, (time.perf_counter() - started) * 1000)
        rows.extend(chunk)
        if len(chunk) < wanted:
            break
        cursor = case_queries.page_key(chunk[-1], sort)
    return rows, slowest


def read_ids(case_ids: Sequence[int], *, reveal: bool) -> list[CaseRow]:
    """The rows of these cases (in no particular order): a block read again."""
    return case_queries.fetch_page(
        CaseFilter(case_ids=tuple(case_ids)), limit=len(case_ids), reveal_confidential=reveal
    )
