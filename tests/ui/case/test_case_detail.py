"""The case window: the whole lifecycle driven through its dialogs, the deadline shown before
dispatching, a conflicting edit refused and reloaded, masking, linked cases, extension tabs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QAction

from hotline import cases, clock, workflow
from hotline.enums import Role, Status
from hotline.i18n import format_date
from hotline.models import Case, CaseEvent, Department
from tests.conftest import sample_case
from tests.ui.case.conftest import MONDAY, OTHER, open_window
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import type_text
from ui.case.dispatch import DispatchDialog
from ui.common.session import Session


def visible_actions(window) -> set[str]:
    return {name for name, button in window.buttons.items() if not button.isHidden()}


def act(qtbot, window, dialog) -> None:
    """Confirm ``dialog`` and wait until the window shows the changed case."""
    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        dialog.accept()


def test_whole_lifecycle_through_the_window(qtbot, frozen, operator_session, cli_actor):
    case = cases.register(cli_actor, sample_case())
    window = open_window(qtbot, operator_session, case.id)
    assert window.header.number.text() == case.case_no
    assert window.header.strip.text() == "待派单"
    assert visible_actions(window) == {"dispatch", "withdraw", "note", "correct"}

    dialog = window.perform("dispatch")
    assert isinstance(dialog, DispatchDialog)
    expected = workflow.preview_deadline(case)
    # The deadline is on screen before anything is confirmed.
    assert format_date(expected.due) in dialog.preview.text()
    assert Case.get_by_id(case.id).status == Status.REGISTERED.value
    type_text(dialog.department.lineEdit(), "市市场监督管理局")
    type_text(dialog.note, "请三日内联系企业")
    act(qtbot, window, dialog)
    stored = Case.get_by_id(case.id)
    assert stored.status == Status.DISPATCHED.value
    assert stored.deadline == expected.due
    assert Department.get_by_id(stored.department_id).name == "市市场监督管理局"
    assert "剩余" in window.header.strip.text()
    assert window.header.status.text() == "已派单"
    assert visible_actions(window) >= {"reply", "return", "request_extension", "note"}

    dialog = window.perform("reply")
    type_text(dialog.text, "已于本周核发施工许可证")
    act(qtbot, window, dialog)
    assert Case.get_by_id(case.id).status == Status.REPLIED.value

    dialog = window.perform("callback")
    type_text(dialog.comment, "企业表示满意")
    dialog.accept()  # no satisfaction chosen: refused, dialog stays, comment kept
    qtbot.waitUntil(lambda: "satisfaction" in dialog.marks.marked, timeout=5000)
    assert dialog.isVisible()
    assert dialog.comment.toPlainText() == "企业表示满意"
    dialog.choices["satisfied"].click()
    act(qtbot, window, dialog)
    stored = Case.get_by_id(case.id)
    assert (stored.status, stored.satisfaction) == (Status.CALLED_BACK.value, "satisfied")

    dialog = window.perform("close")
    act(qtbot, window, dialog)
    assert Case.get_by_id(case.id).status == Status.CLOSED.value
    assert visible_actions(window) == {"reopen", "note"}  # an operator corrects no closed case
    assert window.header.strip.text().startswith("已于")
    labels = [
        window.timeline.model().index(row, 1).data()
        for row in range(window.timeline.model().rowCount())
    ]
    assert labels == ["受理登记", "派单", "部门答复", "回访", "办结"]


def test_calendar_warning_shown_before_dispatch(qtbot, operator_session, cli_actor):
    with clock.frozen(dt.datetime(2031, 12, 22, 9, 0)):
        case = cases.register(cli_actor, sample_case())
        window = open_window(qtbot, operator_session, case.id)
        dialog = window.perform("dispatch")
        assert not dialog.warning.isHidden()
        assert "2032" in dialog.warning.text() or "2031" in dialog.warning.text()
        dialog.reject()


def test_conflicting_edit_is_refused_and_the_window_reloads(
    qtbot, frozen, operator_session, cli_actor, warnings
):
    case = cases.register(cli_actor, sample_case())
    window = open_window(qtbot, operator_session, case.id)
    assert window.snapshot.case.version == 1
    departments = list(Department.select().order_by(Department.id).limit(2))
    # Someone else dispatches the case after this window loaded it.
    workflow.dispatch(OTHER, case.id, departments[0].id)

    dialog = window.perform("dispatch")
    type_text(dialog.department.lineEdit(), departments[1].name)
    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        dialog.accept()

    assert warnings and warnings[0][0] == "内容已被他人修改"
    assert "值班长乙" in warnings[0][1]
    stored = Case.get_by_id(case.id)
    assert stored.department_id == departments[0].id  # nothing overwritten
    assert CaseEvent.select().where(CaseEvent.action == "dispatch").count() == 1
    assert window.snapshot.case.version == stored.version
    assert window.header.status.text() == "已派单"
    assert window.snapshot.department == departments[0].name


def test_validation_keeps_the_dialog_open_with_the_text(qtbot, frozen, operator_session, cli_actor):
    case = cases.register(cli_actor, sample_case())
    window = open_window(qtbot, operator_session, case.id)
    dialog = window.perform("withdraw")
    dialog.accept()
    qtbot.waitUntil(lambda: "reason" in dialog.marks.marked, timeout=5000)
    assert dialog.isVisible()
    assert dialog.messages["reason"].text() == "此项必填"
    dialog.reject()
    assert Case.get_by_id(case.id).status == Status.REGISTERED.value


def test_internal_note_is_marked_in_the_timeline(qtbot, frozen, operator_session, cli_actor):
    case = cases.register(cli_actor, sample_case())
    window = open_window(qtbot, operator_session, case.id)
    dialog = window.perform("note")
    assert dialog.internal.isChecked()
    type_text(dialog.text, "已电话联系审批局窗口")
    act(qtbot, window, dialog)
    model = window.timeline.model()
    last = model.rowCount() - 1
    assert model.index(last, 1).data() == "备注（内部）"
    assert model.index(last, 3).data() == "已电话联系审批局窗口"


def test_overdue_case_stands_out(qtbot, operator_session, cli_actor):
    with clock.frozen(MONDAY):
        case = cases.register(cli_actor, sample_case(urgency="urgent"))
        workflow.dispatch(cli_actor, case.id, Department.select().first().id)
    with clock.frozen(MONDAY + dt.timedelta(days=3)):
        window = open_window(qtbot, operator_session, case.id)
        assert window.header.strip.property("state") == "overdue"
        assert "已超期 3 个工作日" in window.header.strip.text()
        assert window.header.urgent.isVisibleTo(window)


def test_confidential_contact_is_masked_for_a_manager(qtbot, frozen, database, cli_actor, tmp_path):
    case = cases.register(
        cli_actor,
        sample_case(confidential=True, description="联系人张伟留下电话13812345678，请回电。"),
    )
    manager = Session(make_user("boss", Role.MANAGER, "科长"), str(tmp_path / "db"))
    window = open_window(qtbot, manager, case.id)
    values = window.fields.values
    assert values["contact_name"].text().startswith("张*")
    assert values["contact_phone"].text() == "138****5678"
    assert "13812345678" not in values["description"].text()
    assert visible_actions(window) == {"note"}

    operator = Session(make_user("seat9", Role.OPERATOR, "坐席九"), str(tmp_path / "db"))
    other = open_window(qtbot, operator, case.id)
    assert other.fields.values["contact_phone"].text() == "13812345678"


def test_repeats_are_linked_both_ways(qtbot, frozen, operator_session, cli_actor):
    first = cases.register(cli_actor, sample_case())
    second = cases.register(cli_actor, sample_case(subject="再次来电"))
    window = open_window(qtbot, operator_session, second.id)
    assert window.header.repeat.isVisibleTo(window)
    assert first.case_no in window.relations.original.text()
    original = open_window(qtbot, operator_session, first.id)
    assert original.relations.model.rowCount() == 1
    assert original.relations.model.case_id(0) == second.id


def test_the_checklist_tab_follows_the_case_and_links_are_asked_for(
    qtbot, frozen, operator_session, cli_actor
):
    """The checklist is the last tab; a linked case and the enterprise are asked for by
    signal (whoever opened the window opens them)."""
    first = cases.register(cli_actor, sample_case())
    second = cases.register(cli_actor, sample_case(subject="再次来电"))
    window = open_window(qtbot, operator_session, second.id)
    titles = [window.panels.tabText(i) for i in range(window.panels.count())]
    assert len(titles) == 4 and titles[0] == "时间线" and titles[2] == "首错免罚"
    assert titles[3].startswith("附件")  # its count follows when its list is read
    with qtbot.waitSignal(window.case_loaded) as loaded:
        window.reload()
    assert loaded.args[0].case.case_no == second.case_no
    with qtbot.waitSignal(window.case_requested) as requested:
        window.relations.open_case.emit(first.id)
    assert requested.args == [first.id]
    with qtbot.waitSignal(window.enterprise_requested) as requested:
        window.fields.open_enterprise.emit(7)
    assert requested.args == [7]


def test_extension_is_requested_then_approved_by_the_shift_lead(
    qtbot, frozen, operator_session, cli_actor, tmp_path
):
    case = cases.register(cli_actor, sample_case())
    workflow.dispatch(cli_actor, case.id, Department.select().first().id)
    window = open_window(qtbot, operator_session, case.id)
    assert "decide_extension" not in visible_actions(window)  # an operator may not approve
    dialog = window.perform("request_extension")
    until = dialog.until.date().toPython()
    assert until > Case.get_by_id(case.id).deadline
    type_text(dialog.reason, "需补充消防审查意见")
    act(qtbot, window, dialog)
    assert "延期申请待审批" in window.header.strip.text()

    lead = Session(make_user("lead1", Role.SHIFT_LEAD, "值班长"), str(tmp_path / "db"))
    lead_window = open_window(qtbot, lead, case.id)
    dialog = lead_window.perform("decide_extension")
    assert "需补充消防审查意见" in dialog.intro.text()
    act(qtbot, lead_window, dialog)
    stored = Case.get_by_id(case.id)
    assert (stored.extension_status, stored.deadline, stored.extended) == ("approved", until, True)
    assert lead_window.timeline.model().index(3, 1).data() == "批准延期"


def test_a_consultation_is_answered_on_the_spot(qtbot, frozen, operator_session, cli_actor):
    case = cases.register(cli_actor, sample_case(kind="consultation"))
    window = open_window(qtbot, operator_session, case.id)
    dialog = window.perform("answer_on_spot")
    type_text(dialog.text, "已告知企业办理流程")
    act(qtbot, window, dialog)
    stored = Case.get_by_id(case.id)
    assert (stored.status, stored.reply) == (Status.CLOSED.value, "已告知企业办理流程")


def test_a_returned_case_waits_for_dispatch_again(qtbot, frozen, operator_session, cli_actor):
    case = cases.register(cli_actor, sample_case())
    workflow.dispatch(cli_actor, case.id, Department.select().first().id)
    window = open_window(qtbot, operator_session, case.id)
    dialog = window.perform("return")
    assert "退回截止日期" in dialog.intro.text()
    type_text(dialog.text, "不属于本单位职责")
    act(qtbot, window, dialog)
    assert Case.get_by_id(case.id).status == Status.RETURNED.value
    assert window.header.strip.text() == "已被退回，待重新派单"
    assert "dispatch" in visible_actions(window)


def test_case_window_gets_the_exemption_tab_and_pdf_tool(qtbot, session, cli_actor, monkeypatch):
    from ui.exemption.panel import ExemptionPanel
    from ui.reports import actions as report_actions

    case = cases.register(cli_actor, sample_case())
    opened: list[str] = []
    monkeypatch.setattr(
        report_actions, "open_case_pdf", lambda parent, s, case_no: opened.append(case_no)
    )
    window = open_window(qtbot, session, case.id)
    titles = [window.panels.tabText(i) for i in range(window.panels.count())]
    assert "首错免罚" in titles
    assert isinstance(window.panels.widget(titles.index("首错免罚")), ExemptionPanel)
    action = window.findChild(QAction, "casePdf")
    assert action is not None and action.isEnabled()
    action.trigger()
    assert opened == [case.case_no]
