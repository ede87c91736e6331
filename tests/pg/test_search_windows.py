"""The windows of ids the PostgreSQL search takes (:func:`hotline.pg.search.next_window`)
never change what is found, nor its order."""

from __future__ import annotations

import pytest

from hotline import cases
from hotline.permissions import Actor
from hotline.pg import search as pg_search
from hotline.search import search
from hotline.search.tokens import parse_query
from tests.conftest import sample_case

CLI = Actor.command_line("tester")


@pytest.mark.parametrize("sizes", [(4, 3, 40), (4, 1000, 40), (4, 0, 10**6)], ids=str)
def test_windows_of_any_size_find_the_same_cases(pg_database, monkeypatch, sizes) -> None:
    """The windows the PostgreSQL query takes (hotline.pg.search.next_window) never change
    what is found, nor its order: a common word, a rare old one, paging across windows."""
    made = []
    for i in range(60):
        subject = "营业执照办理" if i % 3 == 0 else "施工许可审批"
        if i in (2, 7):
            subject = "排污许可证年审"
        made.append(cases.register(CLI, sample_case(subject=f"{subject}{i}")).id)
    common = [c for i, c in enumerate(made) if i % 3 == 0 and i not in (2, 7)][::-1]
    rare = [made[7], made[2]]
    expected = {"营业执照": common, "排污许可证": rare}
    window, gin_rows, gin_from = sizes
    monkeypatch.setattr(pg_search, "WINDOW", window)
    monkeypatch.setattr(pg_search, "GIN_ROWS", gin_rows)
    monkeypatch.setattr(pg_search, "GIN_FROM", gin_from)
    real_next = pg_search.next_window
    windows: list[int | None] = []

    def next_window(*args: int) -> int | None:
        windows.append(real_next(*args))
        return windows[-1]

    monkeypatch.setattr(pg_search, "next_window", next_window)
    for word, cases_of_word in expected.items():
        got: list[int] = []
        before = None
        while batch := pg_search.case_candidates(pg_database, parse_query(word), False, before, 4):
            got.extend(batch)
            before = batch[-1]
        assert got == cases_of_word
        assert search(word).case_ids == cases_of_word
    if gin_rows < 1000:
        assert any(size is not None for size in windows)  # windows were taken
