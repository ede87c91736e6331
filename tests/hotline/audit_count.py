"""Counting the audit entries the program writes: a database set up by ``server setup`` also
appends its own (``db.<table>.<change>``, by trigger) for every row a service changes."""

from __future__ import annotations

from hotline.models import AuditEntry


def program_entries() -> int:
    return int(AuditEntry.select().where(~AuditEntry.action.startswith("db.")).count())
