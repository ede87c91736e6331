"""Locking the workstation after a spell without keyboard or mouse input.

While locked every window is hidden (case contents are not left on an unattended screen) and
only the signed-in user's password opens them again.
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
        self._last_input = time.monotonic()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setInterval(15_000)
        self._timer.timeout.connect(self._check)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        if minutes > 0:
            self._timer.start()
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def _check(self) -> None:
        idle = time.monotonic() - self._last_input
        if self.minutes > 0 and not self.is_locked and idle >= self.minutes * 60:
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
