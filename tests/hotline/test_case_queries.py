"""Case lists: keyset pages in every sort order give every row once, in the right order."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import case_queries, cases, clock, workflow
from hotline.case_queries import CaseFilter
from hotline.enums import Role
from hotline.permissions import Actor
from tests.conftest import sample_case

NOW = dt.datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def mixed(database, cli_actor):
    """Ten cases: some dispatched (with deadlines, some urgent), some only registered."""
    with clock.frozen(NOW):
        made = []
        for n in range(10):
            case = cases.register(
                cli_actor,
                sample_case(
                    subject=f"列表{n}",
                    urgency="紧急" if n % 3 == 0 else "一般",
                    kind="咨询" if n % 2 else "投诉",
                    received_at=NOW.isoformat(),
                ),
            )
            if n % 4 != 1:
                case = workflow.dispatch(cli_actor, case.id, 1 + n % 3)
            made.append(case)
    return made


def _all_pages(sort: str, descending: bool, size: int = 3) -> list[case_queries.CaseRow]:
    rows: list[case_queries.CaseRow] = []
    after = None
    while True:
        page = case_queries.fetch_page(
            CaseFilter(), sort=sort, descending=descending, after=after, limit=size
        )
        rows += page
        if len(page) < size:
            return rows
        after = case_queries.page_key(page[-1], sort)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", ["id", "case_no", "received_at", "deadline", "status", "kind"])
def test_pages_cover_every_row_once_in_order(mixed, sort: str, descending: bool) -> None:
    rows = _all_pages(sort, descending)
    assert sorted(r.id for r in rows) == sorted(c.id for c in mixed)
    if sort == "deadline":
        dated = [r for r in rows if r.deadline is not None]
        undated = [r for r in rows if r.deadline is None]
        assert rows == dated + undated  # cases without a deadline last, both directions
        keys = [(r.deadline, r.id) for r in dated]
        assert keys == sorted(keys, reverse=descending)
        assert [r.id for r in undated] == sorted((r.id for r in undated), reverse=descending)
    elif sort != "id":
        keys = [(getattr(r, sort), r.id) for r in rows]
        assert keys == sorted(keys, reverse=descending)


def test_views_and_counts(mixed) -> None:
    with clock.frozen(NOW):
        counts = case_queries.view_counts(None)
        assert counts["pending_dispatch"] == 3  # n = 1, 5, 9 were never dispatched
        assert counts["in_progress"] == 7
        assert counts["due_today"] == sum(1 for c in mixed if c.deadline == NOW.date()) > 0
        assert counts["overdue"] == 0
    with clock.frozen(NOW + dt.timedelta(days=60)):
        assert case_queries.count(CaseFilter(view="overdue")) == 7


def test_confidential_contacts_are_masked_in_lists(database) -> None:
    actor = Actor("坐席", Role.OPERATOR, None)
    cases.register(actor, sample_case(confidential=True))
    (row,) = case_queries.fetch_page(CaseFilter())
    assert row.contact_phone == "138****5678" and row.contact_name == "张*"
    (full,) = case_queries.fetch_page(CaseFilter(), reveal_confidential=True)
    assert full.contact_phone == "13812345678"


@pytest.mark.parametrize("descending", [False, True])
def test_district_order_by_code_without_district_last(database, cli_actor, descending) -> None:
    from hotline.admin import district_names
    from hotline.models import Case

    codes = sorted(district_names())[:3]
    made = cases.register_many(cli_actor, [sample_case(district=codes[n % 3]) for n in range(8)])
    Case.update(district=None).where(Case.id.in_([made[2].id, made[5].id])).execute()
    rows = _all_pages("district", descending)
    assert sorted(r.id for r in rows) == sorted(c.id for c in made)
    with_code = [r for r in rows if r.district]
    without = [r for r in rows if not r.district]
    assert rows == with_code + without and len(without) == 2
    keys = [(r.district, r.id) for r in with_code]
    assert keys == sorted(keys, reverse=descending)
    in_batches = [
        case_id
        for batch in case_queries.iter_ids(
            CaseFilter(), sort="district", descending=descending, batch=3
        )
        for case_id in batch
    ]
    assert in_batches == [r.id for r in rows]  # an export follows the list's order
