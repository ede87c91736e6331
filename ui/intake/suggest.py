"""Suggesting enterprises on file while the operator types a name or a credit code.

Typing pauses for a moment (debounce), the search runs off the GUI thread, and a pop-up lists
the matches; picking one (arrows and Enter, or a click) emits ``chosen``. Results that arrive
after the text changed again are dropped.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit

from hotline import enterprises
from hotline.enterprises import EnterpriseInfo
from hotline.i18n import _
from ui.common.completer_keys import SuggestionKeys
from ui.common.latest_request import LatestRequest
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

DELAY_MS = 250
MIN_NAME = 2
MIN_CODE = 4


def describe(info: EnterpriseInfo) -> str:
    if info.former_name:
        return _("{name}　{uscc}（曾用名：{former}）").format(
            name=info.name, uscc=info.uscc, former=info.former_name
        )
    if info.uscc:
        return _("{name}　{uscc}").format(name=info.name, uscc=info.uscc)
    return info.name


class EnterpriseSuggester(QObject):
    chosen = Signal(object)  # EnterpriseInfo
    searched = Signal(int)  # how many suggestions were shown (for tests and status)

    def __init__(self, name_edit: QLineEdit, code_edit: QLineEdit, parent: QObject) -> None:
        super().__init__(parent)
        self._edits = {name_edit: MIN_NAME, code_edit: MIN_CODE}
        self._target: QLineEdit = name_edit
        self._latest = LatestRequest()
        self._found: list[EnterpriseInfo] = []
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # The overload taking an index (the stubs do not describe a signal's overloads).
        self.completer.activated[QModelIndex].connect(self._activated)  # type: ignore[index]
        # The first suggestion is highlighted as the list shows; Enter takes the highlighted.
        self.keys = SuggestionKeys(self.completer, self._activated)
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self._search)
        for edit in self._edits:
            edit.textEdited.connect(lambda _text, edit=edit: self._typed(edit))

    def _hide_popup(self) -> None:
        popup = self.completer.popup()
        assert popup is not None  # a completer makes its popup when first asked
        popup.hide()

    def _typed(self, edit: QLineEdit) -> None:
        self._target = edit
        self._latest.drop()
        if len(edit.text().strip()) >= self._edits[edit]:
            self._timer.start()
        else:
            self._timer.stop()
            self._hide_popup()

    def _search(self) -> None:
        text = self._target.text().strip()
        ticket = self._latest.ticket
        run_task(
            self,
            lambda: enterprises.suggestions(text),
            on_done=lambda found: self._show(ticket, found),
            on_error=lambda exc: log.warning("enterprise suggestion failed: %s", exc),
        )

    def _show(self, ticket: int, found: list[EnterpriseInfo]) -> None:
        if not self._latest.is_current(ticket):
            return
        self._found = found
        self._model.setStringList([describe(info) for info in found])
        if found and self._target.hasFocus():
            self.completer.setWidget(self._target)
            self.completer.complete()
        else:
            self._hide_popup()
        self.searched.emit(len(found))

    def _activated(self, index: QModelIndex) -> None:
        row = index.row()
        if 0 <= row < len(self._found):
            self._latest.drop()
            self.chosen.emit(self._found[row])

    def choose(self, row: int) -> None:
        """Pick a suggestion as if the operator had (keyboard tests, the side panel)."""
        self._activated(self._model.index(row, 0))

    def suggestions(self) -> list[EnterpriseInfo]:
        return list(self._found)
