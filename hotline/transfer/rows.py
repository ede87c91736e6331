"""Checking one row of an import file: intake fields, case number, status and timeline.

A row is what the export writes for a case. Its intake keys go through
:func:`hotline.intake.parse_intake`; its timeline, when given, must be a history the workflow
could have written (:func:`hotline.transfer.replay.replay`) and must end in the row's status. A
row without a timeline is a new registration. Every problem of a row is reported at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from hotline import clock, numbering
from hotline.enums import Status
from hotline.errors import MSG_TOO_LONG, Problem, Problems, ValidationError
from hotline.i18n import N_
from hotline.intake import MSG_REQUIRED, MSG_UNKNOWN, CaseDraft, parse_intake
from hotline.storable import MSG_CONTROL, has_control_characters, visible_text
from hotline.transfer.replay import KNOWN_EVENTS, CaseState, TimelineEvent, replay
from hotline.transfer.sources import ERRORS_KEY

MSG_TIME = N_("时间格式无效，应为 ISO 8601，如 2026-11-25T09:30:00")
MSG_TIME_RANGE = N_("时间超出可用范围")
ACTOR_LIMIT = 40
TEXT_LIMIT = 20_000
FUTURE_SLACK = dt.timedelta(minutes=5)


@dataclass
class ImportCase:
    case_no: str | None
    draft: CaseDraft
    events: list[TimelineEvent]  # empty: a new registration
    state: CaseState | None  # from the timeline


def _case_no(problems: Problems, value: Any) -> str | None:
    """A number as this program writes them, in the range the day's counter can go on from."""
    text = str(value or "").strip().upper()
    if not text:
        return None
    try:
        numbering.parse_case_no(text)
    except ValueError as exc:
        problems.add("case_no", str(exc))
    return text


def _timestamp(problems: Problems, field: str, value: Any) -> dt.datetime | None:
    try:
        if isinstance(value, dt.datetime):
            return clock.to_china(value)
        return clock.to_china(dt.datetime.fromisoformat(str(value).strip()))
    except ValueError:
        problems.add(field, MSG_REQUIRED if value in (None, "") else MSG_TIME)
    except OverflowError:  # year 1 or 9999 with a time zone
        problems.add(field, MSG_TIME_RANGE)
    return None


def _flag(problems: Problems, field: str, value: Any) -> bool:
    if value in (None, "") or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "是"):
        return True
    if text not in ("0", "false", "no", "否"):
        problems.add(field, MSG_UNKNOWN, value=str(value))
    return False


def parse_timeline(
    problems: Problems, value: Any, departments: Collection[str]
) -> list[TimelineEvent]:
    """The events of a timeline, checked one by one (the order of states comes later)."""
    if value in (None, "", []):
        return []
    if not isinstance(value, list):
        problems.add("timeline", N_("时间线应为 JSON 数组"))
        return []
    events: list[TimelineEvent] = []
    latest = clock.now() + FUTURE_SLACK
    previous: dt.datetime | None = None
    for position, item in enumerate(value, start=1):
        field = f"timeline[{position}]"
        if not isinstance(item, dict):
            problems.add(field, N_("每条记录应为一个 JSON 对象"))
            continue
        before = len(problems.items)
        at = _timestamp(problems, f"{field}.at", item.get("at"))
        if at is not None and at > latest:
            problems.add(f"{field}.at", N_("时间不能晚于现在"))
        elif at is not None and previous is not None and at < previous:
            problems.add(f"{field}.at", N_("时间早于上一条记录"))
        action = visible_text(item.get("action") or "")
        if action not in KNOWN_EVENTS:
            problems.add(f"{field}.action", N_("未知的操作：{action}"), action=action)
        actor = visible_text(item.get("actor") or "")
        if not actor:
            problems.add(f"{field}.actor", MSG_REQUIRED)
        elif len(actor) > ACTOR_LIMIT:
            problems.add(f"{field}.actor", MSG_TOO_LONG, limit=ACTOR_LIMIT, length=len(actor))
        text = item.get("text")
        text = "" if text is None else str(text)
        problems.too_long(f"{field}.text", text, TEXT_LIMIT)
        data = item.get("data")
        if data is not None and not isinstance(data, dict):
            problems.add(f"{field}.data", N_("应为 JSON 对象"))
            data = None
        if action == "dispatch" and data and data.get("department") not in departments:
            problems.add(
                f"{field}.data", N_("未知的承办单位：{name}"), name=str(data.get("department"))
            )
        if data and "department_id" in data:
            data = _local_department(data, departments)
        internal = _flag(problems, f"{field}.internal", item.get("internal"))
        if len(problems.items) == before and at is not None:
            events.append(TimelineEvent(at, action, actor, internal, text, data or None))
            previous = at
    return events


def _local_department(data: dict[str, Any], departments: Collection[str]) -> dict[str, Any]:
    """An event's department id comes from the database the file was exported from and means
    nothing here: the id of the department of that name here, or none (the recorded name is
    what the timeline shows; see hotline.timeline_words)."""
    local = {key: value for key, value in data.items() if key != "department_id"}
    name = local.get("department")
    if isinstance(departments, Mapping) and isinstance(name, str) and name in departments:
        local["department_id"] = departments[name]
    return local


_UNSTORABLE_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_MAYBE_UNSTORABLE = re.compile(r"\\x(?:[01][0-9a-f]|7f)|\\u[dD][89a-fA-F]")


def _unstorable(problems: Problems, value: Any, where: str) -> None:
    """Every key and text of ``value`` (nested: the timeline, its events' data) that no
    database can store (NUL, lone surrogates, other control characters), by its place."""
    if isinstance(value, str):
        if has_control_characters(value):
            problems.add(where or "case", MSG_CONTROL)
    elif isinstance(value, dict):
        for key, item in value.items():
            if where == "" and key == ERRORS_KEY:
                continue
            name = str(key)
            if has_control_characters(name):  # named by its escapes: a field name is shown
                name = _UNSTORABLE_CHAR.sub(lambda m: repr(m.group())[1:-1], name)
            place = f"{where}.{name}" if where else name
            if name != str(key):
                problems.add(place, MSG_CONTROL)
            else:
                _unstorable(problems, item, place)
    elif isinstance(value, list):
        for position, item in enumerate(value, start=1):
            _unstorable(problems, item, f"{where}[{position}]")


def _received_at(problems: Problems, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without a receipt time that cannot be converted to China time (reported)."""
    value = data.get("received_at")
    if value in (None, "") or _timestamp(Problems(), "received_at", value) is not None:
        return data
    try:
        dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        return data  # parse_intake reports the format
    problems.add("received_at", MSG_TIME_RANGE)
    return {key: item for key, item in data.items() if key != "received_at"}


def parse_row(
    data: Any,
    *,
    departments: Collection[str],
    ceiling_days: int,
    cell_problem: str = "",
    issues: Collection[Problem] = (),
) -> ImportCase:
    """Validate one row; raises ValidationError with every problem found."""
    if not isinstance(data, dict):
        raise ValidationError([*issues, Problem("case", N_("每个案件应为一个 JSON 对象"))])
    problems = Problems()
    if _MAYBE_UNSTORABLE.search(repr(data)):  # quick: repr escapes every such character
        _unstorable(problems, data, "")
    if problems:  # the messages below would quote such values
        raise ValidationError([*issues, *problems.items])
    problems.items.extend(issues)
    draft: CaseDraft | None = None
    try:
        draft = parse_intake(_received_at(problems, data))
    except ValidationError as exc:
        problems.items.extend(exc.problems)
    case_no = _case_no(problems, data.get("case_no"))
    if cell_problem:
        problems.add(cell_problem, N_("不是有效的 JSON"))
    raw_status = str(data.get("status") or "").strip()
    status = Status.parse(raw_status) if raw_status else None
    if raw_status and status is None:
        problems.add("status", MSG_UNKNOWN, value=raw_status)
    events = parse_timeline(problems, data.get("timeline"), departments)
    state: CaseState | None = None
    if draft is not None and events and not problems:
        try:
            state = replay(
                events,
                kind=draft.kind.value,
                received_at=draft.received_at,
                ceiling_days=ceiling_days,
            )
        except ValidationError as exc:
            problems.items.extend(exc.problems)
    if state is not None and status is not None and status.value != state.status:
        problems.add(
            "status",
            N_("状态“{status}”与时间线不符（按时间线应为“{expected}”）"),
            status=status.label,
            expected=Status(state.status).label,
        )
    if not events and status not in (None, Status.REGISTERED) and not problems:
        problems.add("status", N_("没有时间线的案件只能以“已受理”状态导入"))
    problems.raise_if_any()
    assert draft is not None
    return ImportCase(case_no, draft, events, state)


def duplicate(case_no: str) -> Problem:
    return Problem("case_no", N_("案件编号 {case_no} 已存在"), {"case_no": case_no})
