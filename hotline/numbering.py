"""Case numbers: ``YS20261125-0007`` — prefix, day of receipt, sequence of that day.

The sequence comes from one upsert on ``case_counter`` that returns the new value, which is
atomic on SQLite (inside the writer's lock) and on PostgreSQL (row lock of the upsert), so
several workstations registering at the same moment never get the same number.

A number from elsewhere (an import) is taken only in the form this module writes, with a
real day and a sequence of at most ``MAX_SEQUENCE`` (:func:`parse_case_no`): reserving it
then leaves the day's counter far below where it could overflow (the counter is a 32-bit
integer on PostgreSQL), and the next number of that day never equals a stored one.
"""

from __future__ import annotations

import datetime as dt
import re

from hotline.db import current
from hotline.i18n import N_

PREFIX = "YS"
PATTERN = re.compile(r"^([A-Z]{2})(\d{8})-(\d{4,})$")
MSG_FORMAT = N_("案件编号格式不对，应如 YS20261125-0007")
MSG_DAY = N_("案件编号中的日期不存在")
MSG_RANGE = N_("案件编号的序号超出范围（应为 1 至 999999）")
# No day sees a million cases: an imported number above this is a broken or foreign one.
MAX_SEQUENCE = 999_999


def format_case_no(day: dt.date, sequence: int) -> str:
    return f"{PREFIX}{day:%Y%m%d}-{sequence:04d}"


def parse_case_no(text: str) -> tuple[dt.date, int]:
    """The day and sequence of a case number as :func:`format_case_no` writes it; raises
    ValueError (with a message id of hotline.i18n) for anything else."""
    match = PATTERN.match(text)
    if not match or match.group(1) != PREFIX:
        raise ValueError(MSG_FORMAT)
    digits = match.group(2)
    try:
        day = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ValueError(MSG_DAY) from None
    sequence = int(match.group(3))
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(MSG_RANGE)
    if format_case_no(day, sequence) != text:  # extra leading zeros: another spelling
        raise ValueError(MSG_FORMAT)
    return day, sequence


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
