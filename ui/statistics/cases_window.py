"""The cases behind one figure of the statistics window, as a list like the main one.

The ids come from the same facts the figure was counted from (``PeriodReport.case_ids``),
so the count in the title is the number of rows listed. Rows are read by their ids, block
by block as they come into view (the main list's model and row cache), so a figure of a
hundred thousand cases opens at once. Enter or a double click opens a case.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from hotline import admin
from hotline.i18n import _, format_number
from ui.case_list.row_store import CaseRowStore
from ui.case_list.table_model import CaseTableModel
from ui.case_list.table_view import CaseTableView
from ui.common import shortcuts
from ui.common.settings import PreserveGeometry
from ui.common.tasks import run_task


class FixedCasesModel(CaseTableModel):
    """The case list's model over a fixed, ordered list of case ids (no filter, no paging)."""

    def __init__(
        self, case_ids: Sequence[int], *, reveal_confidential: bool, parent: QObject | None = None
    ) -> None:
        store = CaseRowStore()
        store.ids = array("q", case_ids)
        super().__init__(reveal_confidential=reveal_confidential, store=store, parent=parent)
        self.total = len(case_ids)
        self._exhausted = True
        run_task(self, admin.district_names, self._names_loaded, lambda exc: None)

    def _names_loaded(self, names: dict[str, str]) -> None:
        self._districts = names
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    @staticmethod
    def is_sortable(column: int) -> bool:
        return False  # listed in the order the figure was counted (by receiving time)

    def canFetchMore(self, parent: object = None) -> bool:
        return False

    def reload(self, *, keep: int = 0, wait: bool = False) -> None:
        """Read the rows again (they are fetched by id as they come into view)."""
        self.beginResetModel()
        ids = self._store.ids
        self._store.clear()
        self._store.ids = ids
        self._pending_blocks.clear()
        self._latest.start()
        self.endResetModel()


class FigureCasesWindow(PreserveGeometry, QMainWindow):
    layout_key = "figure_cases_window"

    def __init__(
        self,
        title: str,
        case_ids: Sequence[int],
        *,
        reveal_confidential: bool,
        open_case: Callable[[int], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("figureCasesWindow")
        self.open_case = open_case
        count = len(case_ids)
        self.setWindowTitle(_("{figure}（共 {count} 件）").format(figure=title, count=count))
        self.model = FixedCasesModel(case_ids, reveal_confidential=reveal_confidential, parent=self)
        self.table = CaseTableView(self.model, self)
        self.table.horizontalHeader().setSortIndicatorShown(False)
        self.heading = QLabel(self)
        self.heading.setObjectName("figureHeading")
        self.heading.setWordWrap(True)
        self.heading.setText(
            _(
                "{figure}：共 {count} 件，按受理时间排列；状态和承办单位为现在的情况。"
                "回车或双击打开案件。"
            ).format(figure=title, count=format_number(count))
        )
        self.table.show_empty(_("没有案件") if not count else "")
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(central)
        self.table.activated.connect(self._activated)
        shortcuts.bind(
            "open_case",
            self.table,
            lambda: self._activated(self.table.currentIndex()),
            Qt.ShortcutContext.WidgetShortcut,
        )
        shortcuts.bind("close_window", self, self.close)
        if not self.restore_layout():
            self.resize(1180, 640)
        if count:
            self.table.setCurrentIndex(self.model.index(0, 0))

    @property
    def count(self) -> int:
        return self.model.rowCount()

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid() and self.open_case is not None:
            self.open_case(self.model.case_id_at(index.row()))
