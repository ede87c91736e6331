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
from hotline.db import current, is_sqlite, per_person
from hotline.errors import ValidationError
from hotline.i18n import N_, _
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
    """Append an entry. Call inside the write transaction of the change it records.

    On a server where each person signs in as their own role, the database appends it
    (``hotline_audit_append``: nobody may write the audit tables directly) with the login
    role as the actor, chained under the same lock and hash as here.
    """
    if per_person():
        return _append_in_database(actor, action, entity, entity_id, detail)
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


def _append_in_database(
    actor: Actor, action: str, entity: str, entity_id: object, detail: dict[str, Any] | None
) -> AuditEntry:
    shown = dict(detail or {})
    if actor.via != "app":  # the actor is the login role; how it acted is kept beside
        shown.setdefault("via", actor.via)
    detail_text = _canonical(shown)
    cursor = current().execute_sql(
        "SELECT public.hotline_audit_append(%s, %s, %s, %s), session_user::text",
        (action, entity, str(entity_id), detail_text),
    )
    number, login = cursor.fetchone()
    return AuditEntry(
        id=number,
        actor=login,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        detail=detail_text,
    )


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_entry_id: int | None = None  # set whenever ``ok`` is false
    problem: str = ""  # a key of PROBLEMS
    last_id: int = 0  # the chain's last entry (its head), when ``ok``
    last_hash: str = ""
    expected: Anchor | None = None


PROBLEMS = {
    "altered": N_("记录内容被改动"),
    "inserted": N_("有记录被插入"),
    "deleted": N_("有记录被删除"),
}

MIN_PREFIX = 16  # hex characters of a hash an anchor must give (64 bits)


@dataclass(frozen=True)
class Anchor:
    """An entry of the chain written down outside the database: its number and (a prefix of)
    its hash, e.g. ``1234:9f86d081884c7d65``; at least :data:`MIN_PREFIX` hex characters."""

    entry: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        number, sep, digest = text.strip().partition(":")
        digest = digest.strip().lower().rstrip("….")
        if (
            not sep
            or not number.strip().isdigit()
            or int(number) < 1
            or not MIN_PREFIX <= len(digest) <= 64
            or any(c not in "0123456789abcdef" for c in digest)
        ):
            raise ValidationError.single(
                "expect",
                N_(
                    "锚点应写作 编号:哈希，哈希至少 {min} 位十六进制字符，例如 1234:9f86d081884c7d65"
                ),
                min=MIN_PREFIX,
            )
        return cls(int(number), digest)

    def matches(self, digest: str) -> bool:
        return digest.lower().startswith(self.hash)

    def __str__(self) -> str:
        return f"{self.entry}:{self.hash}"


def verify(batch: int = 5000, expect: Anchor | None = None) -> VerifyResult:
    """Check the whole chain; the first broken link is reported.

    With ``expect`` (an anchor written down earlier: a backup's output, a weekly report) the
    chain must also still hold that entry with that hash: deleting the last entries and moving
    the head back leaves an intact but shorter chain, which only an anchor kept elsewhere shows.
    """
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
                return VerifyResult(False, checked, entry.id, "altered", expected=expect)
            if entry.prev_hash != prev_hash:
                problem = "inserted" if entry.id == prev_id + 1 or prev_id == 0 else "deleted"
                return VerifyResult(False, checked, entry.id, problem, expected=expect)
            if entry.id != prev_id + 1:
                return VerifyResult(False, checked, entry.id, "deleted", expected=expect)
            if expect is not None and entry.id == expect.entry and not expect.matches(entry.hash):
                return VerifyResult(False, checked, entry.id, "expected_mismatch", expected=expect)
            prev_hash, prev_id = entry.hash, entry.id
            checked += 1
        last_id = rows[-1].id
    head = AuditHead.get_or_none(AuditHead.id == 1)
    if head is None or (head.last_id == prev_id and head.last_hash != prev_hash):
        return VerifyResult(False, checked, prev_id, "head", expected=expect)
    if head.last_id > prev_id:  # the head names entries that are gone
        return VerifyResult(False, checked, prev_id + 1, "deleted", expected=expect)
    if head.last_id < prev_id:  # entries after the head were added behind its back
        return VerifyResult(False, checked, head.last_id + 1, "inserted", expected=expect)
    if expect is not None and expect.entry > prev_id:
        return VerifyResult(
            False, checked, expect.entry, "expected_missing", prev_id, prev_hash, expect
        )
    return VerifyResult(True, checked, None, "", prev_id, prev_hash, expect)


def describe(result: VerifyResult) -> str:
    """What ``verify`` found, for a person (never "entry None")."""
    if result.ok:
        text = _("审计日志完整：已核对 {count} 条记录").format(count=result.checked)
        if result.last_id:
            text += _("；最后一条：{anchor}").format(anchor=anchor_text(result))
        return text
    if result.problem == "head":
        return _(
            "审计日志已被破坏：链头（最后一条的编号与哈希）与记录不符（此前 {count} 条完好）"
        ).format(count=result.checked)
    if result.problem == "expected_missing" and result.expected is not None:
        return _(
            "审计日志与记下的锚点不符：没有第 {entry} 条记录（现在只到第 {last} 条），其后的记录可能已被删除"
        ).format(entry=result.expected.entry, last=result.last_id)
    if result.problem == "expected_mismatch" and result.expected is not None:
        return _("审计日志与记下的锚点不符：第 {entry} 条记录的哈希不是 {hash}…").format(
            entry=result.expected.entry, hash=result.expected.hash[:MIN_PREFIX]
        )
    reason = PROBLEMS.get(result.problem)
    return _("审计日志已被破坏：第 {entry} 条记录处{problem}（此前 {count} 条完好）").format(
        entry=result.bad_entry_id if result.bad_entry_id is not None else "?",
        problem=_(reason) if reason else result.problem,
        count=result.checked,
    )


def anchor_text(result: VerifyResult | None = None, *, entry: int = 0, digest: str = "") -> str:
    """``第 N 条 · 哈希 xxxxxxxxxxxxxxxx…`` for the chain's last entry."""
    if result is not None:
        entry, digest = result.last_id, result.last_hash
    return _("第 {entry} 条 · 哈希 {hash}…").format(entry=entry, hash=digest[:MIN_PREFIX])


def head() -> tuple[int, str]:
    """The number and hash of the chain's last entry (0 and the genesis hash when empty)."""
    row = AuditHead.get_or_none(AuditHead.id == 1)
    return (row.last_id, row.last_hash) if row else (0, GENESIS_HASH)


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


@dataclass(frozen=True)
class AuditLine:
    """One audit entry as the administrator's audit window lists it."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    detail: str


def entries(actor: Actor, *, before_id: int | None = None, limit: int = 200) -> list[AuditLine]:
    """The newest entries first, paged by id (for the administrator's audit window)."""
    actor.require(Action.AUDIT_VIEW)
    query = AuditEntry.select()
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return [
        AuditLine(e.id, e.at, e.actor, e.action, e.entity, e.entity_id, e.detail)
        for e in query.order_by(AuditEntry.id.desc()).limit(limit)
    ]


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
