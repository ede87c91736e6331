"""One article shown read-only: title, status and version, its answer formatted, the ways
callers ask, the responsible department and policy source, and what needs an editor's eye.

Links to other articles (``kb:12``) are announced by ``article_link`` and never followed by
the browser itself; nothing in an answer can run (see :mod:`hotline.knowledge.markup`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from hotline import clock
from hotline.i18n import _, format_datetime
from hotline.knowledge import markup
from hotline.knowledge.articles import Article
from hotline.knowledge.status import Status


def article_html(article: Article) -> str:
    """The article as the viewer (and the intake preview) shows it."""
    meta = [
        _("第 {version} 版").format(version=article.version),
        article.status.label,
        article.category,
    ]
    if article.department_name:
        meta.append(article.department_name)
    parts = [f"<h2>{html.escape(article.title)}</h2>"]
    parts.append(f"<p style='color:#666'>{html.escape(' · '.join(meta))}</p>")
    if not article.is_current:
        parts.append(
            "<p style='color:#a15c00'>"
            + html.escape(
                _("这是旧版本（现为第 {latest} 版）").format(latest=article.latest_version)
            )
            + "</p>"
        )
    warnings = article.attention(clock.today())
    if article.status is Status.RETIRED:
        warnings.insert(0, _("已停用：不再推荐，仅供查阅"))
    if warnings:
        parts.append("<p style='color:#b00020'><b>" + html.escape("；".join(warnings)) + "</b></p>")
    parts.append(markup.html(article.answer))
    if article.questions:
        parts.append(f"<h4>{html.escape(_('常见问法'))}</h4>")
        parts.append(
            "<ul>" + "".join(f"<li>{html.escape(q)}</li>" for q in article.questions) + "</ul>"
        )
    source = " ".join(x for x in (article.source_name, article.source_number) if x)
    facts = []
    if source:
        facts.append(_("政策依据：{source}").format(source=source))
    dates = [
        (_("生效"), article.effective_on),
        (_("失效"), article.expires_on),
        (_("复核"), article.review_on),
    ]
    shown = [f"{label} {day.isoformat()}" for label, day in dates if day is not None]
    if shown:
        facts.append("；".join(shown))
    facts.append(
        _("{who} 于 {when} 修改").format(
            who=article.changed_by_name, when=format_datetime(article.changed_at)
        )
    )
    parts.append("<p style='color:#666'>" + "<br>".join(html.escape(f) for f in facts) + "</p>")
    return "\n".join(parts)


class ArticleView(QWidget):
    article_link = Signal(int)  # a link to another article was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.article: Article | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._link)
        self.placeholder = QLabel(_("选择一条知识查看"), wordWrap=True)
        self.placeholder.setObjectName("hint")
        layout.addWidget(self.placeholder)
        layout.addWidget(self.browser, 1)
        self.browser.hide()

    def show_article(self, article: Article | None) -> None:
        self.article = article
        if article is None:
            self.browser.clear()
            self.browser.hide()
            self.placeholder.show()
            return
        self.placeholder.hide()
        self.browser.setHtml(article_html(article))
        self.browser.show()

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("kb:") and text[3:].isdigit():
            self.article_link.emit(int(text[3:]))
