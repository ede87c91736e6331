"""The administration window: users, departments, districts, policy, holidays, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from hotline import admin, auth
from hotline.auth import SignInFailed
from hotline.enums import Role
from hotline.errors import PermissionDenied
from hotline.models import Department, Holiday, User
from tests.pg_person import PROGRAM_SIGN_IN
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import type_text
from ui.admin import departments as admin_departments
from ui.admin import forms as admin_forms
from ui.admin import users as admin_users
from ui.admin.departments import DepartmentDialog, DepartmentsPage
from ui.admin.forms import selected_record
from ui.admin.holidays import HolidayDialog
from ui.admin.policy import PolicyPage
from ui.admin.users import NewUserDialog, ResetPasswordDialog, UsersPage
from ui.admin.window import AdminWindow


@pytest.fixture
def yes(monkeypatch):
    """Answer "yes" to every confirmation."""
    monkeypatch.setattr(admin_forms, "confirm", lambda _parent, _question: True)
    monkeypatch.setattr(admin_users, "confirm", lambda _parent, _question: True)


@PROGRAM_SIGN_IN
def test_create_user_marks_every_problem_then_saves(qtbot, session):
    dialog = NewUserDialog(session)
    qtbot.addWidget(dialog)
    type_text(dialog.username, "x")
    with qtbot.waitSignal(dialog.refused):
        dialog.ok_button.click()
    assert dialog.result() == 0
    assert dialog.username.text() == "x" and dialog.username.isEnabled()
    assert dialog.username.property("invalid") is True
    assert dialog.display_name.property("invalid") is True
    assert "用户名" in dialog.error.text() and "请填写姓名" in dialog.error.text()
    dialog.username.clear()
    type_text(dialog.username, "seat9")
    type_text(dialog.display_name, "李娜")
    dialog.role.setCurrentIndex(dialog.role.findData("shift_lead"))
    password = dialog.password.text()
    with qtbot.waitSignal(dialog.accepted):
        dialog.ok_button.click()
    user = User.get(User.username == "seat9")
    assert (user.display_name, user.role, user.must_change_password) == ("李娜", "shift_lead", True)
    assert auth.sign_in("seat9", password).id == user.id


@PROGRAM_SIGN_IN
def test_reset_password_and_deactivate(qtbot, session, yes):
    seat = make_user("seat3", Role.OPERATOR, "王强")
    page = UsersPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.reload(seat.id)
    dialog = ResetPasswordDialog(session, seat)
    qtbot.addWidget(dialog)
    temporary = dialog.password.text()
    with qtbot.waitSignal(dialog.accepted):
        dialog.ok_button.click()
    assert User.get_by_id(seat.id).must_change_password
    assert auth.sign_in("seat3", temporary).id == seat.id
    assert page.active_button.text() == "停用"
    with qtbot.waitSignal(page.loaded):
        page.toggle_active()
    assert not User.get_by_id(seat.id).active
    assert page.active_button.text() == "启用"
    with pytest.raises(SignInFailed):
        auth.sign_in("seat3", temporary)


def test_admin_cannot_deactivate_themself(qtbot, session):
    page = UsersPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.reload(session.user.id)
    assert not page.active_button.isEnabled()


def test_edit_the_deadline_policy(qtbot, session):
    page = PolicyPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(page.isEnabled)
    page.spins["kind_workdays.complaint"].setValue(10)
    with qtbot.waitSignal(page.finished):
        page.save()
    assert admin.get_policy().kind_workdays["complaint"] == 10
    assert page.saved.text() == "已保存"
    page.spins["ceiling_days"].setValue(45)
    with qtbot.waitSignal(page.finished):
        page.save()
    assert page.spins["ceiling_days"].value() == 45  # what was typed is kept
    assert page.spins["ceiling_days"].property("invalid") is True
    assert "30" in page.error.text()
    assert admin.get_policy().ceiling_days == 30


def test_add_department_and_holiday(qtbot, session):
    dialog = DepartmentDialog(session, None)
    qtbot.addWidget(dialog)
    type_text(dialog.code, "SJJ")
    type_text(dialog.name, "市审计局")
    with qtbot.waitSignal(dialog.accepted):
        dialog.ok_button.click()
    page = DepartmentsPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: bool(page.model.records))
    assert "市审计局" in [d.name for d in page.model.records]
    assert Department.get(Department.code == "SJJ").active

    holiday = HolidayDialog(session)
    qtbot.addWidget(holiday)
    holiday.day.setDate(QDate(2026, 12, 5))
    holiday.kind.setCurrentIndex(holiday.kind.findData(True))
    type_text(holiday.note, "调休上班")
    with qtbot.waitSignal(holiday.accepted):
        holiday.ok_button.click()
    assert Holiday.get_by_id(dt.date(2026, 12, 5)).is_workday


def test_operator_is_refused_by_the_core(qtbot, operator_session):
    window = AdminWindow(operator_session)
    qtbot.addWidget(window)
    assert window.pages == {}
    with pytest.raises(PermissionDenied):
        admin.save_department(operator_session.actor, code="X1", name="某局")
    dialog = NewUserDialog(operator_session)
    qtbot.addWidget(dialog)
    type_text(dialog.username, "sneaky")
    type_text(dialog.display_name, "某人")
    with qtbot.waitSignal(dialog.refused):
        dialog.ok_button.click()
    assert dialog.result() == 0
    assert "无权" in dialog.error.text()
    assert not User.select().where(User.username == "sneaky").exists()


def test_the_admin_pages_read_and_write_off_the_gui_thread(
    qtbot, session, gui_thread_sql, yes, monkeypatch
):
    """Opening every page, adding a department (found and selected by its code), deactivating it
    and an account, a holiday and the policy: no statement runs on the GUI thread."""
    monkeypatch.setattr(admin_departments, "confirm", lambda _parent, _question: True)
    seat = make_user("seat4", Role.OPERATOR, "赵敏")
    gui_thread_sql.clear()
    window = AdminWindow(session)
    qtbot.addWidget(window)
    users, departments = window.pages["users"], window.pages["departments"]
    qtbot.waitUntil(lambda: all(page.isEnabled() for page in window.pages.values()))
    assert gui_thread_sql.statements == [], gui_thread_sql  # opening the window
    assert {"seat4", "admin"} <= {u.username for u in users.model.records}
    assert departments.model.records and window.pages["districts"].model.records

    dialog = DepartmentDialog(session, None, departments)
    type_text(dialog.code, "zfj")
    type_text(dialog.name, "市住房保障局")
    with qtbot.waitSignal(dialog.accepted):
        dialog.ok_button.click()
    with qtbot.waitSignal(departments.loaded):
        departments.reload(code="ZFJ")
    assert selected_record(departments.table).name == "市住房保障局"
    with qtbot.waitSignal(departments.loaded):
        departments.toggle_active()
    assert not selected_record(departments.table).active

    with qtbot.waitSignal(users.loaded):
        users.reload(seat.id)
    with qtbot.waitSignal(users.loaded):
        users.toggle_active()
    assert not selected_record(users.table).active

    policy = window.pages["policy"]
    policy.spins["kind_workdays.help"].setValue(4)
    with qtbot.waitSignal(policy.finished):
        policy.save()
    holidays = window.pages["holidays"]
    holidays.year.setValue(2027)
    qtbot.waitUntil(holidays.isEnabled)
    assert gui_thread_sql.statements == [], gui_thread_sql


def test_the_attachment_limits_are_set_on_the_policy_page(qtbot, session):
    from hotline.attachments import limits
    from ui.admin.attachment_limits import AttachmentLimitsBox

    page = PolicyPage(session)
    qtbot.addWidget(page)
    box = page.findChild(AttachmentLimitsBox)
    qtbot.waitUntil(box.isEnabled, timeout=5000)
    assert (box.file_mb.value(), box.case_mb.value()) == (20, 200)
    box.file_mb.setValue(50)
    box.case_mb.setValue(30)  # below one file: refused, named
    box.save()
    qtbot.waitUntil(lambda: bool(box.error.text()), timeout=5000)
    assert "不能小于单个文件" in box.error.text()
    assert limits.load() == limits.AttachmentLimits(20, 200)
    box.case_mb.setValue(500)
    box.save()
    qtbot.waitUntil(lambda: box.saved.text() == "已保存", timeout=5000)
    assert limits.load() == limits.AttachmentLimits(50, 500)
