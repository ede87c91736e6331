"""How the program's read-only record tables behave: whole rows are selected (one at a time
where asked), cells are not edited, rows alternate in colour, no row numbers."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView


def read_only_rows(table: QTableView, *, single: bool = False) -> QTableView:
    """Set ``table`` up as a read-only list of rows (``single``: one row selected at a time)."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    return table
