"""The case list's table: row-wise selection, remembered columns, an empty-list message.

On the first start (no remembered layout) ``fit_columns`` sizes the columns to the language
and the first page of data.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from ui.case_list import column_chooser
from ui.case_list import columns as ctm
from ui.case_list.table_model import CaseTableModel
from ui.common import shortcuts

COLUMN_WIDTHS = {
    ctm.COL_CASE_NO: 140,
    ctm.COL_RECEIVED: 122,
    ctm.COL_KIND: 48,
    ctm.COL_CATEGORY: 100,
    ctm.COL_URGENCY: 44,
    ctm.COL_STATUS: 60,
    ctm.COL_SUBJECT: 210,
    ctm.COL_ENTERPRISE: 190,
    ctm.COL_DISTRICT: 80,
    ctm.COL_DEPARTMENT: 150,
    ctm.COL_DEADLINE: 100,
    ctm.COL_CONTACT: 118,
    ctm.COL_REPLIED: 122,
    ctm.COL_WAITED: 90,
}

# Subject, enterprise, department and district never get narrower on their own; at these
# widths every column still fits a 1280-pixel window (an office screen), the long texts
# elided with a tooltip.
MIN_LONG_WIDTHS = {
    ctm.COL_SUBJECT: 100,
    ctm.COL_ENTERPRISE: 90,
    ctm.COL_DEPARTMENT: 76,
    ctm.COL_DISTRICT: 56,
}
CELL_PADDING = 16  # the cell's margins and focus frame
LAST_COLUMN_EXTRA = 22  # the deadline's dot


class CaseTableView(QTableView):
    # Where a context menu was asked for (viewport coordinates): by the mouse, or by the
    # keyboard (the Menu key, Shift+F10), then at the current row.
    context_menu_requested = Signal(QPoint)

    def __init__(self, model: CaseTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows (Shift/Ctrl+click, Shift+arrows) for the bulk actions.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(28)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in COLUMN_WIDTHS.items():
            self.setColumnWidth(column, width)
        # The caller's phone beside the enterprise; the deadline stays last (a remembered
        # layout overrides this).
        header.moveSection(ctm.COL_CONTACT, ctm.COL_ENTERPRISE + 1)
        self.place_callback_columns()
        header.setStretchLastSection(True)
        column_chooser.install(self)
        self.empty_label = QLabel(self.viewport())
        self.empty_label.setObjectName("hint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty_label.hide()
        # Qt turns only the Menu key into a context menu event, and on Windows Shift+F10;
        # the shortcut makes both keys work everywhere (taking precedence over the event).
        shortcuts.bind("context_menu", self, self._keyboard_menu, Qt.ShortcutContext.WidgetShortcut)

    def _keyboard_menu(self) -> None:
        current = self.currentIndex()
        point = self.visualRect(current).center() if current.isValid() else QPoint(0, 0)
        self.context_menu_requested.emit(point)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        point = event.pos()  # the viewport's coordinates (QAbstractScrollArea)
        current = self.currentIndex()
        if event.reason() == QContextMenuEvent.Reason.Keyboard and current.isValid():
            point = self.visualRect(current).center()
        self.context_menu_requested.emit(point)
        event.accept()

    def selected_rows(self) -> list[int]:
        """The selected rows, top to bottom."""
        model = self.selectionModel()
        return sorted(index.row() for index in model.selectedRows()) if model else []

    def show_empty(self, message: str) -> None:
        """Say why the list is empty (an empty message hides it)."""
        self.empty_label.setText(message)
        self.empty_label.setGeometry(self.viewport().rect().adjusted(0, 40, 0, 0))
        self.empty_label.setVisible(bool(message))

    def place_callback_columns(self) -> None:
        """Put the callback view's columns (hidden in the other views) right after the status,
        so that whom to call and since when are in sight without scrolling; also in a layout
        remembered before they existed (which restores them last), not in one the user
        arranged since."""
        header = self.horizontalHeader()
        first = ctm.CALLBACK_COLUMNS[0]
        if header.visualIndex(first) != first:  # placed already, or moved by the user
            return
        for offset, column in enumerate(ctm.CALLBACK_COLUMNS, start=1):
            header.moveSection(
                header.visualIndex(column), header.visualIndex(ctm.COL_STATUS) + offset
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.empty_label.setGeometry(self.viewport().rect().adjusted(0, 40, 0, 0))

    def needed_width(self, column: int) -> int:
        """How wide ``column`` must be for its header and every text it can show (in the
        active language) to be read whole."""
        metrics = self.fontMetrics()
        texts = ctm.sizing_texts(column)
        if texts:  # every text the column can show is known: no need to measure the rows
            cells = max(metrics.horizontalAdvance(text) for text in texts) + CELL_PADDING
        else:  # the case number, the phone: only the data says (the rows loaded so far)
            cells = self.sizeHintForColumn(column) + 8
        header = self.horizontalHeader().sectionSizeFromContents(column).width()
        extra = LAST_COLUMN_EXTRA if column == ctm.COL_DEADLINE else 0
        return max(cells, header) + extra

    def fit_columns(self) -> None:
        """First start (no remembered layout): fit the columns to the language and the data.

        The short columns are as wide as their longest text; subject, enterprise and
        department share what is left (they elide, with a tooltip), down to a minimum each;
        below that the list scrolls sideways rather than cut a word.
        """
        used = 0
        for column in COLUMN_WIDTHS:
            if column not in ctm.LONG_TEXT_COLUMNS:
                width = self.needed_width(column)
                self.setColumnWidth(column, width)
                # A hidden column (the callback view's own, in the other views) takes no
                # room from the others: at 1280 pixels counting them pushed the deadline
                # out of sight.
                if not self.isColumnHidden(column):
                    used += width
        room = self.viewport().width()
        bar = self.verticalScrollBar()
        if not bar.isVisible():  # it appears as soon as the list grows past the window
            room -= bar.sizeHint().width()
        rest = room - used
        self._share_long_columns(rest)

    def _share_long_columns(self, room: int) -> None:
        defaults = {c: COLUMN_WIDTHS[c] for c in ctm.LONG_TEXT_COLUMNS}
        total = sum(defaults.values())
        minimum = sum(MIN_LONG_WIDTHS.values())
        if room >= total:
            widths = dict(defaults)
            widths[ctm.COL_SUBJECT] += room - total  # the subject takes what is left
        elif room <= minimum:
            widths = dict(MIN_LONG_WIDTHS)
        else:
            share = (room - minimum) / (total - minimum)
            widths = {
                c: MIN_LONG_WIDTHS[c] + int(share * (defaults[c] - MIN_LONG_WIDTHS[c]))
                for c in defaults
            }
        for column, width in widths.items():
            self.setColumnWidth(column, width)

    def ensure_readable(self) -> bool:
        """A remembered layout (perhaps of the other language, or before a label got longer)
        widens any short column too narrow for its texts, taking the room from the long
        ones while they can give it. True when something changed."""
        changed = False
        for column in COLUMN_WIDTHS:
            if column in ctm.LONG_TEXT_COLUMNS or self.isColumnHidden(column):
                continue
            needed = self.needed_width(column)
            missing = needed - self.columnWidth(column)
            if missing <= 0:
                continue
            self.setColumnWidth(column, needed)
            changed = True
            for long_column in ctm.LONG_TEXT_COLUMNS:
                spare = self.columnWidth(long_column) - MIN_LONG_WIDTHS[long_column]
                take = max(0, min(spare, missing))
                self.setColumnWidth(long_column, self.columnWidth(long_column) - take)
                missing -= take
        return changed
