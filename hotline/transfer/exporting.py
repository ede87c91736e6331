"""Exporting cases as JSON, CSV or XLSX, streamed: a million cases never sit in memory at once.

JSON is an array with one case object per line: ``case_no``, the intake keys (``channel``,
``kind``, ``category``, ``urgency``, ``district``, ``enterprise`` {``name``, ``uscc``},
``contact`` {``name``, ``phone``}, ``subject``, ``description``, ``request``,
``confidential``, ``received_at``), ``status`` and ``timeline`` (events with ``at``,
``action``, ``actor``, ``internal``, ``text``, ``data``). CSV has the same fields as flat
columns (``enterprise.name`` …) and the timeline as a JSON column; a text that a spreadsheet
would run as a formula gets a leading quote (:mod:`hotline.spreadsheet_text`).
:mod:`hotline.transfer.importing` reads both back.

``labels=True`` (the default for XLSX and in the app; ``--labels`` for CSV on the command
line) writes what a reader expects instead: Chinese headings, labels instead of codes
(``来信``, ``安阳市龙安区`` rather than ``letter``, ``410603``), ``是``/``否``, the department and
the deadline, the timeline last. The import reads such a file back too (it knows the headings
and the labels), but a CSV meant for another program is best written with codes, which stay
the CSV default. XLSX cells are typed (text stays text, never a formula; times are times),
with column widths, a frozen header row and an autofilter, written row by row
(openpyxl's write-only mode), so memory stays flat. Every cell is one Excel accepts: a text
longer than a cell holds (32,767 characters: a long timeline) keeps its beginning in its cell
and goes on in a sheet "超长内容", which the import joins again
(:mod:`hotline.transfer.long_cells`); a control character an old database may hold is
written as its escape (``\\x0b``), visibly.

What is exported can be narrowed to a list's filter (:class:`hotline.case_queries.CaseFilter`,
its view, filters and search results) in the list's order.

Exporting needs ``Action.CASE_EXPORT``. A confidential caller's name and phone are masked
when asked, and always for a role that may not see them: in the contact fields and wherever
they appear in the subject, description, request and the timeline's texts and data, in any
spelling (:class:`hotline.masking.Scrubber`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import json
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from hotline import audit, case_calls, case_queries, read_replica
from hotline.case_queries import CaseFilter
from hotline.db import current, write_transaction
from hotline.enums import Category, Channel, Kind, LabelledEnum, Status, Urgency
from hotline.i18n import N_, _, current_locale
from hotline.masking import Scrubber, mask_name, mask_phone
from hotline.permissions import Action, Actor
from hotline.spreadsheet_text import csv_row, xlsx_row
from hotline.transfer.long_cells import LongCells

log = logging.getLogger(__name__)

FORMATS = ("json", "csv", "xlsx")
CSV_COLUMNS = (
    "case_no",
    "channel",
    "kind",
    "category",
    "urgency",
    "district",
    "enterprise.name",
    "enterprise.uscc",
    "contact.name",
    "contact.phone",
    "subject",
    "description",
    "request",
    "confidential",
    "received_at",
    "status",
    "timeline",
    "call.id",
    "call.at",
    "call.saved_at",
)
BATCH = 2000


@dataclass(frozen=True)
class LabelledColumn:
    key: str  # the record's field (``enterprise.name``) or ``department``/``deadline``
    heading: str  # message id; the import knows these headings (transfer.sources.HEADINGS)
    width: float  # in characters, for XLSX


LABELLED_COLUMNS = (
    LabelledColumn("case_no", N_("案件编号"), 19),
    LabelledColumn("received_at", N_("受理时间"), 17),
    LabelledColumn("channel", N_("受理渠道"), 10),
    LabelledColumn("kind", N_("诉求类型"), 10),
    LabelledColumn("category", N_("诉求类别"), 14),
    LabelledColumn("urgency", N_("紧急程度"), 10),
    LabelledColumn("status", N_("状态"), 9),
    LabelledColumn("district", N_("区县"), 12),
    LabelledColumn("enterprise.name", N_("企业名称"), 30),
    LabelledColumn("enterprise.uscc", N_("统一社会信用代码"), 21),
    LabelledColumn("contact.name", N_("联系人"), 10),
    LabelledColumn("contact.phone", N_("联系电话"), 15),
    LabelledColumn("subject", N_("诉求标题"), 32),
    LabelledColumn("description", N_("诉求内容"), 50),
    LabelledColumn("request", N_("企业诉求"), 32),
    LabelledColumn("department", N_("承办单位"), 22),
    LabelledColumn("deadline", N_("办理期限"), 12),
    # The assisting departments of the last dispatch and their parts (会办), from the timeline.
    LabelledColumn("cohandling", N_("会办单位"), 30),
    LabelledColumn("confidential", N_("保密"), 7),
    LabelledColumn("timeline", N_("时间线"), 40),
    LabelledColumn("call.id", N_("通话编号"), 16),
    LabelledColumn("call.at", N_("来电时间"), 17),
    LabelledColumn("call.saved_at", N_("登记保存时间"), 17),
)
CODE_WIDTHS = {"description": 50, "timeline": 40, "subject": 32, "request": 32}
_ENUMS: dict[str, type[LabelledEnum]] = {
    "channel": Channel,
    "kind": Kind,
    "category": Category,
    "urgency": Urgency,
    "status": Status,
}

_CASES_SELECT = (
    "SELECT c.id, c.case_no, c.channel, c.kind, c.category, c.urgency, c.district_id, "
    "e.name, e.uscc, COALESCE(k.contact_name, c.contact_name_masked), "
    "COALESCE(k.contact_phone, c.contact_phone_masked), c.subject, c.description, c.request, "
    "c.confidential, c.received_at, c.status, d.name, c.deadline, k.case_id IS NULL "
    'FROM "case" c '
    # The caller as recorded where this session may read it, else its masked forms.
    "LEFT OUTER JOIN case_contact k ON k.case_id = c.id "
    "LEFT OUTER JOIN enterprise e ON e.id = c.enterprise_id "
    "LEFT OUTER JOIN department d ON d.id = c.department_id "
)
_CASES_SQL = _CASES_SELECT + "WHERE c.id > {p} ORDER BY c.id LIMIT {p}"
_EVENTS_SELECT = "SELECT case_id, at, action, actor_name, internal, text, data FROM case_event "
_EVENTS_SQL = _EVENTS_SELECT + "WHERE case_id >= {p} AND case_id <= {p} ORDER BY case_id, id"


def iso(value: Any) -> str | None:
    """A stored datetime as ISO 8601 (``2026-11-25T09:30:00``)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value).replace(" ", "T", 1)


def _data(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def iter_cases(
    *,
    mask_confidential: bool = False,
    batch: int = BATCH,
    case_filter: CaseFilter | None = None,
    sort: str = "id",
    descending: bool = False,
) -> Iterator[dict[str, Any]]:
    """Every case (or those matching ``case_filter``, in the order ``sort``/``descending``
    as the list shows them) as an export record, ``batch`` cases per query."""
    for rows, events in _batches(batch, case_filter, sort, descending):
        timelines = _timelines(rows, events)
        calls = case_calls.intake_calls([row[0] for row in rows])
        for row in rows:
            record = _record(row, timelines[row[0]], mask_confidential)
            record["call"] = _call(calls.get(row[0]))
            yield record


def _call(call: case_calls.CaseCallView | None) -> dict[str, Any]:
    """The call a case was registered from: the telephone system's id, when it came in and
    when the case was saved (empty for a case not registered from a call)."""
    if call is None:
        return {"id": "", "at": None, "saved_at": None}
    return {"id": call.call_id, "at": iso(call.call_at), "saved_at": iso(call.saved_at)}


def _batches(
    batch: int, case_filter: CaseFilter | None, sort: str, descending: bool
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """(case rows, their events) batch by batch."""
    db = current()
    if case_filter is None and sort == "id" and not descending:
        cases_sql = _CASES_SQL.format(p=db.param)
        events_sql = _EVENTS_SQL.format(p=db.param)
        last = 0
        while True:
            rows = db.execute_sql(cases_sql, (last, batch)).fetchall()
            if not rows:
                return
            events = db.execute_sql(events_sql, (rows[0][0], rows[-1][0])).fetchall()
            yield rows, events
            last = rows[-1][0]
    flt = case_filter or CaseFilter()
    for ids in case_queries.iter_ids(flt, sort=sort, descending=descending, batch=batch):
        marks = ", ".join([db.param] * len(ids))
        found = db.execute_sql(_CASES_SELECT + f"WHERE c.id IN ({marks})", ids).fetchall()
        by_id = {row[0]: row for row in found}
        events = db.execute_sql(
            _EVENTS_SELECT + f"WHERE case_id IN ({marks}) ORDER BY case_id, id", ids
        ).fetchall()
        yield [by_id[case_id] for case_id in ids if case_id in by_id], events


def _timelines(
    rows: Sequence[tuple[Any, ...]], events: Sequence[tuple[Any, ...]]
) -> dict[int, list[dict[str, Any]]]:
    timelines: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in rows}
    for case_id, at, action, actor, internal, text, data in events:
        if case_id in timelines:
            timelines[case_id].append(
                {
                    "at": iso(at),
                    "action": action,
                    "actor": actor,
                    "internal": bool(internal),
                    "text": text or "",
                    "data": _data(data),
                }
            )
    return timelines


def _record(
    row: tuple[Any, ...], timeline: list[dict[str, Any]], mask_confidential: bool
) -> dict[str, Any]:
    (_id, case_no, channel, kind, category, urgency, district, enterprise, uscc, name, phone) = row[
        :11
    ]
    subject, description, request, confidential, received_at, status = row[11:17]
    department, deadline, masked_already = row[17:20]
    confidential = bool(confidential)
    if confidential and mask_confidential:
        clean = Scrubber(name, phone)
        subject, description, request = clean(subject), clean(description), clean(request)
        for event in timeline:
            event["text"] = clean(event["text"])
            event["data"] = clean.value(event["data"])
        if not masked_already:
            name, phone = mask_name(name), mask_phone(phone)
    return {
        "case_no": case_no,
        "channel": channel,
        "kind": kind,
        "category": category,
        "urgency": urgency,
        "district": district or "",
        "enterprise": {"name": enterprise or "", "uscc": uscc},
        "contact": {"name": name, "phone": phone},
        "subject": subject,
        "description": description,
        "request": request,
        "confidential": confidential,
        "received_at": iso(received_at),
        "status": status,
        "timeline": timeline,
        "call": _call(None),
        # Not part of the JSON and CSV formats (the timeline says it): labelled exports only.
        "_department": department or "",
        "_deadline": _as_date(deadline),
    }


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def flat_row(record: dict[str, Any]) -> list[str]:
    """A case record as the cells of ``CSV_COLUMNS``."""
    cells = []
    for column in CSV_COLUMNS:
        head, _, tail = column.partition(".")
        value = (record.get(head) or {}).get(tail) if tail else record[column]
        if column == "timeline":
            value = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        cells.append("" if value is None else str(value))
    return cells


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if not key.startswith("_")}


def labelled_cells(
    record: dict[str, Any], districts: dict[str, str], *, typed: bool = False
) -> list[Any]:
    """A case record as the cells of ``LABELLED_COLUMNS``: labels instead of codes; with
    ``typed`` (XLSX), times and dates as such, else as text."""
    cells: list[Any] = []
    for column in LABELLED_COLUMNS:
        head, _sep, tail = column.key.partition(".")
        value: Any
        if tail:
            value = (record.get(head) or {}).get(tail)
            if head == "call" and tail != "id":
                moment = _as_datetime(value)
                value = moment if typed else (moment.isoformat(" ") if moment else "")
        elif column.key in ("department", "deadline"):
            value = record["_" + column.key]
        elif column.key == "cohandling":
            value = cohandling_cell(record["timeline"])
        else:
            value = record[column.key]
        if column.key in _ENUMS:
            value = _enum_labels(column.key).get(value, value)
        elif column.key == "district":
            value = districts.get(value, value)
        elif column.key == "confidential":
            value = _("是") if value else _("否")
        elif column.key == "received_at":
            moment = _as_datetime(value)
            value = moment if typed else (moment.isoformat(" ") if moment else "")
        elif column.key == "deadline" and not typed:
            value = value.isoformat() if value else ""
        elif column.key == "timeline":
            value = json.dumps(value, ensure_ascii=False)
        cells.append("" if value is None else value)
    return cells


def cohandling_cell(timeline: Sequence[dict[str, Any]]) -> str:
    """The assisting departments of the case's last dispatch, each with its deadline and
    whether (and when) it answered: ``市交通运输局（2026-11-25 前；2026-11-24 已答复）``."""
    parts: dict[str, list[str]] = {}
    for event in timeline:
        data = event.get("data") or {}
        action = event.get("action")
        if action in ("dispatch", "return", "reopen", "withdraw"):
            parts = {}
            assisting = data.get("assisting") if action == "dispatch" else None
            for part in assisting if isinstance(assisting, list) else []:
                if isinstance(part, dict) and part.get("department"):
                    parts[str(part["department"])] = [str(part.get("deadline") or ""), ""]
        elif action == "answer_assist" and str(data.get("department") or "") in parts:
            parts[str(data["department"])][1] = str(event.get("at") or "")[:10]
    shown = []
    for name, (deadline, answered) in parts.items():
        state = _("{date} 已答复").format(date=answered) if answered else _("未答复")
        shown.append(
            _("{department}（{deadline} 前；{state}）").format(
                department=name, deadline=deadline, state=state
            )
        )
    return _("、").join(shown)


def _enum_labels(key: str) -> dict[str, str]:
    """Code → label of one enumeration, in the current language (cached per language)."""
    return _labels_in(key, current_locale())


@functools.lru_cache(maxsize=32)
def _labels_in(key: str, _locale: str) -> dict[str, str]:
    return {member.value: member.label for member in _ENUMS[key]}


def headings(labels: bool) -> list[str]:
    if labels:
        return [_(column.heading) for column in LABELLED_COLUMNS]
    return list(CSV_COLUMNS)


def write_json(records: Iterator[dict[str, Any]], out: IO[str], tick: Callable[[], None]) -> int:
    count = 0
    out.write("[")
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(_public(record), ensure_ascii=False))
        count += 1
        tick()
    out.write("\n]\n" if count else "]\n")
    return count


def write_csv(
    records: Iterator[dict[str, Any]],
    out: IO[str],
    tick: Callable[[], None],
    *,
    labels: bool = False,
) -> int:
    writer = csv.writer(out)
    writer.writerow(headings(labels))
    districts = _district_names() if labels else {}
    count = 0
    for record in records:
        cells = labelled_cells(record, districts) if labels else flat_row(record)
        writer.writerow(csv_row(cells))
        count += 1
        tick()
    return count


def write_xlsx(
    records: Iterator[dict[str, Any]],
    out: IO[bytes],
    tick: Callable[[], None],
    *,
    labels: bool = True,
) -> int:
    """One sheet, row by row (write-only): a bold frozen header with an autofilter, column
    widths set, texts typed as text (never a formula), times and dates typed as such; a text
    longer than an Excel cell holds goes on in a second sheet (:mod:`.long_cells`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("案件"))
    if labels:
        widths = [column.width for column in LABELLED_COLUMNS]
    else:
        widths = [CODE_WIDTHS.get(column, 14) for column in CSV_COLUMNS]
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF5")
    header = []
    for cell in xlsx_row(sheet, headings(labels)):
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    sheet.append(header)
    districts = _district_names() if labels else {}
    # A text longer than a cell holds (a long timeline) goes on in a sheet of its own.
    long_cells = LongCells(book, headings(labels), key_column=0)
    count = 0
    try:
        for record in records:
            cells = labelled_cells(record, districts, typed=True) if labels else flat_row(record)
            row = xlsx_row(sheet, long_cells.fit(cells, count + 2))
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
            sheet.append(row)
            count += 1
            tick()
    except BaseException:
        _discard(sheet)  # cancelled or failed: no temporary copy of the cases is left
        if long_cells.sheet is not None:
            _discard(long_cells.sheet)
        raise
    last = get_column_letter(len(widths))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    book.save(out)
    return count


def _discard(sheet: Any) -> None:
    """Close a write-only sheet's rows and remove the temporary file openpyxl keeps them in
    (it would otherwise stay until the program ends, and its closing would fail later)."""
    with contextlib.suppress(Exception):
        sheet.close()
    writer = getattr(sheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.cleanup()


def _district_names() -> dict[str, str]:
    from hotline.admin import district_names

    return district_names()


def export(
    actor: Actor,
    out: IO[Any],
    fmt: str = "json",
    *,
    mask_confidential: bool = False,
    labels: bool | None = None,
    case_filter: CaseFilter | None = None,
    sort: str = "id",
    descending: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the cases (every one, or those of ``case_filter`` in the list's order) to
    ``out`` in ``fmt`` (``json``, ``csv`` on a text file; ``xlsx`` on a binary one);
    ``labels`` (default: for XLSX only) writes labels instead of codes. Returns the count."""
    actor.require(Action.CASE_EXPORT)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format: {fmt}")
    labelled = fmt == "xlsx" if labels is None else labels and fmt != "json"
    masked = mask_confidential or not actor.can(Action.CASE_VIEW_CONFIDENTIAL)
    total = 0
    if progress:
        total = case_queries.count(case_filter) if case_filter else _count_all()
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress and (done % BATCH == 0 or done == total):
            progress(done, total)

    start = out.tell() if out.seekable() else None

    def write_all() -> int:
        """The whole file (again from its start when the read replica failed midway)."""
        nonlocal done
        if start is not None:
            out.seek(start)
            out.truncate()
        done = 0
        records = iter_cases(
            mask_confidential=masked, case_filter=case_filter, sort=sort, descending=descending
        )
        if fmt == "json":
            return write_json(records, out, tick)
        if fmt == "csv":
            return write_csv(records, out, tick, labels=labelled)
        return write_xlsx(records, out, tick, labels=labelled)

    # Read from the read replica where there is one (hotline.read_replica).
    count = read_replica.read(write_all, again=start is not None)
    details: dict[str, Any] = {
        "format": fmt,
        "count": count,
        "masked": masked,
        "labels": labelled,
        "filtered": case_filter is not None,
    }
    with write_transaction():
        audit.record(actor, "case.export", "case", "", details)
    log.info("exported %s cases as %s (masked: %s)", count, fmt, masked)
    return count


def _count_all() -> int:
    total: int = current().execute_sql('SELECT COUNT(*) FROM "case"').fetchone()[0]
    return total


def export_file(
    actor: Actor,
    path: str | os.PathLike[str],
    fmt: str | None = None,
    **options: Any,
) -> int:
    """Export to the file ``path`` (format from ``fmt`` or the name's suffix), written only
    through :func:`hotline.output_files.replacing`: the file appears when complete, never
    over the database. Raises :class:`hotline.errors.HotlineError` when it cannot be written."""
    from hotline import output_files

    target = Path(path)
    fmt = fmt or format_of(target)
    if fmt == "xlsx":
        with output_files.replacing(target) as handle:
            return export(actor, handle, fmt, **options)
    # Spreadsheets need the BOM to read UTF-8 CSV as such.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with output_files.replacing(target, encoding=encoding, newline="") as handle:
        return export(actor, handle, fmt, **options)


def format_of(path: Path) -> str:
    """The format a file name asks for (``.xlsx``, ``.csv``, else JSON)."""
    suffix = path.suffix.lower()
    return {".xlsx": "xlsx", ".csv": "csv"}.get(suffix, "json")
