"""Reading the rows of an import file (JSON, CSV, XLSX).

Each row comes with where it is in the file (its line, and its position among the rows) so
a report can point at it. JSON is read incrementally, one array item at a time; CSV and XLSX
columns are the export's (``enterprise.name`` …) or their Chinese headings, and become the
nested keys that :func:`hotline.intake.parse_intake` reads.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from hotline.errors import ValidationError
from hotline.i18n import N_
from hotline.spreadsheet_text import restore

CHUNK = 1 << 20
MAX_ITEM = 16 << 20  # no case is this big: a longer item is a broken file
ERRORS_KEY = "errors"  # the column/key a rejects file adds; ignored when read back
# Chinese column headings a spreadsheet may use instead of the export's.
HEADINGS = {
    "案件编号": "case_no",
    "受理渠道": "channel",
    "渠道": "channel",
    "诉求类型": "kind",
    "类型": "kind",
    "诉求类别": "category",
    "类别": "category",
    "紧急程度": "urgency",
    "区县": "district",
    "企业名称": "enterprise.name",
    "统一社会信用代码": "enterprise.uscc",
    "联系人": "contact.name",
    "联系电话": "contact.phone",
    "标题": "subject",
    "诉求标题": "subject",
    "诉求内容": "description",
    "企业诉求": "request",
    "是否保密": "confidential",
    "保密": "confidential",
    "受理时间": "received_at",
    "状态": "status",
    "时间线": "timeline",
}


@dataclass
class SourceRow:
    line: int  # where the row starts in the file (1-based)
    position: int  # its number among the rows (1-based)
    raw: Any  # as read: an object (JSON) or a {column: cell} dict (CSV, XLSX)
    data: Any  # the nested intake dict (CSV/XLSX), else ``raw``
    problem: str = ""  # a cell that could not be read (a timeline that is not JSON)


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    return "json"


def rejects_path(path: Path) -> Path:
    """``cases.csv`` -> ``cases.rejects.csv``, beside the input."""
    return path.with_name(f"{path.stem}.rejects{path.suffix or '.json'}")


def read_rows(path: Path) -> Iterator[SourceRow]:
    fmt = file_format(path)
    if fmt == "csv":
        with _open_text(path) as handle:
            yield from _csv_rows(handle)
    elif fmt == "xlsx":
        yield from _xlsx_rows(path)
    else:
        with _open_text(path) as handle:
            yield from _json_rows(handle)


def _open_text(path: Path) -> TextIO:
    """UTF-8 (with or without BOM); a spreadsheet's GB18030 export otherwise."""
    with path.open("rb") as probe:
        head = probe.read(CHUNK)
    try:
        head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the probe is not a reason to switch.
        encoding = "utf-8-sig" if exc.start >= len(head) - 3 else "gb18030"
    return path.open("r", encoding=encoding, newline="")


def _file_error(message: str, **params: Any) -> ValidationError:
    return ValidationError.single("file", message, **params)


# --- JSON -------------------------------------------------------------------------------


def _json_rows(handle: TextIO) -> Iterator[SourceRow]:
    """The items of a top-level array (or a single object), read a chunk at a time."""
    decoder = json.JSONDecoder()
    buffer, pos, line, eof = "", 0, 1, False

    def fill() -> bool:
        nonlocal buffer, pos, eof
        if eof:
            return False
        chunk = handle.read(CHUNK)
        if not chunk:
            eof = True
            return False
        buffer, pos = buffer[pos:] + chunk, 0
        return True

    def skip_space() -> str:
        nonlocal pos, line
        while True:
            while pos < len(buffer) and buffer[pos] in " \t\r\n":
                line += buffer[pos] == "\n"
                pos += 1
            if pos < len(buffer) or not fill():
                return buffer[pos] if pos < len(buffer) else ""

    def decode() -> Any:
        """The value starting at ``pos`` (reading on while it is cut off by the chunk)."""
        nonlocal pos, line
        while True:
            try:
                value, end = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError as exc:
                if len(buffer) - pos < MAX_ITEM and fill():
                    continue
                raise _file_error(
                    N_("文件不是有效的 JSON：第 {line} 行附近 {reason}"),
                    line=line + buffer.count("\n", pos, exc.pos),
                    reason=exc.msg,
                ) from exc
            if end == len(buffer) and fill():  # a number or word may go on
                continue
            line += buffer.count("\n", pos, end)
            pos = end
            return value

    first = skip_space()
    if first == "":
        return
    if first != "[":
        start = line
        value = decode()
        yield SourceRow(start, 1, value, value)
        return
    pos += 1
    position = 0
    while True:
        ch = skip_space()
        if ch == "]":
            return
        if position and ch == ",":
            pos += 1
            skip_space()
        elif position or ch == "":
            raise _file_error(N_("文件不是有效的 JSON：第 {line} 行附近缺少逗号或“]”"), line=line)
        start = line
        value = decode()
        position += 1
        yield SourceRow(start, position, value, value)


# --- CSV and XLSX -----------------------------------------------------------------------


def _columns(header: Sequence[Any]) -> list[str]:
    names = []
    for cell in header:
        name = str(cell or "").strip().lstrip("\ufeff")
        names.append(HEADINGS.get(name, name))
    return names


def nest(flat: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Flat columns as the nested intake dict; the timeline cell parsed from JSON."""
    data: dict[str, Any] = {}
    problem = ""
    for key, value in flat.items():
        if not key or key == ERRORS_KEY:
            continue
        if isinstance(value, str):
            value = restore(value.strip())  # the quote an export put before "=…", "+86…"
        if key == "timeline":
            if value in (None, ""):
                continue
            try:
                value = json.loads(value) if isinstance(value, str) else value
            except ValueError:
                problem = "timeline"
                continue
        head, _, tail = key.partition(".")
        if tail:
            data.setdefault(head, {})[tail] = value
        else:
            data[key] = value
    return data, problem


def _csv_rows(handle: TextIO) -> Iterator[SourceRow]:
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        return
    columns = _columns(header)
    position = 0
    start = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            position += 1
            flat = dict(zip(header, cells, strict=False))
            data, problem = nest(dict(zip(columns, cells, strict=False)))
            yield SourceRow(start, position, flat, data, problem)
        start = reader.line_num + 1


def _xlsx_rows(path: Path) -> Iterator[SourceRow]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _file_error(N_("无法读取 Excel 文件：{reason}"), reason=str(exc)) from exc
    try:
        rows = book.active.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return
        names = [str(cell or "") for cell in header]
        columns = _columns(header)
        position = 0
        for number, cells in enumerate(rows, start=2):
            if not any(cell not in (None, "") for cell in cells):
                continue
            position += 1
            values = [_cell(cell) for cell in cells]
            flat = dict(zip(names, values, strict=False))
            data, problem = nest(dict(zip(columns, values, strict=False)))
            yield SourceRow(number, position, flat, data, problem)
    finally:
        book.close()


def _cell(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
