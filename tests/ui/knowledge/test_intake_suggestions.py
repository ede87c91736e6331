"""Beside the intake form: articles suggested as the operator types, without taking the
focus; F6 opens the best; answering on the spot records the article's version; flagging."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hotline.enums import Role
from hotline.knowledge import articles, flags, usage
from hotline.models import Case
from hotline.permissions import Actor
from tests.hotline.knowledge.helpers import article_input
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import press, type_text
from ui.common.session import Session
from ui.intake.form import IntakeWindow
from ui.knowledge.article_window import ArticleWindow
from ui.knowledge.flag_dialog import FlagDialog

LEAD = Actor("值班长", Role.SHIFT_LEAD, None)


@pytest.fixture
def licence(database) -> articles.Article:
    article = articles.create(LEAD, article_input(), publish=True)
    articles.update(LEAD, article.id, article_input(answer="第二版：网上申请，**一个工作日**办结"))
    articles.create(
        LEAD,
        article_input(
            title="增值税小规模纳税人免征额",
            questions=("小规模交税有优惠吗",),
            answer="月销售额10万元以下免征。",
            category="税费服务",
        ),
        publish=True,
    )
    return articles.get(LEAD, article.id)


@pytest.fixture
def window(qtbot, operator_session, licence):
    win = IntakeWindow(operator_session)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.fields.district.count() > 0)
    return win


def _fill_call(window: IntakeWindow) -> None:
    f = window.fields
    type_text(f.enterprise_name, "鹤壁市华联商贸有限公司")
    type_text(f.district.lineEdit(), "淇滨区")
    type_text(f.contact_name, "张伟")
    type_text(f.contact_phone, "13812345678")
    type_text(f.category.lineEdit(), "行政审批")
    type_text(f.description, "来电咨询办理营业执照的渠道和时限。")


def test_articles_are_suggested_as_the_operator_types_without_taking_the_focus(
    qtbot, window, licence
) -> None:
    panel = window.knowledge
    assert panel.hits == []
    with qtbot.waitSignal(panel.previewed, timeout=5000):
        type_text(window.fields.description, "我想开公司，营业执照去哪里申请")
    assert panel.hits[0].id == licence.id
    assert panel.list.currentRow() == 0
    assert QApplication.focusWidget() is window.fields.description  # still typing there
    assert panel.selected is not None and panel.selected.version == 2
    assert "一个工作日" in panel.view.browser.toPlainText()
    # Typing on changes the suggestions; a subject about taxes brings the tax article first.
    window.fields.description.clear()
    with qtbot.waitSignal(panel.shown, timeout=5000):
        type_text(window.fields.subject, "小规模纳税人交税优惠")
    qtbot.waitUntil(lambda: bool(panel.hits) and panel.hits[0].title.startswith("增值税"))
    assert QApplication.focusWidget() is window.fields.subject


def test_f3_opens_the_best_match(qtbot, window, licence) -> None:
    with qtbot.waitSignal(window.knowledge.shown, timeout=5000):
        type_text(window.fields.subject, "营业执照怎么申请")
    press(window.fields.subject, Qt.Key.Key_F6)
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, ArticleWindow) and w.article_id == licence.id and w.isVisible()
            for w in QApplication.topLevelWidgets()
        )
    )
    opened = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ArticleWindow))
    qtbot.addWidget(opened)
    qtbot.waitUntil(lambda: opened.versions.count() == 2)  # the version history beside it
    opened.versions.setCurrentRow(1)
    with qtbot.waitSignal(opened.loaded, timeout=5000):
        opened._version_chosen(opened.versions.item(1))
    assert opened.view.article is not None and opened.view.article.version == 1
    assert "旧版本" in opened.view.browser.toPlainText()


def test_answering_on_the_spot_records_the_article_version(qtbot, window, licence) -> None:
    _fill_call(window)
    with qtbot.waitSignal(window.knowledge.previewed, timeout=5000):
        type_text(window.fields.subject, "营业执照怎么申请")
    assert window.knowledge.answer_button.isEnabled()
    with qtbot.waitSignal(window.case_registered, timeout=5000) as saved:
        window.knowledge.answer_button.click()
    case = Case.get_by_id(saved.args[0])
    assert case.status == "closed" and case.kind == "consultation"
    assert case.reply == "第二版：网上申请，一个工作日办结"
    (use,) = usage.case_uses(case.id)
    assert (use.article_id, use.version) == (licence.id, 2)
    assert "已用知识当场答复并办结" in window.draft_status.text()
    assert window.fields.is_blank()


def test_a_complaint_is_not_answered_with_an_article_and_nothing_is_saved(
    qtbot, window, licence
) -> None:
    _fill_call(window)
    type_text(window.fields.kind.lineEdit(), "投诉")
    with qtbot.waitSignal(window.knowledge.previewed, timeout=5000):
        type_text(window.fields.subject, "营业执照怎么申请")
    window.knowledge.answer_button.click()
    qtbot.waitUntil(lambda: "kind" in window.marks.marked)
    assert Case.select().count() == 0
    assert window.fields.subject.text() == "营业执照怎么申请"  # what was typed stays


def test_operator_flags_an_article_from_the_intake_screen(qtbot, window, licence) -> None:
    with qtbot.waitSignal(window.knowledge.previewed, timeout=5000):
        type_text(window.fields.subject, "营业执照怎么申请")
    window.knowledge.flag_selected()
    dialog = window.knowledge.findChild(FlagDialog)
    assert dialog is not None
    dialog.submit()  # no note: refused, the dialog stays
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    type_text(dialog.note, "材料清单已更新")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.submit()
    (flag,) = flags.queue(LEAD)
    assert (flag.article_id, flag.version, flag.note) == (licence.id, 2, "材料清单已更新")
    assert "已标记" in window.knowledge.status.text()


def test_a_manager_sees_suggestions_but_cannot_answer(qtbot, database, database_target, licence):
    manager = Session(make_user("boss", Role.MANAGER, "科长"), database_target)
    win = IntakeWindow(manager)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.knowledge.previewed, timeout=5000):
        type_text(win.fields.subject, "营业执照怎么申请")
    assert not win.knowledge.answer_button.isEnabled()


def test_suggestions_read_nothing_on_the_gui_thread(qtbot, window, licence, gui_thread_sql):
    with qtbot.waitSignal(window.knowledge.previewed, timeout=5000):
        type_text(window.fields.subject, "营业执照怎么申请")
    assert not [s for s in gui_thread_sql.statements if "knowledge" in s[0]], gui_thread_sql
