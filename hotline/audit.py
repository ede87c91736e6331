"""The audit trail: append-only entries chained by SHA-256 hashes.

Each entry's hash covers its own content and the previous entry's hash; the single
``AuditHead`` row holds the last entry and is updated in the same transaction, which also
serialises concurrent writers. ``verify`` walks the chain and names the first entry that was
altered, deleted or inserted.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline import clock, output_files
from hotline.db import is_sqlite
from hotline.migrations import GENESIS_HASH
from hotline.models import AuditEntry, AuditHead
from hotline.permissions import Action, Actor
from hotline.spreadsheet_text import csv_row


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(
    prev_hash: str,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    detail: str,
) -> str:
    payload = _canonical(
        [prev_hash, at.isoformat(timespec="microseconds"), actor, action, entity, entity_id, detail]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry. Call inside the write transaction of the change it records."""
    query = AuditHead.select().where(AuditHead.id == 1)
    if not is_sqlite():  # SQLite already holds the write lock (BEGIN IMMEDIATE)
        query = query.for_update()
    head = query.get()
    at = clock.now()
    actor_name = f"{actor.name}@{actor.via}" if actor.via != "app" else actor.name
    detail_text = _canonical(detail or {})
    digest = entry_hash(head.last_hash, at, actor_name, action, entity, str(entity_id), detail_text)
    # The id follows the head explicitly: a PostgreSQL sequence does not roll back with a
    # failed transaction, and a gap would read as a deleted entry.
    entry = AuditEntry.create(
        id=head.last_id + 1,
        at=at,
        actor=actor_name,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        detail=detail_text,
        prev_hash=head.last_hash,
        hash=digest,
    )
    AuditHead.update(last_id=entry.id, last_hash=digest).where(AuditHead.id == 1).execute()
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_entry_id: int | None = None
    problem: str = ""


def verify(batch: int = 5000) -> VerifyResult:
    """Check the whole chain; the first broken link is reported."""
    prev_hash = GENESIS_HASH
    prev_id = 0
    checked = 0
    last_id = 0
    while True:
        rows = list(
            AuditEntry.select().where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        )
        if not rows:
            break
        for entry in rows:
            at = (
                entry.at
                if isinstance(entry.at, dt.datetime)
                else dt.datetime.fromisoformat(str(entry.at))
            )
            expected = entry_hash(
                entry.prev_hash,
                at,
                entry.actor,
                entry.action,
                entry.entity,
                entry.entity_id,
                entry.detail,
            )
            if entry.hash != expected:
                return VerifyResult(False, checked, entry.id, "altered")
            if entry.prev_hash != prev_hash:
                problem = "inserted" if entry.id == prev_id + 1 or prev_id == 0 else "deleted"
                return VerifyResult(False, checked, entry.id, problem)
            if entry.id != prev_id + 1:
                return VerifyResult(False, checked, entry.id, "deleted")
            prev_hash, prev_id = entry.hash, entry.id
            checked += 1
        last_id = rows[-1].id
    head = AuditHead.get_or_none(AuditHead.id == 1)
    if head is None or head.last_id != prev_id or head.last_hash != prev_hash:
        return VerifyResult(False, checked, (head.last_id if head else None), "deleted")
    return VerifyResult(True, checked)


EXPORT_COLUMNS = (
    "id",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "detail",
    "prev_hash",
    "hash",
)


def entries(actor: Actor, *, before_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    """The newest entries first, paged by id (for the administrator's audit window)."""
    actor.require(Action.AUDIT_VIEW)
    query = AuditEntry.select()
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(query.order_by(AuditEntry.id.desc()).limit(limit))


def export_csv(actor: Actor, out: Path) -> int:
    """Write the whole chain, oldest first, as CSV (UTF-8 with BOM for Excel); returns rows.

    Written through :func:`hotline.output_files.replacing` (never over the database, complete
    or not at all); texts that would start a formula are quoted (:mod:`hotline.spreadsheet_text`).
    """
    actor.require(Action.AUDIT_VIEW)
    count = 0
    with output_files.replacing(out, encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        last = 0
        while True:
            rows = list(
                AuditEntry.select().where(AuditEntry.id > last).order_by(AuditEntry.id).limit(5000)
            )
            if not rows:
                break
            for e in rows:
                writer.writerow(
                    csv_row(
                        [
                            e.id,
                            e.at,
                            e.actor,
                            e.action,
                            e.entity,
                            e.entity_id,
                            e.detail,
                            e.prev_hash,
                            e.hash,
                        ]
                    )
                )
            count += len(rows)
            last = rows[-1].id
    record(actor, "audit.export", "audit", "", {"rows": count})
    return count
