"""Writing the rejected rows of an import beside its input, each with its reasons.

The rejects file has the input's format (``cases.rejects.json`` / ``.csv`` / ``.xlsx``) and its
rows as they were read, plus an ``errors`` key or column; fixed, it can be imported again
(the ``errors`` column is ignored on import).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, TextIO

from hotline.import_sources import ERRORS_KEY, SourceRow


class RejectsWriter:
    """Writes rejected rows as they come, in the input's format, each with its reasons."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path = path
        self.fmt = fmt
        self.count = 0
        self._handle: TextIO | None = None
        self._csv: Any = None
        self._book: Any = None
        self._sheet: Any = None
        self._header: list[str] = []

    def add(self, row: SourceRow, reasons: list[str]) -> None:
        if self.fmt == "json":
            self._add_json(row, reasons)
        else:
            self._add_table(row, reasons)
        self.count += 1

    def _add_json(self, row: SourceRow, reasons: list[str]) -> None:
        if self._handle is None:
            self._handle = self.path.open("w", encoding="utf-8")
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
                self._handle = self.path.open("w", encoding="utf-8-sig", newline="")
                self._csv = csv.writer(self._handle)
                self._csv.writerow(self._header)
            else:
                from openpyxl import Workbook

                self._book = Workbook(write_only=True)
                self._sheet = self._book.create_sheet()
                self._sheet.append(self._header)
        flat[ERRORS_KEY] = "；".join(reasons)
        cells = [flat.get(column, "") for column in self._header]
        if self._csv is not None:
            self._csv.writerow(cells)
        else:
            self._sheet.append(cells)

    def close(self) -> None:
        if self._handle is not None:
            if self.fmt == "json":
                self._handle.write("\n]\n")
            self._handle.close()
        if self._book is not None:
            self._book.save(self.path)
