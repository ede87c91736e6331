"""A case answered with an article shows it, at the version used, even after the article
changed or was retired."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from hotline import cases
from hotline.enums import Role
from hotline.knowledge import articles, usage
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.hotline.knowledge.helpers import article_input
from tests.ui.case.conftest import open_window
from ui.knowledge.article_window import ArticleWindow

LEAD = Actor("值班长", Role.SHIFT_LEAD, None)


def test_case_window_opens_the_version_it_was_answered_with(qtbot, operator_session) -> None:
    article = articles.create(LEAD, article_input(), publish=True)
    case = cases.register(
        operator_session.actor, sample_case(kind="consultation", subject="营业执照怎么办")
    )
    usage.answer_with_article(operator_session.actor, case.id, article.id, 1)
    articles.update(LEAD, article.id, article_input(answer="新的答案"))
    articles.retire(LEAD, article.id, "政策废止")

    window = open_window(qtbot, operator_session, case.id)
    label = window.fields.values["knowledge"]
    assert label.isVisibleTo(window)
    assert "如何办理营业执照" in label.text() and "第 1 版" in label.text()
    assert "现已停用" in label.text()
    label.linkActivated.emit(f"kb:{article.id}:1")
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, ArticleWindow) and w.view.article is not None
            for w in QApplication.topLevelWidgets()
        )
    )
    opened = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ArticleWindow))
    qtbot.addWidget(opened)
    shown = opened.view.article
    assert shown is not None and shown.version == 1 and shown.answer == article.answer
    assert "旧版本" in opened.view.browser.toPlainText()


def test_the_article_window_saves_the_version_shown_as_pdf(
    qtbot, operator_session, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    article = articles.create(LEAD, article_input(), publish=True)
    articles.update(LEAD, article.id, article_input(answer="第二版"))
    window = ArticleWindow(operator_session, article.id, 1)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.view.article is not None)
    target = tmp_path / "old.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.save_pdf()
    qtbot.waitUntil(lambda: target.exists() and "已保存" in window.error.text())
    assert target.read_bytes().startswith(b"%PDF")
