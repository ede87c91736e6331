"""The keys of a suggestion list (a QCompleter's pop-up) as an operator expects them: the first
suggestion is highlighted as soon as the list shows, Enter takes the highlighted one, and where
asked (closed lists), Tab takes it too before moving on; elsewhere (an enterprise's name) Tab
keeps what was typed and moves on.

The highlight is set without the completer's signals, so the typed text is never replaced
while the operator is still typing; only taking a suggestion changes the field.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCompleter

TAKE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
TAB_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


class SuggestionKeys(QObject):
    """``take(index)`` receives an index of ``completer.completionModel()``; ``tab``: called
    with True (forward) or False after Tab or Shift+Tab took a suggestion, to move on."""

    def __init__(
        self,
        completer: QCompleter,
        take: Callable[[QModelIndex], None],
        *,
        tab: Callable[[bool], object] | None = None,
    ) -> None:
        super().__init__(completer)
        self.completer = completer
        self._take = take
        self._tab = tab
        self._timer = QTimer(self, singleShot=True, interval=0)  # goes with the completer
        self._timer.timeout.connect(self.highlight_first)
        self._forward = True
        self._move_timer = QTimer(self, singleShot=True, interval=0)
        self._move_timer.timeout.connect(self._move_on)
        popup = self.popup()
        popup.installEventFilter(self)
        model = completer.completionModel()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
            signal.connect(self.schedule)

    def popup(self) -> QAbstractItemView:
        popup = self.completer.popup()
        assert popup is not None  # made when first asked
        return popup

    def schedule(self, *_args: object) -> None:
        self._timer.start()

    def highlight_first(self) -> None:
        """Highlight the first suggestion (visibly) unless one is highlighted already."""
        popup = self.popup()
        model = self.completer.completionModel()
        if model.rowCount() == 0:
            return
        current = popup.currentIndex()
        if current.isValid() and current.row() < model.rowCount():
            return
        selection = popup.selectionModel()
        first = model.index(0, 0)
        with QSignalBlocker(selection):  # not into the text: the operator may type on
            popup.setCurrentIndex(first)
            selection.select(first, selection.SelectionFlag.ClearAndSelect)
        popup.viewport().update()

    def _move_on(self) -> None:
        if self._tab is not None:
            self._tab(self._forward)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and watched is self.popup():
            self.schedule()
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        tab = key in TAB_KEYS and self._tab is not None
        if key in TAB_KEYS and not tab:
            # Tab leaves what was typed as it is: the highlight must not be taken (the
            # completer would take a current suggestion on Tab).
            popup = self.popup()
            with QSignalBlocker(popup.selectionModel()):
                popup.setCurrentIndex(QModelIndex())
            return False
        if key not in TAKE_KEYS and not tab:
            return False
        popup = self.popup()
        index = popup.currentIndex()
        if not index.isValid():
            index = self.completer.completionModel().index(0, 0)
        if not popup.isVisible() or not index.isValid():
            return False
        popup.hide()
        self._take(index)
        if tab and self._tab is not None:
            # On once the pop-up has let the keyboard go (on X11 closing it gives the focus
            # back to the field it came from).
            self._forward = key == Qt.Key.Key_Tab
            self._move_timer.start()
        return True
