"""The first start on an empty database: create the administrator, optionally load demo data."""

from __future__ import annotations

import logging

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
from hotline.errors import HotlineError, ValidationError
from hotline.i18n import _

log = logging.getLogger(__name__)

DEFAULT_DEMO_CASES = 2000


class FirstRunDialog(QDialog):
    """After ``accept``: ``admin`` is the new administrator; ``demo_cases`` > 0 asks for demo data."""

    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin: auth.SignedInUser | None = None
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
        try:
            self.admin = auth.SignedInUser.of(
                auth.create_first_admin(
                    self.username.text(), self.display_name.text(), self.password.text()
                )
            )
        except ValidationError as exc:
            marked = [self.fields[p.field] for p in exc.problems if p.field in self.fields]
            self._mark(marked, "\n".join(p.text for p in exc.problems))
            return
        except HotlineError as exc:
            self._mark([], exc.text)
            return
        self.accept()

    def _mark(self, fields: list[QLineEdit], message: str) -> None:
        for field in fields:
            field.setProperty("invalid", True)
            field.style().polish(field)
        if fields:
            fields[0].setFocus()
        self.error.setText(message)
