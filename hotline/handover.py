"""Shift handover: the outgoing operator's note, and what the next shift must watch.

The next shift sees the latest note with the cases that need attention now: every open urgent
case and every overdue one (dispatched, deadline passed), and how many cases came in since the
previous handover.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, ModelSelect

from hotline import audit, clock
from hotline.case_briefs import CaseBrief, briefs
from hotline.db import write_transaction
from hotline.deadlines import DeadlineState, state_condition
from hotline.enums import OPEN_STATUSES, Urgency
from hotline.errors import MSG_TOO_LONG, Problems
from hotline.i18n import N_
from hotline.models import Case, Department, Enterprise, HandoverNote, tuples
from hotline.permissions import Action, Actor, shown_name
from hotline.storable import MSG_CONTROL, has_control_characters, visible_text

log = logging.getLogger(__name__)

MAX_LENGTH = 5000
DEFAULT_SHIFT = dt.timedelta(hours=12)


@dataclass
class ShiftSummary:
    note: HandoverNote | None
    shift_start: dt.datetime  # the previous handover, or 12 hours ago
    registered_in_shift: int
    urgent: list[Case] = field(default_factory=list)  # open urgent cases, newest first
    overdue: list[Case] = field(default_factory=list)  # most overdue first
    urgent_total: int = 0
    overdue_total: int = 0


def write_note(actor: Actor, text: str) -> HandoverNote:
    """Record the outgoing shift's note (audited)."""
    actor.require(Action.HANDOVER_WRITE)
    body = visible_text(text)
    problems = Problems()
    if not body:
        problems.add("text", N_("此项必填"))
    elif len(body) > MAX_LENGTH:
        problems.add("text", MSG_TOO_LONG, limit=MAX_LENGTH, length=len(body))
    elif has_control_characters(body):
        problems.add("text", MSG_CONTROL)
    problems.raise_if_any()
    with write_transaction():
        note = HandoverNote.create(
            author=actor.user_id,
            author_name=actor.name,
            written_at=clock.now(),
            text=body,
        )
        audit.record(actor, "handover.write", "handover", note.id, {"length": len(body)})
    log.info("handover note %s written by %s", note.id, actor.name)
    return note


def latest_note() -> HandoverNote | None:
    note: HandoverNote | None = (
        HandoverNote.select()
        .order_by(HandoverNote.written_at.desc(), HandoverNote.id.desc())
        .first()
    )
    return note


@dataclass(frozen=True)
class NoteRecord:
    """One handover note as the next shifts read it."""

    id: int
    author_name: str  # as stored (the command line's mark included)
    written_at: dt.datetime
    text: str


def history(limit: int = 200) -> tuple[list[NoteRecord], int]:
    """The latest ``limit`` handover notes, newest first, and how many there are in all."""
    query = HandoverNote.select(
        HandoverNote.id, HandoverNote.author_name, HandoverNote.written_at, HandoverNote.text
    ).order_by(HandoverNote.written_at.desc(), HandoverNote.id.desc())
    notes = [
        NoteRecord(note_id, author, _as_datetime(written), text)
        for note_id, author, written, text in tuples(query.limit(limit))
    ]
    return notes, HandoverNote.select().count()


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _cases() -> ModelSelect[Case]:
    """Cases with their enterprise and department, in one query."""
    return (
        Case.select(Case, Enterprise, Department)
        .join(Enterprise, JOIN.LEFT_OUTER, on=(Case.enterprise == Enterprise.id))
        .switch(Case)
        .join(Department, JOIN.LEFT_OUTER, on=(Case.department == Department.id))
    )


def _visible(where: Any) -> Any:
    """``where`` and the signed-in person's rule (:mod:`hotline.access`: a department's own)."""
    from hotline import access

    scope = access.list_condition()
    return where if scope is None else where & scope


def open_urgent(limit: int = 100) -> tuple[list[Case], int]:
    """Open urgent cases (newest first, at most ``limit``) and how many there are."""
    where = _visible(
        (Case.urgency == Urgency.URGENT.value) & Case.status.in_([s.value for s in OPEN_STATUSES])
    )
    rows = list(_cases().where(where).order_by(Case.id.desc()).limit(limit))
    return rows, Case.select().where(where).count()


def overdue(today: dt.date | None = None, limit: int = 100) -> tuple[list[Case], int]:
    """Dispatched cases past their deadline (most overdue first) and how many there are."""
    where = _visible(state_condition(DeadlineState.OVERDUE, today or clock.today()))
    query = _cases().where(where).order_by(Case.deadline, Case.id)
    return list(query.limit(limit)), Case.select().where(where).count()


def shift_summary(limit: int = 100) -> ShiftSummary:
    """What the incoming shift is shown."""
    now = clock.now()
    note = latest_note()
    start = note.written_at if note is not None else now - DEFAULT_SHIFT
    urgent, urgent_total = open_urgent(limit)
    late, late_total = overdue(now.date(), limit)
    registered = Case.select().where(_visible(Case.registered_at > start)).count()
    return ShiftSummary(
        note=note,
        shift_start=start,
        registered_in_shift=registered,
        urgent=urgent,
        overdue=late,
        urgent_total=urgent_total,
        overdue_total=late_total,
    )


@dataclass(frozen=True)
class HandoverView:
    """What the handover dialog shows: the latest note and the cases the next shift must watch."""

    note_author: str
    note_time: dt.datetime | None
    note_text: str
    shift_start: dt.datetime
    registered_in_shift: int
    urgent: list[CaseBrief]
    overdue: list[CaseBrief]
    urgent_total: int
    overdue_total: int
    history: list[NoteRecord] = field(default_factory=list)  # earlier notes, newest first
    history_total: int = 0


def handover_view() -> HandoverView:
    """The handover dialog's read, as plain data (screens call it off the GUI thread)."""
    summary = shift_summary()
    notes, notes_total = history()
    note = summary.note
    return HandoverView(
        note_author=shown_name(note.author_name) if note else "",
        note_time=note.written_at if note else None,
        note_text=note.text if note else "",
        shift_start=summary.shift_start,
        registered_in_shift=summary.registered_in_shift,
        urgent=briefs(summary.urgent),
        overdue=briefs(summary.overdue),
        urgent_total=summary.urgent_total,
        overdue_total=summary.overdue_total,
        history=notes,
        history_total=notes_total,
    )
