"""What other workstations changed: a cheap poll that works the same on SQLite and PostgreSQL.

Every change to the data records an audit entry (:mod:`hotline.audit`), and the audit chain is
written under one lock: an entry with a higher id always commits after every lower one. So
the id of the last entry (kept in the one-row ``audit_head``) is a change counter with no gaps
and no reordering, and reading it is a single primary-key lookup. A window polls it every
few seconds (off the GUI thread) and reloads only what changed:

    token = changes.current_token()               # when the list is first loaded
    ...
    result = changes.changes_since(token)         # every 2-3 seconds, in a worker thread
    token = result.token
    if result.reload_all:          reload everything shown
    elif result.case_ids:          refresh those rows / the open case if its id is there
    if result.entities:            e.g. {"department", "user"}: refresh those lists
    if result.any:                 recount the view counters (case_queries.view_counts)

Nothing is missed between polls, however long the gap: a token further back than ``limit``
entries, or one the database does not know (it was restored or replaced), asks for a full
reload instead. With the server unreachable the call raises
:class:`~hotline.errors.DatabaseUnavailable`; keep the token and poll again later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.models import AuditEntry, AuditHead, Case, tuples

# Entities whose changes mean "reload everything" (bulk writes that record one entry).
BULK_ENTITIES = frozenset({"database", "import", "restore"})


@dataclass(frozen=True)
class Changes:
    token: int  # pass to the next call
    case_ids: frozenset[int] = frozenset()  # cases registered or changed since the old token
    entities: frozenset[str] = frozenset()  # other kinds of record changed ("user", ...)
    reload_all: bool = False  # too much changed, or the token is unknown: reload everything
    entries: int = 0  # how many audit entries were behind the old token

    @property
    def any(self) -> bool:
        return self.reload_all or bool(self.case_ids) or bool(self.entities)


@dataclass
class _Collected:
    case_numbers: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    reload_all: bool = False


def current_token() -> int:
    """The change counter now (the id of the last audit entry; 0 for a new database)."""
    row = AuditHead.select(AuditHead.last_id).where(AuditHead.id == 1).tuples().first()
    return int(row[0]) if row else 0


def changes_since(token: int | None, limit: int = 2000) -> Changes:
    """What changed after ``token`` (from an earlier call or :func:`current_token`).

    ``None`` starts watching: it returns the current token and no changes.
    """
    now = current_token()
    if token is None or token == now:
        return Changes(now)
    if token > now or now - token > limit:
        return Changes(now, reload_all=True, entries=max(0, now - token))
    rows = tuples(
        AuditEntry.select(AuditEntry.entity, AuditEntry.entity_id).where(
            (AuditEntry.id > token) & (AuditEntry.id <= now)
        )
    )
    collected = _Collected()
    count = 0
    for entity, entity_id in rows:
        count += 1
        if entity == "case":
            if entity_id:
                collected.case_numbers.add(entity_id)
        elif entity in BULK_ENTITIES:
            collected.reload_all = True
        else:
            collected.entities.add(entity)
    if count != now - token:  # entries missing from the chain: do not trust the difference
        collected.reload_all = True
    case_ids: frozenset[int] = frozenset()
    if collected.case_numbers:
        case_ids = frozenset(
            row[0]
            for row in tuples(
                Case.select(Case.id).where(Case.case_no.in_(sorted(collected.case_numbers)))
            )
        )
    return Changes(
        now,
        case_ids,
        frozenset(collected.entities),
        reload_all=collected.reload_all,
        entries=count,
    )
