"""The operator's main window: saved views, filters, search and the case list.

Everything that touches the database runs on the thread pool (the list's pages, the view
counts, today's figures, search); the window only lays out and reacts to signals.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hotline import db
from hotline.case_queries import CaseFilter
from hotline.enums import Role
from hotline.i18n import _, format_number
from hotline.permissions import Action
from ui.case_list import column_chooser
from ui.case_list.columns import CALLBACK_COLUMNS
from ui.case_list.search import CaseSearch
from ui.case_list.table_model import CaseTableModel
from ui.case_list.table_view import CaseTableView
from ui.common import shortcuts
from ui.common.events import app_events
from ui.common.first_paint import after_first_paint
from ui.common.linked_windows import linked_windows
from ui.common.session import Session
from ui.common.settings import PreserveGeometry
from ui.main_window.actions import WindowActions
from ui.main_window.filter_bar import FilterBar
from ui.main_window.list_actions import ListActions
from ui.main_window.menus import build_menus
from ui.main_window.reminders import ReminderWatch
from ui.main_window.status_strip import StatusStrip
from ui.main_window.sync import WindowSync
from ui.main_window.views_panel import ViewsPanel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from ui.main_window.supervision_banner import SupervisionBanner
    from ui.start.auto_backup import AutoBackup
    from ui.start.idle_lock import IdleLock
    from ui.start.user_switch import UserSwitch

log = logging.getLogger(__name__)


class MainWindow(PreserveGeometry, QMainWindow):
    layout_key = "main_window"
    # Set after construction, by ui.app and by build_menus.
    idle_lock: IdleLock
    auto_backup: AutoBackup
    reports_menu: QMenu
    supervision_banner: SupervisionBanner  # a department's desk only
    user_switch: UserSwitch | None = None  # signing out returns to the sign-in (ui.app)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("mainWindow")
        self.setWindowTitle(_("营商环境投诉热线工作台"))
        if session.user.role == Role.DEPARTMENT.value:
            self.setWindowTitle(_("营商环境投诉热线 · 部门工作台"))
        # Confidential callers are masked in the list exactly as in the case window: for the
        # roles that may not see them.
        self.model = CaseTableModel(
            reveal_confidential=session.can(Action.CASE_VIEW_CONFIDENTIAL), parent=self
        )
        self.case_search = CaseSearch(
            self, reveal_confidential=session.can(Action.CASE_VIEW_CONFIDENTIAL)
        )
        self._keep_selection: int | None = None
        self._columns_checked = False
        self.menu_actions = WindowActions(self)
        self.sync = WindowSync(self)
        self._build()
        # The layout (and the sort order it remembers) is restored before the signals are
        # connected, so that the list is queried once, by apply_filters below.
        self._fit_columns = not self.restore_layout()
        self.table.place_callback_columns()
        column_chooser.apply_saved(self.table)
        self.list_actions = ListActions(self)
        if self._fit_columns:
            room = self.screen().availableGeometry()
            self.resize(min(1440, room.width()), min(860, room.height()))
            # The views need about 170 pixels; on a narrow screen the list gets the rest.
            views = 210 if self.width() >= 1400 else 170
            self.splitter.setSizes([views, self.width() - views])
        header = self.table.horizontalHeader()
        if not self.model.set_sort(header.sortIndicatorSection(), header.sortIndicatorOrder()):
            header.setSortIndicator(self.model.sort_column, Qt.SortOrder.DescendingOrder)
        self._sort_order = header.sortIndicatorOrder()
        self._connect()
        # The counts beside and under the list read every case, the reminders too; the filter
        # bar's lists are wanted only when opened: all start once the first page is painted,
        # so that they do not hold up the list.
        after_first_paint(self.table.viewport(), self._after_first_paint)
        # The first page is read at once (a few ms on a million cases): the window's first
        # paint shows it, instead of an empty list painted, then the list painted again.
        self.apply_filters(wait=True)
        self.actions_by_name = build_menus(self)
        self.sync.start()

    # Layout

    def _build(self) -> None:
        self.new_case_button = QPushButton(_("新建案件"), self)
        self.new_case_button.setObjectName("primaryButton")
        if self.session.can(Action.CASE_REGISTER):
            self.new_case_button.setToolTip(
                _("登记一个新案件（{key}）").format(key=shortcuts.shown("new_case"))
            )
        else:
            self.new_case_button.setEnabled(False)
            self.new_case_button.setToolTip(
                _("{role}无权登记案件").format(role=Role(self.session.user.role).label)
            )
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText(
            _("搜索案件编号、企业、联系人或内容（{key}）").format(key=shortcuts.shown("search"))
        )
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(380)
        self.search_info = QLabel(self)
        self.search_info.setObjectName("searchInfo")
        self.more_button = QToolButton(self)
        self.more_button.setText(_("更多结果"))
        self.more_button.setAutoRaise(True)
        self.more_button.hide()
        role = Role(self.session.user.role).label
        self.user_label = QLabel(
            _("{name} · {role}").format(name=self.session.user.display_name, role=role), self
        )
        self.user_label.setObjectName("userLabel")
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.new_case_button)
        top.addSpacing(8)
        top.addWidget(self.search_box, 2)
        top.addWidget(self.search_info)
        top.addWidget(self.more_button)
        top.addStretch(1)
        top.addWidget(self.user_label)

        self.views = ViewsPanel(self.session.user.id, self, self.session.user.role)
        self.filters = FilterBar(self)
        # A department works its own cases only: choosing another department means nothing.
        self.filters.department.setVisible(self.session.user.role != Role.DEPARTMENT.value)
        self.table = CaseTableView(self.model, self)
        self.footer = QLabel(self)
        self.footer.setObjectName("listFooter")
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(6)
        right_layout.addWidget(self.filters)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.footer)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.views)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 8, 6, 4)
        layout.setSpacing(8)
        layout.addLayout(top)
        # A department's desk: the supervision notices it has to answer, above everything.
        if self.session.user.role == Role.DEPARTMENT.value:
            from ui.main_window.supervision_banner import SupervisionBanner

            self.supervision_banner = SupervisionBanner(self)
            self.supervision_banner.setVisible(False)
            layout.addWidget(self.supervision_banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.strip = StatusStrip(self)
        self.statusBar().addWidget(self.strip)
        self.reminders = ReminderWatch(
            self.session.user.role,
            self,
            in_background=lambda: not self.isActiveWindow() or self.isMinimized(),
        )
        self.db_label = QLabel(db.describe(self.session.db_target), self)
        self.db_label.setObjectName("dbLabel")
        self.db_label.setToolTip(_("数据库位置"))
        self.statusBar().addPermanentWidget(self.db_label)

    def _connect(self) -> None:
        self.new_case_button.clicked.connect(self.menu_actions.new_case)
        self.search_box.textChanged.connect(self.case_search.set_text)
        self.search_box.returnPressed.connect(self._search_entered)
        self.case_search.results.connect(self._search_results)
        self.case_search.failed.connect(self._show_status_error)
        self.more_button.clicked.connect(self.case_search.more)
        self.views.view_selected.connect(self.apply_filters)
        if self.session.user.role == Role.DEPARTMENT.value:
            self.views.counts_updated.connect(self.supervision_banner.refresh)
            self.supervision_banner.case_requested.connect(self.menu_actions.open_case)
        self.reminders.updated.connect(self.strip.show_reminders)
        self.reminders.news.connect(self.strip.show_news)
        self.strip.view_requested.connect(self.views.select_view)
        self.reminders.notifier.clicked.connect(self._reminder_clicked)
        # Enter on a view (keyboard users) goes on to its cases.
        self.views.list.activated.connect(lambda _index: self.focus_list())
        self.filters.changed.connect(self.apply_filters)
        self.table.activated.connect(self._activated)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sort_changed)
        self.model.page_loaded.connect(self._page_loaded)
        self.model.total_changed.connect(lambda _total: self._update_footer())
        self.model.failed.connect(self._show_status_error)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        events = app_events()
        events.case_saved.connect(self.sync.case_saved)
        events.cases_changed.connect(self.refresh)
        events.settings_changed.connect(self.filters.load_options)
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(300)
        self._recount.timeout.connect(self.views.refresh_counts)
        self._periodic = QTimer(self)
        self._periodic.setInterval(60_000)
        self._periodic.timeout.connect(self.views.refresh_counts)
        self._periodic.start()

    # The list

    def current_filter(self) -> CaseFilter:
        flt = CaseFilter(
            view=self.views.current_view,
            user_id=self.session.user.id,
            case_ids=self.case_search.case_ids,
        )
        return self.filters.apply_to(flt)

    def apply_filters(self, *_args: object, wait: bool = False) -> None:
        self.sync.stale = False
        callbacks = self.views.current_view == "awaiting_callback"
        for column in CALLBACK_COLUMNS:
            self.table.setColumnHidden(column, not callbacks)
        self.model.set_filter(self.current_filter(), wait=wait)
        self._update_footer()

    def show_view(self, view: str) -> None:
        """A view's shortcut: show it and put the keyboard in the list, so that Enter opens
        the selected case (not whatever field had the focus)."""
        self.views.select_view(view)
        self.focus_list()

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_case_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.case_id_at(index.row())

    def select_case(self, case_id: int) -> bool:
        row = self.model.row_of_case(case_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        if self.model.is_sortable(section):
            self._sort_order = order
            self.model.sort(section, order)
            return
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(self.model.sort_column, self._sort_order)
        header.blockSignals(False)

    def _after_first_paint(self) -> None:
        self.filters.load_options()
        self.views.refresh_counts()
        self.strip.refresh()
        self.reminders.start()

    def _reminder_clicked(self) -> None:
        """The user clicked a reminder's message: show its view (the user asked to come)."""
        if self.reminders.first_new_view is not None:
            self.views.select_view(self.reminders.first_new_view)
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def _page_loaded(self, _count: int) -> None:
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        if self._fit_columns and self.model.rowCount():
            # Fitted once there are rows and the window is shown (else by showEvent): only
            # then is the list's width known.
            if self.isVisible():
                self._fit_once()
        elif not self._columns_checked:
            # Once, with the first page's data, right after it is painted: a remembered layout
            # is readable as it is unless it came from the other language.
            QTimer.singleShot(0, self._check_columns)
        self._update_footer()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_columns and self.model.rowCount():
            self._fit_once()

    def _fit_once(self) -> None:
        self._fit_columns = False
        self._columns_checked = True
        self.table.fit_columns()

    def _check_columns(self) -> None:
        if not self._columns_checked:
            self._columns_checked = True
            self.table.ensure_readable()

    def _remember_selection(self) -> None:
        self._keep_selection = self.current_case_id()
        self._keep_scroll = self.table.verticalScrollBar().value()

    def _restore_selection(self) -> None:
        if self._keep_selection is not None and self.select_case(self._keep_selection):
            self.table.verticalScrollBar().setValue(self._keep_scroll)
        self._keep_selection = None

    def _update_footer(self) -> None:
        loaded = self.model.rowCount()
        if self.model.total is None:
            text = _("已显示 {loaded} 条").format(loaded=format_number(loaded))
        else:
            text = _("已显示 {loaded} 条，共 {total} 条").format(
                loaded=format_number(loaded), total=format_number(self.model.total)
            )
        if self.model.loading:
            text += " · " + _("正在载入…")
        elif self.sync.stale:
            text += " · " + _("其他工作站有更新，按 F5 刷新")
        self.footer.setText(text)
        empty = not self.model.loading and self.model.rowCount() == 0
        if not empty:
            self.table.show_empty("")
        elif self.case_search.text:
            self.table.show_empty(
                _("没有找到包含“{text}”的案件").format(text=self.case_search.text)
            )
        else:
            self.table.show_empty(_("没有符合条件的案件"))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.menu_actions.open_case(self.model.case_id_at(index.row()))

    # Search

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _search_entered(self) -> None:
        self.case_search.run_now()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _search_results(self, case_ids: tuple[int, ...] | None, more: bool) -> None:
        if case_ids is None:
            self.search_info.clear()
        elif more:
            self.search_info.setText(
                _("找到最新的 {count} 条").format(count=format_number(len(case_ids)))
            )
        else:
            self.search_info.setText(
                _("找到 {count} 条").format(count=format_number(len(case_ids)))
            )
        self.more_button.setVisible(more)
        self.apply_filters()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_Escape and self.search_box.hasFocus():
            self.search_box.clear()
            self.table.setFocus()
            return
        super().keyPressEvent(event)

    # Changes

    def refresh(self) -> None:
        self.sync.stale = False
        self.model.forget_names()
        self.model.refresh()
        self.views.refresh_counts()
        self.strip.refresh()
        self.reminders.schedule()
        self.filters.load_options()
        self._update_footer()

    def clear_filters(self) -> None:
        self.filters.reset()
        self.search_box.clear()
        self.views.select_view("all")

    def _show_status_error(self, exc: BaseException) -> None:
        from hotline.errors import DatabaseReplaced
        from ui.common.messages import error_text

        if isinstance(exc, DatabaseReplaced):  # until the program is reopened
            self.sync.watcher.stop()
            self.statusBar().showMessage(error_text(exc))
            return
        self.statusBar().showMessage(error_text(exc), 10_000)

    def closeEvent(self, event: QCloseEvent) -> None:
        others = list(dict.fromkeys([*self.menu_actions.open_windows.values(), *linked_windows()]))
        for window in others:
            window.close()
        if any(w.isVisible() for w in others):
            event.ignore()  # a window kept itself open (its unsaved work): so does this one
            return
        self.sync.watcher.stop()
        self.reminders.stop()
        super().closeEvent(event)
