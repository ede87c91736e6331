"""The deadline policy and the deadline of a dispatched case.

Defaults (PRODUCT.md §2, all configurable by an administrator): urgent cases the same working
day; 咨询/求助 3 working days; 投诉/举报/建议/表扬 13 working days; never later than 30
calendar days after receipt, extendable once by at most 30 more (《河南省优化营商环境条例》
第七十八条); a department may return a case within 2 working days of dispatch; a case is "due
soon" when at most 1 working day is left.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from hotline import clock
from hotline.enums import Kind, Status, Urgency
from hotline.errors import Problems, ValidationError
from hotline.i18n import N_, _, format_date
from hotline.workdays import WorkCalendar, as_day

if TYPE_CHECKING:
    from peewee import Expression

log = logging.getLogger(__name__)

SETTING_KEY = "deadline_policy"
LEGAL_CEILING_DAYS = 30
LEGAL_EXTENSION_DAYS = 30

CEILING_WARNING = N_("按类型计算的办理期限超过法定时限，已提前至 {due}（法定时限 {ceiling}）。")


def default_kind_workdays() -> dict[str, int]:
    short = (Kind.CONSULTATION, Kind.HELP)
    return {kind.value: 3 if kind in short else 13 for kind in Kind}


@dataclass
class DeadlinePolicy:
    """How long departments have. Working days unless the name says calendar days."""

    urgent_workdays: int = 0
    kind_workdays: dict[str, int] = field(default_factory=default_kind_workdays)
    ceiling_days: int = LEGAL_CEILING_DAYS  # calendar days from receipt
    extension_days: int = LEGAL_EXTENSION_DAYS  # calendar days, once
    return_workdays: int = 2  # from dispatch
    due_soon_workdays: int = 1

    def workdays_for(self, kind: Kind | str, urgency: Urgency | str) -> int:
        if Urgency(urgency) is Urgency.URGENT:
            return self.urgent_workdays
        return self.kind_workdays[Kind(kind).value]

    def validate(self) -> None:
        """Raise :class:`ValidationError` with one problem per bad field."""
        problems = Problems()
        ceiling_ok = _check_count(problems, "ceiling_days", self.ceiling_days, LEGAL_CEILING_DAYS)
        if ceiling_ok and self.ceiling_days < 1:
            problems.add("ceiling_days", N_("至少为 1 天"))
            ceiling_ok = False
        _check_count(problems, "extension_days", self.extension_days, LEGAL_EXTENSION_DAYS)
        ceiling = self.ceiling_days if ceiling_ok else None
        counts = {
            "urgent_workdays": self.urgent_workdays,
            "return_workdays": self.return_workdays,
            "due_soon_workdays": self.due_soon_workdays,
        }
        if isinstance(self.kind_workdays, dict):
            known = {kind.value for kind in Kind}
            for key, value in self.kind_workdays.items():
                if key not in known:
                    problems.add(f"kind_workdays.{key}", N_("未知的诉求类型：{kind}"), kind=key)
                else:
                    counts[f"kind_workdays.{key}"] = value
            for key in sorted(known - set(self.kind_workdays)):
                problems.add(f"kind_workdays.{key}", N_("缺少该诉求类型的办理时限"))
        else:
            problems.add("kind_workdays", N_("格式不对，应为各诉求类型的工作日数"))
        for name, value in counts.items():
            if (
                _check_count(problems, name, value, None)
                and ceiling is not None
                and value > ceiling
            ):
                problems.add(name, N_("不能超过办理时限上限 {ceiling} 天"), ceiling=ceiling)
        problems.raise_if_any()

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> DeadlinePolicy:
        """The policy in ``text``; missing fields take their defaults. Raises ValidationError."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise ValidationError.single(
                "policy", N_("办理时限设置无法读取：{reason}"), reason=str(exc)
            ) from exc
        if not isinstance(data, dict):
            raise ValidationError.single("policy", N_("办理时限设置必须是一个 JSON 对象"))
        problems = Problems()
        names = {f.name for f in dataclasses.fields(cls)}
        for name in sorted(set(data) - names):
            problems.add(name, N_("未知的设置项：{name}"), name=name)
        known = {name: value for name, value in data.items() if name in names}
        kinds = known.get("kind_workdays", {})
        if isinstance(kinds, dict):
            known["kind_workdays"] = {**default_kind_workdays(), **kinds}
        policy = cls(**known)
        try:
            policy.validate()
        except ValidationError as exc:
            problems.items.extend(exc.problems)
        problems.raise_if_any()
        return policy


def _check_count(problems: Problems, name: str, value: object, limit: int | None) -> bool:
    """Check a whole number of days; True when it is one (and within ``limit``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(name, N_("请填写整数"))
        return False
    if value < 0:
        problems.add(name, N_("不能为负数"))
        return False
    if limit is not None and value > limit:
        problems.add(name, N_("不能超过法定的 {limit} 天"), limit=limit)
        return False
    return True


def load_policy() -> DeadlinePolicy:
    """The stored policy, or the defaults when none is stored (or it cannot be read)."""
    from hotline.models import Setting

    row = Setting.get_or_none(Setting.key == SETTING_KEY)
    if row is None:
        return DeadlinePolicy()
    try:
        return DeadlinePolicy.from_json(row.value)
    except ValidationError as exc:
        log.error("stored deadline policy is invalid, using the defaults: %s", exc.text)
        return DeadlinePolicy()


def save_policy(policy: DeadlinePolicy) -> None:
    """Validate and store ``policy`` (the caller writes the audit entry)."""
    from hotline.db import write_transaction
    from hotline.models import Setting

    policy.validate()
    value = policy.to_json()
    with write_transaction():
        Setting.insert(key=SETTING_KEY, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}
        ).execute()
    log.info("deadline policy saved: %s", value)


@dataclass(frozen=True)
class Deadline:
    due: dt.date  # the working-day deadline given to the department
    ceiling: dt.date  # the legal limit: received + ceiling_days calendar days
    warnings: list[str] = field(default_factory=list)  # translated, for the operator


def ceiling_for(policy: DeadlinePolicy, received: dt.date) -> dt.date:
    return as_day(received) + dt.timedelta(days=policy.ceiling_days)


def compute_deadline(
    policy: DeadlinePolicy,
    calendar: WorkCalendar,
    *,
    kind: Kind | str,
    urgency: Urgency | str,
    received: dt.date,
    dispatched: dt.date,
) -> Deadline:
    """The deadline of a case dispatched on ``dispatched``.

    ``due`` is the n-th working day after the dispatch day (n by kind, or the urgent count;
    0 means the dispatch day itself, or the next working day when it is a day off). When that
    is later than the ceiling, ``due`` becomes the last working day on or before the ceiling
    (the ceiling itself if no working day lies between dispatch and ceiling).
    """
    received, dispatched = as_day(received), as_day(dispatched)
    ceiling = ceiling_for(policy, received)
    by_kind = calendar.add_workdays(dispatched, policy.workdays_for(kind, urgency))
    due = by_kind
    if by_kind > ceiling:
        due = ceiling
        while not calendar.is_workday(due) and due > dispatched:
            due -= dt.timedelta(days=1)
        if not calendar.is_workday(due):
            due = ceiling
    warnings = calendar.fallback_warnings(min(dispatched, due), by_kind)
    if due < by_kind:
        warnings.append(
            _(CEILING_WARNING).format(due=format_date(due), ceiling=format_date(ceiling))
        )
    return Deadline(due=due, ceiling=ceiling, warnings=warnings)


def extension_limit(policy: DeadlinePolicy, received: dt.date) -> dt.date:
    """The latest date an extension may reach: received + ceiling + extension calendar days."""
    return as_day(received) + dt.timedelta(days=policy.ceiling_days + policy.extension_days)


def return_deadline(policy: DeadlinePolicy, calendar: WorkCalendar, dispatched: dt.date) -> dt.date:
    """The last day the department may return the case as not its duty."""
    return calendar.add_workdays(dispatched, policy.return_workdays)


def remaining_workdays(calendar: WorkCalendar, due: dt.date, today: dt.date | None = None) -> int:
    """Working days left in (today, due]: 0 on the due day, negative once overdue."""
    return calendar.workdays_between(today or clock.today(), due)


class DeadlineState(StrEnum):
    """Where a case stands against its deadline; :func:`deadline_state` decides.

    "Overdue" is a case still waiting for the department's answer (status 已派单) whose
    deadline day has passed; "met" (on time, 按时) is an answer given on or before the deadline
    day. An extension moves the deadline itself; returning or reopening a case clears it.
    """

    NONE = "none"  # no deadline running and no answer: not (or no longer) dispatched
    ON_TIME = "on_time"  # waiting for the answer, the deadline is not yet near
    DUE_SOON = "due_soon"  # waiting, at most policy.due_soon_workdays working days left
    DUE_TODAY = "due_today"  # waiting, today is the deadline day
    OVERDUE = "overdue"  # waiting, the deadline day has passed
    MET = "met"  # answered on or before the deadline day (or with no deadline: on the spot)
    MISSED = "missed"  # answered after the deadline day


# The states of a case whose department still owes the answer: the deadline is running.
RUNNING_STATES = frozenset(
    {DeadlineState.ON_TIME, DeadlineState.DUE_SOON, DeadlineState.DUE_TODAY, DeadlineState.OVERDUE}
)
_WAITING = Status.DISPATCHED.value


def waiting_for_answer(status: str) -> bool:
    """Whether a case in ``status`` waits for its department's answer (its deadline runs)."""
    return status == _WAITING


def due_soon_before(policy: DeadlinePolicy, calendar: WorkCalendar, today: dt.date) -> dt.date:
    """The first deadline that is not "due soon" on ``today``.

    A deadline ``d`` after today is due soon when at most ``policy.due_soon_workdays``
    working days lie in (today, d], i.e. when ``d`` comes before the next working day after
    those: ``today < d < due_soon_before(...)``.
    """
    return due_within_before(calendar, today, policy.due_soon_workdays)


# A department's desk: "即将到期" is a deadline within this many working days (today included).
DEPARTMENT_DUE_WITHIN_WORKDAYS = 2


def due_within_before(calendar: WorkCalendar, today: dt.date, workdays: int) -> dt.date:
    """The first deadline more than ``workdays`` working days after ``today``: a deadline
    ``d`` is due within them when ``today <= d < this`` (at most ``workdays`` working days
    in (today, d])."""
    return calendar.add_workdays(as_day(today), workdays + 1)


def due_by_next_workday_before(calendar: WorkCalendar, today: dt.date) -> dt.date:
    """The first deadline not due "tomorrow" (明日到期) on ``today``: the day after the next
    working day. A deadline ``d`` is due tomorrow when ``today < d < this``, so on a Friday the
    deadlines of the weekend and of Monday are; pass it as ``soon_before`` of ``DUE_SOON``.
    """
    return calendar.add_workdays(as_day(today), 1) + dt.timedelta(days=1)


def deadline_state(
    deadline: dt.date | None,
    today: dt.date,
    *,
    waiting: bool,
    answered_at: dt.datetime | None = None,
    soon_before: dt.date | None = None,
) -> DeadlineState:
    """The one meaning of overdue, due today, due soon, on time, met and missed.

    ``waiting``: the department still owes the answer (:func:`waiting_for_answer` of the
    status). ``answered_at``: when the answer came (the department's reply or the answer on
    the spot; the closing time when neither was recorded), for telling met from missed.
    ``soon_before``: :func:`due_soon_before` of today; without it no case is ``DUE_SOON``
    (the lists show only overdue and due today). :func:`state_condition` is its SQL twin.
    """
    if waiting:
        if deadline is None:
            return DeadlineState.NONE
        if deadline < today:
            return DeadlineState.OVERDUE
        if deadline == today:
            return DeadlineState.DUE_TODAY
        if soon_before is not None and deadline < soon_before:
            return DeadlineState.DUE_SOON
        return DeadlineState.ON_TIME
    if answered_at is None:
        return DeadlineState.NONE
    if deadline is None or answered_at.date() <= deadline:
        return DeadlineState.MET
    return DeadlineState.MISSED


def state_condition(
    state: DeadlineState, today: dt.date, *, soon_before: dt.date | None = None
) -> Expression:
    """The peewee condition on ``Case`` selecting the cases :func:`deadline_state` puts in
    ``state`` (waiting = status 已派单, answered = ``handled_at``, else ``closed_at``).

    ``DUE_SOON`` needs ``soon_before``; without it ``ON_TIME`` is every later deadline, as in
    :func:`deadline_state`.
    """
    from peewee import fn

    from hotline.models import Case

    waiting = Case.status == _WAITING
    if state is DeadlineState.OVERDUE:
        return waiting & (Case.deadline < today)
    if state is DeadlineState.DUE_TODAY:
        return waiting & (Case.deadline == today)
    if state is DeadlineState.DUE_SOON:
        if soon_before is None:
            raise ValueError("due soon needs soon_before (due_soon_before of today)")
        return waiting & (Case.deadline > today) & (Case.deadline < soon_before)
    if state is DeadlineState.ON_TIME:
        if soon_before is None:
            return waiting & (Case.deadline > today)
        return waiting & (Case.deadline > today) & (Case.deadline >= soon_before)
    answered = fn.COALESCE(Case.handled_at, Case.closed_at)
    not_waiting: Expression = ~waiting
    if state is DeadlineState.NONE:
        return (waiting & Case.deadline.is_null()) | (not_waiting & answered.is_null())
    in_time = Case.deadline.is_null() | (fn.DATE(answered) <= Case.deadline)
    if state is DeadlineState.MET:
        return not_waiting & answered.is_null(False) & in_time
    late: Expression = ~in_time
    return not_waiting & answered.is_null(False) & late


@dataclass(frozen=True)
class CaseDeadline:
    """A case's deadline as the case window shows it: the state and the working days left."""

    due: dt.date
    state: DeadlineState
    remaining: int  # working days in (today, due]: 0 on the day, negative once overdue

    @property
    def running(self) -> bool:
        """The department still has to answer (the case is dispatched)."""
        return self.state in RUNNING_STATES

    @property
    def overdue(self) -> bool:
        return self.state is DeadlineState.OVERDUE

    @property
    def due_soon(self) -> bool:
        """Due today or within ``policy.due_soon_workdays`` working days."""
        return self.state in (DeadlineState.DUE_TODAY, DeadlineState.DUE_SOON)


def case_deadline(
    policy: DeadlinePolicy,
    calendar: WorkCalendar,
    *,
    status: str,
    deadline: dt.date | None,
    answered_at: dt.datetime | None,
    today: dt.date | None = None,
) -> CaseDeadline | None:
    """The deadline of a case with its state on ``today`` (None: the case has none)."""
    if deadline is None:
        return None
    today = as_day(today or clock.today())
    state = deadline_state(
        deadline,
        today,
        waiting=waiting_for_answer(status),
        answered_at=answered_at,
        soon_before=due_soon_before(policy, calendar, today),
    )
    return CaseDeadline(deadline, state, remaining_workdays(calendar, deadline, today))
