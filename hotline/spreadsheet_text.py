"""Text cells that a spreadsheet program must show as text, never run as a formula.

A CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel or LibreOffice as a formula (OWASP, "CSV injection"). Every CSV the program writes
puts a single quote before such a cell (:func:`neutralise`), and every CSV or XLSX it imports
takes it away again (:func:`restore`), so the program's own files import back unchanged: a
phone ``+86 138…`` or a description ``- 第一点`` stays what it was. A cell that already
starts with quotes before such a character gets one more, so the round trip is exact for
every text. XLSX cells are written with the string type (:func:`xlsx_row`), which a
spreadsheet never evaluates, and keep their text as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

TRIGGERS = frozenset("=+-@\t\r")
QUOTE = "'"


def needs_quote(text: str) -> bool:
    """Whether ``text`` would start a formula: a trigger after any number of quotes."""
    rest = text.lstrip(QUOTE)
    return rest[:1] in TRIGGERS


def neutralise(value: Any) -> Any:
    """``value`` as a CSV cell: a text that would start a formula gets a leading quote."""
    if isinstance(value, str) and needs_quote(value):
        return QUOTE + value
    return value


def restore(value: Any) -> Any:
    """The text :func:`neutralise` was given (other values and texts unchanged)."""
    if isinstance(value, str) and value[:1] == QUOTE and needs_quote(value[1:]):
        return value[1:]
    return value


def csv_row(cells: Iterable[Any]) -> list[Any]:
    """The cells of one CSV row, neutralised."""
    return [neutralise(cell) for cell in cells]


def xlsx_row(sheet: Any, cells: Iterable[Any]) -> list[Any]:
    """The cells of one row of a write-only openpyxl ``sheet``: texts typed as strings, so
    ``=1+1`` is the text ``=1+1``, not a formula."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in cells:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        row.append(cell)
    return row
