"""Signing in, and the password change forced after an administrator's reset."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hotline import auth
from hotline.errors import HotlineError
from hotline.i18n import _
from ui.common.messages import error_text
from ui.common.settings import AppSettings
from ui.common.tasks import run_task

log = logging.getLogger(__name__)


def _password_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class LoginDialog(QDialog):
    """Asks for name and password until they are right; ``user`` is then the signed-in user.

    The password is checked off the GUI thread (a database read and a deliberately slow hash);
    meanwhile the fields and buttons wait, keeping what was typed.
    """

    refused = Signal()  # a sign-in attempt failed; the reason is shown

    def __init__(
        self, database: str, parent: QWidget | None = None, *, server: str | None = None
    ) -> None:
        super().__init__(parent)
        self.user: auth.SignedInUser | None = None
        self.server = server  # a server's URL: the person signs in as their own login role
        self.busy = False
        self.setWindowTitle(_("登录 — 营商环境投诉热线工作台"))
        self.setMinimumWidth(380)
        title = QLabel(_("营商环境投诉热线工作台"), self)
        title.setObjectName("dialogTitle")
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.password = _password_field(self)
        self.password.setObjectName("password")
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        where = QLabel(_("数据库：{database}").format(database=database), self)
        where.setObjectName("hint")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setWordWrap(True)
        if server is not None:
            where.setText(
                _("数据库服务器：{database}（每人以自己的账号登录，密码由服务器核对）").format(
                    database=database
                )
            )
        form = QFormLayout()
        form.addRow(_("用户名"), self.username)
        form.addRow(_("密码"), self.password)
        self.buttons = QDialogButtonBox(self)
        self.sign_in_button = self.buttons.addButton(
            _("登录"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(_("退出"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._sign_in)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(where)
        layout.addWidget(self.buttons)
        last = AppSettings().last_username
        self.username.setText(last)
        (self.password if last else self.username).setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.username, self.password, self.buttons):
            widget.setEnabled(not busy)
        if busy:
            self.error.clear()
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def reject(self) -> None:
        if not self.busy:  # an attempt under way is answered first
            super().reject()

    def _sign_in(self) -> None:
        if self.busy:
            return
        username, password = self.username.text(), self.password.text()
        self._set_busy(True)
        run_task(
            self,
            lambda: auth.SignedInUser.of(auth.sign_in(username, password, server=self.server)),
            on_done=lambda user: self._checked(user, password),
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(exc, HotlineError):
            log.error("sign-in failed: %s", exc, exc_info=exc)
        self.error.setText(error_text(exc))
        self.password.clear()
        self.password.setFocus()
        self.refused.emit()

    def _checked(self, user: auth.SignedInUser, password: str) -> None:
        self._set_busy(False)
        self.error.clear()
        if not user.must_change_password:
            self._signed_in(user)
            return
        change = ChangePasswordDialog(user, password, self)
        if change.exec() != QDialog.DialogCode.Accepted:
            self.password.clear()
            self.error.setText(_("必须先修改密码才能使用"))
            self.refused.emit()
            return
        self._set_busy(True)
        run_task(self, lambda: auth.signed_in_user(user.id), self._signed_in, self._failed)

    def _signed_in(self, user: auth.SignedInUser) -> None:
        self._set_busy(False)
        settings = AppSettings()
        settings.last_username = user.username
        settings.sync()
        self.user = user
        self.accept()


class ChangePasswordDialog(QDialog):
    """A new password for ``user``; ``old_password`` given when it was just typed. The change
    is made off the GUI thread."""

    refused = Signal()  # the change was refused; the reason is shown

    def __init__(
        self, user: auth.SignedInUser, old_password: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.user = user
        self.setWindowTitle(_("修改密码"))
        self.setMinimumWidth(380)
        intro = QLabel(
            _("管理员重置了您的密码，请设置一个只有您知道的新密码。")
            if old_password
            else _("请输入原密码和新密码。"),
            self,
        )
        intro.setWordWrap(True)
        self.old = _password_field(self)
        self.old.setText(old_password)
        self.new = _password_field(self)
        self.new.setObjectName("newPassword")
        self.confirm = _password_field(self)
        self.confirm.setObjectName("confirmPassword")
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        form = QFormLayout()
        if not old_password:
            form.addRow(_("原密码"), self.old)
        form.addRow(_("新密码"), self.new)
        form.addRow(_("确认新密码"), self.confirm)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self._change)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self.busy = False
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.new if old_password else self.old).setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.old, self.new, self.confirm, self.buttons):
            widget.setEnabled(not busy)

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def _change(self) -> None:
        if self.busy:
            return
        if self.new.text() != self.confirm.text():
            self.error.setText(_("两次输入的新密码不一致"))
            self.refused.emit()
            return
        user_id, old, new = self.user.id, self.old.text(), self.new.text()
        self.error.clear()
        self._set_busy(True)
        run_task(
            self,
            lambda: auth.change_own_password(user_id, old, new),
            on_done=lambda _result: self._changed(),
            on_error=self._refused,
        )

    def _changed(self) -> None:
        self._set_busy(False)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error.setText(error_text(exc))
        self.refused.emit()
