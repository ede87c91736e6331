"""The case list as a lazily fetched table model: keyset pages loaded off the GUI thread.

Rows arrive page by page (``canFetchMore``/``fetchMore``): the view asks for more when it
scrolls near the end, so a million cases open as fast as a hundred. Every query runs on the
thread pool; results of a superseded query (the filter or sort changed meanwhile) are dropped.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from hotline import admin, case_queries, clock
from hotline.case_queries import CaseFilter, CaseRow
from hotline.i18n import _
from ui.case_list import pages as case_pages
from ui.case_list.columns import (  # noqa: F401 (the column numbers are part of this model's API)
    COL_CASE_NO,
    COL_CATEGORY,
    COL_CONTACT,
    COL_DEADLINE,
    COL_DEPARTMENT,
    COL_DISTRICT,
    COL_ENTERPRISE,
    COL_KIND,
    COL_RECEIVED,
    COL_REPLIED,
    COL_STATUS,
    COL_SUBJECT,
    COL_URGENCY,
    COLUMNS,
    MSG_DISTRICT_ORDER,
    MSG_NOT_SORTABLE,
    deadline_state,
    display,
    foreground,
    tooltip,
)
from ui.case_list.row_store import CaseRowStore
from ui.common import icons
from ui.common.latest_request import LatestRequest
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex

ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # the CaseRow of a row
STATE_ROLE = int(Qt.ItemDataRole.UserRole) + 2  # 'overdue', 'due_today' or None

PAGE_SIZE = 200
MAX_PAGE = 2000
REFRESH_CAP = 2000  # a refresh reloads at most this many of the rows already shown


class CaseTableModel(QAbstractTableModel):
    page_loaded = Signal(int)  # rows added by a page (0: the list is complete)
    total_changed = Signal(int)  # the number of cases matching the filter
    failed = Signal(object)  # an exception from a query

    def __init__(
        self,
        *,
        reveal_confidential: bool = False,
        page_size: int = PAGE_SIZE,
        store: CaseRowStore | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._reveal = reveal_confidential
        self.page_size = page_size
        self._filter = CaseFilter()
        self._sort = "id"
        self._sort_column = -1
        self._descending = True
        self._store = store if store is not None else CaseRowStore()
        self._last_key: tuple[Any, int] | None = None
        self._pending_blocks: set[int] = set()
        self._exhausted = False
        self._loading = False
        self._latest = LatestRequest()
        self._today = clock.today()
        self._districts: dict[str, str] = {}
        self.total: int | None = None
        self.last_fetch_ms = 0.0
        self.slowest_fetch_ms = 0.0

    # What is shown

    @property
    def case_filter(self) -> CaseFilter:
        return self._filter

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_key(self) -> str:
        """The order's key in ``case_queries.SORTS`` (``id``: newest or oldest first)."""
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    @property
    def loading(self) -> bool:
        return self._loading

    def set_filter(self, flt: CaseFilter, *, wait: bool = False) -> None:
        """Show the cases matching ``flt``; with ``wait``, read the first page before
        returning (the window's first paint has rows: no empty list painted first)."""
        self._filter = flt
        self.reload(wait=wait)

    @staticmethod
    def is_sortable(column: int) -> bool:
        return column == -1 or (0 <= column < len(COLUMNS) and COLUMNS[column][1] is not None)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.set_sort(column, order):
            self.reload()

    def set_sort(self, column: int, order: Qt.SortOrder) -> bool:
        """Choose the order without querying (the next reload uses it); False: not sortable."""
        if not self.is_sortable(column):
            return False
        self._sort_column = column
        self._sort = "id" if column == -1 else (COLUMNS[column][1] or "id")
        self._descending = order == Qt.SortOrder.DescendingOrder
        return True

    def reload(self, *, keep: int = 0, wait: bool = False) -> None:
        """Query again from the first row; with ``keep``, fetch that many rows at once and
        swap them in when they arrive (a refresh that keeps the list and scroll position);
        with ``wait``, on this thread."""
        self._latest.start()
        self._today = clock.today()
        self._pending_blocks.clear()
        if not keep:
            self.beginResetModel()
            self._store.clear()
            self._last_key = None
            self._exhausted = False
            self.endResetModel()
        self.total = None
        self._fetch(
            limit=max(self.page_size, min(keep, REFRESH_CAP)),
            replace=bool(keep),
            count=True,
            wait=wait,
        )

    def refresh(self) -> None:
        """Reload what is shown, keeping the rows already loaded in view."""
        self.reload(keep=len(self._store))

    def forget_names(self) -> None:
        """Reload district names with the next page (an administrator renamed one)."""
        self._districts = {}

    def cached_row(self, row: int) -> CaseRow | None:
        """The row at ``row`` when it is in the cache (never a query on the GUI thread)."""
        return self._store.get(row) if 0 <= row < len(self._store) else None

    def case_id_at(self, row: int) -> int:
        return self._store.ids[row]

    def row_at(self, row: int) -> CaseRow:
        """The full row at ``row``, fetched at once (by its block's ids) when not cached."""
        cached = self._store.get(row)
        if cached is None:
            number = self._store.block_of(row)
            self._store.put_block(number, self._fetch_ids(self._store.block_ids(number)))
            cached = self._store.get(row)
        if cached is None:
            raise LookupError(f"case {self._store.ids[row]} is no longer in the database")
        return cached

    def row_of_case(self, case_id: int) -> int | None:
        return self._store.position_of(case_id)

    def _fetch_ids(self, case_ids: list[int]) -> list[CaseRow]:
        return case_pages.read_ids(case_ids, reveal=self._reveal)

    def _request_block(self, number: int) -> None:
        """Fetch a block that was dropped from the cache; its rows repaint when it arrives."""
        if number in self._pending_blocks:
            return
        self._pending_blocks.add(number)
        ticket, case_ids = self._latest.ticket, self._store.block_ids(number)

        def done(rows: list[CaseRow]) -> None:
            if not self._latest.is_current(ticket):
                return
            self._pending_blocks.discard(number)
            self._store.put_block(number, rows)
            first, last = self._store.block_range(number)
            right = len(COLUMNS) - 1
            self.dataChanged.emit(self.index(first, 0), self.index(last, right))

        def fail(exc: BaseException) -> None:
            self._pending_blocks.discard(number)
            log.warning("could not fetch rows again: %s", exc)

        run_task(self, lambda: self._fetch_ids(case_ids), done, fail)

    # Fetching

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            # Pages grow as the user keeps scrolling: reaching the millionth row takes
            # hundreds of fetches, not thousands.
            limit = max(self.page_size, min(MAX_PAGE, len(self._store) // 4))
            self._fetch(limit=limit, replace=False)

    def _fetch(self, *, limit: int, replace: bool, count: bool = False, wait: bool = False) -> None:
        """Query a page, on the thread pool unless ``wait``; with ``count``, count the
        matching cases once the page is in (the count reads every matching row: the rows
        come first)."""
        flt, sort, descending = self._filter, self._sort, self._descending
        after = None if replace else self._last_key
        need_districts = not self._districts
        ticket = self._latest.ticket
        reveal = self._reveal
        self._loading = True

        def work() -> tuple[list[CaseRow], dict[str, str] | None, float]:
            rows, slowest = case_pages.read_page(
                flt, sort=sort, descending=descending, after=after, limit=limit, reveal=reveal
            )
            return rows, admin.district_names() if need_districts else None, slowest

        def done(result: tuple[list[CaseRow], dict[str, str] | None, float]) -> None:
            if not self._latest.is_current(ticket):
                return
            rows, districts, elapsed = result
            self._loading = False
            self.last_fetch_ms = elapsed  # the slowest query of the page
            self.slowest_fetch_ms = max(self.slowest_fetch_ms, elapsed)
            if districts is not None:
                self._districts = districts
            self._exhausted = len(rows) < limit
            if rows:
                self._last_key = case_queries.page_key(rows[-1], sort)
            if replace:
                self.beginResetModel()
                self._store.replace(rows)
                if not rows:
                    self._last_key = None
                self.endResetModel()
            elif rows:
                first = len(self._store)
                self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
                self._store.append(rows)
                self.endInsertRows()
            if count:
                self._start_count()
            self.page_loaded.emit(len(rows))

        def fail(exc: BaseException) -> None:
            if not self._latest.is_current(ticket):
                return
            if count:
                self._start_count()
            self._loading = False
            self._exhausted = True
            log.error("case list query failed: %s", exc, exc_info=exc)
            self.failed.emit(exc)
            self.page_loaded.emit(0)

        if not wait:
            run_task(self, work, done, fail)
            return
        try:
            result = work()
        except Exception as exc:  # shown like a failed background query
            fail(exc)
        else:
            done(result)

    def _start_count(self) -> None:
        ticket, flt = self._latest.ticket, self._filter

        def done(total: int) -> None:
            if self._latest.is_current(ticket):
                self.total = total
                self.total_changed.emit(total)

        run_task(self, lambda: case_queries.count(flt), done, lambda exc: None)

    def update_case(self, case_id: int) -> None:
        """Reload one row in place (after it was changed), keeping its position."""
        position = self.row_of_case(case_id)
        if position is None or not self._store.has(position):
            return  # not cached: it is read fresh when it comes into view
        ticket = self._latest.ticket

        def done(rows: list[CaseRow]) -> None:
            current = self.row_of_case(case_id)
            if not self._latest.is_current(ticket) or current is None or not rows:
                return
            if self._store.set_row(current, rows[0]):
                last = self.index(current, len(COLUMNS) - 1)
                self.dataChanged.emit(self.index(current, 0), last)

        run_task(self, lambda: self._fetch_ids([case_id]), done, lambda exc: None)

    # The table

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._store)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][0])
        if role == Qt.ItemDataRole.ToolTipRole and not self.is_sortable(section):
            return _(MSG_NOT_SORTABLE)
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_DISTRICT:
            return _(MSG_DISTRICT_ORDER)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every painted cell: plain ints, early exits.
        role = int(role)
        if role not in _HANDLED_ROLES or not index.isValid():
            return None
        position = index.row()
        row = self._store.get(position)
        if row is None:
            if position < len(self._store):
                self._request_block(self._store.block_of(position))
            return None
        column = index.column()
        if role == _DISPLAY:
            return display(row, column, self._districts)
        if role == ROW_ROLE:
            return row
        state = deadline_state(row, self._today)
        if role == _BACKGROUND:
            return _BACKGROUNDS.get(state) if state else None
        if role == _FOREGROUND:
            return foreground(row, column, state)
        if role == STATE_ROLE:
            return state
        if role == _DECORATION:
            return icons.dot(state) if state and column == COL_DEADLINE else None
        return tooltip(row, column, state, self._today, self._districts)


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_HANDLED_ROLES = frozenset(
    {_DISPLAY, _BACKGROUND, _FOREGROUND, _DECORATION, _TOOLTIP, int(ROW_ROLE), int(STATE_ROLE)}
)
_BACKGROUNDS = {"overdue": icons.OVERDUE_BACKGROUND, "due_today": icons.DUE_TODAY_BACKGROUND}
