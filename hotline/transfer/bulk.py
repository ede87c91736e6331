"""Writing many cases at once with plain ``executemany``: the demo generator and imports.

The service path (:func:`hotline.cases.register`) writes one case with its event, audit entry
and index row per transaction: right for an operator, far too slow for a million rows. These
helpers write prepared rows in big batches (SQLite: ≈200k rows/s) inside a transaction the
caller holds (``db.write_transaction``); the caller rebuilds or updates the search index and
writes one audit entry for the whole batch.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from hotline import numbering
from hotline.db import current, is_sqlite
from hotline.masking import mask_name, mask_phone
from hotline.transfer.replay import CaseState, TimelineEvent

_to_json = json.JSONEncoder(ensure_ascii=False, default=str).encode

CASE_COLUMNS = (
    "id",
    "case_no",
    "channel",
    "kind",
    "category",
    "urgency",
    "district_id",
    "enterprise_id",
    "contact_name_masked",
    "contact_phone_masked",
    "subject",
    "description",
    "request",
    "confidential",
    "status",
    "received_at",
    "registered_at",
    "registered_by_id",
    "registered_by_name",
    "department_id",
    "dispatched_at",
    "deadline",
    "ceiling",
    "extension_status",
    "extension_until",
    "extension_reason",
    "extended",
    "handled_at",
    "reply",
    "callback_at",
    "satisfaction",
    "callback_comment",
    "closed_at",
    "round",
    "repeat_of_id",
    "version",
    "updated_at",
)
# The caller as recorded, beside the case (hotline.contacts): inserted right after the cases.
CONTACT_COLUMNS = ("case_id", "confidential", "contact_name", "contact_phone")
EVENT_COLUMNS = ("case_id", "at", "actor_name", "user_id", "action", "internal", "text", "data")
ENTERPRISE_COLUMNS = (
    "id",
    "name",
    "uscc",
    "district_id",
    "industry",
    "steward_name",
    "steward_phone",
    "created_at",
    "updated_at",
)


def stamp(value: dt.date | None) -> str | None:
    """A date or datetime as the text the models store (what sqlite3's adapter writes)."""
    return None if value is None else str(value)


def next_id(table: str) -> int:
    """The first free id of ``table`` (call inside the write transaction)."""
    row = current().execute_sql(f'SELECT MAX(id) FROM "{table}"').fetchone()
    return int(row[0] or 0) + 1


def insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write ``rows`` into ``table``: ``executemany`` on SQLite, one streamed ``COPY`` on
    PostgreSQL (several times faster than row-by-row inserts there), or, where row-level
    security applies to the signed-in person (a server with a login role per person, which
    refuses ``COPY FROM`` then), multi-row ``INSERT``s that the policies check row by row."""
    db = current()
    if not is_sqlite(db):
        from hotline.pg import copy

        with db.connection().cursor() as cur:
            cur.execute("SELECT row_security_active(%s::regclass)", (f'"{table}"',))
            if cur.fetchone()[0]:
                from psycopg2.extras import execute_values

                names = ", ".join(f'"{c}"' for c in columns)
                sql = f'INSERT INTO "{table}" ({names}) VALUES %s'
                execute_values(cur, sql, rows, page_size=1000)
            else:
                copy.copy_rows(cur, table, columns, rows)
    else:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join([db.param] * len(columns))
        db.cursor().executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
    if columns[0] == "id" and not is_sqlite(db):
        # PostgreSQL's id sequence does not see explicit ids: move it past them (on a server
        # with a login role per person through the function that may, forward only).
        found = db.execute_sql(
            "SELECT to_regprocedure('public.hotline_sequence_past_ids(text)') IS NOT NULL"
        ).fetchone()
        if found[0]:
            db.execute_sql("SELECT public.hotline_sequence_past_ids(%s)", (table,))
        else:
            db.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT MAX(id) FROM "{table}"))'
            )


def counters(first_day: dt.date, last_day: dt.date) -> dict[str, int]:
    """The last sequence number handed out for each day of [first_day, last_day]."""
    db = current()
    rows = db.execute_sql(
        f"SELECT day, last FROM case_counter WHERE day >= {db.param} AND day <= {db.param}",
        (f"{first_day:%Y%m%d}", f"{last_day:%Y%m%d}"),
    )
    return {day: int(last) for day, last in rows}


def raise_counters(last_by_day: Mapping[str, int]) -> None:
    """Make each day's counter at least the given value (see :func:`numbering.reserve`)."""
    for day, last in last_by_day.items():
        numbering.reserve(f"{numbering.PREFIX}{day}-{last:04d}")


def case_row(
    case_id: int,
    case_no: str,
    intake: Mapping[str, Any],
    state: CaseState,
    *,
    enterprise_id: int | None,
    department_id: int | None,
    repeat_of_id: int | None,
) -> tuple[Any, ...]:
    """The values of one case row, in ``CASE_COLUMNS`` order.

    ``intake`` holds the normalised intake fields (the keys of ``CaseDraft``: channel, kind,
    category, urgency, district_code, contact_name, contact_phone, subject, description,
    request, confidential, received_at) as plain strings, booleans and datetimes.
    """
    return (
        case_id,
        case_no,
        intake["channel"],
        intake["kind"],
        intake["category"],
        intake["urgency"],
        intake["district_code"] or None,
        enterprise_id,
        mask_name(intake["contact_name"]),
        mask_phone(intake["contact_phone"]),
        intake["subject"],
        intake["description"],
        intake["request"],
        bool(intake["confidential"]),
        state.status,
        stamp(intake["received_at"]),
        stamp(state.registered_at or intake["received_at"]),
        None,
        state.registered_by_name[:40],
        department_id,
        stamp(state.dispatched_at),
        stamp(state.deadline),
        stamp(state.ceiling),
        state.extension_status,
        stamp(state.extension_until),
        state.extension_reason,
        state.extended,
        stamp(state.handled_at),
        state.reply,
        stamp(state.callback_at),
        state.satisfaction,
        state.callback_comment,
        stamp(state.closed_at),
        state.round,
        repeat_of_id,
        state.version,
        stamp(state.updated_at or intake["received_at"]),
    )


def contact_row(case_id: int, intake: Mapping[str, Any]) -> tuple[Any, ...]:
    """The case's ``case_contact`` row, in ``CONTACT_COLUMNS`` order (``intake`` as for
    :func:`case_row`)."""
    return (
        case_id,
        bool(intake["confidential"]),
        intake["contact_name"] or "",
        intake["contact_phone"] or "",
    )


def event_rows(case_id: int, events: Iterable[TimelineEvent]) -> list[tuple[Any, ...]]:
    """The rows of a case's timeline, in ``EVENT_COLUMNS`` order."""
    return [
        (
            case_id,
            stamp(event.at),
            event.actor[:40],
            None,
            event.action,
            event.internal,
            event.text,
            _to_json(event.data) if event.data else "{}",
        )
        for event in events
    ]
