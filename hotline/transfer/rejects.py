"""Writing the rejected rows of an import beside its input, each with its reasons.

The rejects file has the input's format (``cases.rejects.json`` / ``.csv`` / ``.xlsx``) and its
rows as they were read, plus an ``errors`` key or column; fixed, it can be imported again
(the ``errors`` column is ignored on import) and gives the same values as the input did.
It is written through :func:`hotline.output_files.replacing`: never over the input or the
database, and only complete. A CSV cell that would start a formula is quoted, an XLSX text
cell stays a text cell (:mod:`hotline.spreadsheet_text`) and a text longer than an XLSX cell
holds goes on in a sheet of its own (:mod:`hotline.transfer.long_cells`).
"""

from __future__ import annotations

import contextlib
import csv
import json
from pathlib import Path
from typing import IO, Any

from hotline.output_files import check_target, replacing
from hotline.spreadsheet_text import neutralise, restore, xlsx_row
from hotline.transfer.long_cells import LongCells
from hotline.transfer.sources import ERRORS_KEY, SourceRow, column_key


class RejectsWriter:
    """Writes rejected rows as they come, in the input's format, each with its reasons."""

    def __init__(self, path: Path, fmt: str, *, source: Path | None = None) -> None:
        self.path = path
        self.fmt = fmt
        self.count = 0
        self._reading = [source] if source is not None else []
        check_target(path, reading=self._reading)  # refused before anything is imported
        self._files = contextlib.ExitStack()
        self._handle: IO[Any] | None = None
        self._csv: Any = None
        self._book: Any = None
        self._sheet: Any = None
        self._header: list[str] = []
        self._long: LongCells | None = None

    def _open(self, **text: Any) -> IO[Any]:
        return self._files.enter_context(replacing(self.path, reading=self._reading, **text))

    def add(self, row: SourceRow, reasons: list[str]) -> None:
        if self.fmt == "json":
            self._add_json(row, reasons)
        else:
            self._add_table(row, reasons)
        self.count += 1

    def _add_json(self, row: SourceRow, reasons: list[str]) -> None:
        if self._handle is None:
            self._handle = self._open(encoding="utf-8")
            self._handle.write("[")
        item = dict(row.raw) if isinstance(row.raw, dict) else {"value": row.raw}
        item[ERRORS_KEY] = reasons
        self._handle.write(",\n" if self.count else "\n")
        self._handle.write(json.dumps(item, ensure_ascii=False, default=str))

    def _add_table(self, row: SourceRow, reasons: list[str]) -> None:
        flat = dict(row.raw) if isinstance(row.raw, dict) else {}
        if not self._header:
            self._header = [*[c for c in flat if c != ERRORS_KEY], ERRORS_KEY]
            if self.fmt == "csv":
                self._handle = self._open(encoding="utf-8-sig", newline="")
                self._csv = csv.writer(self._handle)
                self._csv.writerow([neutralise(restore(cell)) for cell in self._header])
            else:
                from openpyxl import Workbook

                self._book = Workbook(write_only=True)
                self._sheet = self._book.create_sheet()
                self._sheet.append(xlsx_row(self._sheet, self._header))
                key = next(
                    (i for i, c in enumerate(self._header) if column_key(c) == "case_no"), None
                )
                self._long = LongCells(self._book, self._header, key)
        flat[ERRORS_KEY] = "；".join(reasons)
        cells = [flat.get(column, "") for column in self._header]
        if self._csv is not None:
            # The value the import read is restore(cell); write it as the export would.
            self._csv.writerow([neutralise(restore(cell)) for cell in cells])
        else:
            assert self._long is not None
            self._sheet.append(xlsx_row(self._sheet, self._long.fit(cells, self.count + 2)))

    def close(self) -> None:
        with self._files:
            if self._handle is not None and self.fmt == "json":
                self._handle.write("\n]\n")
            if self._book is not None:
                self._book.save(self._open())
