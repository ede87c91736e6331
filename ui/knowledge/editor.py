"""Writing an article: every field, a preview of the formatted answer, save or publish.

The core checks everything at once; each problem is listed with its field's name and what was
typed stays. Saving an article that someone else changed meanwhile is refused (reopen it).
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hotline import admin
from hotline.errors import Problem, ValidationError
from hotline.i18n import N_, _
from hotline.knowledge import articles, markup
from hotline.knowledge.articles import CATEGORIES, FIELD_LABELS, Article, ArticleInput
from hotline.knowledge.status import Status
from ui.common.dialog_parts import error_label
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

DATE_FIELDS = ("effective_on", "expires_on", "review_on")
LABELS = {**FIELD_LABELS, "note": N_("修改说明")}


def _label(key: str) -> str:
    """A field's name in the user's language."""
    message = LABELS[key]
    return _(message)


class ArticleEditor(QDialog):
    saved = Signal(int)  # the article's id, after a save or publish
    ready = Signal()  # the form is filled (departments and the article loaded)

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, article_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.article_id = article_id
        self.expected_version: int | None = None
        self.status: Status = Status.DRAFT
        self.setWindowTitle(_("编辑知识") if article_id else _("新建知识"))
        self.resize(760, 720)

        self.title = QLineEdit()
        self.questions = QPlainTextEdit()
        self.questions.setPlaceholderText(_("每行一种问法，如：开公司要去哪里办执照"))
        self.questions.setTabChangesFocus(True)
        self.questions.setMaximumHeight(90)
        self.answer = QPlainTextEdit()
        self.answer.setTabChangesFocus(True)
        self.answer.setPlaceholderText(_("# 标题、- 列表、1. 步骤、**加粗**、[其他知识](kb:编号)"))
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        tabs = QTabWidget()
        tabs.addTab(self.answer, _("答案"))
        tabs.addTab(self.preview, _("预览"))
        tabs.currentChanged.connect(
            lambda _i: self.preview.setHtml(markup.html(self.answer.toPlainText()))
        )
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems([_(c) for c in CATEGORIES])
        self.category.setCurrentIndex(-1)
        self.department = QComboBox()
        self.department.addItem(_("（无）"), None)
        self.source_name = QLineEdit()
        self.source_number = QLineEdit()
        self.dates = {key: QLineEdit() for key in DATE_FIELDS}
        for edit in self.dates.values():
            edit.setPlaceholderText("YYYY-MM-DD")
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("本次修改的说明（写入版本历史）"))

        form = QFormLayout()
        form.addRow(_label("title"), self.title)
        form.addRow(_label("questions"), self.questions)
        form.addRow(tabs)
        form.addRow(_label("category"), self.category)
        form.addRow(_label("department_id"), self.department)
        form.addRow(_label("source_name"), self.source_name)
        form.addRow(_label("source_number"), self.source_number)
        dates = QHBoxLayout()
        for key in DATE_FIELDS:
            dates.addWidget(self.dates[key])
        form.addRow(
            _("{a} / {b} / {c}").format(
                a=_label("effective_on"),
                b=_label("expires_on"),
                c=_label("review_on"),
            ),
            dates,
        )
        form.addRow(_label("note"), self.note)
        self.error = error_label(self)
        self.save_button = QPushButton(_("保存"))
        self.save_button.clicked.connect(lambda: self.save(publish=False))
        self.publish_button = QPushButton(_("保存并发布"))
        self.publish_button.clicked.connect(lambda: self.save(publish=True))
        cancel = QPushButton(_("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.publish_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.title.setFocus()
        self._load()

    def _load(self) -> None:
        actor = self.session.actor
        article_id = self.article_id

        def work() -> tuple[list[tuple[int, str]], Article | None]:
            departments = admin.filter_choices()[1]
            article = articles.get(actor, article_id) if article_id is not None else None
            return departments, article

        run_task(
            self, work, on_done=self._fill, on_error=lambda e: self.error.setText(error_text(e))
        )

    def _fill(self, result: tuple[list[tuple[int, str]], Article | None]) -> None:
        departments, article = result
        for department_id, name in departments:
            self.department.addItem(name, department_id)
        if article is not None:
            self.expected_version = article.version
            self.status = article.status
            self.title.setText(article.title)
            self.questions.setPlainText("\n".join(article.questions))
            self.answer.setPlainText(article.answer)
            self.category.setCurrentText(article.category)
            index = self.department.findData(article.department_id)
            self.department.setCurrentIndex(max(index, 0))
            self.source_name.setText(article.source_name)
            self.source_number.setText(article.source_number)
            for key in DATE_FIELDS:
                day = getattr(article, key)
                self.dates[key].setText(day.isoformat() if day else "")
        self.publish_button.setVisible(self.status is Status.DRAFT)
        self.ready.emit()

    def _input(self) -> ArticleInput:
        problems: list[Problem] = []
        days: dict[str, dt.date | None] = {}
        for key in DATE_FIELDS:
            text = self.dates[key].text().strip()
            try:
                days[key] = dt.date.fromisoformat(text) if text else None
            except ValueError:
                problems.append(
                    Problem(key, _("日期“{text}”无效，请写成 2026-03-01").format(text=text))
                )
        if problems:
            raise ValidationError(problems)
        return ArticleInput(
            title=self.title.text(),
            answer=self.answer.toPlainText(),
            category=self.category.currentText(),
            questions=articles.split_questions(self.questions.toPlainText()),
            department_id=self.department.currentData(),
            source_name=self.source_name.text(),
            source_number=self.source_number.text(),
            effective_on=days["effective_on"],
            expires_on=days["expires_on"],
            review_on=days["review_on"],
        )

    def save(self, *, publish: bool) -> None:
        try:
            data = self._input()
        except ValidationError as exc:
            self._show(exc)
            return
        actor = self.session.actor
        article_id, expected, note = self.article_id, self.expected_version, self.note.text()
        self.save_button.setEnabled(False)
        self.publish_button.setEnabled(False)

        def work() -> Article:
            if article_id is None:
                return articles.create(actor, data, publish=publish)
            article = articles.update(actor, article_id, data, expected_version=expected, note=note)
            if publish and article.status is Status.DRAFT:
                article = articles.publish(actor, article_id, expected_version=article.version)
            return article

        run_task(self, work, on_done=self._saved, on_error=self._failed)

    def _saved(self, article: Article) -> None:
        self.article_id = article.id
        self.saved.emit(article.id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.publish_button.setEnabled(True)
        self._show(exc)

    def _show(self, exc: BaseException) -> None:
        """Every problem with its field's name; nothing typed is changed."""
        if isinstance(exc, ValidationError):
            lines = [
                _("{field}：{message}").format(
                    field=_label(p.field) if p.field in LABELS else p.field,
                    message=p.text,
                )
                for p in exc.problems
            ]
            self.error.setText("\n".join(lines))
        else:
            self.error.setText(error_text(exc))
