"""Beside the intake form: the articles that match what the operator has typed so far.

Edits of the subject or description schedule a search after a short pause; it runs off the
GUI thread, and an answer overtaken by newer typing is dropped. Showing results never moves
the keyboard focus: the operator keeps typing. The best match is selected and previewed; F3
opens it in its own window; "answer on the spot with this article" asks the intake window to
register the call and close it with the article's answer; "flag" reports the article as wrong
or outdated to the editors.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hotline import clock
from hotline.i18n import _
from hotline.knowledge import articles, search
from hotline.knowledge.articles import Article
from hotline.knowledge.search import Hit
from hotline.permissions import Action
from ui.common import shortcuts
from ui.common.latest_request import LatestRequest
from ui.common.session import Session
from ui.common.tasks import run_task
from ui.knowledge.article_view import ArticleView

log = logging.getLogger(__name__)

DELAY_MS = 300
LIMIT = 5
ID_ROLE = Qt.ItemDataRole.UserRole


class KnowledgeSuggestions(QGroupBox):
    shown = Signal()  # new suggestions are on screen
    previewed = Signal()  # the selected article is shown below the list
    answer_requested = Signal(int, int)  # article id, version read
    open_requested = Signal(int)  # article id

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(_("知识库匹配"), parent)
        self.session = session
        self.hits: list[Hit] = []
        self._latest = LatestRequest()
        self._preview_latest = LatestRequest()
        self._text = ("", "")
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self.refresh)

        layout = QVBoxLayout(self)
        self.status = QLabel(_("输入主题或诉求描述后，这里显示匹配的知识。"), wordWrap=True)
        self.status.setObjectName("hint")
        layout.addWidget(self.status)
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # never in the form's Tab order
        self.list.setMaximumHeight(120)
        self.list.currentRowChanged.connect(self._preview)
        self.list.itemDoubleClicked.connect(lambda _item: self.open_selected())
        layout.addWidget(self.list)
        self.view = ArticleView()
        self.view.article_link.connect(self.open_requested)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton(
            _("打开最佳匹配（{key}）").format(key=shortcuts.shown("knowledge_best"))
        )
        self.open_button.clicked.connect(self.open_best)
        self.answer_button = QPushButton(_("用此知识当场答复"))
        self.answer_button.setToolTip(
            _("登记本次来电并当场办结，以该知识的答案作为答复，记录所用知识及版本")
        )
        self.answer_button.clicked.connect(self._answer)
        self.flag_button = QPushButton(_("标记有误或过时…"))
        self.flag_button.clicked.connect(self.flag_selected)
        for button in (self.open_button, self.answer_button, self.flag_button):
            button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self._set_buttons()

    # Searching ---------------------------------------------------------------------------

    def query(self, subject: str, description: str) -> None:
        """What the operator typed changed: search again after a short pause."""
        if (subject, description) == self._text:
            return
        self._text = (subject, description)
        self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        subject, description = self._text
        ticket = self._latest.start()
        if not (subject.strip() or description.strip()):
            self._show(ticket, [])
            return
        actor = self.session.actor
        run_task(
            self,
            lambda: search.suggest(actor, subject, description, LIMIT),
            on_done=lambda hits: self._show(ticket, hits),
            on_error=lambda exc: log.warning("knowledge suggestions: %s", exc),
        )

    def clear(self) -> None:
        self._text = ("", "")
        self._timer.stop()
        self._show(self._latest.start(), [])

    def _show(self, ticket: int, hits: list[Hit]) -> None:
        if not self._latest.is_current(ticket):
            return
        self.hits = hits
        today = clock.today()
        self.list.blockSignals(True)
        self.list.clear()
        for hit in hits:
            notes = hit.attention(today)
            text = hit.title if not notes else f"{hit.title}（{'，'.join(notes)}）"
            item = QListWidgetItem(f"{text} · {hit.category}")
            item.setData(ID_ROLE, hit.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        subject, description = self._text
        if hits:
            self.status.setText(_("{count} 条匹配，最佳在前").format(count=len(hits)))
            self.list.setCurrentRow(0)  # selects without taking the focus
        else:
            self.status.setText(
                _("没有匹配的知识。")
                if (subject.strip() or description.strip())
                else _("输入主题或诉求描述后，这里显示匹配的知识。")
            )
            self.view.show_article(None)
        self._set_buttons()
        self.shown.emit()

    def _preview(self, row: int) -> None:
        ticket = self._preview_latest.start()
        if not 0 <= row < len(self.hits):
            self.view.show_article(None)
            self._set_buttons()
            return
        hit = self.hits[row]
        actor = self.session.actor

        def show(article: Article) -> None:
            if self._preview_latest.is_current(ticket):
                self.view.show_article(article)
                self._set_buttons()
                self.previewed.emit()

        run_task(
            self,
            lambda: articles.get(actor, hit.id),
            on_done=show,
            on_error=lambda exc: log.warning("knowledge preview: %s", exc),
        )

    # Acting ------------------------------------------------------------------------------

    @property
    def selected(self) -> Article | None:
        return self.view.article

    def _set_buttons(self) -> None:
        article = self.view.article
        self.open_button.setEnabled(bool(self.hits))
        self.answer_button.setEnabled(
            article is not None
            and self.session.can(Action.CASE_ANSWER_ON_SPOT)
            and self.session.can(Action.CASE_REGISTER)
        )
        self.flag_button.setEnabled(article is not None)

    def open_best(self) -> None:
        if self.hits:
            self.open_requested.emit(self.hits[0].id)

    def open_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.hits):
            self.open_requested.emit(self.hits[row].id)

    def _answer(self) -> None:
        article = self.view.article
        if article is not None:
            self.answer_requested.emit(article.id, article.version)

    def flag_selected(self) -> None:
        article = self.view.article
        if article is None:
            return
        from ui.knowledge.flag_dialog import FlagDialog

        dialog = FlagDialog(self.session, article.id, article.version, article.title, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.accepted.connect(lambda: self.status.setText(_("已标记，知识库编辑会处理。")))
        dialog.open()
