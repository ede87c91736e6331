"""Centre-wide settings kept as JSON text in the ``setting`` table (attachment limits, the
idle-lock policy): reading one, and replacing one with its audit entry."""

from __future__ import annotations

from collections.abc import Callable

from hotline import audit
from hotline.db import write_transaction
from hotline.permissions import Actor


def stored(key: str) -> str | None:
    """The text stored under ``key``, or None when nothing is."""
    from hotline.models import Setting

    row = Setting.get_or_none(Setting.key == key)
    return None if row is None else str(row.value)


def replace(
    actor: Actor, key: str, value: str, *, action: str, before: Callable[[], object], after: object
) -> None:
    """Store ``value`` under ``key`` and record ``action`` in the audit log with what stood
    there before (``before`` is called under the write lock) and ``after``."""
    from hotline.models import Setting

    with write_transaction():
        details = {"before": before(), "after": after}
        Setting.insert(key=key, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}
        ).execute()
        audit.record(actor, action, "setting", key, details)
