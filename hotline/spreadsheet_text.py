"""Text cells that a spreadsheet program must show as text, never run as a formula.

A CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel or LibreOffice as a formula (OWASP, "CSV injection"). Every CSV the program writes
puts a single quote before such a cell (:func:`neutralise`), and every CSV or XLSX it imports
takes it away again (:func:`restore`), so the program's own files import back unchanged: a
phone ``+86 138…`` or a description ``- 第一点`` stays what it was. A cell that already
starts with quotes before such a character gets one more, so the round trip is exact for
every text. XLSX cells are written with the string type (:func:`xlsx_row`), which a
spreadsheet never evaluates, and keep their text as it is, but for the characters XML cannot
hold (NUL and other control characters, which the program refuses at input but an old
database may hold): each is written as its escape (``\\x0b``), visibly, never dropped
(:func:`xlsx_text`). A text longer than an Excel cell holds (:data:`XLSX_CELL_LIMIT`) is split
by :mod:`hotline.transfer.long_cells`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

TRIGGERS = frozenset("=+-@\t\r")
QUOTE = "'"
# The most an Excel cell holds, in UTF-16 code units (a character beyond U+FFFF counts two):
# a longer text makes Excel report the file as damaged and drop content.
XLSX_CELL_LIMIT = 32_767
# What XML 1.0 cannot hold: openpyxl refuses the control characters, Excel the rest.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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
        if isinstance(value, str):
            value = xlsx_text(value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        row.append(cell)
    return row


def xlsx_text(text: str) -> str:
    """``text`` as an XLSX cell can hold it: a character XML cannot hold is written as its
    escape (``\\x00``, ``\\ud800``), as the import's reports show it."""
    if not _NOT_XML.search(text):
        return text
    return _NOT_XML.sub(lambda m: repr(m.group())[1:-1], text)


def xlsx_length(text: str) -> int:
    """The length of ``text`` as Excel counts it (UTF-16 code units)."""
    if len(text) * 2 <= XLSX_CELL_LIMIT:  # quick: at most two units a character
        return len(text)
    return len(text) + sum(1 for char in text if char > "\uffff")


def xlsx_pieces(text: str, first: int, rest: int = XLSX_CELL_LIMIT) -> list[str]:
    """``text`` in pieces of at most ``first`` UTF-16 units, then ``rest`` each; joined, the
    pieces are ``text`` (a character is never cut in two)."""
    pieces: list[str] = []
    start, size, limit = 0, 0, first
    for index, char in enumerate(text):
        width = 2 if char > "\uffff" else 1
        if size + width > limit:
            pieces.append(text[start:index])
            start, size, limit = index, 0, rest
        size += width
    pieces.append(text[start:])
    return pieces
