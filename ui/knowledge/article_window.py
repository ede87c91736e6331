"""One article in its own window: the answer, its version history (any version readable), and
flagging it; an editor also edits it from here.

A case's article opens at the version the case used (``version``); the history shows every
version with who changed which fields and when.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _, format_datetime
from hotline.knowledge import articles
from hotline.knowledge.articles import Article, HistoryLine
from hotline.permissions import Action
from ui.common import shortcuts
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.tasks import run_task
from ui.knowledge.article_view import ArticleView

log = logging.getLogger(__name__)
VERSION_ROLE = Qt.ItemDataRole.UserRole


class ArticleWindow(QWidget):
    loaded = Signal()  # the article (and its history) are on screen

    def __init__(
        self,
        session: Session,
        article_id: int,
        version: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("knowledgeArticleWindow")
        self.session = session
        self.article_id = article_id
        self.version = version
        self.history: list[HistoryLine] = []
        self.resize(820, 640)
        self.setWindowTitle(_("知识 {id}").format(id=article_id))

        self.view = ArticleView()
        self.view.article_link.connect(lambda other: open_article(session, other, self))
        self.versions = QListWidget()
        self.versions.itemActivated.connect(self._version_chosen)
        self.versions.itemClicked.connect(self._version_chosen)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel(_("版本历史")))
        side_layout.addWidget(self.versions, 1)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setSizes([560, 260])

        self.error = QLabel(objectName="errorLabel", wordWrap=True)
        self.flag_button = QPushButton(_("标记有误或过时…"))
        self.flag_button.clicked.connect(self._flag)
        self.pdf_button = QPushButton(_("导出 PDF…"))
        self.pdf_button.clicked.connect(self.save_pdf)
        self.edit_button = QPushButton(_("编辑…"))
        self.edit_button.clicked.connect(self._edit)
        self.edit_button.setVisible(session.can(Action.KNOWLEDGE_EDIT))
        close = QPushButton(_("关闭"))
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.error, 1)
        row.addWidget(self.pdf_button)
        row.addWidget(self.flag_button)
        row.addWidget(self.edit_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)
        shortcuts.bind("close_window", self, self.close)
        shortcuts.bind("cancel", self, self.close)
        self.load()

    def load(self, version: int | None = None) -> None:
        if version is not None:
            self.version = version
        actor = self.session.actor
        article_id, wanted = self.article_id, self.version

        def work() -> tuple[Article, list[HistoryLine]]:
            return articles.get(actor, article_id, wanted), articles.history(actor, article_id)

        run_task(self, work, on_done=self._show, on_error=self._failed)

    def _show(self, result: tuple[Article, list[HistoryLine]]) -> None:
        article, history = result
        self.history = history
        self.view.show_article(article)
        self.setWindowTitle(
            _("知识：{title}（第 {version} 版）").format(
                title=article.title, version=article.version
            )
        )
        self.versions.clear()
        for line in history:
            changes = _("、").join(line.changes)
            text = _("第 {version} 版 · {when} · {who}\n{changes}").format(
                version=line.version,
                when=format_datetime(line.changed_at),
                who=line.changed_by_name,
                changes=changes,
            )
            if line.note:
                text += "\n" + line.note
            item = QListWidgetItem(text)
            item.setData(VERSION_ROLE, line.version)
            self.versions.addItem(item)
            if line.version == article.version:
                self.versions.setCurrentItem(item)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))
        self.loaded.emit()

    def _version_chosen(self, item: QListWidgetItem) -> None:
        self.load(int(item.data(VERSION_ROLE)))

    def _flag(self) -> None:
        article = self.view.article
        if article is None:
            return
        from ui.knowledge.flag_dialog import FlagDialog

        dialog = FlagDialog(self.session, article.id, article.version, article.title, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.accepted.connect(lambda: self.load())
        dialog.open()

    def save_pdf(self) -> None:
        """The version shown, as a PDF (written complete or not at all)."""
        article = self.view.article
        if article is None:
            return
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("导出 PDF"),
            f"knowledge-{article.id}-v{article.version}.pdf",
            _("PDF 文件 (*.pdf)"),
        )
        if not path:
            return
        from pathlib import Path

        from hotline.knowledge.pdf import write_article_pdf

        run_task(
            self,
            lambda: write_article_pdf(article, Path(path)),
            on_done=lambda written: self.error.setText(
                _("已保存 {path}").format(path=str(written))
            ),
            on_error=self._failed,
        )

    def _edit(self) -> None:
        article = self.view.article
        if article is None:
            return
        from ui.knowledge.editor import ArticleEditor

        editor = ArticleEditor(self.session, self, article_id=article.id)
        editor.saved.connect(lambda _id: self.load())
        editor.finished.connect(editor.deleteLater)
        editor.open()
        self.version = None


def open_article(
    session: Session, article_id: int, parent: QWidget | None = None, version: int | None = None
) -> ArticleWindow:
    """The article's window brought forward (opened at ``version`` when given)."""
    for widget in QApplication.topLevelWidgets():
        if (
            isinstance(widget, ArticleWindow)
            and widget.article_id == article_id
            and widget.isVisible()
        ):
            if version is not None:
                widget.load(version)
            widget.raise_()
            widget.activateWindow()
            return widget
    window = ArticleWindow(session, article_id, version, parent)
    window.show()
    window.raise_()
    return window
