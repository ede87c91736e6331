"""The telephone calls kept with a case (migration 18): the call a case was registered from and
the calls that followed it up, each with the telephone system's call id (to find the
recording), when it came in and when the case or note was saved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hotline import clock
from hotline.i18n import _
from hotline.models import CaseCall

INTAKE = "intake"
FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class CallRecord:
    """What the desk knows of the call being answered (from the telephone system's event)."""

    call_at: dt.datetime
    call_id: str = ""
    line: str = ""
    extension: str = ""


@dataclass(frozen=True)
class CaseCallView:
    """One call of a case as the case window, the summary and the export show it."""

    purpose: str
    call_id: str
    line: str
    extension: str
    call_at: dt.datetime
    saved_at: dt.datetime

    @property
    def seconds_to_save(self) -> int:
        return max(0, int((self.saved_at - self.call_at).total_seconds()))


def record(
    case_id: int, purpose: str, call: CallRecord, *, saved_at: dt.datetime | None = None
) -> None:
    """Keep ``call`` with the case (inside the caller's write transaction)."""
    CaseCall.create(
        case=case_id,
        purpose=purpose,
        call_id=call.call_id,
        line=call.line,
        extension=call.extension,
        call_at=call.call_at,
        saved_at=saved_at or clock.now(),
    )


def calls_of(case_id: int) -> list[CaseCallView]:
    """The case's calls, the first first."""
    query = (
        CaseCall.select().where(CaseCall.case == case_id).order_by(CaseCall.call_at, CaseCall.id)
    )
    return [
        CaseCallView(c.purpose, c.call_id, c.line, c.extension, c.call_at, c.saved_at)
        for c in query
    ]


def intake_calls(case_ids: list[int]) -> dict[int, CaseCallView]:
    """The call each of ``case_ids`` was registered from (export), in one query per 500."""
    found: dict[int, CaseCallView] = {}
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        query = CaseCall.select().where(CaseCall.case.in_(chunk) & (CaseCall.purpose == INTAKE))
        for c in query:
            found[c.case_id] = CaseCallView(
                c.purpose, c.call_id, c.line, c.extension, c.call_at, c.saved_at
            )
    return found


def format_duration(seconds: float) -> str:
    """``3 分 05 秒``, ``1 小时 02 分``: a time from a call to a save."""
    whole = round(seconds)
    if whole >= 3600:
        return _("{hours} 小时 {minutes:02d} 分").format(
            hours=whole // 3600, minutes=whole % 3600 // 60
        )
    return _("{minutes} 分 {seconds:02d} 秒").format(minutes=whole // 60, seconds=whole % 60)


def call_to_save(begin: dt.datetime, stop: dt.datetime) -> tuple[int, float | None]:
    """How many cases registered from a call were saved in [begin, stop), and the median
    time from the call to the saved case in seconds (None when there were none)."""
    return _count_and_median(begin, stop)


def median_seconds_to_save(begin: dt.datetime, stop: dt.datetime) -> float | None:
    """The median time from the call to the saved case, over the cases registered from a
    call and saved in [begin, stop); None when there are none."""
    return _count_and_median(begin, stop)[1]


def _count_and_median(begin: dt.datetime, stop: dt.datetime) -> tuple[int, float | None]:
    rows = CaseCall.select(CaseCall.call_at, CaseCall.saved_at).where(
        (CaseCall.purpose == INTAKE) & (CaseCall.saved_at >= begin) & (CaseCall.saved_at < stop)
    )
    seconds: list[float] = sorted(
        max(0.0, (row.saved_at - row.call_at).total_seconds()) for row in rows
    )
    if not seconds:
        return 0, None
    middle = len(seconds) // 2
    if len(seconds) % 2:
        return len(seconds), seconds[middle]
    return len(seconds), (seconds[middle - 1] + seconds[middle]) / 2
