"""Typing text into widgets as a user would, Chinese included.

``qtbot.keyClicks`` aborts the process on non-ASCII text, so these helpers send one key event
per character carrying the character as its text (what an input method delivers for each
committed character), or one input-method commit for a whole phrase.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` one character at a time (press and release each)."""
    widget.setFocus()
    for ch in text:
        key = _key_for(ch)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch)
            QCoreApplication.sendEvent(widget, event)
    QApplication.processEvents()


def commit_text(widget: QWidget, text: str) -> None:
    """Commit ``text`` at once, as an input method does after the user picks a phrase."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)
    QApplication.processEvents()


def press(widget: QWidget, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """Press and release one special key (Enter, Tab, F5…)."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers))
    QApplication.processEvents()


def _key_for(ch: str) -> int:
    if ch.isascii() and ch.isprintable():
        return ord(ch.upper())
    return int(Qt.Key.Key_unknown.value)
