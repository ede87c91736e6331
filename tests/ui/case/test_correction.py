"""The 更正 dialog of the case window: F2, the form filled in, only changed fields sent, marks
that keep what was typed, the deadline question, and a change made by someone else meanwhile."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hotline import cases, clock, contacts, corrections, timeline, workflow
from hotline.enums import Role
from hotline.models import Case
from tests.conftest import sample_case
from tests.ui.case.conftest import MONDAY, OTHER
from tests.ui.case.conftest import open_window as open_case_window
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import press, type_text
from ui.case.correction import CorrectionDialog
from ui.case.detail import CaseDetailWindow
from ui.common.session import Session


def open_window(qtbot, session, case_id) -> CaseDetailWindow:
    return open_case_window(qtbot, session, case_id, activate=True)


def open_by_key(qtbot, window) -> CorrectionDialog:
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(window.active_dialog, CorrectionDialog), timeout=5000)
    dialog = window.active_dialog
    assert isinstance(dialog, CorrectionDialog)
    return dialog


def replace_text(widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    press(widget, Qt.Key.Key_Delete)
    type_text(widget, text)


def confirm(qtbot, dialog) -> None:
    press(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def last_row(window) -> tuple[str, str]:
    model = window.timeline.model()
    row = model.rowCount() - 1
    return model.index(row, 1).data(), model.index(row, 3).data()


def test_f2_opens_the_form_filled_in_and_saves_only_what_changed(
    qtbot, frozen, operator_session, cli_actor
):
    case = cases.register(cli_actor, sample_case())
    window = open_window(qtbot, operator_session, case.id)
    assert not window.buttons["correct"].isHidden()
    dialog = open_by_key(qtbot, window)
    fields = dialog.intake
    assert fields.contact_phone.text() == "13812345678"
    assert fields.enterprise_name.text() == "鹤壁市华联商贸有限公司"
    assert fields.kind.currentText() == "投诉"
    assert fields.district.value() == "410611"
    assert dialog.changed() == {}

    replace_text(fields.contact_phone, "13900001111")
    type_text(dialog.reason, "来电人核对后更正电话")
    assert dialog.changed() == {"contact.phone": "13900001111"}
    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        confirm(qtbot, dialog)

    stored = Case.get_by_id(case.id)
    assert (contacts.of(stored).phone, stored.case_no, stored.version) == (
        "13900001111",
        case.case_no,
        2,
    )
    event = next(e for e in timeline.events(case.id) if e.action == "correct")
    assert [c["field"] for c in timeline.event_data(event)["changes"]] == ["contact.phone"]
    action, text = last_row(window)
    assert action == "更正"
    assert "联系电话：13812345678 → 13900001111" in text
    assert "更正原因：来电人核对后更正电话" in text
    assert window.fields.values["contact_phone"].text() == "13900001111"


def test_problems_are_marked_and_what_was_typed_is_kept(qtbot, frozen, operator_session, cli_actor):
    case, _window, dialog = _case_in_dialog(qtbot, operator_session, cli_actor)
    replace_text(dialog.intake.contact_phone, "12345")
    replace_text(dialog.intake.subject, "")
    confirm(qtbot, dialog)  # no reason either
    qtbot.waitUntil(lambda: "reason" in dialog.marks.marked, timeout=5000)
    assert dialog.isVisible()
    assert set(dialog.marks.marked) == {"reason", "contact.phone", "subject"}
    assert "电话号码无效" in dialog.intake.messages["contact.phone"].text()
    assert dialog.intake.contact_phone.text() == "12345"

    type_text(dialog.reason, "补录")
    assert "reason" not in dialog.marks.marked  # the mark goes as soon as the field is edited
    stored = Case.get_by_id(case.id)
    assert (contacts.of(stored).phone, stored.version) == ("13812345678", 1)
    dialog.reject()


def test_nothing_changed_is_said_above_the_buttons(qtbot, frozen, operator_session, cli_actor):
    _case, _window, dialog = _case_in_dialog(qtbot, operator_session, cli_actor)
    type_text(dialog.reason, "核对")
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.problem.isHidden(), timeout=5000)
    assert dialog.problem.text() == "没有修改任何内容"
    dialog.reject()


def _dispatched(cli_actor) -> Case:
    case = cases.register(cli_actor, sample_case())
    return workflow.dispatch(cli_actor, case.id, 1)


def _case_in_dialog(qtbot, session, cli_actor):  # type: ignore[no-untyped-def]
    """A new case, its window open and the correction dialog opened by key in it."""
    case = cases.register(cli_actor, sample_case())
    window = open_window(qtbot, session, case.id)
    return case, window, open_by_key(qtbot, window)


def _ask_urgent(qtbot, window) -> CorrectionDialog:
    dialog = open_by_key(qtbot, window)
    dialog.intake.urgency.set_value("urgent")
    type_text(dialog.reason, "来电人说明情况紧急")
    confirm(qtbot, dialog)
    qtbot.waitUntil(
        lambda: dialog.question is not None and dialog.question.isVisible(), timeout=5000
    )
    return dialog


def test_a_moving_deadline_is_asked_first(qtbot, frozen, operator_session, cli_actor):
    case = _dispatched(cli_actor)
    window = open_window(qtbot, operator_session, case.id)
    dialog = _ask_urgent(qtbot, window)
    question = dialog.question
    assert question.windowTitle() == "办理期限将改变"
    assert str(case.deadline.year) in question.text()
    # Esc: back to the form, nothing written.
    press(question, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.question is None, timeout=5000)
    assert dialog.isVisible()
    assert Case.get_by_id(case.id).version == case.version

    confirm(qtbot, dialog)
    qtbot.waitUntil(
        lambda: dialog.question is not None and dialog.question.isVisible(), timeout=5000
    )
    # Enter: the default button recomputes the deadline.
    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        press(dialog.question, Qt.Key.Key_Return)
    stored = Case.get_by_id(case.id)
    assert stored.urgency == "urgent"
    assert stored.deadline < case.deadline
    assert stored.deadline == workflow.preview_deadline(stored).due
    _action, text = last_row(window)
    assert "办理期限：" in text and "按更正后重新计算" in text


def test_the_deadline_may_be_kept(qtbot, frozen, operator_session, cli_actor):
    case = _dispatched(cli_actor)
    window = open_window(qtbot, operator_session, case.id)
    dialog = _ask_urgent(qtbot, window)
    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        dialog.keep_button.click()
    stored = Case.get_by_id(case.id)
    assert (stored.urgency, stored.deadline) == ("urgent", case.deadline)
    assert "办理期限保持" in last_row(window)[1]


def test_a_change_made_meanwhile_is_not_overwritten(qtbot, frozen, operator_session, cli_actor):
    case, window, dialog = _case_in_dialog(qtbot, operator_session, cli_actor)
    replace_text(dialog.intake.contact_name, "李娜")
    type_text(dialog.reason, "听错了姓名")

    # While the dialog is open a shift lead corrects the subject.
    corrections.correct(OTHER, case.id, {"subject": "值班长改的主题"}, "核对", expected_version=1)

    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: "值班长乙" in dialog.problem.text(), timeout=5000)
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=5000)
    stored = Case.get_by_id(case.id)
    assert (contacts.of(stored).name, stored.subject, stored.version) == (
        "张伟",
        "值班长改的主题",
        2,
    )
    # The form now shows the other change and keeps this user's.
    assert dialog.isVisible()
    assert dialog.intake.subject.text() == "值班长改的主题"
    assert dialog.intake.contact_name.text() == "李娜"
    assert dialog.changed() == {"contact.name": "李娜"}
    assert dialog.reason.toPlainText() == "听错了姓名"

    with qtbot.waitSignal(window.case_loaded, timeout=5000):
        confirm(qtbot, dialog)
    stored = Case.get_by_id(case.id)
    assert (contacts.of(stored).name, stored.subject, stored.version) == (
        "李娜",
        "值班长改的主题",
        3,
    )


def test_a_dispatch_meanwhile_is_caught_too(qtbot, frozen, operator_session, cli_actor):
    case, _window, dialog = _case_in_dialog(qtbot, operator_session, cli_actor)
    replace_text(dialog.intake.subject, "主题已更正")
    type_text(dialog.reason, "补充")
    workflow.dispatch(OTHER, case.id, 1)
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: "值班长乙" in dialog.problem.text(), timeout=5000)
    assert Case.get_by_id(case.id).subject == "施工许可审批拖延"
    assert dialog.version == 2
    assert dialog.intake.subject.text() == "主题已更正"
    dialog.reject()


def test_a_manager_has_no_correction(qtbot, frozen, database, cli_actor, tmp_path):
    case = cases.register(cli_actor, sample_case())
    manager = Session(make_user("boss", Role.MANAGER, "科长"), str(tmp_path / "db"))
    window = open_window(qtbot, manager, case.id)
    assert window.buttons["correct"].isHidden()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    QApplication.processEvents()
    assert window.active_dialog is None


def test_a_deadline_already_past_is_pointed_out(qtbot, operator_session, cli_actor):
    with clock.frozen(MONDAY):
        case = _dispatched(cli_actor)
    with clock.frozen(MONDAY + dt.timedelta(days=2)):
        window = open_window(qtbot, operator_session, case.id)
        dialog = _ask_urgent(qtbot, window)  # urgent: due on the dispatch day, now past
        assert "案件将显示为超期" in dialog.question.informativeText()
        dialog.question.reject()
        dialog.reject()
