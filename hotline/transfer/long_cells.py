"""Texts longer than an Excel cell holds, in the XLSX files the program writes and reads.

An Excel cell holds 32,767 characters (:data:`hotline.spreadsheet_text.XLSX_CELL_LIMIT`); a
longer one makes Excel report the file as damaged and drop content. A case's timeline (its
events as JSON) can be longer, and so can a text an older version stored. Such a text keeps
its beginning in its cell, which ends with a note saying where the rest is
(:data:`MARKER`, "……（未完，接续内容见“超长内容”工作表）"); the rest follows on a sheet of its
own, "超长内容", one row per piece: the case number, the row on the first sheet, the column's
heading, the piece's number (the cell itself is piece 1) and its text. Most files have no
such text and no such sheet.

The import (:mod:`hotline.transfer.sources`) joins the pieces again, so the file reads back
exactly as it was written. A row whose cell lost its note while the sheet still has its
pieces (edited by hand), or whose pieces are incomplete, is reported and not imported; its
rejects file keeps the cell's text with every piece found after it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from hotline.errors import Problem
from hotline.i18n import LOCALES, N_, _, translated
from hotline.spreadsheet_text import (
    XLSX_CELL_LIMIT,
    xlsx_length,
    xlsx_pieces,
    xlsx_row,
    xlsx_text,
)

SHEET = N_("超长内容")
MARKER = N_("……（未完，接续内容见“超长内容”工作表）")
HEADINGS = (N_("案件编号"), N_("行号"), N_("列"), N_("段号"), N_("内容"))
WIDTHS = (19, 8, 14, 8, 100)
MSG_BROKEN = N_("“{column}”列的接续内容无法接上：单元格末尾的“未完”说明已被改动或删除")
MSG_PIECES = N_("“{column}”列的接续内容不完整：缺少第 {piece} 段")


def spellings(message: str) -> frozenset[str]:
    """``message`` in every language of the program (a file may come from another one)."""
    return frozenset({message, *(translated(message, locale) for locale in LOCALES)})


class LongCells:
    """Writes the over-long texts of a write-only workbook's rows: :meth:`fit` each row
    before it is appended; the sheet of the rest appears with the first such text."""

    def __init__(self, book: Any, headings: Sequence[str], key_column: int | None) -> None:
        self.book = book
        self.headings = list(headings)
        self.key_column = key_column  # the case number's column, if the rows have one
        self.sheet: Any = None
        self.marker = _(MARKER)
        self.first = XLSX_CELL_LIMIT - xlsx_length(self.marker)

    def fit(self, cells: list[Any], row: int) -> list[Any]:
        """``cells`` of the first sheet's ``row`` (1-based, the header is row 1) with every
        text that is too long cut to its first piece and the note; the rest written."""
        fitted = list(cells)
        for column, value in enumerate(cells):
            if not isinstance(value, str):
                continue
            value = fitted[column] = xlsx_text(value)  # its escapes count too
            if xlsx_length(value) <= XLSX_CELL_LIMIT:
                continue
            pieces = xlsx_pieces(value, self.first)
            fitted[column] = pieces[0] + self.marker
            key = cells[self.key_column] if self.key_column is not None else ""
            heading = self.headings[column] if column < len(self.headings) else str(column + 1)
            for number, piece in enumerate(pieces[1:], start=2):
                self._sheet().append(
                    xlsx_row(self.sheet, [str(key or ""), row, heading, number, piece])
                )
        return fitted

    def _sheet(self) -> Any:
        if self.sheet is None:
            from openpyxl.styles import Font
            from openpyxl.utils import get_column_letter

            self.sheet = self.book.create_sheet(_(SHEET))
            for number, width in enumerate(WIDTHS, start=1):
                self.sheet.column_dimensions[get_column_letter(number)].width = width
            self.sheet.freeze_panes = "A2"
            header = xlsx_row(self.sheet, [_(heading) for heading in HEADINGS])
            for cell in header:
                cell.font = Font(bold=True)
            self.sheet.append(header)
        return self.sheet


@dataclass
class Rest:
    """The pieces of one over-long cell found on the sheet of the rest."""

    pieces: dict[int, str] = field(default_factory=dict)


@dataclass
class Continuations:
    """The sheet of the rest of a workbook, read: pieces by (case number or row, heading)."""

    by_case: dict[tuple[str, str], Rest] = field(default_factory=dict)
    by_row: dict[tuple[int, str], Rest] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.by_case or self.by_row)

    def join(
        self, names: Sequence[str], values: list[Any], row: int, case_no: Any
    ) -> tuple[list[Any], list[Problem]]:
        """``values`` of the first sheet's ``row`` with their cut texts whole again."""
        joined = list(values)
        problems: list[Problem] = []
        for column, heading in enumerate(names):
            if column >= len(values):
                break
            rest = None
            if case_no not in (None, ""):
                rest = self.by_case.get((str(case_no).strip(), heading))
            if rest is None:
                rest = self.by_row.get((row, heading))
            if rest is None:
                continue
            value = values[column]
            marker = next(
                (m for m in spellings(MARKER) if isinstance(value, str) and value.endswith(m)),
                None,
            )
            missing = next(
                (n for n in range(2, len(rest.pieces) + 2) if n not in rest.pieces), None
            )
            if marker is None:
                problems.append(Problem(heading, MSG_BROKEN, {"column": heading}))
            elif missing is not None:
                problems.append(Problem(heading, MSG_PIECES, {"column": heading, "piece": missing}))
            # Joined even so: the row is rejected, and its rejects file keeps every piece.
            head = "" if value is None else str(value)
            parts = [rest.pieces[n] for n in sorted(rest.pieces)]
            joined[column] = head[: len(head) - len(marker or "")] + "".join(parts)
        return joined, problems


def read_continuations(book: Any) -> Continuations:
    """The pieces on the sheet of the rest (none when the workbook has no such sheet)."""
    found = Continuations()
    titles = spellings(SHEET)
    for sheet in book.worksheets[1:]:
        if sheet.title in titles:
            for cells in _rows(sheet):
                _add(found, cells)
    return found


def _rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    rows = sheet.iter_rows(values_only=True)
    next(rows, None)  # the header
    yield from rows


def _add(found: Continuations, cells: tuple[Any, ...]) -> None:
    case_no, row, heading, number, text = (*cells, None, None, None, None, None)[:5]
    if heading in (None, "") or not isinstance(number, int | float):
        return
    piece = "" if text is None else str(text)
    heading = str(heading)
    if case_no not in (None, ""):
        rest = found.by_case.setdefault((str(case_no).strip(), heading), Rest())
    elif isinstance(row, int | float):
        rest = found.by_row.setdefault((int(row), heading), Rest())
    else:
        return
    rest.pieces[int(number)] = piece
