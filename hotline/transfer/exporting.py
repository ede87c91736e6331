"""Exporting cases as JSON or CSV, streamed: a million cases never sit in memory at once.

JSON is an array with one case object per line: ``case_no``, the intake keys (``channel``,
``kind``, ``category``, ``urgency``, ``district``, ``enterprise`` {``name``, ``uscc``},
``contact`` {``name``, ``phone``}, ``subject``, ``description``, ``request``,
``confidential``, ``received_at``), ``status`` and ``timeline`` (events with ``at``,
``action``, ``actor``, ``internal``, ``text``, ``data``). CSV has the same fields as flat
columns (``enterprise.name`` …) and the timeline as a JSON column; a text that a spreadsheet
would run as a formula gets a leading quote (:mod:`hotline.spreadsheet_text`).
:mod:`hotline.transfer.importing` reads both back.

Exporting needs ``Action.CASE_EXPORT``. A confidential caller's name and phone are masked
when asked, and always for a role that may not see them: in the contact fields and wherever
they appear in the subject, description, request and the timeline's texts and data, in any
spelling (:class:`hotline.masking.Scrubber`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from collections.abc import Callable, Iterator
from typing import IO, Any

from hotline import audit
from hotline.db import current, write_transaction
from hotline.masking import Scrubber, mask_name, mask_phone
from hotline.permissions import Action, Actor
from hotline.spreadsheet_text import csv_row

log = logging.getLogger(__name__)

FORMATS = ("json", "csv")
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
)
BATCH = 2000

_CASES_SQL = (
    "SELECT c.id, c.case_no, c.channel, c.kind, c.category, c.urgency, c.district_id, "
    "e.name, e.uscc, c.contact_name, c.contact_phone, c.subject, c.description, c.request, "
    'c.confidential, c.received_at, c.status FROM "case" c '
    "LEFT OUTER JOIN enterprise e ON e.id = c.enterprise_id "
    "WHERE c.id > {p} ORDER BY c.id LIMIT {p}"
)
_EVENTS_SQL = (
    "SELECT case_id, at, action, actor_name, internal, text, data FROM case_event "
    "WHERE case_id >= {p} AND case_id <= {p} ORDER BY case_id, id"
)


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


def iter_cases(*, mask_confidential: bool = False, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """Every case as an export record, oldest first, ``batch`` cases per query."""
    db = current()
    cases_sql = _CASES_SQL.format(p=db.param)
    events_sql = _EVENTS_SQL.format(p=db.param)
    last = 0
    while True:
        rows = db.execute_sql(cases_sql, (last, batch)).fetchall()
        if not rows:
            return
        timelines: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in rows}
        for case_id, at, action, actor, internal, text, data in db.execute_sql(
            events_sql, (rows[0][0], rows[-1][0])
        ):
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
        for row in rows:
            yield _record(row, timelines[row[0]], mask_confidential)
        last = rows[-1][0]


def _record(
    row: tuple[Any, ...], timeline: list[dict[str, Any]], mask_confidential: bool
) -> dict[str, Any]:
    (_id, case_no, channel, kind, category, urgency, district, enterprise, uscc, name, phone) = row[
        :11
    ]
    subject, description, request, confidential, received_at, status = row[11:]
    confidential = bool(confidential)
    if confidential and mask_confidential:
        clean = Scrubber(name, phone)
        subject, description, request = clean(subject), clean(description), clean(request)
        for event in timeline:
            event["text"] = clean(event["text"])
            event["data"] = clean.value(event["data"])
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
    }


def flat_row(record: dict[str, Any]) -> list[str]:
    """A case record as the cells of ``CSV_COLUMNS``."""
    cells = []
    for column in CSV_COLUMNS:
        head, _, tail = column.partition(".")
        value = record[head][tail] if tail else record[column]
        if column == "timeline":
            value = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        cells.append("" if value is None else str(value))
    return cells


def write_json(records: Iterator[dict[str, Any]], out: IO[str], tick: Callable[[], None]) -> int:
    count = 0
    out.write("[")
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
        tick()
    out.write("\n]\n" if count else "]\n")
    return count


def write_csv(records: Iterator[dict[str, Any]], out: IO[str], tick: Callable[[], None]) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for record in records:
        writer.writerow(csv_row(flat_row(record)))
        count += 1
        tick()
    return count


def export(
    actor: Actor,
    out: IO[str],
    fmt: str = "json",
    *,
    mask_confidential: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write every case to ``out`` in ``fmt`` (``json`` or ``csv``); returns the count."""
    actor.require(Action.CASE_EXPORT)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format: {fmt}")
    masked = mask_confidential or not actor.can(Action.CASE_VIEW_CONFIDENTIAL)
    total = current().execute_sql('SELECT COUNT(*) FROM "case"').fetchone()[0] if progress else 0
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress and (done % BATCH == 0 or done == total):
            progress(done, total)

    writer = write_json if fmt == "json" else write_csv
    count = writer(iter_cases(mask_confidential=masked), out, tick)
    with write_transaction():
        audit.record(
            actor, "case.export", "case", "", {"format": fmt, "count": count, "masked": masked}
        )
    log.info("exported %s cases as %s (masked: %s)", count, fmt, masked)
    return count
