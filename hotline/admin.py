"""Administrators' reference data: departments, districts, extra holidays, the deadline policy.

Every change checks the acting user's permission, is validated with all problems at once,
and is written to the audit log in the same transaction. Users are managed in :mod:`hotline.auth`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from peewee import Field

from hotline import audit, deadlines, workdays
from hotline.db import write_transaction
from hotline.errors import MSG_TOO_LONG, NotFound, Problems
from hotline.i18n import N_
from hotline.models import Department, District, Holiday, tuples
from hotline.permissions import Action, Actor
from hotline.storable import MSG_CONTROL, has_control_characters, visible_text
from hotline.validation import normalize_phone, normalized

log = logging.getLogger(__name__)

DEPARTMENT_CODE = re.compile(r"^[A-Za-z0-9_\-]{1,20}$")
DISTRICT_CODE = re.compile(r"^[0-9]{6}$")
MSG_REQUIRED = N_("此项必填")


def _text(problems: Problems, name: str, value: str | None, limit: int, required: bool) -> str:
    """The trimmed text, or "" (with the problem recorded) when the database cannot store it."""
    text = visible_text(value)
    if required and not text:
        problems.add(name, MSG_REQUIRED)
    elif len(text) > limit:
        problems.add(name, MSG_TOO_LONG, limit=limit, length=len(text))
    elif has_control_characters(text):
        problems.add(name, MSG_CONTROL)
        return ""
    return text


# Departments (承办单位)


def list_departments(include_inactive: bool = True) -> list[Department]:
    query = Department.select().order_by(Department.code)
    if not include_inactive:
        query = query.where(Department.active == True)  # noqa: E712 (SQL expression)
    return list(query)


@dataclass(frozen=True)
class DepartmentRecord:
    """A department as the administrator's departments page lists and edits it."""

    id: int
    code: str
    name: str
    enforcement_body: str | None
    phone: str
    active: bool


def department_records() -> list[DepartmentRecord]:
    """Every department, inactive ones too, in the order of their codes."""
    return [
        DepartmentRecord(d.id, d.code, d.name, d.enforcement_body, d.phone, bool(d.active))
        for d in list_departments()
    ]


def save_department(
    actor: Actor,
    *,
    department_id: int | None = None,
    code: str,
    name: str,
    enforcement_body: str = "",
    phone: str = "",
) -> Department:
    """Create a department (``department_id`` None) or change one; returns it."""
    actor.require(Action.SETTINGS_MANAGE)
    problems = Problems()
    code = visible_text(code).upper()
    if not code:
        problems.add("code", MSG_REQUIRED)
    elif not DEPARTMENT_CODE.match(code):
        problems.add("code", N_("编码须为 1–20 位字母、数字或 _ -"))
    elif _taken(Department.code, code, department_id):
        problems.add("code", N_("编码 {code} 已被使用"), code=code)
    name = _text(problems, "name", name, 60, True)
    if name and _taken(Department.name, name, department_id):
        problems.add("name", N_("名称 {name} 已存在"), name=name)
    body = _text(problems, "enforcement_body", enforcement_body, 60, False)
    phone = normalized(problems, "phone", (phone or "").strip(), normalize_phone)
    problems.raise_if_any()
    fields = {"code": code, "name": name, "enforcement_body": body or None, "phone": phone}
    with write_transaction():
        if department_id is None:
            department = Department.create(**fields)
            audit.record(actor, "department.create", "department", department.id, fields)
        else:
            before = get_department(department_id)
            Department.update(**fields).where(Department.id == department_id).execute()
            old = {
                "code": before.code,
                "name": before.name,
                "enforcement_body": before.enforcement_body,
                "phone": before.phone,
            }
            audit.record(
                actor,
                "department.update",
                "department",
                department_id,
                {"before": old, "after": fields},
            )
            department = get_department(department_id)
    return department


def _taken(column: Field, value: str, own_id: int | None) -> bool:
    query = Department.select().where(column == value)
    if own_id is not None:
        query = query.where(Department.id != own_id)
    return query.exists()


def get_department(department_id: int) -> Department:
    found = Department.get_or_none(Department.id == department_id)
    if found is None:
        raise NotFound(N_("承办单位不存在"))
    return found


def set_department_active(actor: Actor, department_id: int, active: bool) -> None:
    """A department with cases is never deleted: it is deactivated (no new dispatches)."""
    actor.require(Action.SETTINGS_MANAGE)
    with write_transaction():
        get_department(department_id)
        Department.update(active=active).where(Department.id == department_id).execute()
        action = "department.activate" if active else "department.deactivate"
        audit.record(actor, action, "department", department_id, {})


# Districts (区县)


@dataclass(frozen=True)
class DistrictRecord:
    """A district as the administrator's districts page lists and edits it."""

    code: str
    name: str
    active: bool


def district_records() -> list[DistrictRecord]:
    """Every district, inactive ones too, in the order of their codes."""
    return [DistrictRecord(d.code, d.name, bool(d.active)) for d in list_districts()]


def district_choices() -> list[tuple[str, str]]:
    """(name, code) of the active districts, in the order of their codes: a form's choices."""
    return [(d.name, d.code) for d in list_districts(include_inactive=False)]


def list_districts(include_inactive: bool = True) -> list[District]:
    query = District.select().order_by(District.code)
    if not include_inactive:
        query = query.where(District.active == True)  # noqa: E712 (SQL expression)
    return list(query)


def district_names() -> dict[str, str]:
    """Every district's name by its code (inactive ones too: old cases still name them)."""
    return {code: name for code, name in tuples(District.select(District.code, District.name))}


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The active districts (code, name) and departments (id, name) a case list can be
    filtered by, departments in the order of their codes."""
    districts = District.select(District.code, District.name).where(District.active)
    departments = Department.select(Department.id, Department.name).where(Department.active)
    return list(tuples(districts)), list(tuples(departments.order_by(Department.code)))


def save_district(actor: Actor, *, code: str, name: str, new: bool) -> District:
    """Add a district (``new``) or rename one; its code never changes."""
    actor.require(Action.SETTINGS_MANAGE)
    problems = Problems()
    code = (code or "").strip()
    existing = District.get_or_none(District.code == code)
    if not DISTRICT_CODE.match(code):
        problems.add("code", N_("区划代码应为 6 位数字"))
    elif new and existing is not None:
        problems.add("code", N_("编码 {code} 已被使用"), code=code)
    elif not new and existing is None:
        raise NotFound(N_("区县不存在"))
    name = _text(problems, "name", name, 30, True)
    if name and District.select().where((District.name == name) & (District.code != code)).exists():
        problems.add("name", N_("名称 {name} 已存在"), name=name)
    problems.raise_if_any()
    with write_transaction():
        if new:
            District.create(code=code, name=name)
            audit.record(actor, "district.create", "district", code, {"name": name})
        else:
            District.update(name=name).where(District.code == code).execute()
            audit.record(
                actor,
                "district.update",
                "district",
                code,
                {"before": existing.name if existing else "", "after": name},
            )
    return District.get_by_id(code)


def set_district_active(actor: Actor, code: str, active: bool) -> None:
    actor.require(Action.SETTINGS_MANAGE)
    with write_transaction():
        count = District.update(active=active).where(District.code == code).execute()
        if not count:
            raise NotFound(N_("区县不存在"))
        action = "district.activate" if active else "district.deactivate"
        audit.record(actor, action, "district", code, {})


# Extra holidays and make-up workdays


@dataclass(frozen=True)
class HolidayEntry:
    """A day set by hand on the holidays page: a day off, or a make-up workday."""

    day: dt.date
    is_workday: bool
    note: str


def list_holidays(year: int | None = None) -> list[HolidayEntry]:
    query = Holiday.select().order_by(Holiday.day)
    if year is not None:
        query = query.where(
            (Holiday.day >= dt.date(year, 1, 1)) & (Holiday.day <= dt.date(year, 12, 31))
        )
    return [HolidayEntry(h.day, bool(h.is_workday), h.note or "") for h in query]


def set_holiday(actor: Actor, day: dt.date, is_workday: bool, note: str = "") -> Holiday:
    """Mark ``day`` as a day off, or (``is_workday``) as a make-up workday; replaces any entry."""
    actor.require(Action.SETTINGS_MANAGE)
    problems = Problems()
    if not isinstance(day, dt.date):
        problems.add("day", N_("请填写日期"))
    note = _text(problems, "note", note, 60, False)
    problems.raise_if_any()
    day = workdays.as_day(day)
    with write_transaction():
        Holiday.insert(day=day, is_workday=is_workday, note=note).on_conflict(
            conflict_target=[Holiday.day],
            update={Holiday.is_workday: is_workday, Holiday.note: note},
        ).execute()
        audit.record(
            actor,
            "holiday.set",
            "holiday",
            day.isoformat(),
            {"is_workday": is_workday, "note": note},
        )
    workdays.invalidate()
    return Holiday.get_by_id(day)


def remove_holiday(actor: Actor, day: dt.date) -> None:
    actor.require(Action.SETTINGS_MANAGE)
    with write_transaction():
        count = Holiday.delete().where(Holiday.day == day).execute()
        if not count:
            raise NotFound(N_("该日期没有设置"))
        audit.record(actor, "holiday.remove", "holiday", day.isoformat(), {})
    workdays.invalidate()


# The deadline policy


def get_policy() -> deadlines.DeadlinePolicy:
    return deadlines.load_policy()


def update_policy(actor: Actor, policy: deadlines.DeadlinePolicy) -> None:
    """Validate and store ``policy``; new dispatches use it, existing deadlines stay."""
    actor.require(Action.SETTINGS_MANAGE)
    policy.validate()
    before = deadlines.load_policy().as_dict()
    with write_transaction():
        deadlines.save_policy(policy)
        audit.record(
            actor,
            "policy.update",
            "setting",
            deadlines.SETTING_KEY,
            {"before": before, "after": policy.as_dict()},
        )
