"""Administrators' reference data: departments, districts, holidays, the deadline policy."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import admin, deadlines, workdays
from hotline.enums import Role
from hotline.errors import NotFound, PermissionDenied, ValidationError
from hotline.models import AuditEntry, Department, District
from hotline.permissions import Actor

ADMIN = Actor("管理员", Role.ADMIN, None)
OPERATOR = Actor("坐席甲", Role.OPERATOR, None)


def _last_audit() -> AuditEntry:
    return AuditEntry.select().order_by(AuditEntry.id.desc()).get()


def test_create_department_is_audited(database):
    created = admin.save_department(
        ADMIN, code="sjj", name="市审计局", enforcement_body="", phone="0392-3316099"
    )
    assert created.code == "SJJ"
    assert created.phone == "0392-3316099"
    assert created.enforcement_body is None
    entry = _last_audit()
    assert (entry.action, entry.entity_id) == ("department.create", str(created.id))


def test_department_problems_are_reported_together(database):
    with pytest.raises(ValidationError) as caught:
        admin.save_department(ADMIN, code="SCJG", name="市财政局", phone="12")
    assert caught.value.fields() == {"code", "name", "phone"}


def test_unstorable_characters_in_names_are_refused(database):
    with pytest.raises(ValidationError) as caught:
        admin.save_department(
            ADMIN, code="SJJ", name="市审计\ud800局", enforcement_body="审计\x00", phone=""
        )
    assert caught.value.fields() == {"name", "enforcement_body"}
    with pytest.raises(ValidationError) as caught:
        admin.save_district(ADMIN, code="410699", name="新\x00区", new=True)
    assert caught.value.fields() == {"name"}


def test_rename_department_keeps_its_own_code(database):
    department = Department.get(Department.code == "CZJ")
    renamed = admin.save_department(
        ADMIN, department_id=department.id, code="CZJ", name="市财政局（国资委）"
    )
    assert renamed.name == "市财政局（国资委）"
    assert _last_audit().action == "department.update"


def test_deactivated_department_is_left_out_of_active_list(database):
    department = Department.get(Department.code == "SW")
    admin.set_department_active(ADMIN, department.id, False)
    codes = [d.code for d in admin.list_departments(include_inactive=False)]
    assert "SW" not in codes
    assert "SW" in [d.code for d in admin.list_departments()]


def test_operator_may_not_change_departments(database):
    with pytest.raises(PermissionDenied):
        admin.save_department(OPERATOR, code="X1", name="某局")
    with pytest.raises(PermissionDenied):
        admin.set_district_active(OPERATOR, "410602", False)
    with pytest.raises(PermissionDenied):
        admin.update_policy(OPERATOR, deadlines.DeadlinePolicy())


def test_add_and_rename_district(database):
    admin.save_district(ADMIN, code="410699", name="测试新区", new=True)
    admin.save_district(ADMIN, code="410699", name="测试示范区", new=False)
    assert District.get_by_id("410699").name == "测试示范区"
    with pytest.raises(ValidationError) as caught:
        admin.save_district(ADMIN, code="4106", name="淇滨区", new=True)
    assert caught.value.fields() == {"code", "name"}
    with pytest.raises(NotFound):
        admin.save_district(ADMIN, code="410698", name="无此区", new=False)


def test_holiday_overrides_the_calendar(database):
    saturday = dt.date(2026, 12, 5)
    assert not workdays.load_calendar().is_workday(saturday)
    admin.set_holiday(ADMIN, saturday, True, "调休上班")
    assert workdays.load_calendar().is_workday(saturday)
    assert [h.day for h in admin.list_holidays(2026)] == [saturday]
    admin.remove_holiday(ADMIN, saturday)
    assert not workdays.load_calendar().is_workday(saturday)
    with pytest.raises(NotFound):
        admin.remove_holiday(ADMIN, saturday)


def test_policy_is_validated_and_audited(database):
    policy = admin.get_policy()
    policy.kind_workdays["complaint"] = 10
    admin.update_policy(ADMIN, policy)
    assert admin.get_policy().kind_workdays["complaint"] == 10
    assert _last_audit().action == "policy.update"
    policy.ceiling_days = 45
    with pytest.raises(ValidationError) as caught:
        admin.update_policy(ADMIN, policy)
    assert "ceiling_days" in caught.value.fields()
    assert admin.get_policy().ceiling_days == 30
