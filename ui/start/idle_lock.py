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
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from hotline import auth, clock
from hotline.errors import HotlineError
from hotline.i18n import _
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 15_000

INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


SWITCH_USER = 2  # LockDialog's result when the next user is to sign in instead


class LockDialog(QDialog):
    checked = Signal()  # a password was checked (off the GUI thread) and the outcome shown

    def __init__(
        self, session: Session, parent: QWidget | None = None, *, can_switch: bool = False
    ) -> None:
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
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.unlock_button = buttons.addButton(_("解锁"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = buttons.addButton(_("退出程序"), QDialogButtonBox.ButtonRole.RejectRole)
        # The next shift at a desk left locked: sign the absent user out, as quitting would.
        self.switch_button = buttons.addButton(
            _("切换用户"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.switch_button.setAutoDefault(False)
        self.switch_button.setVisible(can_switch)
        self.switch_button.clicked.connect(self._ask_switch)
        # Enter (typed after a password, by habit) and Esc never close the program: only the
        # button does, after asking.
        self.unlock_button.setDefault(True)
        self.quit_button.setAutoDefault(False)
        buttons.accepted.connect(self._try_unlock)
        buttons.rejected.connect(self._ask_quit)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(text, self))
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._retry_allowed)

    def reject(self) -> None:
        """Esc and the window's close button do nothing: the screen stays locked."""

    def _ask_quit(self) -> None:
        answer = QMessageBox.question(
            self,
            _("退出程序"),
            _("退出程序吗？正在登记的内容会保存为草稿，下次登录时可恢复。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.done(QDialog.DialogCode.Rejected)

    def _ask_switch(self) -> None:
        answer = QMessageBox.question(
            self,
            _("切换用户"),
            _("注销 {name} 并由其他人登录吗？{name} 正在登记的内容会保存为草稿。").format(
                name=self.session.user.display_name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.done(SWITCH_USER)

    def _try_unlock(self) -> None:
        """The password is checked and counted by the same rule as signing in, on a worker
        thread; the password field and the button wait meanwhile."""
        if not self.unlock_button.isEnabled():
            return
        user_id, password = self.session.user.id, self.password.text()
        self.password.setEnabled(False)
        self.unlock_button.setEnabled(False)
        run_task(
            self,
            lambda: auth.unlock(user_id, password),
            on_done=self._unlocked,
            on_error=self._refused,
        )

    def _unlocked(self, _result: object) -> None:
        self.accept()
        self.checked.emit()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, auth.AccountLocked):
            log.info("idle lock of user id %s: account locked", self.session.user.id)
            self._locked_out(exc)
        elif isinstance(exc, HotlineError):
            log.info("wrong password when unlocking the window of user id %s", self.session.user.id)
            self._retry_allowed()
            self.error.setText(error_text(exc))
            self.password.selectAll()
        else:
            self._retry_allowed()
            self.error.setText(error_text(exc))
        self.checked.emit()

    def _locked_out(self, exc: auth.AccountLocked) -> None:
        """No more tries until the lock ends: only closing the program is left meanwhile."""
        self.password.clear()
        self.password.setEnabled(False)
        self.unlock_button.setEnabled(False)
        self.error.setText(
            _("{reason}\n可以关闭程序：正在登记的内容会保存为草稿，下次登录时可恢复。").format(
                reason=error_text(exc)
            )
        )
        remaining = (exc.until - clock.now()).total_seconds()
        self._retry.start(max(1_000, int(remaining * 1000) + 1_000))

    def _retry_allowed(self) -> None:
        self.password.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.password.setFocus()


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()

    policy_applied = Signal(int)  # the centre's policy was read: the minutes now in force

    def __init__(self, window: QWidget, session: Session, minutes: int) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.minutes = minutes
        self.chosen = minutes  # this workstation's setting, before the centre's cap
        self.is_locked = False
        self.watching = False  # the event filter is installed
        self._last_input = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self._check)
        self.set_minutes(minutes)  # until choose() has read the centre's policy
        from ui.common.events import app_events

        app_events().settings_changed.connect(self._policy_may_have_changed)

    def _policy_may_have_changed(self) -> None:
        self.choose(self.chosen)

    def choose(self, minutes: int) -> None:
        """Apply this workstation's setting as the centre's policy allows (read off the GUI
        thread): at most its maximum, and never off where it forbids that."""
        from hotline import lock_policy

        self.chosen = minutes
        run_task(self, lock_policy.load, self._apply_policy, self._policy_failed)

    def _apply_policy(self, policy: object) -> None:
        from hotline.lock_policy import IdleLockPolicy

        assert isinstance(policy, IdleLockPolicy)
        self.set_minutes(policy.effective(self.chosen))
        self.policy_applied.emit(self.minutes)

    def _policy_failed(self, exc: BaseException) -> None:
        # The database cannot be read now: keep the strictest of what is known.
        log.warning("idle-lock policy could not be read: %s", exc)
        from hotline.lock_policy import IdleLockPolicy

        self._apply_policy(IdleLockPolicy())

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
        switch = getattr(self.window, "user_switch", None)
        dialog = LockDialog(self.session, can_switch=switch is not None)
        result = dialog.exec()
        accepted = result == QDialog.DialogCode.Accepted
        self.is_locked = False
        self._last_input = time.monotonic()
        # Switching user: the windows close while hidden (the intake keeps its draft), then
        # the sign-in dialog comes (should that fail, the windows close as when quitting).
        if (
            result == SWITCH_USER
            and switch is not None
            and switch.sign_out(ask=False, reason="lock_screen")
        ):
            return
        if not accepted:
            # Closed while hidden, so each window keeps its work as it does on closing
            # (the intake form saves a draft); quitting alone would not close hidden windows.
            for widget in hidden:
                widget.close()
            QApplication.quit()
            return
        for widget in hidden:
            widget.show()
        self.unlocked.emit()
