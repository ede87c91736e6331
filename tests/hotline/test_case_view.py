"""The case window's read model (issue 13): plain frozen records, read in one go, masked where
the role may not see a confidential caller; and the small reads the screens get as plain data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from hotline import admin, audit, auth, cases, workflow
from hotline.case_view import CaseFields, CaseWindowView, load_case_window
from hotline.enums import Role
from hotline.errors import NotFound
from hotline.models import BaseModel, Department
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.hotline import confidential_case as caller
from tests.hotline.confidential_case import NAME, leaks
from tests.pg_person import PROGRAM_SIGN_IN

MANAGER = Actor("科长", Role.MANAGER, None)
OPERATOR = Actor("坐席", Role.OPERATOR, None)


def _no_live_rows(value: object, path: str = "view") -> None:
    """Walk the record: every part is plain data, none a database row."""
    assert not isinstance(value, BaseModel), path
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            _no_live_rows(getattr(value, item.name), f"{path}.{item.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_live_rows(item, f"{path}[{key!r}]")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _no_live_rows(item, f"{path}[{i}]")


def test_the_case_window_view_is_plain_frozen_data(database, cli_actor) -> None:
    original = cases.register(cli_actor, sample_case())
    repeat = cases.register(cli_actor, sample_case())  # same enterprise and category: a repeat
    department = Department.select().first()
    workflow.dispatch(cli_actor, original.id, department.id)
    view = load_case_window(original.id, cli_actor)
    assert isinstance(view, CaseWindowView) and isinstance(view.case, CaseFields)
    _no_live_rows(view)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.case.status = "closed"  # type: ignore[misc]
    assert view.case.case_no == original.case_no and view.case.version == 2
    assert view.department == department.name
    assert view.enterprise is not None and view.enterprise.name == "鹤壁市华联商贸有限公司"
    assert [brief.id for brief in view.repeats] == [repeat.id]
    assert [event.action for event in view.events][:2] == ["register", "dispatch"]


def test_a_role_without_the_right_reads_no_spelling_of_a_confidential_caller(
    database, cli_actor
) -> None:
    case = caller.make(cli_actor)
    masked = load_case_window(case.id, MANAGER)
    text = json.dumps(dataclasses.asdict(masked), ensure_ascii=False, default=str)
    assert masked.masked and leaks(text) == []
    assert masked.contact_name == "欧阳**"
    shown = load_case_window(case.id, cli_actor)  # the command line administers: may see
    assert not shown.masked and shown.contact_name == NAME


def test_a_missing_case_is_not_found(database, cli_actor) -> None:
    with pytest.raises(NotFound):
        load_case_window(999_999, cli_actor)


def test_enterprise_of_a_case(database, cli_actor) -> None:
    case = cases.register(cli_actor, sample_case())
    assert case.enterprise_id is not None
    assert cases.enterprise_of(case.id) == case.enterprise_id
    assert cases.enterprise_of(999_999) is None


def test_registered_case_says_whether_it_repeats_another(database, cli_actor) -> None:
    original = cases.register(cli_actor, sample_case())
    repeat = cases.register(cli_actor, sample_case())  # same enterprise and category: a repeat
    assert cases.RegisteredCase.of(original) == cases.RegisteredCase(
        original.id, original.case_no, repeat=False
    )
    assert cases.RegisteredCase.of(repeat).repeat


def test_filter_choices_and_district_names(database, cli_actor) -> None:
    districts, departments = admin.filter_choices()
    assert ("410611", admin.district_names()["410611"]) in districts
    active = admin.list_departments(include_inactive=False)
    assert [d_id for d_id, _name in departments] == [
        d.id for d in sorted(active, key=lambda d: d.code)
    ]
    admin.set_district_active(cli_actor, "410611", False)
    districts, _departments = admin.filter_choices()
    assert "410611" not in [code for code, _name in districts]
    assert "410611" in admin.district_names()  # old cases still name it


@PROGRAM_SIGN_IN
def test_signed_in_user_is_a_plain_record_and_changes_its_own_password(database) -> None:
    stored = auth.create_first_admin("admin", "管理员甲", "Adm1n-pass")
    user = auth.SignedInUser.of(auth.sign_in("admin", "Adm1n-pass"))
    _no_live_rows(user)
    assert (user.id, user.username, user.display_name, user.role) == (
        stored.id,
        "admin",
        "管理员甲",
        Role.ADMIN.value,
    )
    assert auth.actor_for(user) == auth.actor_for(stored)
    auth.change_own_password(user.id, "Adm1n-pass", "New-pass22")
    assert auth.sign_in("admin", "New-pass22").id == user.id
    assert auth.signed_in_user(user.id) == user
    with pytest.raises(NotFound):
        auth.signed_in_user(999_999)


def test_the_admin_pages_get_plain_records(database, cli_actor) -> None:
    """Users, departments, districts, holidays and audit entries as the admin pages list them:
    frozen records carrying what the page shows, no database row."""
    stored = auth.create_first_admin("admin", "管理员甲", "Adm1n-pass")
    actor = auth.actor_for(stored)
    auth.create_user(actor, "op1", "坐席乙", "operator", "Start-pass1", must_change=True)
    admin.set_holiday(cli_actor, dt.date(2026, 12, 5), True, "调休上班")
    admin.set_district_active(cli_actor, "410611", False)
    records = [
        auth.list_users(),
        admin.department_records(),
        admin.district_records(),
        admin.list_holidays(2026),
        audit.entries(actor, limit=5),
    ]
    for listed in records:
        assert listed
        _no_live_rows(listed)
        for record in listed:
            assert dataclasses.is_dataclass(record)
            with pytest.raises(dataclasses.FrozenInstanceError):
                record.id = 0  # type: ignore[union-attr]
    users = {u.username: u for u in auth.list_users()}
    assert users["op1"].must_change_password and users["op1"].active
    assert users["admin"].role == Role.ADMIN.value
    assert [d.code for d in admin.department_records()] == [
        d.code for d in admin.list_departments()
    ]
    districts = {d.code: d for d in admin.district_records()}
    assert not districts["410611"].active
    assert admin.list_holidays(2026) == [
        admin.HolidayEntry(dt.date(2026, 12, 5), is_workday=True, note="调休上班")
    ]
    newest = audit.entries(actor, limit=1)[0]
    assert (newest.action, newest.entity, newest.entity_id) == (
        "district.deactivate",
        "district",
        "410611",
    )
