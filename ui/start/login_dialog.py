"""Signing in, and the password change forced after an administrator's reset."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
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
from hotline.errors import HotlineError, ValidationError
from hotline.i18n import _
from ui.common.messages import error_text
from ui.common.settings import AppSettings

log = logging.getLogger(__name__)


def _password_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class LoginDialog(QDialog):
    """Asks for name and password until they are right; ``user`` is then the signed-in user."""

    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user: auth.SignedInUser | None = None
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

    def _sign_in(self) -> None:
        self.error.clear()
        try:
            user = auth.SignedInUser.of(auth.sign_in(self.username.text(), self.password.text()))
        except HotlineError as exc:
            self.error.setText(error_text(exc))
            self.password.clear()
            self.password.setFocus()
            return
        if user.must_change_password:
            change = ChangePasswordDialog(user, self.password.text(), self)
            if change.exec() != QDialog.DialogCode.Accepted:
                self.password.clear()
                self.error.setText(_("必须先修改密码才能使用"))
                return
            user = auth.signed_in_user(user.id)
        settings = AppSettings()
        settings.last_username = user.username
        settings.sync()
        self.user = user
        self.accept()


class ChangePasswordDialog(QDialog):
    """A new password for ``user``; ``old_password`` given when it was just typed."""

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
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.new if old_password else self.old).setFocus()

    def _change(self) -> None:
        if self.new.text() != self.confirm.text():
            self.error.setText(_("两次输入的新密码不一致"))
            return
        try:
            auth.change_own_password(self.user.id, self.old.text(), self.new.text())
        except ValidationError as exc:
            self.error.setText(error_text(exc))
            return
        self.accept()
