"""Reply texts inserted from the keyboard in the case actions' text fields: a code and Tab,
or the list on Ctrl+Space; filled from the case, masked as the reader sees it, one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt

from hotline import cases, workflow
from hotline.enums import Role
from hotline.models import Department
from hotline.permissions import Actor
from hotline.reply_texts import service
from hotline.reply_texts.schema import ReplyText
from hotline.reply_texts.service import TextInput
from tests.conftest import sample_case
from tests.ui.case.conftest import MONDAY, open_window
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import press, type_text
from ui.common.session import Session

CTRL = Qt.KeyboardModifier.ControlModifier


def _ready(qtbot, dialog):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.reply_texts.texts is not None, timeout=5000)
    return dialog.reply_texts


def _dispatched(cli_actor, **overrides) -> int:  # type: ignore[no-untyped-def]
    case = cases.register(cli_actor, sample_case(**overrides))
    department = Department.get(code="SCJG")
    workflow.dispatch(cli_actor, case.id, department.id)
    return case.id


def _actor(session: Session) -> Actor:
    return session.actor


def test_code_and_tab_expand_a_reply_in_place_as_one_undo_step(
    qtbot, frozen, operator_session, cli_actor
):
    case_id = _dispatched(cli_actor)
    case = cases.get(case_id)
    window = open_window(qtbot, operator_session, case_id)
    dialog = window.perform("reply")
    helper = _ready(qtbot, dialog)
    editor = dialog.text
    type_text(editor, "前文。dfsl")
    editor.appendPlainText("后文不动")
    cursor = editor.textCursor()
    cursor.setPosition(len("前文。dfsl"))
    editor.setTextCursor(cursor)
    with qtbot.waitSignal(helper.inserted) as inserted:
        press(editor, Qt.Key.Key_Tab)
    assert inserted.args == ["dfsl"]
    text = editor.toPlainText()
    assert text.startswith("前文。鹤壁市华联商贸有限公司：您好！您反映的“施工许可审批拖延”")
    assert f"（案件编号 {case.case_no}）" in text
    assert "已于 2026年11月23日 受理，现已转市市场监督管理局办理" in text
    assert text.endswith("\n后文不动")
    assert "{" not in text and "dfsl" not in text
    assert dialog.focusWidget() is editor  # Tab did not move on
    editor.undo()
    assert editor.toPlainText() == "前文。dfsl\n后文不动"


def test_tab_after_a_word_that_is_no_code_moves_on(qtbot, frozen, operator_session, cli_actor):
    window = open_window(qtbot, operator_session, _dispatched(cli_actor))
    dialog = window.perform("reply")
    helper = _ready(qtbot, dialog)
    type_text(dialog.text, "ok")
    with qtbot.assertNotEmitted(helper.inserted):
        press(dialog.text, Qt.Key.Key_Tab)
    assert dialog.text.toPlainText() == "ok"
    assert dialog.focusWidget() is not dialog.text  # on to the next field, as before


def test_ctrl_space_lists_filters_by_pinyin_and_inserts_in_a_callback(
    qtbot, frozen, operator_session, cli_actor
):
    case_id = _dispatched(cli_actor)
    workflow.reply(cli_actor, case_id, "已办理", resolution="resolved", contact_made=True)
    service.save_text(
        _actor(operator_session),
        TextInput(
            code="hs1",
            title="预约上门核查",
            body="已约{企业名称}于{今天}上门核查，经办人{经办人}。",
            kinds=["callback"],
        ),
    )
    window = open_window(qtbot, operator_session, case_id)
    dialog = window.perform("callback")
    helper = _ready(qtbot, dialog)
    editor = dialog.comment
    type_text(editor, "回访：")
    press(editor, Qt.Key.Key_Space, CTRL)
    picker = helper.picker
    assert picker is not None and picker.isVisible()
    codes = [t.code for t in picker.shown()]
    assert "hs1" in codes and "hfmy" in codes and "dfsl" not in codes  # callback texts only
    type_text(picker.filter, "yysm")  # 预约上门 by its pinyin initials
    assert [t.code for t in picker.shown()] == ["hs1"]
    assert "鹤壁市华联商贸有限公司" in picker.preview.text()
    with qtbot.waitSignal(helper.inserted):
        press(picker.filter, Qt.Key.Key_Return)
    assert (
        editor.toPlainText()
        == "回访：已约鹤壁市华联商贸有限公司于2026年11月23日上门核查，经办人坐席一。"
    )
    editor.undo()
    assert editor.toPlainText() == "回访："


def test_the_list_after_a_partial_code_replaces_only_that_code_and_esc_closes(
    qtbot, frozen, operator_session, cli_actor
):
    window = open_window(qtbot, operator_session, _dispatched(cli_actor))
    dialog = window.perform("reply")
    helper = _ready(qtbot, dialog)
    type_text(dialog.text, "说明df")
    press(dialog.text, Qt.Key.Key_Space, CTRL)
    assert helper.picker.filter.text() == "df"
    press(helper.picker.filter, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: helper.picker is None)
    assert dialog.isVisible()  # Esc closed the list, not the dialog
    assert dialog.text.toPlainText() == "说明df"
    # Alt+/ opens it as well (where the input method takes Ctrl+Space for itself).
    press(dialog.text, Qt.Key.Key_Slash, Qt.KeyboardModifier.AltModifier)
    type_text(helper.picker.filter, "bj")  # dfbj
    with qtbot.waitSignal(helper.inserted):
        press(helper.picker.filter, Qt.Key.Key_Return)
    text = dialog.text.toPlainText()
    assert text.startswith("说明鹤壁市华联商贸有限公司：您好！") and "df" not in text


def test_a_confidential_callers_placeholder_is_masked_for_a_manager(
    qtbot, frozen, database, database_target, cli_actor
):
    case = cases.register(cli_actor, sample_case(confidential=True))
    manager = Session(make_user("boss", Role.MANAGER, "科长"), database_target)
    service.save_text(
        manager.actor,
        TextInput(
            code="lx", title="联系来电人", body="已联系{来电人}（{来电人电话}）", kinds=["note"]
        ),
    )
    window = open_window(qtbot, manager, case.id)
    dialog = window.perform("note")
    helper = _ready(qtbot, dialog)
    type_text(dialog.text, "lx")
    with qtbot.waitSignal(helper.inserted):
        press(dialog.text, Qt.Key.Key_Tab)
    text = dialog.text.toPlainText()
    assert "张伟" not in text and "13812345678" not in text
    assert text == "已联系张*（138****5678）"


def test_another_users_private_texts_are_not_offered(
    qtbot, frozen, database_target, operator_session, cli_actor
):
    other = make_user("seat2", Role.OPERATOR, "坐席二")
    service.save_text(
        Actor("坐席二", Role.OPERATOR, other.id),
        TextInput(code="mine", title="他人的", body="他人的常用语", kinds=["note"]),
    )
    window = open_window(qtbot, operator_session, _dispatched(cli_actor))
    dialog = window.perform("note")
    helper = _ready(qtbot, dialog)
    assert "mine" not in {t.code for t in helper.texts}
    type_text(dialog.text, "mine")
    press(dialog.text, Qt.Key.Key_Tab)
    assert dialog.text.toPlainText() == "mine"


def test_a_text_with_an_unknown_placeholder_is_not_inserted(
    qtbot, frozen, operator_session, cli_actor
):
    # Written by a newer version (or straight into the table): the program does not know {工单号}.
    ReplyText.create(
        owner=None,
        code="odd",
        title="旧",
        body="编号{工单号}",
        kinds="return",
        created_at=MONDAY,
        updated_at=MONDAY,
        updated_by_name="",
        version=1,
    )
    window = open_window(qtbot, operator_session, _dispatched(cli_actor))
    dialog = window.perform("note")  # the operator's note: not a return text
    helper = _ready(qtbot, dialog)
    assert "odd" not in {t.code for t in helper.texts}
    helper.kind = "return"
    helper.texts = service.for_field(service.visible_texts(operator_session.actor), "return")
    type_text(dialog.text, "odd")
    with qtbot.assertNotEmitted(helper.inserted):
        press(dialog.text, Qt.Key.Key_Tab)
    assert dialog.text.toPlainText() == "odd"
    assert "{工单号}" in helper.last_notice and "未插入" in helper.last_notice
