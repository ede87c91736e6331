"""The knowledge window: find articles by words, pinyin initials, number, category and
department; read them; editors write, publish and retire them, work through the operators'
flags and keep the synonyms.

Every search and every change runs off the GUI thread; the list of what needs attention (past
review, expired, flagged) is one tick away.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hotline import admin, clock
from hotline.i18n import N_, _, format_datetime
from hotline.knowledge import articles, flags, search, synonyms, transfer
from hotline.knowledge.articles import CATEGORIES, Article
from hotline.knowledge.flags import Flag
from hotline.knowledge.search import Filters, Hit
from hotline.knowledge.status import Status
from hotline.permissions import Action
from ui.common import shortcuts
from ui.common.dialog_parts import error_label
from ui.common.latest_request import LatestRequest
from ui.common.messages import error_text
from ui.common.rows_model import RowsTableModel
from ui.common.session import Session
from ui.common.tables import read_only_rows
from ui.common.tasks import run_task
from ui.knowledge.article_view import ArticleView

log = logging.getLogger(__name__)
DELAY_MS = 250
ROW_ROLE = Qt.ItemDataRole.UserRole


class HitsModel(RowsTableModel):
    TITLE, CATEGORY, DEPARTMENT, STATUS, ATTENTION = range(5)

    def __init__(self) -> None:
        super().__init__((N_("标题"), N_("分类"), N_("责任单位"), N_("状态"), N_("需关注")))
        self.today = clock.today()

    def set_rows(self, rows: Any) -> None:
        self.today = clock.today()
        super().set_rows(rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        hit: Hit = self.rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return hit
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                hit.title,
                hit.category,
                hit.department_name,
                hit.status.label,
                "，".join(hit.attention(self.today)),
            )[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ATTENTION:
            return QColor("#b00020")
        return None


class FlagsModel(RowsTableModel):
    def __init__(self) -> None:
        super().__init__((N_("知识"), N_("问题"), N_("说明"), N_("标记人"), N_("时间")))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        flag: Flag = self.rows[index.row()]
        if role == ROW_ROLE:
            return flag
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                _("{title}（第 {version} 版）").format(
                    title=flag.article_title, version=flag.version
                ),
                flag.reason.label,
                flag.note,
                flag.flagged_by_name,
                format_datetime(flag.flagged_at),
            )[index.column()]
        return None


STATUS_CHOICES = (
    (N_("已发布"), (Status.PUBLISHED,)),
    (N_("草稿"), (Status.DRAFT,)),
    (N_("已停用"), (Status.RETIRED,)),
    (N_("全部"), (Status.PUBLISHED, Status.DRAFT, Status.RETIRED)),
)


class KnowledgeWindow(QWidget):
    searched = Signal()  # results are on screen
    changed = Signal()  # an article, a flag or the synonyms were written
    previewed = Signal()  # the chosen article is shown

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("knowledgeWindow")
        self.setWindowTitle(_("知识库"))
        self.resize(1240, 780)
        self.session = session
        self.editor_role = session.can(Action.KNOWLEDGE_EDIT)
        self._latest = LatestRequest()
        self._preview = LatestRequest()
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self.refresh)

        self.query = QLineEdit()
        self.query.setPlaceholderText(_("词语、拼音首字母（如 yyzz）或知识编号"))
        self.query.setClearButtonEnabled(True)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.category = QComboBox()
        self.category.addItem(_("全部分类"), "")
        for category in CATEGORIES:
            self.category.addItem(_(category), _(category))
        self.department = QComboBox()
        self.department.addItem(_("全部责任单位"), None)
        self.status = QComboBox()
        for label, statuses in STATUS_CHOICES:
            if Status.DRAFT in statuses and len(statuses) == 1 and not self.editor_role:
                continue
            self.status.addItem(_(label), statuses)
        self.attention = QCheckBox(_("只看需关注（过复核期、已失效、被标记）"))
        for combo in (self.category, self.department, self.status):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.attention.toggled.connect(lambda _on: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(self.query, 2)
        filters.addWidget(self.category)
        filters.addWidget(self.department)
        filters.addWidget(self.status)
        filters.addWidget(self.attention)

        self.model = HitsModel()
        self.table = read_only_rows(QTableView(), single=True)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((300, 80, 150, 60)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._selected(cur))
        self.table.activated.connect(lambda _i: self.open_history())
        self.count = QLabel()
        self.view = ArticleView()
        self.view.article_link.connect(self._open_linked)
        self.error = error_label(self)
        self.notice = QLabel()  # what the last change did

        self.new_button = QPushButton(_("新建…"))
        self.new_button.clicked.connect(self.new_article)
        self.edit_button = QPushButton(_("编辑…"))
        self.edit_button.clicked.connect(self.edit_article)
        self.publish_button = QPushButton(_("发布"))
        self.publish_button.clicked.connect(self.publish_article)
        self.retire_button = QPushButton(_("停用…"))
        self.retire_button.clicked.connect(self.retire_article)
        self.retire_source_button = QPushButton(_("按文号停用…"))
        self.retire_source_button.setToolTip(
            _("政策文件废止时：列出引用该文号的知识、链接到它们的知识和用过它们的案件，再一并停用")
        )
        self.retire_source_button.clicked.connect(self.retire_by_source)
        self.history_button = QPushButton(_("版本历史"))
        self.history_button.clicked.connect(self.open_history)
        self.flag_button = QPushButton(_("标记有误或过时…"))
        self.flag_button.clicked.connect(self.flag_article)
        self.transfer_button = QPushButton(_("导入 / 导出"))
        transfer_menu = QMenu(self.transfer_button)
        transfer_menu.addAction(_("导入 Excel、CSV 或 Word 文件…"), self.import_file)
        transfer_menu.addAction(_("导入 Markdown 文件夹…"), self.import_folder)
        transfer_menu.addAction(_("导出为 Excel 或 CSV…"), self.export_file)
        transfer_menu.addAction(_("导出为 Markdown 文件夹…"), self.export_folder)
        self.transfer_button.setMenu(transfer_menu)
        self.transfer_button.setVisible(self.editor_role)
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.publish_button,
            self.retire_button,
            self.retire_source_button,
        ):
            button.setVisible(self.editor_role)
            buttons.addWidget(button)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.flag_button)
        buttons.addStretch(1)
        buttons.addWidget(self.transfer_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.view)
        splitter.setSizes([640, 600])
        articles_page = QWidget()
        page = QVBoxLayout(articles_page)
        page.addLayout(filters)
        page.addWidget(splitter, 1)
        page.addLayout(buttons)

        self.tabs = QTabWidget()
        self.tabs.addTab(articles_page, _("知识"))
        if self.editor_role:
            self.tabs.addTab(self._flags_page(), _("标记队列"))
            self.tabs.addTab(self._synonyms_page(), _("同义词"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.notice)
        shortcuts.bind("search", self, self._focus_search)
        shortcuts.bind("refresh", self, self.reload)
        shortcuts.bind("close_window", self, self.close)
        self._set_buttons()
        run_task(self, lambda: admin.filter_choices()[1], on_done=self._departments)
        self.refresh()
        self.query.setFocus()

    # Pages of editors ---------------------------------------------------------------------

    def _flags_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.flags_model = FlagsModel()
        self.flags_table = read_only_rows(QTableView(), single=True)
        self.flags_table.setModel(self.flags_model)
        self.flags_table.horizontalHeader().setStretchLastSection(True)
        self.flags_table.setColumnWidth(0, 300)
        self.resolve_button = QPushButton(_("处理所选标记…"))
        self.resolve_button.clicked.connect(self.resolve_flag)
        self.open_flagged = QPushButton(_("打开该知识"))
        self.open_flagged.clicked.connect(self._open_flagged)
        row = QHBoxLayout()
        row.addWidget(self.open_flagged)
        row.addWidget(self.resolve_button)
        row.addStretch(1)
        layout.addWidget(self.flags_table, 1)
        layout.addLayout(row)
        self.load_flags()
        return page

    def _synonyms_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        hint = QLabel(
            _(
                "每行一组意思相同的词，用逗号或顿号分隔，如：社保，社会保险，五险。查找时，"
                "来电人说其中一个词，也能找到写着其他词的知识。"
            ),
            wordWrap=True,
        )
        hint.setObjectName("hint")
        self.synonyms = QPlainTextEdit()
        self.save_synonyms = QPushButton(_("保存同义词"))
        self.save_synonyms.clicked.connect(self.store_synonyms)
        layout.addWidget(hint)
        layout.addWidget(self.synonyms, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_synonyms)
        layout.addLayout(row)
        run_task(self, synonyms.as_text, on_done=self.synonyms.setPlainText)
        return page

    # Searching ----------------------------------------------------------------------------

    def _departments(self, choices: list[tuple[int, str]]) -> None:
        for department_id, name in choices:
            self.department.addItem(name, department_id)

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.query.setFocus()
        self.query.selectAll()

    def filters(self) -> Filters:
        return Filters(
            category=str(self.category.currentData() or ""),
            department_id=self.department.currentData(),
            statuses=tuple(self.status.currentData() or (Status.PUBLISHED,)),
            attention_only=self.attention.isChecked(),
        )

    def refresh(self) -> None:
        self._timer.stop()
        ticket = self._latest.start()
        actor, text, flt = self.session.actor, self.query.text(), self.filters()

        def show(hits: list[Hit]) -> None:
            if not self._latest.is_current(ticket):
                return
            current = self.view.article.id if self.view.article else None
            self.model.set_rows(hits)
            self.count.setText(
                _("最近修改的 {count} 条（输入词语查找其他知识）").format(count=len(hits))
                if not text.strip() and len(hits) >= search.LIST_LIMIT
                else _("{count} 条").format(count=len(hits))
            )
            row = next((i for i, h in enumerate(hits) if h.id == current), 0 if hits else -1)
            if row >= 0:
                self.table.blockSignals(True)
                self.table.selectRow(row)
                self.table.blockSignals(False)
                self._selected(self.model.index(row, 0))  # the list changed under the row
            else:
                self.view.show_article(None)
                self._set_buttons()
            self.searched.emit()

        run_task(
            self,
            lambda: search.search(actor, text, flt, search.LIST_LIMIT),
            on_done=show,
            on_error=self._failed,
        )

    def reload(self) -> None:
        self.refresh()
        if self.editor_role:
            self.load_flags()

    def _selected(self, index: QModelIndex) -> None:
        hit = self.model.data(index, ROW_ROLE) if index.isValid() else None
        if hit is None:
            self._preview.drop()
            self.view.show_article(None)
            self._set_buttons()
            return
        actor = self.session.actor
        ticket = self._preview.start()

        def show(article: Article) -> None:
            if self._preview.is_current(ticket):
                self.view.show_article(article)
                self._set_buttons()
                self.previewed.emit()

        run_task(self, lambda: articles.get(actor, hit.id), on_done=show, on_error=self._failed)

    def _set_buttons(self) -> None:
        article = self.view.article
        chosen = article is not None
        self.edit_button.setEnabled(chosen and article.status is not Status.RETIRED)  # type: ignore[union-attr]
        self.publish_button.setEnabled(chosen and article.status is Status.DRAFT)  # type: ignore[union-attr]
        self.retire_button.setEnabled(chosen and article.status is not Status.RETIRED)  # type: ignore[union-attr]
        self.history_button.setEnabled(chosen)
        self.flag_button.setEnabled(chosen)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))

    def _done(self, message: str) -> None:
        self.error.setText("")
        self.notice.setText(message)
        self.changed.emit()
        self.reload()

    # Editing ------------------------------------------------------------------------------

    def new_article(self) -> None:
        from ui.knowledge.editor import ArticleEditor

        editor = ArticleEditor(self.session, self)
        editor.saved.connect(lambda _id: self._done(_("已保存")))
        editor.finished.connect(editor.deleteLater)
        editor.open()
        self.editor = editor

    def edit_article(self) -> None:
        article = self.view.article
        if article is None:
            return
        from ui.knowledge.editor import ArticleEditor

        editor = ArticleEditor(self.session, self, article_id=article.id)
        editor.saved.connect(lambda _id: self._done(_("已保存")))
        editor.finished.connect(editor.deleteLater)
        editor.open()
        self.editor = editor

    def publish_article(self) -> None:
        article = self.view.article
        if article is None:
            return
        actor = self.session.actor
        run_task(
            self,
            lambda: articles.publish(actor, article.id, expected_version=article.version),
            on_done=lambda a: self._done(_("已发布：{title}").format(title=a.title)),
            on_error=self._failed,
        )

    def retire_article(self) -> None:
        article = self.view.article
        if article is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            _("停用知识"),
            _("停用“{title}”的原因（停用后不再推荐，引用它的案件仍可查看）：").format(
                title=article.title
            ),
        )
        if not ok:
            return
        actor = self.session.actor
        run_task(
            self,
            lambda: articles.retire(actor, article.id, reason, expected_version=article.version),
            on_done=lambda a: self._done(_("已停用：{title}").format(title=a.title)),
            on_error=self._failed,
        )

    def retire_by_source(self) -> None:
        """Retire every article citing a retired policy document, after listing what cites
        it (articles, articles linking to them, cases answered with them)."""
        article = self.view.article
        number, ok = QInputDialog.getText(
            self,
            _("按文号停用"),
            _("已废止的政策文件文号："),
            text=article.source_number if article is not None else "",
        )
        if not ok or not number.strip():
            return
        actor = self.session.actor
        run_task(
            self,
            lambda: articles.retirement_preview(actor, number),
            on_done=self._confirm_retirement,
            on_error=self._failed,
        )

    def _confirm_retirement(self, preview: articles.RetirementPreview) -> None:
        if not preview.articles:
            self.error.setText(
                _("没有引用文号“{number}”的在用知识").format(number=preview.source_number)
            )
            return
        lines = [_("将停用引用“{number}”的知识：").format(number=preview.source_number)]
        lines += [f"  {article_id} {title}" for article_id, title in preview.articles]
        if preview.linking:
            lines.append(_("以下知识链接到它们，请随后修改："))
            lines += [f"  {i} {title} → {target}" for i, title, target in preview.linking]
        if preview.cases:
            lines.append(
                _("{count} 个案件用它们答复过（停用后这些案件仍可查看当时的版本）：").format(
                    count=len(preview.cases)
                )
            )
            lines.append("  " + _("、").join(no for no, _a, _v in preview.cases[:20]))
        lines.append("")
        lines.append(_("停用原因："))
        reason, ok = QInputDialog.getMultiLineText(
            self, _("按文号停用"), "\n".join(lines), _("政策文件已废止")
        )
        if not ok:
            return
        actor, number = self.session.actor, preview.source_number
        run_task(
            self,
            lambda: articles.retire_by_source(actor, number, reason),
            on_done=lambda ids: self._done(_("已停用 {count} 条知识").format(count=len(ids))),
            on_error=self._failed,
        )

    def open_history(self) -> None:
        article = self.view.article
        if article is not None:
            from ui.knowledge.article_window import open_article

            open_article(self.session, article.id, self)

    def _open_linked(self, article_id: int) -> None:
        from ui.knowledge.article_window import open_article

        open_article(self.session, article_id, self)

    def flag_article(self) -> None:
        article = self.view.article
        if article is None:
            return
        from ui.knowledge.flag_dialog import FlagDialog

        dialog = FlagDialog(self.session, article.id, article.version, article.title, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.accepted.connect(lambda: self._done(_("已标记")))
        dialog.open()

    # Flags and synonyms -------------------------------------------------------------------

    def load_flags(self) -> None:
        actor = self.session.actor

        def show(rows: list[Flag]) -> None:
            self.flags_model.set_rows(rows)
            self.tabs.setTabText(1, _("标记队列（{count}）").format(count=len(rows)))

        run_task(self, lambda: flags.queue(actor), on_done=show, on_error=self._failed)

    def _flag_selected(self) -> Flag | None:
        index = self.flags_table.currentIndex()
        return self.flags_model.data(index, ROW_ROLE) if index.isValid() else None

    def _open_flagged(self) -> None:
        flag = self._flag_selected()
        if flag is not None:
            from ui.knowledge.article_window import open_article

            open_article(self.session, flag.article_id, self)

    def resolve_flag(self) -> None:
        flag = self._flag_selected()
        if flag is None:
            return
        text, ok = QInputDialog.getText(self, _("处理标记"), _("处理结果（如：已更正材料清单）："))
        if not ok:
            return
        actor = self.session.actor
        run_task(
            self,
            lambda: flags.resolve(actor, flag.id, text),
            on_done=lambda _f: self._done(_("标记已处理")),
            on_error=self._failed,
        )

    # Import and export ---------------------------------------------------------------------

    def import_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("导入知识"), "", _("知识文件 (*.xlsx *.csv *.docx)")
        )
        if not path:
            return
        category = ""
        if path.lower().endswith(".docx"):
            category, ok = QInputDialog.getItem(
                self,
                _("导入 Word 文件"),
                _("文件中未写明分类的知识归入："),
                [_(c) for c in CATEGORIES],
                0,
                True,
            )
            if not ok:
                return
        self._import(Path(path), category)

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("选择 Markdown 文件夹"))
        if folder:
            self._import(Path(folder), "")

    def _import(self, path: Path, category: str) -> None:
        actor = self.session.actor
        run_task(
            self,
            lambda: transfer.import_articles(actor, path, category=category),
            on_done=lambda r: self._done(
                _("已导入：新建 {created} 条，更新 {updated} 条，未变 {unchanged} 条").format(
                    created=r.created, updated=r.updated, unchanged=r.unchanged
                )
            ),
            on_error=self._import_failed,
        )

    def _import_failed(self, exc: BaseException) -> None:
        """Every problem with its row and column; nothing was imported."""
        self.error.setText(_("未导入任何知识：") + "\n" + error_text(exc))

    def export_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("导出知识"), "knowledge.xlsx", _("Excel (*.xlsx);;CSV (*.csv)")
        )
        if path:
            self._export(Path(path))

    def export_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("导出到文件夹"))
        if folder:
            self._export(Path(folder))

    def _export(self, target: Path) -> None:
        actor = self.session.actor
        run_task(
            self,
            lambda: transfer.export_articles(actor, target),
            on_done=lambda n: self._done(
                _("已导出 {count} 条知识到 {path}").format(count=n, path=str(target))
            ),
            on_error=self._failed,
        )

    def store_synonyms(self) -> None:
        actor, text = self.session.actor, self.synonyms.toPlainText()
        run_task(
            self,
            lambda: synonyms.replace_all(actor, text),
            on_done=lambda n: self._done(_("已保存 {count} 组同义词").format(count=n)),
            on_error=self._failed,  # what was typed stays in the box
        )


def open_knowledge(session: Session, parent: QWidget | None = None) -> KnowledgeWindow:
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, KnowledgeWindow) and widget.isVisible():
            widget.raise_()
            widget.activateWindow()
            return widget
    window = KnowledgeWindow(session, parent)
    window.show()
    return window
