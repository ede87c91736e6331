"""Older databases, for tests that upgrade them: a database taken back to an older schema,
and rows as an older schema held them.

Before migration 19 the case row held the caller's real contact (``contact_name``,
``contact_phone``); today's models write it apart, so such a row is inserted with SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hotline.models import Enterprise

NOW = dt.datetime(2026, 3, 2, 9, 30)


def back_to(handle: Any, target: str, version: int, *undo: str) -> None:
    """Make ``handle`` a database of schema ``version``, as far as a test of the later
    migrations needs: upgraded that far (a new database is made at the latest), the later
    versions forgotten, and ``undo``'s statements run (dropping what they made)."""
    from hotline import migrations
    from hotline.models import SchemaVersion

    migrations.upgrade(handle, target, up_to=version)
    SchemaVersion.delete().where(SchemaVersion.version > version).execute()
    for statement in undo:
        handle.execute_sql(statement)


def enterprise(name: str, uscc: str | None = None) -> int:
    return int(
        Enterprise.create(
            name=name, uscc=uscc, district="410611", created_at=NOW, updated_at=NOW
        ).id
    )


def case_before_19(
    handle: Any,
    case_no: str,
    *,
    enterprise_id: int | None,
    subject: str,
    name: str = "刘强",
    phone: str = "13912345678",
    confidential: bool = False,
) -> int:
    """Insert a case into a database whose schema is older than 19; returns its id."""
    p = handle.param
    handle.execute_sql(
        'INSERT INTO "case" (case_no, channel, kind, category, urgency, district_id, '
        "enterprise_id, contact_name, contact_phone, subject, description, request, "
        "confidential, status, received_at, registered_at, registered_by_name, extended, "
        "round, version, updated_at) VALUES "
        f"({p}, 'hotline', 'complaint', 'approval', 'normal', '410611', {p}, {p}, {p}, {p}, "
        f"'升级前登记的案件，升级后应能搜索到。', '', {p}, 'registered', {p}, {p}, 'tester', "
        f"{p}, 1, 1, {p})",
        (case_no, enterprise_id, name, phone, subject, confidential, NOW, NOW, False, NOW),
    )
    row = handle.execute_sql('SELECT id FROM "case" WHERE case_no = ' + p, (case_no,)).fetchone()
    return int(row[0])
