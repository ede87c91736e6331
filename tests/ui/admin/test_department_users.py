"""Administration: a user of role 部门 and the department they work for."""

from __future__ import annotations

from hotline import access
from hotline.enums import Role
from hotline.models import DepartmentMember
from tests.ui.conftest import make_user
from ui.admin.users import DepartmentDialog, UsersPage


def test_a_seat_becomes_a_department_user_with_a_department(qtbot, session):
    seat = make_user("seat1", Role.OPERATOR, "王强")
    page = UsersPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(page.isEnabled)  # the page reads off the GUI thread
    with qtbot.waitSignal(page.loaded):
        page.reload(seat.id)
    assert not page.department_button.isEnabled()  # not a department's user
    page.change_role()
    dialog = page.role_dialog
    dialog.role.setCurrentIndex(dialog.role.findData("department"))
    qtbot.waitUntil(lambda: dialog.department.count() > 2)  # the departments, read on a worker
    assert dialog.department.isVisibleTo(dialog) and "只看所属承办单位" in dialog.hint.text()
    dialog.ok_button.click()  # no department chosen: refused, said where
    qtbot.waitUntil(lambda: "承办单位" in dialog.error.text())
    assert access.department_of(seat.id) is None
    dialog.department.setCurrentIndex(2)
    chosen = dialog.department.currentData()
    with qtbot.waitSignal(dialog.changed):
        dialog.ok_button.click()
    assert access.department_of(seat.id) == chosen
    qtbot.waitUntil(lambda: page.department_button.isEnabled())
    record = next(u for u in page.model.records if u.id == seat.id)
    assert record.department and record.department_id == chosen

    other = DepartmentDialog(session, record, page)
    qtbot.addWidget(other)
    qtbot.waitUntil(lambda: other.department.count() > 1)
    other.department.setCurrentIndex(1)
    other.submit()()  # the change it runs off the GUI thread
    assert DepartmentMember.get(DepartmentMember.user == seat.id).department_id == (
        other.department.currentData()
    )
