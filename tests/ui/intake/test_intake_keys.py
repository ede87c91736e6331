"""Keys of the intake form beyond typing: the enterprise suggestions (first one highlighted,
Enter takes it), and the fields most calls leave alone reachable by their own shortcuts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from hotline import cases
from tests.conftest import sample_case
from tests.hotline.desk import OPERATOR
from tests.ui.typing_helpers import press, type_text
from ui.common import shortcuts
from ui.intake.form import IntakeWindow


@pytest.fixture
def window(qtbot, operator_session):
    win = IntakeWindow(operator_session)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.waitUntil(lambda: win.fields.district.count() > 0)
    return win


def test_the_first_enterprise_suggestion_is_highlighted_and_enter_takes_it(qtbot, window) -> None:
    cases.register(OPERATOR, sample_case())
    f = window.fields
    with qtbot.waitSignal(window.suggester.searched, timeout=5000):
        type_text(f.enterprise_name, "华联商贸")
    popup = window.suggester.completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.currentIndex().row() == 0)
    assert f.enterprise_name.text() == "华联商贸"  # not replaced while typing
    with qtbot.waitSignal(window.suggester.chosen, timeout=2000):
        press(popup, Qt.Key.Key_Return)
    assert f.enterprise_name.text() == "鹤壁市华联商贸有限公司"
    assert f.enterprise_uscc.text() == "91410600MA44XKQ35C"


def test_confidential_and_urgency_have_their_own_keys(qtbot, window) -> None:
    f = window.fields
    f.subject.setFocus()
    qtbot.keyClick(f.subject, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert f.confidential.isChecked() and f.confidential.hasFocus()
    qtbot.keyClick(f.confidential, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not f.confidential.isChecked()
    qtbot.keyClick(f.subject, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert f.urgency.hasFocus()
    assert shortcuts.key("confidential") == "Ctrl+B" and shortcuts.key("urgency") == "Ctrl+U"
    assert "intake" in shortcuts.shortcut("confidential").where


def test_confidential_and_urgency_are_in_the_tab_order(window) -> None:
    keys = list(window.fields.widgets)
    assert keys.index("confidential") == keys.index("contact.phone") + 1
    assert keys.index("urgency") == keys.index("category") + 1


def test_tab_keeps_the_enterprise_name_as_typed(qtbot, window) -> None:
    """A name like one on file may be a new enterprise: only Enter takes the suggestion."""
    cases.register(OPERATOR, sample_case())
    f = window.fields
    chosen: list[object] = []
    window.suggester.chosen.connect(chosen.append)
    with qtbot.waitSignal(window.suggester.searched, timeout=5000):
        type_text(f.enterprise_name, "华联商贸")
    popup = window.suggester.completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.currentIndex().isValid())
    qtbot.keyClick(popup, Qt.Key.Key_Tab)  # as the window system delivers it
    assert f.enterprise_name.text() == "华联商贸" and chosen == []
    assert not popup.isVisible()
    qtbot.waitUntil(f.enterprise_uscc.hasFocus)
