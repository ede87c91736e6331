"""The idle lock notices input without filtering every event of the program all the time."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox

from hotline import auth, drafts
from tests.pg_person import PROGRAM_SIGN_IN
from tests.ui.conftest import ADMIN_PASSWORD
from tests.ui.typing_helpers import type_text
from ui.intake.form import IntakeWindow
from ui.start import idle_lock
from ui.start.idle_lock import IdleLock, LockDialog


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


# -- issue 12, class 8: the lock screen counts wrong passwords like the sign-in dialog -------


def _try(qtbot, dialog: LockDialog, password: str) -> None:
    dialog.password.setText(password)
    with qtbot.waitSignal(dialog.checked):
        dialog.unlock_button.click()


@PROGRAM_SIGN_IN
def test_wrong_passwords_at_the_lock_screen_lock_the_account(qtbot, session) -> None:
    dialog = LockDialog(session)
    qtbot.addWidget(dialog)
    for _ in range(auth.MAX_FAILURES - 1):
        _try(qtbot, dialog, "wrong")
        assert dialog.error.text() == "密码不正确"
        assert dialog.password.isEnabled()
    _try(qtbot, dialog, "wrong")
    assert "密码错误次数过多，账号已锁定，请 15 分钟后再试" in dialog.error.text()
    assert not dialog.password.isEnabled() and not dialog.unlock_button.isEnabled()
    assert dialog.quit_button.isEnabled()  # closing the program is what is left
    assert dialog.result() != QDialog.DialogCode.Accepted
    with pytest.raises(auth.AccountLocked):  # the right password no longer opens it
        auth.unlock(session.user.id, ADMIN_PASSWORD)
    with pytest.raises(auth.AccountLocked):  # nor signs in elsewhere
        auth.sign_in(session.user.username, ADMIN_PASSWORD)


@PROGRAM_SIGN_IN
def test_enter_and_esc_never_quit_from_the_lock_screen(qtbot, session, monkeypatch) -> None:
    """An operator pressing Enter again after the lock-out (or Esc) keeps the screen locked:
    only the quit button closes the program, and only after saying yes."""
    dialog = LockDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(auth.MAX_FAILURES):
        _try(qtbot, dialog, "wrong")
    assert not dialog.unlock_button.isEnabled()
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
        qtbot.keyClick(dialog, key)
        assert dialog.isVisible(), key
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    dialog.quit_button.click()
    assert dialog.isVisible()  # "no": still locked
    dialog.quit_button.click()
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


@PROGRAM_SIGN_IN
def test_the_right_password_unlocks(qtbot, session) -> None:
    dialog = LockDialog(session)
    qtbot.addWidget(dialog)
    _try(qtbot, dialog, "wrong")
    _try(qtbot, dialog, ADMIN_PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_closing_at_the_lock_screen_keeps_the_intake_form_as_a_draft(
    qtbot, operator_session, monkeypatch
) -> None:
    form = IntakeWindow(operator_session)
    qtbot.addWidget(form)
    form.show()
    type_text(form.fields.subject, "锁屏时正在登记")
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    monkeypatch.setattr(LockDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    lock = IdleLock(form, operator_session, minutes=5)
    lock.lock()
    lock.set_minutes(0)
    assert quits == [True]
    assert not form.isVisible()
    pending = drafts.pending(operator_session.user.username)
    assert [d.data["subject"] for d in pending] == ["锁屏时正在登记"]
