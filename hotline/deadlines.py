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
from typing import Any

from hotline import clock
from hotline.enums import Kind, Urgency
from hotline.errors import Problems, ValidationError
from hotline.i18n import N_, _, format_date
from hotline.workdays import WorkCalendar, as_day

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


def is_overdue(due: dt.date, today: dt.date | None = None) -> bool:
    return as_day(today or clock.today()) > as_day(due)


def is_due_soon(
    policy: DeadlinePolicy, calendar: WorkCalendar, due: dt.date, today: dt.date | None = None
) -> bool:
    """Not overdue, and at most ``policy.due_soon_workdays`` working days left."""
    today = today or clock.today()
    if is_overdue(due, today):
        return False
    return remaining_workdays(calendar, due, today) <= policy.due_soon_workdays
