"""The idle lock notices input without filtering every event of the program all the time."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from ui import idle_lock
from ui.idle_lock import IdleLock


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(idle_lock.time, "monotonic", clock)
    return clock


@pytest.fixture
def lock(qtbot, session, clock, monkeypatch):  # type: ignore[no-untyped-def]
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    lock = IdleLock(field, session, minutes=5)
    lock.field = field  # type: ignore[attr-defined]
    lock.times_locked = 0  # type: ignore[attr-defined]

    def fake_lock() -> None:  # the real one opens a modal dialog
        lock.times_locked += 1  # type: ignore[attr-defined]

    monkeypatch.setattr(lock, "lock", fake_lock)
    yield lock
    lock.set_minutes(0)


def _type_a_key(widget: QLineEdit) -> None:
    QApplication.sendEvent(
        widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    )


def _click(widget: QLineEdit) -> None:
    point = QPointF(5, 5)
    QApplication.sendEvent(
        widget,
        QMouseEvent(
            QEvent.Type.MouseButtonPress,
            point,
            widget.mapToGlobal(point),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )


def test_no_filter_at_start_then_watching_from_the_first_check(lock, clock):
    assert not lock.watching  # nothing between Qt and its events while the program starts
    clock.now += 15
    lock._check()
    assert lock.watching
    assert lock.times_locked == 0


def test_input_is_noticed_and_the_filter_removed_until_the_next_check(lock, clock):
    lock._check()
    assert lock.watching
    clock.now += 40
    _type_a_key(lock.field)
    assert lock.field.text() == "a"  # the event still reaches the widget
    assert not lock.watching
    assert lock._last_input == clock.now
    clock.now += 15
    lock._check()  # counts the user as active until now, and watches again
    assert lock.watching and lock._last_input == clock.now
    _click(lock.field)
    assert not lock.watching


def test_locks_after_the_minutes_without_input_and_not_before(lock, clock):
    lock._check()
    started = clock.now
    while clock.now - started < 5 * 60 - 15:
        clock.now += 15
        lock._check()
        assert lock.times_locked == 0
    clock.now += 15
    lock._check()
    assert lock.times_locked == 1


def test_typing_now_and_then_never_locks(lock, clock):
    lock._check()
    for _ in range(100):  # 25 minutes, a key every 15 s, checks in between
        clock.now += 15
        lock._check()
        _type_a_key(lock.field)
    assert lock.times_locked == 0


def test_switched_off_removes_the_filter(lock, clock):
    lock._check()
    assert lock.watching
    lock.set_minutes(0)
    assert not lock.watching
    clock.now += 3600
    lock._check()
    assert not lock.watching and lock.times_locked == 0
