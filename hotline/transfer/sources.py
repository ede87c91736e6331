"""Reading the rows of an import file (JSON, CSV, XLSX).

Each row comes with where it is in the file (its line, and its position among the rows) so
a report can point at it. JSON is read incrementally, one array item at a time; CSV and XLSX
columns are the export's (``enterprise.name`` …) or their Chinese headings, and become the
nested keys that :func:`hotline.intake.parse_intake` reads. An XLSX text that was too long
for its cell is joined again from the workbook's sheet of the rest
(:mod:`hotline.transfer.long_cells`).

The text encoding is decided for the whole file before a row is read (:func:`text_encoding`):
UTF-8 with or without BOM when the whole file is UTF-8, else GB18030 when the whole file is
that; a file that is neither, or that mixes them, is refused with the line where it breaks.
A file that cannot be read to its end (truncated, binary, a field longer than
``FIELD_LIMIT``) raises ValidationError naming the line (and the column, where there is one).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from hotline.errors import Problem, ValidationError
from hotline.i18n import LOCALES, N_, translated
from hotline.spreadsheet_text import restore
from hotline.transfer.long_cells import read_continuations

CHUNK = 1 << 20
MAX_ITEM = 16 << 20  # no case is this big: a longer item is a broken file
MAX_DEPTH = 32  # nor nested this deep (a case, its timeline, an event, its data: 4)
# The longest CSV cell read (characters): a timeline of many long notes fits; the csv module's
# own default (131,072) does not. A longer cell is a broken file (an unpaired quote).
FIELD_LIMIT = MAX_ITEM
csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
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
    issues: list[Problem] = field(default_factory=list)  # the row's shape (too few cells …)


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


def read_rows(
    path: Path, encoding: str | None = None, *, cells_only: bool = False
) -> Iterator[SourceRow]:
    """The rows of ``path``; ``encoding`` as :func:`text_encoding` found it (found here when
    not given). Raises ValidationError (field ``file``) where the file cannot be read on.
    ``cells_only``: a CSV row's ``data`` is its flat cells by column (a quicker first pass)."""
    fmt = file_format(path)
    if fmt == "xlsx":
        yield from _xlsx_rows(path)
        return
    with path.open("r", encoding=encoding or text_encoding(path), newline="") as handle:
        try:
            yield from _csv_rows(handle, cells_only) if fmt == "csv" else _json_rows(handle)
        except UnicodeDecodeError as exc:  # the file changed since its encoding was checked
            raise _file_error(N_("文件在读取过程中被改动，请重新导入")) from exc


def text_encoding(path: Path) -> str:
    """The encoding of the whole text file ``path``: ``utf-8-sig`` or ``gb18030``."""
    scan = _EncodingScan()
    with path.open("rb") as handle:
        head = handle.read(len(codecs.BOM_UTF8))
        if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise _file_error(N_("文件是 UTF-16 编码，请另存为 UTF-8 或 GB18030 编码后再导入"))
        if head != codecs.BOM_UTF8:
            handle.seek(0)
        rest = b""
        while chunk := handle.read(CHUNK):
            data = rest + chunk
            # Whole lines at a time: a line break is a character boundary in both encodings.
            cut = data.rfind(b"\n") + 1
            if not cut and len(data) < 4 * MAX_ITEM:
                rest = data
                continue
            cut = cut or len(data)
            scan.unit(data[:cut])
            rest = data[cut:]
        scan.unit(rest)
    return scan.verdict()


_WIDE = re.compile("[\u0800-\uffff]")  # three bytes in UTF-8: Chinese written as UTF-8


class _EncodingScan:
    """Which of UTF-8 and GB18030 the whole file is, and where each breaks.

    GB18030 text is almost never valid UTF-8, but UTF-8 text often is valid GB18030 (as
    nonsense): a file with a line of Chinese in valid UTF-8 and a line that is not UTF-8 mixes
    the two, and is refused rather than read half as nonsense.
    """

    def __init__(self) -> None:
        self.line = 1  # where the next unit starts
        self.bad_utf8: int | None = None
        self.bad_gb: int | None = None
        self.utf8_text: int | None = None  # the first line of Chinese in valid UTF-8

    def unit(self, data: bytes) -> None:
        if data.isascii():
            self.line += data.count(b"\n")
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self._lines(data)
            return
        wide = _WIDE.search(text)
        if wide and self.utf8_text is None:
            self.utf8_text = self.line + text.count("\n", 0, wide.start())
        if not wide:  # only needed if the file turns out not to be UTF-8 after all
            self._gb18030(data)
        self.line += data.count(b"\n")

    def _lines(self, data: bytes) -> None:
        """Line by line: which lines are UTF-8 and which are not."""
        self._gb18030(data)
        for number, line in enumerate(data.split(b"\n"), start=self.line):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                if self.bad_utf8 is None:
                    self.bad_utf8 = number
                continue
            if self.utf8_text is None and _WIDE.search(text):
                self.utf8_text = number
        self.line += data.count(b"\n")

    def _gb18030(self, data: bytes) -> None:
        if self.bad_gb is not None:
            return
        try:
            data.decode("gb18030")
        except UnicodeDecodeError as exc:
            self.bad_gb = self.line + data.count(b"\n", 0, exc.start)

    def verdict(self) -> str:
        if self.bad_utf8 is None:
            return "utf-8-sig"
        if self.utf8_text is not None:
            raise _file_error(
                N_(
                    "文件混用了不同的字符编码：第 {line} 行起与前面的编码不同（整个文件应为同一种编码：UTF-8 或 GB18030）"
                ),
                line=max(self.utf8_text, self.bad_utf8),
            )
        if self.bad_gb is None:
            return "gb18030"
        raise _file_error(
            N_("无法识别文件的字符编码（应为 UTF-8 或 GB18030）：第 {line} 行无法读取"),
            line=max(self.bad_utf8, self.bad_gb),
        )


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
            except (ValueError, RecursionError) as exc:
                # A number of thousands of digits, or arrays nested thousands deep.
                raise _file_error(
                    N_("文件第 {line} 行附近的内容无法读取（数字过长或嵌套过深）"), line=line
                ) from exc
            if end == len(buffer) and fill():  # a number or word may go on
                continue
            if buffer.count("[", pos, end) + buffer.count("{", pos, end) > MAX_DEPTH and (
                too_deep(value)
            ):
                raise _file_error(
                    N_("文件第 {line} 行附近的内容无法读取（数字过长或嵌套过深）"), line=line
                )
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


def column_key(heading: Any) -> str:
    """The export's key a column heading stands for (``案件编号`` or, from an English desk's
    export, ``Case number`` -> ``case_no``)."""
    name = str(heading or "").strip().lstrip("\ufeff")
    return _known_headings().get(name.casefold(), name)


@functools.cache
def _known_headings() -> dict[str, str]:
    """:data:`HEADINGS` in every language the program speaks, compared case-blind."""
    known: dict[str, str] = {}
    for heading, key in HEADINGS.items():
        for locale in LOCALES:
            known.setdefault(translated(heading, locale).casefold(), key)
    return known


def _columns(header: Sequence[Any]) -> list[str]:
    return [column_key(cell) for cell in header]


def too_deep(value: Any) -> bool:
    """Nested deeper than ``MAX_DEPTH`` (arrays in arrays …): no case is, and code that
    walks such a value recursively would fail."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


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
            except (ValueError, RecursionError):
                problem = "timeline"
                continue
            if too_deep(value):
                problem = "timeline"
                continue
        head, _, tail = key.partition(".")
        if tail:
            data.setdefault(head, {})[tail] = value
        else:
            data[key] = value
    return data, problem


class _Lines:
    """The lines of a CSV file, keeping those of the record being read (for messages)."""

    def __init__(self, handle: TextIO) -> None:
        self.handle = handle
        self.record: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self.handle)
        self.record.append(line)
        return line


def _csv_rows(handle: TextIO, cells_only: bool = False) -> Iterator[SourceRow]:
    lines = _Lines(handle)
    # strict: a quote left open at the end of the file (a truncated file) is an error.
    reader = csv.reader(lines, strict=True)
    start, header = 1, []
    try:
        header = next(reader, [])
        if not header:
            return
        columns = _columns(header)
        position = 0
        start = reader.line_num + 1
        lines.record.clear()
        for cells in reader:
            if any(cell.strip() for cell in cells):
                position += 1
                issues = _shape(header, cells, lines.record, start)
                if cells_only:
                    flat = dict(zip(columns, cells, strict=False))
                    yield SourceRow(start, position, cells, flat, "", issues)
                else:
                    flat = dict(zip(header, cells, strict=False))
                    data, problem = nest(dict(zip(columns, cells, strict=False)))
                    yield SourceRow(start, position, flat, data, problem, issues)
            start = reader.line_num + 1
            lines.record.clear()
    except csv.Error as exc:
        raise _csv_error(exc, header, lines.record, start, reader.line_num) from exc


def _shape(header: list[str], cells: list[str], record: list[str], line: int) -> list[Problem]:
    """Problems of a row whose cells do not match the header."""
    if len(cells) < len(header):
        if record and not record[-1].endswith(("\n", "\r")):  # the file's last line, cut off
            raise _file_error(
                N_(
                    "文件在第 {line} 行中断（该行只有 {count} 列，表头有 {expected} 列），文件可能不完整"
                ),
                line=line,
                count=len(cells),
                expected=len(header),
            )
        return [
            Problem(
                "row",
                N_("本行只有 {count} 列，表头有 {expected} 列"),
                {"count": len(cells), "expected": len(header)},
            )
        ]
    if any(cell.strip() for cell in cells[len(header) :]):
        return [
            Problem(
                "row",
                N_("本行有 {count} 列，多于表头的 {expected} 列"),
                {"count": len(cells), "expected": len(header)},
            )
        ]
    return []


def _csv_error(
    exc: csv.Error, header: list[str], record: list[str], start: int, line: int
) -> ValidationError:
    reason = str(exc)
    if "field larger than field limit" in reason:
        column = _long_column(header, "".join(record))
        return _file_error(
            N_("第 {line} 行“{column}”列超过 {limit} 个字符，文件可能已损坏（如缺少配对的引号）"),
            line=start,
            column=column,
            limit=FIELD_LIMIT,
        )
    if "unexpected end of data" in reason:
        return _file_error(
            N_("文件在第 {line} 行中断（引号内的内容没有结束），文件可能不完整"), line=start
        )
    return _file_error(
        N_("CSV 文件第 {line} 行格式有误（{reason}）"), line=max(line, start), reason=reason
    )


def _long_column(header: list[str], text: str) -> str:
    """The column of the first cell of ``text`` (a record) over the field limit."""
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(2**31 - 1)
        cells = next(csv.reader(io.StringIO(text)), [])
    except csv.Error:
        cells = []
    finally:
        csv.field_size_limit(limit)
    index = next((i for i, cell in enumerate(cells) if len(cell) > limit), len(cells) - 1)
    if 0 <= index < len(header) and header[index].strip():
        return header[index].strip()
    return str(max(index, 0) + 1)


def _xlsx_rows(path: Path) -> Iterator[SourceRow]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _file_error(N_("无法读取 Excel 文件：{reason}"), reason=str(exc)) from exc
    try:
        rows = _xlsx_cells(book)
        header = next(rows, None)
        if header is None:
            return
        names = [str(cell or "") for cell in header]
        columns = _columns(header)
        key = columns.index("case_no") if "case_no" in columns else None
        rest = read_continuations(book)  # texts longer than a cell: their pieces
        position = 0
        for number, cells in enumerate(rows, start=2):
            if not any(cell not in (None, "") for cell in cells):
                continue
            position += 1
            values = [_cell(cell) for cell in cells]
            issues: list[Problem] = []
            if rest:
                case_no = values[key] if key is not None and key < len(values) else None
                values, issues = rest.join(names, values, number, case_no)
            flat = dict(zip(names, values, strict=False))
            data, problem = nest(dict(zip(columns, values, strict=False)))
            yield SourceRow(number, position, flat, data, problem, issues)
    finally:
        book.close()


def _xlsx_cells(book: Any) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows; a sheet damaged further down is a file problem naming the row."""
    rows = book.active.iter_rows(values_only=True)
    number = 1
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise _file_error(
                N_("无法读取 Excel 文件第 {line} 行：{reason}"), line=number, reason=str(exc)
            ) from exc
        yield cells
        number += 1


def _cell(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
