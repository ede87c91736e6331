"""Search gives the same results on SQLite and PostgreSQL for the same data, page by page."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from hotline import clock, db
from hotline.demo import generator
from hotline.pg import search as pg_search
from hotline.search import search, suggest_enterprises
from hotline.search.documents import case_texts

CASES = 120
FIXED = dt.datetime(2026, 11, 25, 9, 30)


def _fill(target: str) -> dict[int, list[str]]:
    db.open_database(target)
    try:
        with clock.frozen(FIXED):
            generator.generate(CASES, seed=11)
        return case_texts(range(1, CASES + 1))
    finally:
        db.close()


def _queries(texts: dict[int, list[str]]) -> list[str]:
    rng = random.Random(5)
    found = {"企", "企业", "罚款", "有限公司", "(", "C++", "AND", "0392", "ys2026", "许可 拖欠"}
    for parts in texts.values():
        text = rng.choice([p for p in parts if p])
        size = rng.randint(1, 6)
        start = rng.randint(0, max(0, len(text) - size))
        found.add(text[start : start + size])
        found.add(parts[0])  # the case number
        found.add(parts[5][-4:])  # a phone's last digits
        if parts[7]:
            found.add(parts[7])  # the credit code
    return sorted(found)


def _everything(query: str) -> tuple[list[int], list[int]]:
    """All matching cases, fetched in small pages, and the enterprise suggestions."""
    ids: list[int] = []
    before = None
    while True:
        page = search(query, limit=7, before_id=before)
        ids.extend(page.case_ids)
        if page.next_before is None:
            break
        before = page.next_before
    return ids, [e.id for e in suggest_enterprises(query)]


def test_every_query_finds_the_same_cases(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small window makes most matches come from the GIN index, the path large centres use.
    monkeypatch.setattr(pg_search, "WINDOW", 10)
    sqlite_texts = _fill(str(tmp_path / "same.sqlite3"))
    assert _fill(pg_url) == sqlite_texts  # the same data on both
    queries = _queries(sqlite_texts)

    db.open_database(tmp_path / "same.sqlite3")
    expected = {q: _everything(q) for q in queries}
    db.close()
    db.open_database(pg_url)
    try:
        got = {q: _everything(q) for q in queries}
    finally:
        db.close()
    assert sum(1 for ids, _ in expected.values() if len(ids) > 7) > 10  # paging was exercised
    assert {q: got[q] for q in queries if got[q] != expected[q]} == {}
