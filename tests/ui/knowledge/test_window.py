"""The knowledge window: search by words, initials, category, department; editors write,
publish, retire; the flag queue; synonyms; an operator only reads and flags."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QInputDialog

from hotline.enums import Role
from hotline.knowledge import articles, flags, synonyms
from hotline.knowledge.flags import FlagReason
from hotline.knowledge.status import Status
from hotline.models import Department
from hotline.permissions import Actor
from tests.hotline.knowledge.helpers import article_input
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import type_text
from ui.common.session import Session
from ui.knowledge.editor import ArticleEditor
from ui.knowledge.window import KnowledgeWindow

LEAD = Actor("值班长", Role.SHIFT_LEAD, None)


@pytest.fixture
def base(database) -> dict[str, int]:
    department = Department.select().order_by(Department.id).first()
    return {
        "licence": articles.create(LEAD, article_input(), publish=True).id,
        "tax": articles.create(
            LEAD,
            article_input(
                title="增值税小规模纳税人免征额",
                questions=("小规模交税有优惠吗",),
                source_name="",
                source_number="",
                answer="月销售额10万元以下免征。",
                category="税费服务",
                department_id=department.id,
                review_on=dt.date(2020, 1, 1),
            ),
            publish=True,
        ).id,
        "draft": articles.create(LEAD, article_input(title="公积金缴存草稿")).id,
    }


def _window(qtbot, session) -> KnowledgeWindow:
    win = KnowledgeWindow(session)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.department.count() > 1)
    return win


@pytest.fixture
def lead_session(database, database_target) -> Session:
    return Session(make_user("lead1", Role.SHIFT_LEAD, "值班长一"), database_target)


def _ids(win: KnowledgeWindow) -> list[int]:
    return [hit.id for hit in win.model.rows]


def test_search_by_words_initials_category_and_department(qtbot, operator_session, base):
    win = _window(qtbot, operator_session)
    qtbot.waitUntil(lambda: len(win.model.rows) == 2)  # the newest, before any word
    type_text(win.query, "执照")
    qtbot.waitUntil(lambda: _ids(win) == [base["licence"]])
    qtbot.waitUntil(lambda: win.view.article is not None and win.view.article.id == base["licence"])
    assert "如何办理营业执照" in win.view.browser.toPlainText()
    win.query.clear()
    qtbot.waitUntil(lambda: len(win.model.rows) == 2)
    type_text(win.query, "yyzz")
    qtbot.waitUntil(lambda: _ids(win) == [base["licence"]])
    win.query.clear()
    qtbot.waitUntil(lambda: len(win.model.rows) == 2)
    with qtbot.waitSignal(win.searched, timeout=5000):
        win.category.setCurrentIndex(win.category.findData("税费服务"))
    assert _ids(win) == [base["tax"]]
    win.category.setCurrentIndex(0)
    department = Department.select().order_by(Department.id).first()
    with qtbot.waitSignal(win.searched, timeout=5000):
        win.department.setCurrentIndex(win.department.findData(department.id))
    assert _ids(win) == [base["tax"]]


def test_past_review_is_flagged_and_listed_apart(qtbot, operator_session, base):
    win = _window(qtbot, operator_session)
    qtbot.waitUntil(lambda: len(win.model.rows) == 2)
    with qtbot.waitSignal(win.searched, timeout=5000):
        win.attention.setChecked(True)
    assert _ids(win) == [base["tax"]]
    assert "已过复核日期" in win.model.index(0, win.model.ATTENTION).data()


def test_an_operator_reads_but_does_not_edit_or_see_drafts(qtbot, operator_session, base):
    win = _window(qtbot, operator_session)
    assert not win.new_button.isVisibleTo(win)
    assert win.tabs.count() == 1  # no flag queue, no synonyms
    labels = [win.status.itemText(i) for i in range(win.status.count())]
    assert "草稿" not in labels
    win.status.setCurrentIndex(labels.index("全部"))
    qtbot.waitUntil(lambda: len(win.model.rows) == 2)
    assert base["draft"] not in _ids(win)


def test_editor_writes_publishes_and_retires(qtbot, lead_session, base, monkeypatch):
    win = _window(qtbot, lead_session)
    win.new_article()
    editor = win.editor
    assert isinstance(editor, ArticleEditor)
    qtbot.waitUntil(lambda: editor.department.count() > 1)
    type_text(editor.title, "水费发票怎么开")
    editor.dates["review_on"].setText("2027-13-01")
    editor.save(publish=False)  # title only: every problem listed, nothing written
    assert "2027-13-01" in editor.error.text()
    editor.dates["review_on"].setText("")
    editor.save(publish=False)
    qtbot.waitUntil(lambda: "答案" in editor.error.text() and "分类" in editor.error.text())
    assert editor.title.text() == "水费发票怎么开"  # what was typed stays
    editor.answer.setPlainText("# 开票\n- 到营业厅申请增值税专用发票")
    editor.category.setCurrentText("水电气网")
    with qtbot.waitSignal(win.changed, timeout=5000):
        editor.save(publish=True)
    created = articles.get(LEAD, max(base.values()) + 1)
    assert created.title == "水费发票怎么开"
    assert created.status is Status.PUBLISHED and created.version == 1  # written published
    assert created.answer == "# 开票\n- 到营业厅申请增值税专用发票"

    win.status.setCurrentIndex(win.status.findText("全部"))
    win.query.setText("水费发票")
    qtbot.waitUntil(lambda: _ids(win) == [created.id])
    qtbot.waitUntil(lambda: win.view.article is not None and win.view.article.id == created.id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("并入其他条目", True))
    with qtbot.waitSignal(win.changed, timeout=5000):
        win.retire_article()
    assert articles.get(LEAD, created.id).status is Status.RETIRED


def test_flag_queue_and_synonyms(qtbot, lead_session, base, monkeypatch):
    flags.flag(LEAD, base["licence"], 1, FlagReason.OUTDATED, "地址变了")
    win = _window(qtbot, lead_session)
    qtbot.waitUntil(lambda: win.flags_model.rowCount() == 1)
    assert "（1）" in win.tabs.tabText(1)
    win.flags_table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("已更新地址", True))
    with qtbot.waitSignal(win.changed, timeout=5000):
        win.resolve_flag()
    qtbot.waitUntil(lambda: win.flags_model.rowCount() == 0)
    assert flags.queue(LEAD) == []

    qtbot.waitUntil(lambda: win.synonyms is not None)
    win.synonyms.setPlainText("只有一个词")
    win.store_synonyms()
    qtbot.waitUntil(lambda: "第 1 行" in win.error.text())
    assert win.synonyms.toPlainText() == "只有一个词"  # kept for fixing
    win.synonyms.setPlainText("社保，社会保险，五险")
    with qtbot.waitSignal(win.changed, timeout=5000):
        win.store_synonyms()
    assert synonyms.groups() == [("社保", "社会保险", "五险")]


def test_the_window_reads_nothing_on_the_gui_thread(qtbot, lead_session, base, gui_thread_sql):
    win = _window(qtbot, lead_session)
    qtbot.waitUntil(lambda: win.view.article is not None)
    type_text(win.query, "执照")
    qtbot.waitUntil(lambda: _ids(win) == [base["licence"]])
    qtbot.waitUntil(lambda: win.flags_model.rowCount() == 0 and win.synonyms is not None)
    assert not gui_thread_sql, gui_thread_sql


def test_import_errors_are_listed_and_nothing_is_imported(
    qtbot, lead_session, base, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    from hotline.knowledge.schema import KnowledgeArticle

    path = tmp_path / "kb.csv"
    path.write_text("标题,答案,分类\n好的,答案,企业开办\n,没有标题,企业开办\n", encoding="utf-8")
    win = _window(qtbot, lead_session)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    before = KnowledgeArticle.select().count()
    win.import_file()
    qtbot.waitUntil(lambda: "未导入任何知识" in win.error.text())
    assert "第 3 行，标题" in win.error.text()
    assert KnowledgeArticle.select().count() == before
    path.write_text("标题,答案,分类\n好的,答案,企业开办\n", encoding="utf-8")
    with qtbot.waitSignal(win.changed, timeout=5000):
        win.import_file()
    assert KnowledgeArticle.select().count() == before + 1
    out = tmp_path / "out.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    with qtbot.waitSignal(win.changed, timeout=5000):
        win.export_file()
    assert out.exists() and "已导出" in win.notice.text()


def test_retiring_a_policy_document_lists_what_cites_it(qtbot, lead_session, base, monkeypatch):
    linking = articles.create(
        LEAD,
        article_input(title="总览", answer=f"见[执照](kb:{base['licence']})", source_number=""),
        publish=True,
    )
    win = _window(qtbot, lead_session)
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("国令第746号", True))

    def reason(_parent, _title, label, _text):  # type: ignore[no-untyped-def]
        asked.append(label)
        return "条例已修订", True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", reason)
    with qtbot.waitSignal(win.changed, timeout=5000):
        win.retire_by_source()
    assert "如何办理营业执照" in asked[0] and "总览" in asked[0]
    assert articles.get(LEAD, base["licence"]).status is Status.RETIRED
    assert articles.get(LEAD, linking.id).status is Status.PUBLISHED
    assert "已停用 2 条知识" in win.notice.text()  # the draft citing it too


def test_an_export_imported_back_in_the_window_says_nothing_changed(
    qtbot, lead_session, base, tmp_path
):
    """The window's import and export are the command line's (hotline.knowledge.transfer):
    importing an export back changes nothing, and the window says so."""
    from hotline.knowledge import transfer

    win = _window(qtbot, lead_session)
    target = tmp_path / "kb.xlsx"
    win._export(target)
    qtbot.waitUntil(lambda: win.notice.text() == f"已导出 3 条知识到 {target}")
    win._import(target, "")
    qtbot.waitUntil(lambda: win.notice.text() == "已导入：新建 0 条，更新 0 条，未变 3 条")
    assert win.error.text() == ""
    assert articles.get(LEAD, base["licence"]).version == 1
    assert transfer.import_articles(LEAD, target, dry_run=True).unchanged == 3
