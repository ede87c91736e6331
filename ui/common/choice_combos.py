"""An editable combo box for a closed list: pick with the keyboard, or type a label or a code.

The operator may type part of the Chinese label (a pop-up narrows the list as they type) or the
code itself; ``value()`` gives the code when the text names an item, else the text as typed, so
that validation in the core reports an unknown value instead of the form silently dropping it.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from hotline.enums import LabelledEnum
from ui.common.completer_keys import SuggestionKeys


class ChoiceCombo(QComboBox):
    def __init__(
        self,
        items: Iterable[tuple[str, str]] = (),
        *,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.aliases: dict[str, str] = {}  # code -> another text that names it
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        completer = QCompleter(self.model(), self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        # The first match is highlighted; Enter or Tab takes the highlighted one.
        self.suggestion_keys = SuggestionKeys(
            completer,
            lambda index: self._take(str(index.data())),
            tab=lambda forward: self.focusNextPrevChild(forward),
        )
        line_edit = self.lineEdit()
        assert line_edit is not None  # the combo is editable
        line_edit.setPlaceholderText(placeholder)
        self.set_items(items)

    @classmethod
    def for_enum(cls, enum: type[LabelledEnum], **kwargs: object) -> ChoiceCombo:
        combo = cls([(member.label, member.value) for member in enum], **kwargs)  # type: ignore[arg-type]
        # The Chinese label is understood in every language of the interface.
        combo.aliases = {member.value: enum.labels()[member.value] for member in enum}
        return combo

    def set_items(self, items: Iterable[tuple[str, str]]) -> None:
        """Replace the items (label, code), keeping what is selected or typed."""
        keep = self.value()
        self.blockSignals(True)
        self.clear()
        for label, code in items:
            self.addItem(label, code)
        self.blockSignals(False)
        self.set_value(keep)

    def _index_of(self, text: str) -> int:
        wanted = text.strip()
        if not wanted:
            return -1
        for row in range(self.count()):
            code = str(self.itemData(row))
            names = (self.itemText(row), code, self.aliases.get(code))
            if wanted in names or wanted.lower() == code.lower():
                return row
        return -1

    def _take(self, label: str) -> None:
        self.set_value(label)  # editTextChanged: the form sees the change

    def _only_match(self, text: str) -> int:
        """The row of the one item whose label (or code) contains ``text``; -1 if there are
        none or several."""
        wanted = text.strip().casefold()
        if not wanted:
            return -1
        rows = []
        for row in range(self.count()):
            code = str(self.itemData(row))
            names = (self.itemText(row), self.aliases.get(code) or "", code)
            if any(wanted in name.casefold() for name in names):
                rows.append(row)
        return rows[0] if len(rows) == 1 else -1

    def value(self) -> str:
        """The code of the item the text names, else the text as typed (stripped)."""
        text = self.currentText().strip()
        row = self._index_of(text)
        return str(self.itemData(row)) if row >= 0 else text

    def set_value(self, value: str | None) -> None:
        """Select the item whose code or label is ``value``; other text is kept as typed."""
        text = (value or "").strip()
        row = self._index_of(text)
        if row >= 0:
            self.setCurrentIndex(row)
            self.setEditText(self.itemText(row))
        else:
            self.setCurrentIndex(-1)
            self.setEditText(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Leaving the field shows the label for a typed code (``complaint`` → 投诉), and takes
        the one entry that part of a label names (``审批`` → 行政审批)."""
        super().focusOutEvent(event)
        row = self._index_of(self.currentText())
        if row < 0:  # part of one entry's label: that entry (Tab takes it)
            row = self._only_match(self.currentText())
        if row >= 0 and self.currentText() != self.itemText(row):
            self.setCurrentIndex(row)
            self.setEditText(self.itemText(row))
