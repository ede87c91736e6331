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
        """Leaving the field shows the label for a typed code (``complaint`` → 投诉)."""
        super().focusOutEvent(event)
        row = self._index_of(self.currentText())
        if row >= 0 and self.currentText() != self.itemText(row):
            self.setCurrentIndex(row)
            self.setEditText(self.itemText(row))
