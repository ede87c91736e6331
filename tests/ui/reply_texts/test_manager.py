"""The reply texts page: one's own texts, shared ones only with the right (audited), problems
marked as typed, a live preview against a case, import errors listed, nothing half-saved."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from hotline import cases, db
from hotline.enums import Role
from hotline.models import AuditEntry
from hotline.reply_texts import service
from hotline.reply_texts.schema import ReplyText
from tests.conftest import sample_case
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import commit_text, type_text
from ui.common.session import Session
from ui.reply_texts.manager import ReplyTextsWindow


class Questions(list[str]):
    """Every question the page asked; ``answers`` are given in turn (then: yes)."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[QMessageBox.StandardButton] = []


@pytest.fixture(autouse=True)
def questions(monkeypatch) -> Questions:
    asked = Questions()

    def question(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return asked.answers.pop(0) if asked.answers else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def open_page(qtbot, session: Session) -> ReplyTextsWindow:  # type: ignore[no-untyped-def]
    window = ReplyTextsWindow(session)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.show()
    return window


def fill(window: ReplyTextsWindow, code: str, title: str, body: str, kinds=("note",)) -> None:  # type: ignore[no-untyped-def]
    window.code.setText(code)
    window.title.clear()
    commit_text(window.title, title)
    for kind in kinds:
        window.kind_boxes[kind].setChecked(True)
    window.body.clear()
    commit_text(window.body, body)


def test_an_operator_adds_a_personal_text_and_may_not_change_shared_ones(qtbot, operator_session):
    window = open_page(qtbot, operator_session)
    assert not window.new_shared_button.isEnabled()
    shared_count = len(window.texts)
    window.new_text(shared=False)
    fill(window, "wd", "问候", "您好，{企业名称}")
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.save()
    (mine,) = [t for t in window.texts if not t.shared]
    assert (mine.code, mine.body, mine.kinds) == ("wd", "您好，{企业名称}", ("note",))
    assert len(window.texts) == shared_count + 1
    assert window.current is not None and window.current.id == mine.id
    row = next(i for i, t in enumerate(window.model.rows) if t.shared)
    window.table.selectRow(row)
    assert not window.body.isEnabled() and not window.save_button.isEnabled()
    assert window.read_only_hint.isVisibleTo(window)
    assert not AuditEntry.select().where(AuditEntry.action.startswith("reply_text")).exists()


def test_an_unknown_placeholder_is_marked_as_typed_and_refused_on_save(qtbot, operator_session):
    window = open_page(qtbot, operator_session)
    window.new_text(shared=False)
    fill(window, "x1", "坏的", "编号 {案件编号}\n企业 {企业}")
    assert "body" in window.marks.marked
    assert "{企业}" in window.marks.marked["body"] and "第 2 行" in window.marks.marked["body"]
    with qtbot.waitSignal(window.loaded, timeout=5000, raising=False):
        window.save()
    qtbot.waitUntil(lambda: not window.busy)
    assert "body" in window.marks.marked
    assert window.body.toPlainText() == "编号 {案件编号}\n企业 {企业}"  # kept as typed
    assert not ReplyText.select().where(ReplyText.code == "x1").exists()


def test_the_preview_follows_the_chosen_case_masked_for_a_manager(
    qtbot, database, database_target, cli_actor
):
    case = cases.register(cli_actor, sample_case(confidential=True))
    manager = Session(make_user("boss", Role.MANAGER, "科长"), database_target)
    window = open_page(qtbot, manager)
    window.new_text(shared=False)
    fill(window, "lx", "联系", "{企业名称}：{来电人}，{来电人电话}，{承办单位}")
    assert window.preview.toPlainText() == "【企业名称】：【来电人】，【来电人电话】，【承办单位】"
    type_text(window.case_no, case.case_no)
    window.choose_case()
    qtbot.waitUntil(lambda: window.case_values is not None, timeout=5000)
    assert window.preview.toPlainText() == "鹤壁市华联商贸有限公司：张*，138****5678，"
    assert "{承办单位}" in window.case_state.text()  # not dispatched: said, left empty
    window.body.clear()
    commit_text(window.body, "{案件编号}")
    assert window.preview.toPlainText() == case.case_no  # live as the text changes


def test_a_shift_lead_changes_a_shared_text_and_it_is_audited(qtbot, database, database_target):
    lead = Session(make_user("lead", Role.SHIFT_LEAD, "值班长"), database_target)
    window = open_page(qtbot, lead)
    assert window.new_shared_button.isEnabled()
    row = next(i for i, t in enumerate(window.model.rows) if t.code == "dfsl")
    window.table.selectRow(row)
    assert window.body.isEnabled()
    window.title.setText("答复：受理转办")
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.save()
    entry = AuditEntry.get(AuditEntry.action == "reply_text.update")
    roles = db.server_roles()  # a set-up server names the login role
    assert entry.actor == ("值班长" if roles is None else roles.login("lead"))
    window.delete(confirmed=True)
    qtbot.waitUntil(lambda: not any(t.code == "dfsl" for t in window.texts), timeout=5000)
    assert AuditEntry.select().where(AuditEntry.action == "reply_text.delete").count() == 1


def test_import_errors_are_listed_and_nothing_is_saved_then_a_good_file_imports(
    qtbot, operator_session, tmp_path, monkeypatch
):
    opened: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: opened.append(box))
    window = open_page(qtbot, operator_session)
    before = ReplyText.select().count()
    path = tmp_path / "texts.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["简码", "标题", "适用", "范围", "正文"])
        writer.writerow(["ok1", "好", "备注", "个人", "{今天}"])
        writer.writerow(["ok2", "坏", "备注", "共享", "{nope}"])
    window.import_from(path)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    problems = window.last_import_problems
    assert any(p.startswith("第 3 行“范围”列：当前角色无权导入共享常用语") for p in problems)
    assert any(p.startswith("第 3 行“正文”列：未知的占位符 {nope}") for p in problems)
    assert "第 3 行“正文”列" in opened[0].text()
    assert ReplyText.select().count() == before
    export = tmp_path / "mine.xlsx"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["简码", "标题", "适用", "范围", "正文"])
        writer.writerow(["ok1", "好", "备注", "个人", "{今天}"])
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.import_from(path)
    assert "新增 1 条" in window.status.text()
    window.scope.setCurrentIndex(1)  # mine
    assert [t.code for t in window.model.rows] == ["ok1"]
    window.export_to(export)
    qtbot.waitUntil(lambda: "已导出 1 条" in window.status.text(), timeout=5000)
    assert Path(export).exists()
    assert service.visible_texts(operator_session.actor)


def test_the_tools_menu_opens_the_page_once(qtbot, operator_session):
    from ui.main_window.window import MainWindow

    main = MainWindow(operator_session)
    qtbot.addWidget(main)
    main.show()
    entry = main.actions_by_name["replyTexts"]
    assert entry.isEnabled()
    entry.trigger()
    qtbot.waitUntil(lambda: ("reply_texts", 0) in main.menu_actions.open_windows, timeout=5000)
    page = main.menu_actions.open_windows[("reply_texts", 0)]
    assert isinstance(page, ReplyTextsWindow)
    entry.trigger()  # again: the same page comes forward
    assert main.menu_actions.open_windows[("reply_texts", 0)] is page
    page.close()


def test_unsaved_changes_are_not_lost_without_asking(qtbot, operator_session, questions):
    window = open_page(qtbot, operator_session)
    window.new_text(shared=False)
    fill(window, "wd", "问候", "您好")
    assert window.changed()
    questions.answers.append(QMessageBox.StandardButton.No)
    row = next(i for i, t in enumerate(window.model.rows) if t.code == "dfsl")
    window.table.selectRow(row)
    assert len(questions) == 1 and "未保存" in questions[0]
    assert window.code.text() == "wd" and window.body.toPlainText() == "您好"  # kept
    qtbot.waitUntil(lambda: not window.table.selectionModel().hasSelection())
    window.table.selectRow(row)  # asked again, and this time given up
    assert len(questions) == 2
    assert window.code.text() == "dfsl" and not window.changed()


def test_the_page_takes_its_keys_from_the_shortcut_table(qtbot, operator_session):
    from tests.ui.common.test_shortcuts import _assert_from_table

    window = open_page(qtbot, operator_session)
    assert {"Ctrl+S", "Ctrl+F", "Ctrl+W"} <= _assert_from_table(window, "reply_texts")
