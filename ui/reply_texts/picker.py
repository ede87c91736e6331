"""The list of reply texts that Ctrl+Space opens at the cursor: type to filter (code, title,
pinyin initials), Up/Down to choose, Enter inserts, Esc closes. The chosen text is shown
filled from the case below the list, as it will be inserted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _
from hotline.reply_texts import placeholders
from hotline.reply_texts.service import TextInfo

TEXT_ROLE = Qt.ItemDataRole.UserRole + 1
_MOVES = {
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
}


class ReplyTextPicker(QFrame):
    """A popup over ``texts``; emits ``chosen`` with the TextInfo picked, then closes."""

    chosen = Signal(object)

    def __init__(
        self,
        texts: Sequence[TextInfo],
        values: Mapping[str, str],
        parent: QWidget,
        query: str = "",
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("replyTextPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.texts = list(texts)
        self.values = dict(values)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.filter = QLineEdit(
            objectName="replyTextFilter", placeholderText=_("简码、标题或拼音首字母")
        )
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.list = QTreeWidget(objectName="replyTextList")
        self.list.setColumnCount(3)  # code, title, shared or own
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the filter
        layout.addWidget(self.list, 1)
        self.preview = QLabel(objectName="replyTextPreview", wordWrap=True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setStyleSheet(
            "QLabel#replyTextPreview { background: #f6f8fb; border: 1px solid #dde3ea;"
            " padding: 6px; color: #202124; }"
        )
        self.preview.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.preview)
        hint = QLabel(_("Enter 插入 · ↑↓ 选择 · Esc 关闭"), objectName="hint")
        hint.setStyleSheet("color: #5f6368;")
        layout.addWidget(hint)
        self.filter.installEventFilter(self)
        self.filter.textChanged.connect(self._refill)
        self.list.currentItemChanged.connect(lambda *_items: self._show_preview())
        self.list.itemActivated.connect(lambda *_args: self.choose())
        self.list.itemClicked.connect(lambda *_args: self.choose())
        self.resize(480, 320)
        self.filter.setText(query)
        self._refill()

    def _refill(self) -> None:
        query = self.filter.text()
        self.list.clear()
        shown = [t for t in self.texts if t.matches(query)]
        items = []
        for text in shown:
            scope = _("共享") if text.shared else _("个人")
            item = QTreeWidgetItem([text.code, text.title, scope])
            item.setData(0, TEXT_ROLE, text)
            item.setForeground(2, self.palette().placeholderText())
            item.setToolTip(1, text.body)
            self.list.addTopLevelItem(item)
            items.append(item)
        if items:
            metrics = self.list.fontMetrics()
            widest = max(metrics.horizontalAdvance(t.code) for t in shown)
            self.list.setColumnWidth(0, widest + metrics.horizontalAdvance("  ") + 12)
            self.list.setCurrentItem(items[0])
        else:
            empty = (
                _("没有匹配“{query}”的常用语").format(query=query)
                if self.texts
                else _("还没有适用于此处的常用语：在“工具 → 常用语…”中添加")
            )
            item = QTreeWidgetItem([empty])
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addTopLevelItem(item)
            item.setFirstColumnSpanned(True)  # takes effect once the item is in the tree
        self._show_preview()

    def shown(self) -> list[TextInfo]:
        """The texts the list shows now, in order."""
        found = []
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            text = item.data(0, TEXT_ROLE) if item is not None else None
            if isinstance(text, TextInfo):
                found.append(text)
        return found

    def current(self) -> TextInfo | None:
        item = self.list.currentItem()
        found = item.data(0, TEXT_ROLE) if item is not None else None
        return found if isinstance(found, TextInfo) else None

    def _show_preview(self) -> None:
        text = self.current()
        if text is None:
            self.preview.setText("")
            return
        filled = placeholders.fill(text.body, self.values)
        self.preview.setText(filled.text)

    def choose(self) -> None:
        text = self.current()
        if text is None:
            return
        self.close()
        self.chosen.emit(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.choose()
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
            if key in _MOVES:
                QGuiApplication.sendEvent(self.list, event)
                return True
        return super().eventFilter(watched, event)

    def open_at(self, point: QPoint) -> None:
        """Show with its top left at ``point`` (global), kept on the screen."""
        screen = QGuiApplication.screenAt(point) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        x = max(area.left(), min(point.x(), area.right() - self.width()))
        y = point.y()
        if y + self.height() > area.bottom():
            y = max(area.top(), y - self.height() - 24)
        self.move(x, y)
        self.show()
        self.filter.setFocus()
        self.filter.end(False)
