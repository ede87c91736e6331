"""The department stage of an imported case, rebuilt from its timeline: when the current
dispatch was accepted (签收), the reply's outcome, whether the caller was disclosed to the
department, and the supervision notices (督办) with their answers. An export carries the
timeline; these rows follow from it exactly as the workflow wrote them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from hotline.transfer.bulk import stamp
from hotline.transfer.replay import TimelineEvent

HANDLING_COLUMNS = (
    "case_id",
    "accepted_at",
    "accepted_by",
    "resolution",
    "contact_made",
    "caller_granted",
)
NOTICE_COLUMNS = (
    "case_id",
    "level",
    "text",
    "answer_by",
    "issued_at",
    "issued_by_id",
    "issued_by_name",
    "answered_at",
    "answered_by_name",
    "answer",
)
_STAGE_ACTIONS = frozenset({"accept", "reply", "grant_caller", "supervise"})
ASSIST_COLUMNS = (
    "case_id",
    "department_id",
    "round",
    "assigned_at",
    "deadline",
    "answered_at",
    "answered_by_name",
    "answer",
    "ended_at",
    "cancelled",
)


def assist_rows(
    case_id: int, events: Sequence[TimelineEvent], departments: dict[str, int]
) -> list[tuple[Any, ...]]:
    """The case_assist rows (会办) of one case's timeline: each dispatch's assisting
    departments (known here by name), their answers, ended by the lead's reply, cancelled
    by a return, a new dispatch, a second round or a withdrawal."""
    rows: list[list[Any]] = []
    running: dict[str, list[Any]] = {}
    round_no = 1
    for event in events:
        data = dict(event.data or {})
        if event.action in ("dispatch", "return", "reopen", "withdraw"):
            for row in running.values():
                row[8], row[9] = event.at, True
            running = {}
            if event.action == "reopen":
                round_no += 1
        if event.action == "dispatch":
            parts = data.get("assisting")
            for part in parts if isinstance(parts, list) else []:
                name = str(part.get("department") or "") if isinstance(part, dict) else ""
                deadline = _date(part.get("deadline")) if isinstance(part, dict) else None
                if name in departments and deadline is not None:
                    row = [case_id, departments[name], round_no, event.at, deadline]
                    row += [None, None, None, None, False]
                    running[name] = row
                    rows.append(row)
        elif event.action == "answer_assist":
            answered = running.get(str(data.get("department") or ""))
            if answered is not None and answered[5] is None:
                answered[5], answered[6], answered[7] = event.at, event.actor[:40], event.text
        elif event.action == "reply":
            for row in running.values():
                row[8] = event.at
            running = {}
    return [
        (r[0], r[1], r[2], stamp(r[3]), stamp(r[4]), stamp(r[5]), r[6], r[7], stamp(r[8]), r[9])
        for r in rows
    ]


def rows(
    case_id: int, events: Sequence[TimelineEvent]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(case_handling rows, supervision_notice rows) of one case's timeline."""
    if not any(e.action in _STAGE_ACTIONS for e in events):
        return [], []
    accepted_at: dt.datetime | None = None
    accepted_by: str | None = None
    resolution: str | None = None
    contact_made: bool | None = None
    granted = False
    notices: list[list[Any]] = []
    for event in events:
        data = dict(event.data or {})
        if event.action in ("dispatch", "return", "reopen"):
            accepted_at, accepted_by = None, None
        elif event.action == "accept":
            accepted_at, accepted_by = event.at, event.actor[:40]
        elif event.action == "grant_caller":
            granted = True
        elif event.action == "supervise":
            answer_by = _date(data.get("answer_by")) or event.at.date()
            notices.append(
                [
                    case_id,
                    str(data.get("level") or "supervision"),
                    event.text,
                    answer_by,
                    event.at,
                    None,
                    event.actor[:40],
                    None,
                    None,
                    None,
                ]
            )
        if event.action == "reply":
            resolution = data.get("resolution") or None
            made = data.get("contact_made")
            contact_made = None if made is None else bool(made)
        if event.action in ("reply", "answer_supervision"):
            for notice in notices:
                if notice[7] is None:
                    notice[7], notice[8], notice[9] = event.at, event.actor[:40], event.text
    handling = [(case_id, stamp(accepted_at), accepted_by, resolution, contact_made, granted)]
    return handling, [_stamped(n) for n in notices]


def _stamped(notice: Iterable[Any]) -> tuple[Any, ...]:
    values = list(notice)
    values[3] = stamp(values[3])
    values[4] = stamp(values[4])
    values[7] = stamp(values[7])
    return tuple(values)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
