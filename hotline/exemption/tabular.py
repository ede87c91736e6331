"""Reading (and writing) a catalogue as a spreadsheet: CSV or XLSX, one item per row.

The first row holds the column headings (the Chinese labels of
:data:`hotline.exemption.validation.ITEM_FIELDS`, or the English field keys). Conditions go
in one cell as ``id：text`` lines (or separated by ``；``), keywords separated by ``、`` or
commas. Every row is checked; a problem is reported as ``row 12, column 处罚依据`` with the
heading as the file spells it, and nothing is returned unless every row is right.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import unicodedata
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import Any

from hotline.errors import Problems, ValidationError
from hotline.exemption.items import Catalogue, CatalogueItem
from hotline.exemption.validation import (
    ITEM_FIELDS,
    REQUIRED_FIELDS,
    catalogue_from_dict,
    check_metadata,
    check_unique_codes,
    item_from_fields,
)
from hotline.i18n import N_
from hotline.output_files import replacing
from hotline.spreadsheet_text import csv_row, restore, xlsx_row

# Other headings seen in published lists, mapped to field keys (compared after normalising).
HEADER_ALIASES: dict[str, str] = {
    "事项编号": "code",
    "代码": "code",
    "执法主体": "body",
    "实施机关": "body",
    "执法部门": "body",
    "领域": "area",
    "违法行为名称": "violation",
    "违反的规定": "violated_provision",
    "法律依据": "violated_provision",
    "处罚规定": "penalty_provision",
    "条件": "conditions",
    "免罚条件": "conditions",
    "回溯期": "lookback_days",
    "回溯期（天）": "lookback_days",
    "检索词": "keywords",
    "追责时效": "limitation_years",
}


def _normal(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _header_map() -> dict[str, str]:
    mapping = {_normal(label): key for key, label in ITEM_FIELDS.items()}
    mapping.update({_normal(key): key for key in ITEM_FIELDS})
    mapping.update({_normal(alias): key for alias, key in HEADER_ALIASES.items()})
    return mapping


def field_of_header(header: str) -> str | None:
    """The field key a column heading stands for, or None for a column we do not use."""
    return _header_map().get(_normal(header))


def _rows_csv(path: Path) -> Generator[tuple[int, list[Any]], None, None]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ValidationError.single("file", N_("文件编码无法识别，请保存为 UTF-8 的 CSV"))
    for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        yield number, [restore(cell) for cell in row]  # the quote write_csv puts before "=…"


def _rows_xlsx(path: Path) -> Generator[tuple[int, list[Any]], None, None]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError.single("file", N_("文件无法读取：{error}"), error=str(exc)) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def _blank_row(row: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def items_from_rows(
    rows: Iterator[tuple[int, list[Any]]], problems: Problems, *, catalogue_version: str
) -> list[CatalogueItem]:
    """Items from (row number, cells) pairs whose first non-blank row is the heading."""
    header: list[str] | None = None
    columns: dict[str, int] = {}
    items: list[CatalogueItem] = []
    codes = []
    for number, row in rows:
        if _blank_row(row):
            continue
        if header is None:
            header = ["" if cell is None else str(cell).strip() for cell in row]
            for index, heading in enumerate(header):
                key = field_of_header(heading)
                if key is not None and key not in columns:
                    columns[key] = index
            for key in REQUIRED_FIELDS:
                if key not in columns:
                    label = ITEM_FIELDS[key]
                    problems.add(
                        f"row {number}, column {label}",
                        N_("缺少“{column}”列"),
                        column=label,
                        row=number,
                    )
            if problems:
                return []
            continue

        def report(
            key: str, message: str, _n: int = number, _h: list[str] = header, **params: Any
        ) -> None:
            column = _h[columns[key]] if key in columns else ITEM_FIELDS[key]
            problems.add(f"row {_n}, column {column}", message, row=_n, column=column, **params)

        values = {key: row[index] if index < len(row) else None for key, index in columns.items()}
        item = item_from_fields(values, report, catalogue_version=catalogue_version)
        if item is not None:
            items.append(item)
            codes.append((item.code, lambda m, c, _r=report: _r("code", m, code=c)))
    if header is None:
        problems.add("file", N_("文件中没有内容"))
    elif not items and not problems:
        problems.add("file", N_("清单中没有事项"))
    check_unique_codes(codes)
    return items


def parse_catalogue_file(
    path: str | Path,
    *,
    name: str | None = None,
    version: str | None = None,
    effective_date: dt.date | str | None = None,
    source: str | None = None,
    note: str | None = None,
) -> Catalogue:
    """A catalogue from a JSON, CSV or XLSX file, checked in full; raises ValidationError.

    JSON files carry their own name, version, effective date and source (the keyword
    arguments, when given, replace them). A spreadsheet holds only items, so ``name``,
    ``version`` and ``effective_date`` must be given for it. Nothing is returned unless every
    row is valid: a broken row is reported as ``row N, column 处罚依据``.
    """
    path = Path(path)
    overrides = {
        key: value
        for key, value in {
            "name": name,
            "version": version,
            "effective_date": effective_date,
            "source": source,
            "note": note,
        }.items()
        if value is not None
    }
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError.single(
                "file", N_("文件无法读取：{error}"), error=str(exc)
            ) from exc
        except json.JSONDecodeError as exc:
            raise ValidationError.single(
                f"line {exc.lineno}", N_("JSON 格式错误：{error}"), error=exc.msg
            ) from exc
        if isinstance(data, dict):
            data = {**data, **overrides}
        return catalogue_from_dict(data)
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError.single(
            "file", N_("不支持的文件类型“{suffix}”，请使用 CSV、XLSX 或 JSON"), suffix=suffix
        )
    problems = Problems()
    meta = {"source": str(path.name), **overrides}
    meta_name, meta_version, effective, meta_source, meta_note = check_metadata(meta, problems)
    rows = _rows_csv(path) if suffix == ".csv" else _rows_xlsx(path)
    try:
        with contextlib.closing(rows):
            items = items_from_rows(rows, problems, catalogue_version=meta_version)
    except OSError as exc:
        raise ValidationError.single("file", N_("文件无法读取：{error}"), error=str(exc)) from exc
    problems.raise_if_any()
    assert effective is not None
    return Catalogue(meta_name, meta_version, effective, meta_source, meta_note, tuple(items))


def item_row(item: CatalogueItem) -> list[str]:
    """The cells of ``item`` in the column order of :data:`ITEM_FIELDS`."""
    return [
        item.code,
        item.body,
        item.area,
        item.violation,
        item.violated_provision,
        item.penalty_provision,
        "\n".join(f"{c.id}：{c.text}" for c in item.conditions),
        str(item.lookback_days),
        "、".join(item.keywords),
        "" if item.limitation_years is None else str(item.limitation_years),
        item.limitation_basis or "",
    ]


def header_row() -> list[str]:
    """The column headings, in Chinese (the catalogue's own language)."""
    return list(ITEM_FIELDS.values())


def write_csv(catalogue: Catalogue, path: str | Path) -> None:
    """Write the items as a UTF-8 CSV (with BOM, so spreadsheet programs read it as UTF-8);
    a text that would start a formula is quoted (:mod:`hotline.spreadsheet_text`)."""
    with replacing(path, encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(csv_row(header_row()))
        for item in catalogue.items:
            writer.writerow(csv_row(item_row(item)))


def write_xlsx(catalogue: Catalogue, path: str | Path) -> None:
    """Write the items as an XLSX sheet whose texts are text cells, never formulas."""
    from openpyxl import Workbook

    with replacing(path) as handle:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(catalogue.version or "catalogue")
        sheet.append(xlsx_row(sheet, header_row()))
        for item in catalogue.items:
            sheet.append(xlsx_row(sheet, item_row(item)))
        workbook.save(handle)
