"""Locking the workstation after a spell without keyboard or mouse input.

While locked every window is hidden (case contents are not left on an unattended screen) and
only the signed-in user's password opens them again.

Input is noticed by an application-wide event filter, which Qt calls for every event of every
object: written in Python, that is a Python call on every paint, timer and layout of the
program, while it starts and while it runs. So the filter is installed only while it is
needed: from one check to the first input after it. Input seen, it is removed until the next check, which
counts the user as active until then. The lock therefore comes between ``minutes`` and
``minutes`` plus two check intervals (30 s) after the last input.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hotline import auth
from hotline.i18n import _
from hotline.models import User
from ui.session import Session

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 15_000

INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class LockDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("已锁定"))
        self.setModal(True)
        text = _("{name} 的工作台已锁定，请输入密码解锁。").format(name=session.user.display_name)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("密码"))
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        buttons = QDialogButtonBox(self)
        self.unlock_button = buttons.addButton(_("解锁"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = buttons.addButton(_("退出程序"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._try_unlock)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(text, self))
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _try_unlock(self) -> None:
        user = User.get_or_none(User.id == self.session.user.id)
        if user is not None and user.active and auth.verify_password(user, self.password.text()):
            self.accept()
            return
        log.info("wrong password when unlocking the window of user id %s", self.session.user.id)
        self.error.setText(_("密码不正确"))
        self.password.selectAll()


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QWidget, session: Session, minutes: int) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.minutes = minutes
        self.is_locked = False
        self.watching = False  # the event filter is installed
        self._last_input = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self._check)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        if minutes > 0:
            self._timer.start()
        else:
            self._timer.stop()
            self._watch(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._last_input = time.monotonic()
            self._watch(False)  # active in this interval: no need to see more of it
        return False

    def _watch(self, on: bool) -> None:
        app = QApplication.instance()
        if on == self.watching or app is None:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)  # safe from within eventFilter too
        self.watching = on

    def _check(self) -> None:
        now = time.monotonic()
        if not self.watching:
            # Input was seen since the last check (or the program has just started) and may
            # have gone on since: count the user as active until now, and watch again.
            self._last_input = now
            self._watch(self.minutes > 0)
            return
        if self.minutes > 0 and not self.is_locked and now - self._last_input >= self.minutes * 60:
            self.lock()

    def lock(self) -> None:
        if self.is_locked:
            return
        self.is_locked = True
        hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in hidden:
            widget.hide()
        self.locked.emit()
        dialog = LockDialog(self.session)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.is_locked = False
        self._last_input = time.monotonic()
        if not accepted:
            QApplication.quit()
            return
        for widget in hidden:
            widget.show()
        self.unlocked.emit()
