"""Case numbers: ``YS20261125-0007`` — prefix, day of receipt, sequence of that day.

The sequence comes from one upsert on ``case_counter`` that returns the new value, which is
atomic on SQLite (inside the writer's lock) and on PostgreSQL (row lock of the upsert), so
several workstations registering at the same moment never get the same number.
"""

from __future__ import annotations

import datetime as dt
import re

from hotline.db import current

PREFIX = "YS"
PATTERN = re.compile(r"^([A-Z]{2})(\d{8})-(\d{4,})$")


def format_case_no(day: dt.date, sequence: int) -> str:
    return f"{PREFIX}{day:%Y%m%d}-{sequence:04d}"


def next_case_no(day: dt.date) -> str:
    """Allocate the next number of ``day``. Call inside the registering transaction."""
    db = current()
    param = db.param
    cursor = db.execute_sql(
        f"INSERT INTO case_counter (day, last) VALUES ({param}, 1) "
        "ON CONFLICT (day) DO UPDATE SET last = case_counter.last + 1 RETURNING last",
        (f"{day:%Y%m%d}",),
    )
    (sequence,) = cursor.fetchone()
    return format_case_no(day, sequence)


def reserve(case_no: str) -> None:
    """Make sure later numbers of that day come after an imported ``case_no``."""
    match = PATTERN.match(case_no)
    if not match:
        return
    db = current()
    param = db.param
    db.execute_sql(
        f"INSERT INTO case_counter (day, last) VALUES ({param}, {param}) "
        "ON CONFLICT (day) DO UPDATE SET last = "
        "CASE WHEN case_counter.last > excluded.last THEN case_counter.last ELSE excluded.last END",
        (match.group(2), int(match.group(3))),
    )
