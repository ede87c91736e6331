"""Co-handling (会办) in the case window: the centre picks assisting departments by keyboard
when dispatching; an assisting department answers its part; the lead sees the parts."""

from __future__ import annotations

from PySide6.QtCore import Qt

from hotline import auth, cases, cohandling, workflow
from hotline.enums import Role, Status
from hotline.models import Case
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.ui.case.conftest import frozen, open_window
from tests.ui.case.test_case_detail import act, visible_actions
from tests.ui.conftest import USER_PASSWORD
from tests.ui.typing_helpers import type_text
from ui.case.dispatch import DispatchDialog
from ui.common.session import Session

__all__ = ["frozen"]  # the fixture, used by name

ADMIN = Actor("管理员", Role.ADMIN, None)


def _department_session(database_target: str, username: str, name: str, department: int):
    user = auth.create_user(
        ADMIN, username, name, "department", USER_PASSWORD, department_id=department
    )
    return Session(auth.signed_in_user(user.id), database_target)


def test_dispatch_with_assisting_departments_by_keyboard(
    qtbot, frozen, operator_session, cli_actor
):
    case = cases.register(cli_actor, sample_case())
    window = open_window(qtbot, operator_session, case.id)
    dialog = window.perform("dispatch")
    assert isinstance(dialog, DispatchDialog)
    type_text(dialog.department.lineEdit(), "市市场监督管理局")
    lead_item = dialog.assisting.findItems("市市场监督管理局", Qt.MatchFlag.MatchExactly)[0]
    assert not lead_item.flags() & Qt.ItemFlag.ItemIsEnabled  # the lead cannot assist itself
    dialog.assisting.setFocus()
    type_text(dialog.assisting, "市交")  # type-ahead to 市交通运输局
    assert dialog.assisting.currentItem().text() == "市交通运输局"
    qtbot.keyClick(dialog.assisting, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.assisting, Qt.Key.Key_Home)  # then by the arrows
    for _row in range(dialog.assisting.count()):
        if dialog.assisting.currentItem().text() == "市人力资源和社会保障局":
            break
        qtbot.keyClick(dialog.assisting, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.assisting, Qt.Key.Key_Space)
    assert dialog.assisting_ids() == [3, 9]
    dialog.assist_days.setFocus()
    dialog.assist_days.selectAll()
    type_text(dialog.assist_days, "2")
    act(qtbot, window, dialog)
    parts = cohandling.case_parts(case.id)
    assert [p.department for p in parts] == ["市交通运输局", "市人力资源和社会保障局"]
    assert Case.get_by_id(case.id).status == Status.DISPATCHED.value
    shown = window.fields.values["cohandling"].text()
    assert "市交通运输局 · 期限 2026-11-25 · 待答复" in shown
    assert any(
        "会办单位 市交通运输局、市人力资源和社会保障局" in e.facts for e in window.snapshot.events
    )


def test_an_assisting_department_answers_and_the_lead_sees_it(
    qtbot, frozen, database, database_target, cli_actor
):
    case = cases.register(cli_actor, sample_case())
    workflow.dispatch(cli_actor, case.id, 1, assisting=[3], assist_workdays=2)
    helper = _department_session(database_target, "dept_jt", "交通科员", 3)
    window = open_window(qtbot, helper, case.id)
    assert visible_actions(window) == {"answer_assist", "note"}
    assert window.buttons["answer_assist"].isDefault()
    assert window.header.assist.isVisible()
    assert (
        "请于 2026-11-25 前向主办单位 市市场监督管理局 答复会办意见" in window.header.assist.text()
    )
    dialog = window.perform("answer_assist")
    dialog.accept()  # empty: refused, the dialog stays
    qtbot.waitUntil(lambda: not dialog.messages["answer"].isHidden(), timeout=5000)
    type_text(dialog.text, "道路占用许可可在三日内办结")
    act(qtbot, window, dialog)
    assert visible_actions(window) == {"note"}
    assert "按期" in window.header.assist.text()

    lead = _department_session(database_target, "dept_sj", "市监科员", 1)
    lead_window = open_window(qtbot, lead, case.id)
    assert "answer_assist" not in visible_actions(lead_window)
    assert not lead_window.header.assist.isVisible()
    shown = lead_window.fields.values["cohandling"].text()
    assert "市交通运输局" in shown and "道路占用许可可在三日内办结" in shown


def test_the_centre_enters_a_part_given_on_paper(qtbot, frozen, operator_session, cli_actor):
    case = cases.register(cli_actor, sample_case())
    workflow.dispatch(cli_actor, case.id, 1, assisting=[3, 9])
    window = open_window(qtbot, operator_session, case.id)
    assert "answer_assist" in visible_actions(window)
    assert window.buttons["answer_assist"].text() == "录入会办意见…"
    assert not window.header.assist.isVisible()  # the centre is nobody's assisting department
    dialog = window.perform("answer_assist")
    names = [dialog.department.itemText(i) for i in range(dialog.department.count())]
    assert names == ["市交通运输局", "市人力资源和社会保障局"]
    dialog.department.setCurrentIndex(1)
    type_text(dialog.text, "人社局电话答复：可按规定补缴")
    act(qtbot, window, dialog)
    part = next(p for p in cohandling.case_parts(case.id) if p.department_id == 9)
    assert part.answer == "人社局电话答复：可按规定补缴" and part.answered_by == "坐席一"
    assert "市人力资源和社会保障局 · 期限" in window.fields.values["cohandling"].text()
