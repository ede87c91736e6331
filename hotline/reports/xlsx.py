"""The statistics tables of a period as an XLSX workbook (openpyxl).

One sheet for the main figures (this period, the one before, the change), one per breakdown
(department, district, category, type, channel) with a total row, one for the intake by day,
week or month, and the definitions. Chinese headers (in the report's locale), columns as
wide as their contents, the header row frozen, rates as real percentages (a number formatted
``0.0%``), so the figures can be summed and charted in Excel or WPS.

Only :func:`write_statistics` writes; the file itself is opened by the caller through
:mod:`hotline.output_files` (see :func:`hotline.reports.service.export_statistics_xlsx`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hotline.i18n import N_, _
from hotline.reports import definitions as kpi
from hotline.reports.data import (
    CASE_MEASURES,
    BreakdownRow,
    Counts,
    Dimension,
    Measure,
    PeriodReport,
)
from hotline.spreadsheet_text import xlsx_text

DIMENSION_NAMES: dict[Dimension, str] = {
    Dimension.DEPARTMENT: N_("承办单位"),
    Dimension.DISTRICT: N_("所属区域"),
    Dimension.CATEGORY: N_("问题类别"),
    Dimension.KIND: N_("诉求类型"),
    Dimension.CHANNEL: N_("受理渠道"),
}

# The columns of a breakdown table: (header, measure or rate attribute).
BREAKDOWN_COLUMNS: list[tuple[str, str]] = [
    (kpi.RECEIVED, Measure.RECEIVED.value),
    (kpi.CLOSED, Measure.CLOSED.value),
    (N_("按时办结"), Measure.CLOSED_ON_TIME.value),
    (kpi.ON_TIME_RATE, "on_time_rate"),
    (kpi.OVERDUE_OPEN, Measure.OVERDUE_OPEN.value),
    (kpi.REPLIED, Measure.REPLIED.value),
    (N_("其中期末前已回访"), Measure.REPLIED_CALLED_BACK.value),
    (kpi.CALLBACK_RATE, "callback_rate"),
    (kpi.CALLED_BACK, Measure.CALLED_BACK.value),
    (N_("满意或基本满意"), Measure.SATISFIED.value),
    (kpi.SATISFACTION_RATE, "satisfaction_rate"),
    (kpi.REPEAT, Measure.REPEAT.value),
]
RATE_COLUMNS = {"on_time_rate", "callback_rate", "satisfaction_rate"}

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
TOTAL_FONT = Font(bold=True)
PERCENT = "0.0%"
MAX_WIDTH = 60


def kpi_rows(report: PeriodReport) -> list[tuple[str, Any, Any]]:
    """(name, this period, the period before) of every main figure; rates as fractions or
    None when there is nothing to divide."""
    cur, prev = report.current, report.previous
    rows: list[tuple[str, Any, Any]] = []
    for header, attribute in BREAKDOWN_COLUMNS:
        rows.append((_(header), getattr(cur, attribute), getattr(prev, attribute)))
    rows.append((_(kpi.EXEMPTIONS), sum(cur.exemptions.values()), sum(prev.exemptions.values())))
    for outcome in dict.fromkeys([*cur.exemptions, *prev.exemptions]):
        rows.append(
            (
                _("其中：{outcome}").format(outcome=outcome),
                cur.exemptions.get(outcome, 0),
                prev.exemptions.get(outcome, 0),
            )
        )
    return rows


def breakdown_total(rows: Sequence[BreakdownRow]) -> Counts:
    total = Counts()
    for row in rows:
        for measure in CASE_MEASURES:
            total.add(measure, row.get(measure))
    return total


def write_statistics(report: PeriodReport, out: IO[bytes]) -> None:
    workbook = Workbook()
    main = workbook.active
    assert main is not None  # a new workbook has one sheet
    main.title = _("主要指标")
    heads = [_("指标"), report.period.current_label(), report.period.previous_label(), _("变化")]
    body: list[list[Any]] = []
    for name, current, previous in kpi_rows(report):
        change = None
        if current is not None and previous is not None:
            change = current - previous
        body.append([name, current, previous, change])
    _table(main, heads, body, rate_rows={i for i, row in enumerate(body) if _is_rate(row[0])})
    main.append([])
    main.append([_("统计期"), report.period.title()])

    for dimension in Dimension:
        sheet = workbook.create_sheet(_(DIMENSION_NAMES[dimension]))
        rows = report.breakdowns.get(dimension, [])
        heads = [_(DIMENSION_NAMES[dimension])] + [_(h) for h, _a in BREAKDOWN_COLUMNS]
        table = [[row.name] + [getattr(row, a) for _h, a in BREAKDOWN_COLUMNS] for row in rows]
        total = breakdown_total(rows)
        table.append([_("合计")] + [getattr(total, a) for _h, a in BREAKDOWN_COLUMNS])
        _table(sheet, heads, table, rate_columns=_rate_columns(), total_row=True)

    intake = workbook.create_sheet(_("受理趋势"))
    _table(
        intake,
        [_("时段"), _("起"), _("止"), _(kpi.RECEIVED)],
        [[b.label, b.first, b.last, count] for b, count in report.intake],
        date_columns={1, 2},
    )

    notes = workbook.create_sheet(_("指标说明"))
    _table(notes, [_("指标"), _("口径")], [list(pair) for pair in kpi.kpi_definitions()])
    notes.column_dimensions["B"].width = 100
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(out)


def _is_rate(name: str) -> bool:
    return name in {_(kpi.ON_TIME_RATE), _(kpi.CALLBACK_RATE), _(kpi.SATISFACTION_RATE)}


def _rate_columns() -> set[int]:
    return {i + 1 for i, (_h, a) in enumerate(BREAKDOWN_COLUMNS) if a in RATE_COLUMNS}


def _table(
    sheet: Worksheet,
    heads: list[str],
    rows: list[list[Any]],
    *,
    rate_columns: set[int] = frozenset(),  # type: ignore[assignment]
    rate_rows: set[int] = frozenset(),  # type: ignore[assignment]
    date_columns: set[int] = frozenset(),  # type: ignore[assignment]
    total_row: bool = False,
) -> None:
    sheet.append([_cell(value) for value in heads])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    for index, values in enumerate(rows):
        sheet.append([_cell(value) for value in values])
        cells = sheet[sheet.max_row]
        for column, cell in enumerate(cells):
            if column in rate_columns or (index in rate_rows and column > 0):
                cell.number_format = "+0.0%;-0.0%;0.0%" if column == 3 and rate_rows else PERCENT
            elif column in date_columns:
                cell.number_format = "yyyy-mm-dd"
        if total_row and index == len(rows) - 1:
            for cell in cells:
                cell.font = TOTAL_FONT
    sheet.freeze_panes = "B2"
    widths = [_width(h) for h in heads]
    for values in rows:
        for column, value in enumerate(values[: len(widths)]):
            shown = f"{value:.1%}" if isinstance(value, float) else value
            widths[column] = max(widths[column], _width(shown))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, width + 2)


def _cell(value: Any) -> Any:
    """A text as a cell can hold it: a department or district name an old database holds
    with a control character shows its escape (openpyxl would refuse the whole file). The
    report's texts are names and labels of a few dozen characters, far below a cell's limit."""
    return xlsx_text(value) if isinstance(value, str) else value


def _width(value: object) -> int:
    """The width of ``value`` in Excel's character units (a Chinese character counts two)."""
    if value is None:
        return 2
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
