"""The intake window as an operator on the phone uses it: Chinese typed key by key, every
wrong field marked at once, fixed, saved, the case number shown; drafts kept and restored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from hotline import cases, contacts, drafts, enterprises
from hotline.intake import parse_intake
from hotline.models import Case
from tests.conftest import sample_case
from tests.ui.typing_helpers import press, type_text
from ui.common.choice_combos import ChoiceCombo
from ui.common.tasks import wait_for_tasks
from ui.intake import draft as intake_draft
from ui.intake.form import IntakeWindow


@pytest.fixture
def window(qtbot, operator_session):
    win = IntakeWindow(operator_session)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.fields.district.count() > 0)  # read off the GUI thread
    return win


def _user(session) -> str:
    return session.user.username


def test_typed_chinese_marks_every_wrong_field_keeps_the_text_then_saves(
    qtbot, window, operator_session
):
    f = window.fields
    type_text(f.enterprise_name, "鹤壁市华联商贸有限公司")
    type_text(f.district.lineEdit(), "淇滨区")
    type_text(f.contact_name, "张伟")
    type_text(f.contact_phone, "1381234")
    type_text(f.kind.lineEdit(), "投诉")
    type_text(f.subject, "施工许可审批拖延")

    window.save()  # checked off the GUI thread, with the save
    qtbot.waitUntil(lambda: bool(window.marks.marked))

    marked = set(window.marks.marked)
    assert marked == {"contact.phone", "category", "description"}
    for key in marked:
        assert f.widgets[key].property("invalid") is True
        assert f.messages[key].isVisible()
        assert f.messages[key].text() == f.widgets[key].toolTip() != ""
    assert "电话号码无效" in f.messages["contact.phone"].text()
    assert f.messages["description"].text() == "此项必填"
    assert window.problem_banner.isVisible()
    assert "3 处" in window.problem_banner.text.text()
    # What was typed is all still there.
    assert f.enterprise_name.text() == "鹤壁市华联商贸有限公司"
    assert f.contact_phone.text() == "1381234"
    assert f.subject.text() == "施工许可审批拖延"
    assert f.kind.value() == "complaint"
    assert Case.select().count() == 0

    f.contact_phone.clear()
    type_text(f.contact_phone, "13812345678")
    assert "contact.phone" not in window.marks.marked  # a fixed field loses its mark at once
    type_text(f.category.lineEdit(), "行政审批")
    type_text(f.description, "企业反映施工许可证申请已提交45个工作日仍未办理。")
    with qtbot.waitSignal(window.case_registered, timeout=5000) as saved:
        window.save()

    case = Case.get_by_id(saved.args[0])
    assert case.subject == "施工许可审批拖延"
    assert case.category == "approval"
    assert case.district_id == "410611"
    assert contacts.of(case).phone == "13812345678"
    assert case.contact_phone_masked == "138****5678"
    assert window.saved_banner.isVisible()
    assert window.saved_banner.number.text() == case.case_no
    assert f.is_blank()  # ready for the next call
    assert window.marks.marked == {}
    wait_for_tasks()
    assert drafts.pending(_user(operator_session)) == []


def test_ctrl_s_saves_and_the_next_case_starts_at_once(qtbot, window):
    f = window.fields
    f.set_values(sample_case())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    f.subject.setFocus()
    with qtbot.waitSignal(window.case_registered, timeout=5000):
        qtbot.keyClick(f.subject, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert f.is_blank()
    assert f.enterprise_name.hasFocus()  # the next call starts at the first field
    f.set_values(sample_case(subject="第二件", category="policy"))
    with qtbot.waitSignal(window.case_registered, timeout=5000):
        window.save()
    assert Case.select().count() == 2


def test_tab_order_follows_the_form(window):
    keys = list(window.fields.widgets)
    assert keys[:5] == [
        "enterprise.name",
        "enterprise.uscc",
        "district",
        "contact.name",
        "contact.phone",
    ]
    chain = []
    widget = window.fields.enterprise_name
    for _step in range(1000):
        for key, field in window.fields.widgets.items():
            if widget is field and key not in chain:
                chain.append(key)
        widget = widget.nextInFocusChain()
    assert chain == keys
    assert window.fields.description.tabChangesFocus()


def test_combo_accepts_a_code_a_label_or_keeps_unknown_text(qtbot, window):
    combo: ChoiceCombo = window.fields.kind
    type_text(combo.lineEdit(), "complaint")
    assert combo.value() == "complaint"
    combo.lineEdit().clear()
    type_text(combo.lineEdit(), "咨询")
    assert combo.value() == "consultation"
    combo.lineEdit().clear()
    type_text(combo.lineEdit(), "闲聊")
    assert combo.value() == "闲聊"
    data = window.fields.values()
    with pytest.raises(Exception) as info:
        parse_intake(data)
    assert "kind" in info.value.fields()


def test_enterprise_suggestion_fills_details_shows_history_and_repeat(
    qtbot, window, cli_actor, operator_session
):
    earlier = cases.register(cli_actor, sample_case())
    enterprise = enterprises.find("鹤壁市华联商贸有限公司", None)
    enterprises.update_details(
        cli_actor,
        enterprise.id,
        industry="批发零售",
        steward_name="赵敏",
        steward_phone="13937201234",
    )
    f = window.fields
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    with qtbot.waitSignal(window.suggester.searched, timeout=5000) as searched:
        type_text(f.enterprise_name, "华联")
    assert searched.args == [1]
    assert window.suggester.suggestions()[0].name == "鹤壁市华联商贸有限公司"
    popup = window.suggester.completer.popup()
    assert popup.isVisible()

    with qtbot.waitSignal(window.context_shown, timeout=5000):
        press(popup, Qt.Key.Key_Down)
        press(popup, Qt.Key.Key_Return)
    assert f.contact_name.hasFocus()  # on to the caller once the enterprise is filled in
    assert f.enterprise_name.text() == "鹤壁市华联商贸有限公司"
    assert f.enterprise_uscc.text() == "91410600MA44XKQ35C"
    assert f.district.value() == "410611"
    assert window.side.steward.text().startswith("赵敏")
    assert window.side.model.rowCount() == 1
    assert window.side.repeat_box.isHidden()  # no category yet

    with qtbot.waitSignal(window.context_shown, timeout=5000):
        type_text(f.category.lineEdit(), "行政审批")
    assert not window.side.repeat_box.isHidden()
    assert earlier.case_no in window.side.repeat_text.text()
    assert window.side.repeat_case_id() == earlier.id


def test_draft_is_restored_after_the_window_is_destroyed_without_saving(
    qtbot, operator_session, monkeypatch
):
    monkeypatch.setattr(intake_draft, "AUTOSAVE_MS", 50)
    user = _user(operator_session)
    first = IntakeWindow(operator_session)
    first.show()
    type_text(first.fields.enterprise_name, "鹤壁市华联商贸有限公司")
    type_text(first.fields.subject, "审批拖延，来电中断")
    qtbot.waitUntil(
        lambda: any(d.data.get("subject") == "审批拖延，来电中断" for d in drafts.pending(user)),
        timeout=5000,
    )
    draft_id = first.keeper.draft_id
    with qtbot.waitSignal(first.destroyed, timeout=5000):
        first.deleteLater()  # no closeEvent: as if the program had crashed

    second = IntakeWindow(operator_session)
    qtbot.addWidget(second)
    second.show()
    assert not second.restore_banner.isHidden()
    assert "审批拖延，来电中断" in second.restore_banner.text.text()
    with qtbot.waitSignal(second.context_shown, timeout=5000):
        qtbot.mouseClick(second.restore_banner.restore_button, Qt.MouseButton.LeftButton)
    assert second.fields.subject.text() == "审批拖延，来电中断"
    assert second.fields.enterprise_name.text() == "鹤壁市华联商贸有限公司"
    assert second.keeper.draft_id == draft_id
    assert second.restore_banner.isHidden()

    second.fields.set_values(sample_case(subject="审批拖延，来电中断"))
    with qtbot.waitSignal(second.case_registered, timeout=5000):
        second.save()
    wait_for_tasks()
    assert drafts.pending(user) == []  # discarded only now that the case is saved


def test_leaving_a_field_writes_the_draft(qtbot, window, operator_session):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.fields.subject.setFocus()
    type_text(window.fields.subject, "离开字段即保存")
    press(window.fields.subject, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: bool(drafts.pending(_user(operator_session))), timeout=2000)
    assert drafts.pending(_user(operator_session))[0].data["subject"] == "离开字段即保存"


def test_closing_keeps_the_draft_but_cancel_discards_after_asking(
    qtbot, operator_session, monkeypatch
):
    user = _user(operator_session)
    first = IntakeWindow(operator_session)
    qtbot.addWidget(first)
    first.show()
    type_text(first.fields.subject, "关窗保留")
    first.close()
    assert [d.data["subject"] for d in drafts.pending(user)] == ["关窗保留"]

    second = IntakeWindow(operator_session)
    qtbot.addWidget(second)
    second.show()
    assert second.restore_draft(second.restore_banner.draft_id)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []

    def question(parent, title, text, *args):
        asked.append(title)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    second.cancel()  # Esc
    assert second.isVisible()  # "No": nothing lost
    assert second.fields.subject.text() == "关窗保留"
    second.cancel()
    assert not second.isVisible()
    assert asked == ["放弃本次登记？", "放弃本次登记？"]
    wait_for_tasks()
    assert drafts.pending(user) == []


def test_escape_is_the_cancel_shortcut(window):
    from PySide6.QtGui import QKeySequence, QShortcut

    keys = {s.key().toString(): s for s in window.findChildren(QShortcut) if s.parent() is window}
    assert QKeySequence(Qt.Key.Key_Escape).toString() in keys
    assert QKeySequence("Ctrl+S").toString() in keys
    assert QKeySequence("Ctrl+N").toString() in keys


def test_new_case_on_a_blank_form_does_not_ask(qtbot, window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked"))
    window.new_case()
    assert window.fields.is_blank()


def test_chinese_labels_are_understood_in_the_english_interface(qtbot, operator_session):
    from hotline.i18n import set_locale

    set_locale("en")
    try:
        window = IntakeWindow(operator_session)
        qtbot.addWidget(window)
        assert window.fields.kind.itemText(2) == "Complaint"
        type_text(window.fields.kind.lineEdit(), "投诉")
        assert window.fields.kind.value() == "complaint"
    finally:
        set_locale("zh_CN")


def test_the_saved_banner_goes_once_the_next_call_is_typed(qtbot, window):
    f = window.fields
    f.set_values(sample_case())
    with qtbot.waitSignal(window.case_registered, timeout=5000):
        window.save()
    number = window.saved_banner.number.text()
    assert window.saved_banner.isVisible()
    type_text(f.enterprise_name, "鹤")  # the next call
    assert not window.saved_banner.isVisible()
    assert number in window.last_case_label.text()  # still there to read out, small
    assert window.last_case_label.isVisible()

    with qtbot.waitSignal(window.case_registered, timeout=5000):
        f.set_values(sample_case(subject="第二件"))
        window.save()
    assert window.saved_banner.isVisible() and not window.last_case_label.isVisible()
    window.save()  # an empty form: every wrong field marked, in red
    qtbot.waitUntil(window.problem_banner.isVisible)
    assert not window.saved_banner.isVisible()  # never green beside red


def test_the_form_reads_and_checks_off_the_gui_thread(qtbot, gui_thread_sql, operator_session):
    """Opening the form (its districts), a refused save and a good one: no statement runs on
    the GUI thread."""
    gui_thread_sql.clear()  # the session's account was written first
    window = IntakeWindow(operator_session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.fields.district.count() > 0)
    f = window.fields
    type_text(f.enterprise_name, "鹤壁市华联商贸有限公司")
    type_text(f.subject, "施工许可审批拖延")
    window.save()
    qtbot.waitUntil(lambda: bool(window.marks.marked))
    assert f.subject.text() == "施工许可审批拖延"
    assert gui_thread_sql.statements == [], gui_thread_sql


def test_files_chosen_at_intake_are_saved_with_the_case_and_kept_by_the_draft(
    qtbot, window, operator_session, tmp_path, monkeypatch
):
    from hotline.attachments import service
    from hotline.enums import Role
    from hotline.permissions import Actor
    from tests.hotline.attachments.files import SAMPLES
    from ui.case import attachments as case_attachments

    photo = tmp_path / "现场照片.png"
    photo.write_bytes(SAMPLES["png"])
    letter = tmp_path / "投诉信.pdf"
    letter.write_bytes(SAMPLES["pdf"])
    monkeypatch.setattr(case_attachments, "choose_files", lambda parent: [str(photo), str(letter)])
    window.attachments.add_button.click()
    assert window.attachments.list.count() == 2
    assert window.attachments.title.text() == "附件（2）"
    # The draft remembers the files, even before anything is typed.
    window.keeper.flush()
    saved = drafts.load(_user(operator_session), window.keeper.draft_id)
    assert saved is not None and saved.data["attachments"] == [str(photo), str(letter)]

    window.fields.set_values(sample_case())
    with qtbot.waitSignal(window.case_registered, timeout=5000) as registered:
        window.save()
    reader = Actor("测试", Role.OPERATOR, None)
    stored = service.list_for_case(registered.args[0], reader)
    assert [a.name for a in stored] == ["现场照片.png", "投诉信.pdf"]
    assert window.attachments.paths == [] and window.attachments.list.count() == 0
    wait_for_tasks()


def test_a_refused_file_at_intake_is_named_and_nothing_is_saved(
    qtbot, window, tmp_path, monkeypatch
):
    from tests.hotline.attachments.files import ELF

    bad = tmp_path / "营业执照.pdf"
    bad.write_bytes(ELF)
    window.attachments.add_paths([str(bad)])
    window.fields.set_values(sample_case())
    window.save()
    qtbot.waitUntil(lambda: window.problem_banner.isVisible(), timeout=5000)
    assert "营业执照.pdf" in window.problem_banner.text.text()
    assert Case.select().count() == 0
    assert window.attachments.paths == [str(bad)]  # nothing the operator chose is lost
    assert window.fields.values()["subject"] == sample_case()["subject"]
    wait_for_tasks()


def test_a_restored_draft_brings_its_files_back(qtbot, operator_session, tmp_path):
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n")
    draft_id = drafts.new_id()
    drafts.save(
        _user(operator_session),
        draft_id,
        {**sample_case(), "attachments": [str(photo), str(tmp_path / "gone.pdf")]},
    )
    win = IntakeWindow(operator_session)
    qtbot.addWidget(win)
    assert win.restore_draft(draft_id)
    assert win.attachments.paths == [str(photo), str(tmp_path / "gone.pdf")]
    assert "文件已不在原处" in win.attachments.list.item(1).text()
    wait_for_tasks()
