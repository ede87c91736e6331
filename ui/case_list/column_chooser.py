"""The case list's column chooser: the header's context menu shows and hides columns.

The choice is kept in the settings by column name (``columns.KEYS``), not by number, so it
survives a new column; the case number always stays.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView

from hotline.i18n import _
from ui.case_list import columns as ctm
from ui.common.settings import AppSettings


def apply_saved(view: QTableView) -> None:
    """Hide the columns the user hid (after the header's layout was restored)."""
    hidden = AppSettings().hidden_case_columns
    for column, key in enumerate(ctm.KEYS):
        if column not in ctm.CALLBACK_COLUMNS:  # those follow the view (the 待回访 one)
            view.setColumnHidden(column, key in hidden and column not in ctm.ALWAYS_SHOWN)


def set_shown(view: QTableView, column: int, shown: bool) -> None:
    if column in ctm.ALWAYS_SHOWN:
        return
    view.setColumnHidden(column, not shown)
    if shown and view.columnWidth(column) < 30:
        view.resizeColumnToContents(column)
    settings = AppSettings()
    settings.hidden_case_columns = {
        key
        for number, key in enumerate(ctm.KEYS)
        if view.isColumnHidden(number) and number not in ctm.CALLBACK_COLUMNS
    }
    settings.sync()


def menu(view: QTableView) -> QMenu:
    """One checkable entry per column; the case number cannot be hidden."""
    chooser = QMenu(_("显示的列"), view)
    chooser.setObjectName("columnChooser")
    for column, (heading, _sort) in enumerate(ctm.COLUMNS):
        if column in ctm.CALLBACK_COLUMNS:  # shown by the 待回访 view, not chosen
            continue
        action = QAction(_(heading), chooser)
        action.setObjectName(f"column_{ctm.KEYS[column]}")
        action.setCheckable(True)
        action.setChecked(not view.isColumnHidden(column))
        action.setEnabled(column not in ctm.ALWAYS_SHOWN)
        action.toggled.connect(lambda shown, column=column: set_shown(view, column, shown))
        chooser.addAction(action)
    chooser.addSeparator()
    reset = chooser.addAction(_("显示全部列"))
    reset.setObjectName("column_all")
    reset.triggered.connect(lambda _checked=False: show_all(view))
    return chooser


def show_all(view: QTableView) -> None:
    for column in range(len(ctm.COLUMNS)):
        if view.isColumnHidden(column) and column not in ctm.CALLBACK_COLUMNS:
            set_shown(view, column, True)


def install(view: QTableView) -> None:
    """The header's context menu is the chooser."""
    header = view.horizontalHeader()
    header.setContextMenuPolicy(header.contextMenuPolicy().CustomContextMenu)

    def popup(point: QPoint) -> None:
        menu(view).exec(header.mapToGlobal(point))

    header.customContextMenuRequested.connect(popup)
