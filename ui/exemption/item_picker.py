"""Finding the catalogue item: a search box (words, code or pinyin initials such as ``yyzz``),
a filter by enforcement body, the matching items, and the chosen item's body and provisions.

The matching items drop down under the search box as the user types (a popup, as a combo box's
list: the checklist page keeps one scroll area); Down opens the list and moves into it, Enter
takes the highlighted item or else the first match, Esc closes the list. The chosen item stays
chosen while the search is narrowed to something else.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
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
VISIBLE_ROWS = 10


class SearchBox(QLineEdit):
    """Down/Enter go to the list below instead of staying in the box."""

    move_down = Signal()
    take_first = Signal()
    take_highlighted = Signal(QModelIndex)
    popup: QAbstractItemView | None = None  # the list of matches

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.move_down.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            popup = self.popup
            if popup is not None and popup.isVisible() and popup.currentIndex().isValid():
                self.take_highlighted.emit(popup.currentIndex())
                return
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
        # The matches as a popup under the search box (the model is filtered by our search,
        # so the completer shows it unfiltered).
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(VISIBLE_ROWS)
        self.completer.setWidget(self.search)
        self.list = QListView(objectName="itemList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.completer.setPopup(self.list)
        self.search.popup = self.list
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
        layout.addWidget(self.count)
        layout.addWidget(self.detail)

        self.search.textChanged.connect(self._typed)
        self.body.currentIndexChanged.connect(self._refresh)
        self.search.move_down.connect(self.open_list)
        self.search.take_first.connect(self._take_first)
        self.search.take_highlighted.connect(self._choose_index)
        self.completer.activated[QModelIndex].connect(self._choose_index)  # type: ignore[index]
        self._show_detail()

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.body.blockSignals(True)
        self.body.clear()
        self.body.addItem(_("全部实施主体"), "")
        for body in catalogue.bodies():
            self.body.addItem(body, body)
        self.body.blockSignals(False)
        self.model.set_catalogue(catalogue)
        self._refresh()

    def _refresh(self, *_args: object) -> None:
        body = self.body.currentData() or None
        self.model.search(self.search.text(), body)
        self.count.setText(
            _("找到 {count} 项").format(count=self.model.rowCount())
            if self.model.rowCount()
            else _("没有匹配的事项：换个说法，或清除实施主体筛选")
        )
        if not self.model.rowCount():
            self.list.hide()

    def _typed(self, text: str) -> None:
        self._refresh()
        if text.strip() and self.search.hasFocus() and self.model.rowCount():
            self._show_popup()

    def list_shown(self) -> bool:
        return self.list.isVisible()

    def _show_popup(self) -> None:
        # As wide as the search box and the body filter together.
        self.completer.complete(QRect(0, 0, self.width(), self.search.height()))

    def open_list(self) -> None:
        """Down in the search box: the matches drop down, the first highlighted."""
        if not self.model.rowCount():
            return
        self._show_popup()
        popup = self.list
        first = self.completer.completionModel().index(0, 0)
        if not popup.selectionModel().hasSelection():
            popup.setCurrentIndex(first)
            popup.selectionModel().select(first, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _take_first(self) -> None:
        if self.model.rowCount():
            self.list.hide()
            self.choose(self.model.items[0])

    def _choose_index(self, index: QModelIndex) -> None:
        item = index.data(ItemRole)
        self.list.hide()
        if item is not None and item is not self.chosen:
            self.choose(item)

    def choose(self, item: CatalogueItem | None) -> None:
        """Make ``item`` the chosen one (from the list, or from a saved assessment)."""
        self.chosen = item
        self._show_detail()
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
