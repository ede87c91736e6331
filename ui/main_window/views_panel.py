"""The saved views beside the case list ("待派单", "已超期", …), each with its count.

Counts are computed on the thread pool; the panel shows the last known figures meanwhile.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from hotline import case_queries, reminders
from hotline.case_queries import CaseFilter
from hotline.enums import Role
from hotline.i18n import _, format_number
from ui.common import icons
from ui.common.tasks import run_task

Index = QModelIndex | QPersistentModelIndex

VIEW_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2
ALARM_VIEWS = {"overdue": "overdue", "due_today": "due_today"}
REMINDER_ROLE = Qt.ItemDataRole.UserRole + 3  # True: one of the user's reminders (a task)
REMINDER_COLOUR = "#1a73e8"


class ViewsModel(QAbstractListModel):
    """The saved views the user's role is offered; the reminders of the role stand out."""

    def __init__(self, parent: Any = None, role: Role | str = Role.ADMIN) -> None:
        super().__init__(parent)
        self.views = reminders.views_for(role)
        self.reminder_views = frozenset(reminders.kinds_for(role)) - set(ALARM_VIEWS)
        self.counts: dict[str, int] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.views)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self.views[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(case_queries.VIEWS[view])
        if role == VIEW_ROLE:
            return view
        if role == COUNT_ROLE:
            return self.counts.get(view)
        if role == REMINDER_ROLE:
            return view in self.reminder_views
        if role == Qt.ItemDataRole.ToolTipRole and view in self.reminder_views:
            return _("您的待办提醒：有新案件时在系统托盘通知")
        return None

    def set_counts(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.dataChanged.emit(self.index(0), self.index(len(self.views) - 1))


class _CountDelegate(QStyledItemDelegate):
    """Draws the count right-aligned in a soft pill after the view's name."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        count = index.data(COUNT_ROLE)
        text = "" if count is None else format_number(count)
        width = option.fontMetrics.horizontalAdvance(text) + 14 if text else 0
        shrunk = QStyleOptionViewItem(option)
        shrunk.rect = option.rect.adjusted(0, 0, -width - 8, 0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:  # paint the full-width selection, then the item without it
            painter.fillRect(option.rect, option.palette.color(QPalette.ColorRole.Highlight))
        super().paint(painter, shrunk, index)
        if not text:
            return
        pill = QRect(option.rect.right() - width - 6, option.rect.top() + 5, width, 0)
        pill.setBottom(option.rect.bottom() - 5)
        view = index.data(VIEW_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        alarm = view in ALARM_VIEWS and count
        task = bool(index.data(REMINDER_ROLE)) and count
        if alarm:
            colour = QColor(icons.DOT_COLOURS[ALARM_VIEWS[view]])
        elif task:
            colour = QColor(REMINDER_COLOUR)
        else:
            colour = QColor("#e8eaed")
        painter.setBrush(colour)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setPen(QColor("white") if alarm or task else QColor("#3c4043"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 48, max(size.height(), 30))


class ViewsPanel(QWidget):
    view_selected = Signal(str)
    counts_updated = Signal(dict)

    def __init__(
        self, user_id: int | None, parent: QWidget | None = None, role: Role | str = Role.ADMIN
    ) -> None:
        super().__init__(parent)
        self.user_id = user_id
        self.model = ViewsModel(self, role)
        self.list = QListView(self)
        self.list.setObjectName("viewsList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(_CountDelegate(self.list))
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list.setFrameShape(QListView.Shape.NoFrame)
        self.list.setAccessibleName(_("视图"))
        heading = QLabel(_("视图"), self)
        heading.setObjectName("panelHeading")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(heading)
        layout.addWidget(self.list)
        self.list.setCurrentIndex(self.model.index(0))
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self._busy = False
        self._again = False

    @property
    def current_view(self) -> str:
        index = self.list.currentIndex()
        return str(index.data(VIEW_ROLE)) if index.isValid() else "all"

    def select_view(self, view: str) -> None:
        if view not in self.model.views:
            return
        row = self.model.views.index(view)
        self.list.selectionModel().setCurrentIndex(
            self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.view_selected.emit(str(current.data(VIEW_ROLE)))

    def refresh_counts(self) -> None:
        """Recount off the GUI thread; a request while counting runs once more afterwards."""
        if self._busy:
            self._again = True
            return
        self._busy = True
        user_id, views = self.user_id, tuple(self.model.views)

        def work() -> dict[str, int]:
            counts = case_queries.view_counts(user_id, views)
            counts["all"] = case_queries.count(CaseFilter())
            return counts

        run_task(self, work, self._counted, self._failed)

    def _counted(self, counts: dict[str, int]) -> None:
        self._busy = False
        self.model.set_counts(counts)
        self.counts_updated.emit(counts)
        if self._again:
            self._again = False
            self.refresh_counts()

    def _failed(self, _exc: BaseException) -> None:
        self._busy = False
        self._again = False
