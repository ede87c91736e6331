"""The case list model on its own: keyset pages, sorting, roles and deadline colours."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt

from hotline import clock
from hotline.case_queries import CaseFilter, CaseRow
from tests.ui.conftest import insert_cases
from ui.case_list.table_model import (
    COL_CASE_NO,
    COL_DEADLINE,
    COL_KIND,
    COL_SUBJECT,
    ROW_ROLE,
    STATE_ROLE,
    CaseTableModel,
)
from ui.common import icons


def _loaded(qtbot, model: CaseTableModel, start) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(model.page_loaded, timeout=5000):
        start()


def test_pages_arrive_lazily_until_the_end(qtbot, database):
    insert_cases(450)
    model = CaseTableModel(page_size=200)
    _loaded(qtbot, model, model.reload)
    assert model.rowCount() == 200
    assert model.canFetchMore(QModelIndex())
    _loaded(qtbot, model, lambda: model.fetchMore(QModelIndex()))
    _loaded(qtbot, model, lambda: model.fetchMore(QModelIndex()))
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())
    ids = [model.row_at(i).id for i in range(450)]
    assert ids == sorted(ids, reverse=True)  # newest first, nothing twice
    qtbot.waitUntil(lambda: model.total == 450)


def test_sorting_by_deadline_runs_a_new_keyset_query(qtbot, database):
    today = clock.today()
    for offset in (5, -3, 0, 9, 2):
        insert_cases(
            60,
            start=1000 + offset * 100,
            status="dispatched",
            deadline=today + dt.timedelta(offset),
        )
    model = CaseTableModel(page_size=100)
    _loaded(qtbot, model, lambda: model.sort(COL_DEADLINE, Qt.SortOrder.AscendingOrder))
    while model.canFetchMore(QModelIndex()):
        _loaded(qtbot, model, lambda: model.fetchMore(QModelIndex()))
    deadlines = [model.row_at(i).deadline for i in range(model.rowCount())]
    assert len(deadlines) == 300
    assert deadlines == sorted(deadlines)
    assert len({model.row_at(i).id for i in range(300)}) == 300


def test_unsortable_column_keeps_the_current_order(qtbot, database):
    insert_cases(3)
    model = CaseTableModel()
    _loaded(qtbot, model, lambda: model.sort(COL_KIND, Qt.SortOrder.AscendingOrder))
    model.sort(COL_SUBJECT, Qt.SortOrder.AscendingOrder)
    assert model.sort_column == COL_KIND


def test_row_role_gives_the_case_row_and_display_is_translated(qtbot, database):
    insert_cases(1, kind="complaint")
    model = CaseTableModel()
    _loaded(qtbot, model, model.reload)
    row = model.data(model.index(0, COL_CASE_NO), ROW_ROLE)
    assert isinstance(row, CaseRow)
    assert model.data(model.index(0, COL_CASE_NO)) == row.case_no
    assert model.data(model.index(0, COL_KIND)) == "投诉"
    assert model.headerData(COL_DEADLINE, Qt.Orientation.Horizontal) == "办理期限"


def test_overdue_and_due_today_rows_stand_out(qtbot, database):
    today = clock.today()
    insert_cases(1, start=1, status="dispatched", deadline=today - dt.timedelta(days=2))
    insert_cases(1, start=2, status="dispatched", deadline=today)
    insert_cases(1, start=3, status="dispatched", deadline=today + dt.timedelta(days=4))
    model = CaseTableModel()
    _loaded(qtbot, model, lambda: model.sort(COL_DEADLINE, Qt.SortOrder.AscendingOrder))
    background = Qt.ItemDataRole.BackgroundRole
    states = [model.data(model.index(i, COL_SUBJECT), STATE_ROLE) for i in range(3)]
    assert states == ["overdue", "due_today", None]
    assert model.data(model.index(0, COL_SUBJECT), background) == icons.OVERDUE_BACKGROUND
    assert model.data(model.index(1, COL_SUBJECT), background) == icons.DUE_TODAY_BACKGROUND
    assert model.data(model.index(2, COL_SUBJECT), background) is None
    tooltip = model.data(model.index(0, COL_DEADLINE), Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "已超期 2 天"


def test_filter_and_confidential_contacts(qtbot, database):
    insert_cases(4, start=1, status="registered")
    insert_cases(2, start=10, status="replied", confidential=True)
    model = CaseTableModel()
    _loaded(qtbot, model, lambda: model.set_filter(CaseFilter(view="awaiting_callback")))
    assert model.rowCount() == 2
    assert model.row_at(0).contact_phone != "13912345678"  # masked
    revealing = CaseTableModel(reveal_confidential=True)
    _loaded(qtbot, revealing, lambda: revealing.set_filter(CaseFilter(view="awaiting_callback")))
    assert revealing.row_at(0).contact_phone == "13912345678"


def test_refresh_keeps_the_rows_loaded(qtbot, database):
    insert_cases(300)
    model = CaseTableModel(page_size=100)
    _loaded(qtbot, model, model.reload)
    _loaded(qtbot, model, lambda: model.fetchMore(QModelIndex()))
    assert model.rowCount() == 200
    _loaded(qtbot, model, model.refresh)
    assert model.rowCount() == 200
    assert model.canFetchMore(QModelIndex())


def test_rows_far_behind_are_dropped_and_fetched_again(qtbot, database):
    from ui.case_list.row_store import CaseRowStore

    insert_cases(100)
    store = CaseRowStore(block=10, max_blocks=2)
    model = CaseTableModel(page_size=20, store=store)
    _loaded(qtbot, model, model.reload)
    while model.canFetchMore(QModelIndex()):
        _loaded(qtbot, model, lambda: model.fetchMore(QModelIndex()))
    assert model.rowCount() == 100
    assert store.cached_blocks() == 2  # only the last blocks keep their full rows
    first = model.index(0, COL_SUBJECT)
    assert model.data(first) is None  # dropped: asked for again, shown when it arrives
    with qtbot.waitSignal(model.dataChanged):
        pass
    assert model.data(first) == "测试案件 100"  # newest first
    assert model.row_at(55).subject == "测试案件 45"  # fetched at once when asked directly
    assert model.row_of_case(model.case_id_at(70)) == 70


def test_row_store_keeps_ids_and_recent_blocks():
    from hotline.case_queries import CaseRow
    from ui.case_list.row_store import CaseRowStore

    def row(i: int) -> CaseRow:
        now = dt.datetime(2026, 11, 23, 9, 0)
        return CaseRow(i, f"C{i}", now, "complaint", "other", "normal", "registered",
                       f"s{i}", "", "", "", None, "", "", False, 1)  # fmt: skip

    store = CaseRowStore(block=4, max_blocks=2)
    store.append([row(i) for i in range(1, 7)])  # blocks 0 (4 rows) and 1 (2 rows)
    store.append([row(i) for i in range(7, 12)])  # fills block 1, then block 2
    assert len(store) == 11
    assert store.get(0) is None  # block 0 dropped
    assert store.get(10).subject == "s11"
    assert store.block_ids(0) == [1, 2, 3, 4]
    store.put_block(0, [row(3), row(1), row(2)])  # any order; id 4 is gone
    assert [store.get(i).id if store.get(i) else None for i in range(4)] == [1, 2, 3, None]
    assert store.position_of(9) == 8 and store.position_of(99) is None
