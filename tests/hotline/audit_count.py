"""Counting the audit entries the program writes: a database set up by ``server setup`` also
appends its own (``db.<table>.<change>``, by trigger) for every row a service changes."""

from __future__ import annotations

from hotline.models import AuditEntry


def _program() -> object:
    return ~AuditEntry.action.startswith("db.")


def program_entries() -> int:
    return int(AuditEntry.select().where(_program()).count())


def last_program_action() -> str:
    """The action of the newest entry the program wrote."""
    return str(AuditEntry.select().where(_program()).order_by(AuditEntry.id.desc()).first().action)
