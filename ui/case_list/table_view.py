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

MIN_LONG_COLUMN = 130  # subject and enterprise never get narrower on their own


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

    def fit_columns(self) -> None:
        """First start (no remembered layout): fit the columns to the language and the data.

        Subject and enterprise keep their default share; the short columns grow to their
        contents (up to 1.6 times the default) in what is left, and when that is not enough
        the long texts give way down to a minimum (they elide, with a tooltip).
        """
        long_texts = (ctm.COL_SUBJECT, ctm.COL_ENTERPRISE)
        last = ctm.COL_DEADLINE  # stretches into what is left; count what it needs
        short = [c for c in COLUMN_WIDTHS if c not in long_texts and c != last]
        fitted = {}
        for column in short:
            wanted = self.sizeHintForColumn(column) + 8
            header = self.horizontalHeader().sectionSizeFromContents(column).width()
            default = COLUMN_WIDTHS[column]
            fitted[column] = max(min(max(wanted, header), int(default * 1.6)), default)
        # room for the deadline dot and the sort arrow too
        needed_last = max(COLUMN_WIDTHS[last], self.sizeHintForColumn(last)) + 30
        long_room = sum(COLUMN_WIDTHS[c] for c in long_texts)
        room = self.viewport().width() - needed_last - long_room
        base = sum(COLUMN_WIDTHS[c] for c in short)
        extra = sum(fitted[c] - COLUMN_WIDTHS[c] for c in short)
        share = 1.0 if base + extra <= room or extra == 0 else max(0.0, (room - base) / extra)
        used = 0
        for column in short:
            width = COLUMN_WIDTHS[column] + int(share * (fitted[column] - COLUMN_WIDTHS[column]))
            self.setColumnWidth(column, width)
            used += width
        rest = self.viewport().width() - needed_last - used
        enterprise = max(MIN_LONG_COLUMN, min(COLUMN_WIDTHS[ctm.COL_ENTERPRISE], rest // 2))
        subject = max(
            MIN_LONG_COLUMN, min(rest - enterprise, COLUMN_WIDTHS[ctm.COL_SUBJECT] * 3 // 2)
        )
        self.setColumnWidth(ctm.COL_ENTERPRISE, enterprise)
        self.setColumnWidth(ctm.COL_SUBJECT, subject)
