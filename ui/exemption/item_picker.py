"""Finding the catalogue item: a search box (words, code or pinyin initials such as ``yyzz``),
a filter by enforcement body, the matching items, and the chosen item's body and provisions.

Typing narrows the list at once; Down moves into the list, Enter takes the first match. The
chosen item stays chosen while the list is narrowed to something else.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from hotline.exemption.items import Catalogue, CatalogueItem
from hotline.i18n import _
from ui.exemption.item_model import ItemListModel, ItemRole

DETAIL_STYLE = """
QLabel#itemDetail { background: #f8f9fa; border: 1px solid #dadce0; border-radius: 4px;
    padding: 8px; }
QLabel#itemDetail[chosen="false"] { color: #5f6368; }
"""
VISIBLE_ROWS = 6


class SearchBox(QLineEdit):
    """Down/Enter go to the list below instead of staying in the box."""

    move_down = Signal()
    take_first = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.move_down.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.take_first.emit()
            return
        super().keyPressEvent(event)


class ItemPicker(QWidget):
    item_chosen = Signal(object)  # CatalogueItem, or None when the choice is cleared

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(DETAIL_STYLE)
        self.chosen: CatalogueItem | None = None
        self.search = SearchBox(objectName="itemSearch")
        self.search.setPlaceholderText(_("输入违法行为、关键词、编号或拼音首字母（如 yyzz）"))
        self.search.setClearButtonEnabled(True)
        self.body = QComboBox(objectName="bodyFilter")
        self.body.setMinimumContentsLength(10)
        self.model = ItemListModel()
        self.list = QListView(objectName="itemList")
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.count = QLabel(objectName="hint")
        self.detail = QLabel(objectName="itemDetail", wordWrap=True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.body, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addWidget(self.count)
        layout.addWidget(self.detail)

        self.search.textChanged.connect(self._refresh)
        self.body.currentIndexChanged.connect(self._refresh)
        self.search.move_down.connect(self._focus_list)
        self.search.take_first.connect(self._take_first)
        self.list.selectionModel().selectionChanged.connect(self._selected)
        self.list.activated.connect(self._choose_index)
        self._show_detail()

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.body.blockSignals(True)
        self.body.clear()
        self.body.addItem(_("全部实施主体"), "")
        for body in catalogue.bodies():
            self.body.addItem(body, body)
        self.body.blockSignals(False)
        self.model.set_catalogue(catalogue)
        self._fit_list()
        self._refresh()

    def _fit_list(self) -> None:
        row = self.list.sizeHintForRow(0) if self.model.rowCount() else 22
        self.list.setFixedHeight(row * VISIBLE_ROWS + 2 * self.list.frameWidth() + 4)

    def _refresh(self, *_args: object) -> None:
        body = self.body.currentData() or None
        self.model.search(self.search.text(), body)
        self.count.setText(
            _("找到 {count} 项").format(count=self.model.rowCount())
            if self.model.rowCount()
            else _("没有匹配的事项：换个说法，或清除实施主体筛选")
        )
        if self.chosen is not None:
            row = self.model.row_of(self.chosen.code)
            if row >= 0:
                self.list.selectionModel().blockSignals(True)
                self.list.setCurrentIndex(self.model.index(row))
                self.list.selectionModel().blockSignals(False)

    def _focus_list(self) -> None:
        self.list.setFocus()
        if self.model.rowCount() and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.model.index(0))

    def _take_first(self) -> None:
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0))

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self._choose_index(indexes[0])

    def _choose_index(self, index: QModelIndex) -> None:
        item = index.data(ItemRole)
        if item is not None and item is not self.chosen:
            self.choose(item)

    def choose(self, item: CatalogueItem | None) -> None:
        """Make ``item`` the chosen one (from the list, or from a saved assessment)."""
        self.chosen = item
        self._show_detail()
        if item is not None:
            row = self.model.row_of(item.code)
            if row >= 0 and self.list.currentIndex().row() != row:
                self.list.selectionModel().blockSignals(True)
                self.list.setCurrentIndex(self.model.index(row))
                self.list.selectionModel().blockSignals(False)
        self.item_chosen.emit(item)

    def _show_detail(self) -> None:
        item = self.chosen
        self.detail.setProperty("chosen", item is not None)
        self.detail.style().unpolish(self.detail)
        self.detail.style().polish(self.detail)
        if item is None:
            self.detail.setText(
                _("尚未选择清单事项。请在上方查找并选择企业被处罚或被检查的违法行为。")
            )
            return
        lines = [
            _("<b>{code}</b>　{body} · {area}").format(
                code=escape(item.code), body=escape(item.body), area=escape(item.area)
            ),
            f"<b>{escape(item.violation)}</b>",
            _("违法依据：{provision}").format(provision=escape(item.violated_provision)),
            _("处罚依据：{provision}").format(provision=escape(item.penalty_provision)),
            _("首违回溯期：{days} 天").format(days=item.lookback_days),
        ]
        if item.limitation_years:
            lines.append(
                _("追责时效：{years} 年（{basis}）").format(
                    years=item.limitation_years, basis=escape(item.limitation_basis or "")
                )
            )
        self.detail.setText("<br>".join(lines))
