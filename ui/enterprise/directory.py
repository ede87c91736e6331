"""The enterprise directory (企业名录): every enterprise on file, found by a part of its name,
a former name (曾用名) or its credit code, a page at a time; the selected one's former names;
correcting a name, merging duplicates and changing the service steward for the roles allowed.

Every read runs off the GUI thread; answers overtaken by newer typing are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline import enterprise_directory
from hotline.enterprise_directory import DirectoryPage, DirectoryRow, FormerName
from hotline.i18n import N_, _
from hotline.permissions import Action, shown_name
from ui.common import shortcuts
from ui.common.events import app_events
from ui.common.latest_request import LatestRequest
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.settings import PreserveGeometry
from ui.common.tables import read_only_rows
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
PAGE_SIZE = enterprise_directory.PAGE_SIZE

COLUMNS: list[tuple[str, Callable[[DirectoryRow], str]]] = [
    (N_("企业名称"), lambda r: r.name),
    (N_("统一社会信用代码"), lambda r: r.uscc),
    (N_("曾用名"), lambda r: "、".join(r.former_names)),
    (N_("区县"), lambda r: r.district),
    (N_("服务专员"), lambda r: r.steward_name),
    (N_("案件数"), lambda r: str(r.cases)),
]


class DirectoryModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DirectoryRow] = []

    def set_rows(self, rows: list[DirectoryRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](row)
        if role == Qt.ItemDataRole.ToolTipRole and row.matched_former:
            return _("按曾用名“{name}”找到").format(name=row.matched_former)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == len(COLUMNS) - 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][0])
        return None


class EnterpriseDirectory(PreserveGeometry, QWidget):
    layout_key = "enterprise_directory"
    loaded = Signal(object)  # DirectoryPage
    details_loaded = Signal(object)  # list[FormerName]
    enterprise_requested = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("enterpriseDirectory")
        self.setWindowTitle(_("企业名录"))
        self.session = session
        self.offset = 0
        self.total = 0
        self.dialog: QWidget | None = None
        self._notice = ""  # said once the next page is shown (after a merge)
        self._latest = LatestRequest()
        self._latest_details = LatestRequest()
        self.search = QLineEdit(self)
        self.search.setObjectName("directorySearch")
        self.search.setPlaceholderText(_("企业名称的一部分、曾用名或统一社会信用代码"))
        self.search.setClearButtonEnabled(True)
        self.model = DirectoryModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("directoryTable")
        self.table.setModel(self.model)
        read_only_rows(self.table, single=True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(2, 220)
        self.previous_button = QPushButton(_("上一页"), self)
        self.next_button = QPushButton(_("下一页"), self)
        self.page_label = QLabel(self)
        self.page_label.setObjectName("pageLabel")
        self.open_button = QPushButton(_("打开档案"), self)
        self.rename_button = QPushButton(_("更正名称…"), self)
        self.rename_button.setObjectName("renameButton")
        self.merge_button = QPushButton(_("合并重复档案…"), self)
        self.merge_button.setObjectName("mergeButton")
        self.steward_button = QPushButton(_("更改服务专员…"), self)
        self.steward_button.setObjectName("stewardButton")
        self.can_manage = session.can(Action.ENTERPRISE_MANAGE)
        self.can_steward = session.can(Action.CASE_REGISTER)
        self.rename_button.setVisible(self.can_manage)
        self.merge_button.setVisible(self.can_manage)
        self.steward_button.setVisible(self.can_steward)
        self.detail_title = QLabel(self)
        self.detail_title.setObjectName("detailTitle")
        self.detail_title.setWordWrap(True)
        self.former = QTableWidget(0, 5, self)
        self.former.setObjectName("formerNames")
        self.former.setHorizontalHeaderLabels(
            [_("曾用名"), _("使用起"), _("使用至"), _("记录人"), _("原因")]
        )
        self.former.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.former.verticalHeader().hide()
        self.former.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel(self)
        self.status.setObjectName("hint")
        self._build_layout()

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.first_page)
        self.search.textEdited.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.first_page)
        self.previous_button.clicked.connect(lambda: self.load(max(0, self.offset - PAGE_SIZE)))
        self.next_button.clicked.connect(lambda: self.load(self.offset + PAGE_SIZE))
        self.open_button.clicked.connect(self.open_selected)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.rename_button.clicked.connect(self.rename)
        self.merge_button.clicked.connect(self.merge)
        self.steward_button.clicked.connect(self.change_steward)
        shortcuts.bind("refresh", self, self.reload)
        shortcuts.bind("close_window", self, self.close)
        shortcuts.bind("search", self, self.search.setFocus)
        app_events().enterprise_saved.connect(self._enterprise_saved)
        self._update_buttons()
        if not self.restore_layout():
            self.resize(1100, 700)
        self.load(0)

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(_("查找"), self))
        top.addWidget(self.search, 1)
        pages = QHBoxLayout()
        pages.addWidget(self.previous_button)
        pages.addWidget(self.next_button)
        pages.addWidget(self.page_label, 1)
        pages.addWidget(self.status)
        listing = QWidget(self)
        column = QVBoxLayout(listing)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addLayout(pages)
        details = QGroupBox(_("所选企业"), self)
        box = QVBoxLayout(details)
        box.addWidget(self.detail_title)
        buttons = QHBoxLayout()
        for button in (
            self.open_button,
            self.rename_button,
            self.merge_button,
            self.steward_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        box.addWidget(self.former, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("directorySplitter")
        splitter.addWidget(listing)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    # Loading ------------------------------------------------------------------------------

    def first_page(self) -> None:
        self._timer.stop()
        self.load(0)

    def reload(self) -> None:
        self.load(self.offset)

    def load(self, offset: int, select_id: int | None = None) -> None:
        ticket = self._latest.start()
        text = self.search.text()
        self.status.setText(_("正在查找…"))
        run_task(
            self,
            lambda: enterprise_directory.search_page(text, offset, PAGE_SIZE),
            lambda page: self._show(ticket, page, select_id),
            lambda exc: self._failed(ticket, exc),
        )

    def _failed(self, ticket: int, exc: BaseException) -> None:
        if self._latest.is_current(ticket):
            self.status.setText(error_text(exc))

    def _show(self, ticket: int, page: DirectoryPage, select_id: int | None) -> None:
        if not self._latest.is_current(ticket):
            return
        self.offset, self.total = page.offset, page.total
        self.model.set_rows(page.rows)
        pages = max(1, -(-page.total // PAGE_SIZE))
        self.page_label.setText(
            _("第 {page}/{pages} 页，共 {total} 家企业").format(
                page=page.offset // PAGE_SIZE + 1, pages=pages, total=page.total
            )
        )
        self.previous_button.setEnabled(page.offset > 0)
        self.next_button.setEnabled(page.offset + PAGE_SIZE < page.total)
        self.status.setText(self._notice)
        self._notice = ""
        if page.rows:
            row = next((i for i, r in enumerate(page.rows) if r.id == select_id), 0)
            self.table.selectRow(row)
        else:
            self._selected(QModelIndex())
        self.loaded.emit(page)

    def selected(self) -> DirectoryRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def _selected(self, *_args: object) -> None:
        self._update_buttons()
        row = self.selected()
        self.former.setRowCount(0)
        if row is None:
            self.detail_title.setText(_("没有找到企业") if self.total == 0 else "")
            return
        self.detail_title.setText(
            _("{name}　信用代码：{uscc}　服务专员：{steward}").format(
                name=row.name,
                uscc=row.uscc or _("（未登记）"),
                steward=" ".join(p for p in (row.steward_name, row.steward_phone) if p)
                or _("（未指定）"),
            )
        )
        ticket = self._latest_details.start()
        enterprise_id = row.id
        run_task(
            self,
            lambda: enterprise_directory.former_names(enterprise_id),
            lambda names: self._show_former(ticket, names),
            lambda exc: self.status.setText(error_text(exc)),
        )

    def _show_former(self, ticket: int, names: list[FormerName]) -> None:
        if not self._latest_details.is_current(ticket):
            return
        self.former.setRowCount(len(names))
        for row, former in enumerate(names):
            cells = (
                former.name,
                former.valid_from.isoformat() if former.valid_from else _("（建档前）"),
                former.valid_to.isoformat(),
                shown_name(former.recorded_by),
                former.reason,
            )
            for column, text in enumerate(cells):
                self.former.setItem(row, column, QTableWidgetItem(text))
        self.former.resizeColumnsToContents()
        self.details_loaded.emit(names)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (
            self.open_button,
            self.rename_button,
            self.merge_button,
            self.steward_button,
        ):
            button.setEnabled(chosen)

    def _enterprise_saved(self, _enterprise_id: int) -> None:
        if self.isVisible():
            self.reload()

    # Actions ------------------------------------------------------------------------------

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.enterprise_requested.emit(row.id)

    def _run_dialog(self, dialog: Any, select: Any) -> None:
        # The previous dialog goes now, not when it closes: its own task may still be
        # delivering its result then.
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.changed.connect(select)
        dialog.open()

    def rename(self) -> None:
        from ui.enterprise.directory_dialogs import RenameDialog

        row = self.selected()
        if row is None or not self.can_manage:
            return
        self._run_dialog(RenameDialog(self.session, row, self), self._changed)

    def change_steward(self) -> None:
        from ui.enterprise.directory_dialogs import StewardDialog

        row = self.selected()
        if row is None or not self.can_steward:
            return
        self._run_dialog(StewardDialog(self.session, row, self), self._changed)

    def merge(self) -> None:
        from ui.enterprise.directory_dialogs import MergeDialog

        row = self.selected()
        if row is None or not self.can_manage:
            return
        self._run_dialog(MergeDialog(self.session, row, self), self._merged)

    def _changed(self, result: object) -> None:
        enterprise_id = getattr(result, "id", None)
        if isinstance(enterprise_id, int):
            app_events().enterprise_saved.emit(enterprise_id)
            self.load(self.offset, select_id=enterprise_id)

    def _merged(self, result: enterprise_directory.MergeResult) -> None:
        self._notice = _("已合并，{count} 件案件移到保留的档案").format(
            count=len(result.moved_case_nos)
        )
        app_events().enterprise_saved.emit(result.survivor_id)
        app_events().cases_changed.emit()
        self.load(self.offset, select_id=result.survivor_id)
