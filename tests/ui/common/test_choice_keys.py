"""The kind, category, district and urgency boxes by keyboard: part of a label and Tab takes the
one entry it names, the first suggestion is highlighted as the list drops down, and Enter takes
the highlighted entry (ui/common/choice_combos.py, ui/common/completer_keys.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from hotline.enums import Category, Kind
from tests.ui.typing_helpers import press, type_text
from ui.common.choice_combos import ChoiceCombo


@pytest.fixture
def form(qtbot):  # type: ignore[no-untyped-def]
    page = QWidget()
    layout = QVBoxLayout(page)
    page.kind = ChoiceCombo.for_enum(Kind)  # type: ignore[attr-defined]
    page.category = ChoiceCombo.for_enum(Category)  # type: ignore[attr-defined]
    page.after = QLineEdit()  # type: ignore[attr-defined]
    for widget in (page.kind, page.category, page.after):  # type: ignore[attr-defined]
        layout.addWidget(widget)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitExposed(page)
    return page


def _typed(qtbot, combo: ChoiceCombo, text: str) -> None:  # type: ignore[no-untyped-def]
    combo.lineEdit().setFocus()
    type_text(combo.lineEdit(), text)
    popup = combo.completer().popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.currentIndex().isValid())


def test_the_first_suggestion_is_highlighted_without_changing_the_text(qtbot, form) -> None:
    _typed(qtbot, form.category, "审")
    popup = form.category.completer().popup()
    assert popup.currentIndex().row() == 0
    assert popup.selectionModel().isSelected(popup.currentIndex())  # visibly highlighted
    assert form.category.currentText() == "审"  # the typed text is not replaced


def test_enter_takes_the_highlighted_entry(qtbot, form) -> None:
    _typed(qtbot, form.kind, "投")
    press(form.kind.completer().popup(), Qt.Key.Key_Return)
    assert form.kind.value() == "complaint" and form.kind.currentText() == "投诉"
    assert not form.kind.completer().popup().isVisible()


def test_tab_takes_the_one_entry_part_of_a_label_names_and_moves_on(qtbot, form) -> None:
    _typed(qtbot, form.category, "审批")
    press(form.category.completer().popup(), Qt.Key.Key_Tab)
    assert form.category.value() == "approval" and form.category.currentText() == "行政审批"
    qtbot.waitUntil(form.after.hasFocus)


def test_tab_without_the_list_takes_the_only_match_too(qtbot, form) -> None:
    form.category.lineEdit().setFocus()
    form.category.setEditText("审批")  # no list shown: the text set, not typed
    form.after.setFocus()
    assert form.category.value() == "approval" and form.category.currentText() == "行政审批"


def test_text_that_names_several_entries_or_none_is_kept_as_typed(qtbot, form) -> None:
    form.kind.lineEdit().setFocus()
    form.kind.setEditText("不存在")
    form.after.setFocus()
    assert form.kind.currentText() == "不存在" and form.kind.value() == "不存在"
