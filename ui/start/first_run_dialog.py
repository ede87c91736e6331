"""The first start on an empty database: create the administrator, optionally load demo data."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hotline import auth
from hotline.errors import ValidationError
from hotline.i18n import _
from ui.common.messages import error_text
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

DEFAULT_DEMO_CASES = 2000


class FirstRunDialog(QDialog):
    """After ``accept``: ``admin`` is the new administrator; ``demo_cases`` > 0 asks for demo data."""

    refused = Signal()  # the administrator was not created; the reason is shown

    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin: auth.SignedInUser | None = None
        self.busy = False
        self.setWindowTitle(_("首次使用"))
        self.setMinimumWidth(460)
        intro = QLabel(
            _(
                "数据库 {database} 还没有管理员。请创建第一个管理员账号；"
                "创建后即以它登录，然后可以添加坐席、值班长等用户。"
            ).format(database=database),
            self,
        )
        intro.setWordWrap(True)
        self.username = QLineEdit("admin", self)
        self.username.setObjectName("username")
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("displayName")
        self.display_name.setText(_("系统管理员"))
        self.password = self._password("password")
        self.confirm = self._password("confirm")
        self.fields = {
            "username": self.username,
            "display_name": self.display_name,
            "password": self.password,
        }
        self.demo = QCheckBox(_("载入演示数据，用于试用"), self)
        self.demo.setObjectName("demo")
        self.demo_cases = QSpinBox(self)
        self.demo_cases.setRange(100, 1_000_000)
        self.demo_cases.setSingleStep(1000)
        self.demo_cases.setValue(DEFAULT_DEMO_CASES)
        self.demo_cases.setSuffix(_(" 个案件"))
        self.demo_cases.setEnabled(False)
        self.demo.toggled.connect(self.demo_cases.setEnabled)
        demo_row = QHBoxLayout()
        demo_row.addWidget(self.demo)
        demo_row.addWidget(self.demo_cases)
        demo_row.addStretch(1)
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("用户名"), self.username)
        form.addRow(_("姓名"), self.display_name)
        form.addRow(_("密码"), self.password)
        form.addRow(_("确认密码"), self.confirm)
        buttons = QDialogButtonBox(self)
        buttons.addButton(_("创建管理员"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("退出"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(demo_row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.password.setFocus()

    def _password(self, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    @property
    def demo_count(self) -> int:
        return self.demo_cases.value() if self.demo.isChecked() else 0

    def _create(self) -> None:
        for field in (*self.fields.values(), self.confirm):
            field.setProperty("invalid", False)
            field.style().polish(field)
        if self.password.text() != self.confirm.text():
            self._mark([self.confirm], _("两次输入的密码不一致"))
            return
        if self.busy:
            return
        username, name, password = (
            self.username.text(),
            self.display_name.text(),
            self.password.text(),
        )
        self._set_busy(True)  # the account is written (and its password hashed) off the GUI thread
        run_task(
            self,
            lambda: auth.SignedInUser.of(auth.create_first_admin(username, name, password)),
            on_done=self._created,
            on_error=self._refused,
        )

    def _created(self, admin: auth.SignedInUser) -> None:
        self._set_busy(False)
        self.admin = admin
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationError):
            marked = [self.fields[p.field] for p in exc.problems if p.field in self.fields]
            self._mark(marked, "\n".join(p.text for p in exc.problems))
        else:
            self._mark([], error_text(exc))
        self.refused.emit()

    def _set_busy(self, busy: bool) -> None:
        """While the core works, the form waits with what was typed."""
        self.busy = busy
        for widget in (*self.fields.values(), self.confirm, self.demo, self.buttons):
            widget.setEnabled(not busy)
        self.demo_cases.setEnabled(not busy and self.demo.isChecked())

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def _mark(self, fields: list[QLineEdit], message: str) -> None:
        for field in fields:
            field.setProperty("invalid", True)
            field.style().polish(field)
        if fields:
            fields[0].setFocus()
        self.error.setText(message)
