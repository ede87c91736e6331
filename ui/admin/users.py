"""Administration: users and roles (create, reset password, deactivate)."""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from hotline import auth
from hotline.enums import Role
from hotline.i18n import N_, _, format_datetime
from ui.admin.department_choice import department_combo
from ui.admin.forms import (
    FormDialog,
    RecordsLoader,
    confirm,
    page_layout,
    record_table,
    run_change,
    selected_record,
)
from ui.admin.table_model import RecordTableModel
from ui.common.events import app_events
from ui.common.session import Session

COLUMNS = [
    (N_("用户名"), lambda u: u.username),
    (N_("姓名"), lambda u: u.display_name),
    (N_("角色"), lambda u: Role(u.role).label),
    (N_("所属承办单位"), lambda u: u.department),
    (N_("状态"), lambda u: _status(u)),
    (N_("上次登录"), lambda u: format_datetime(u.last_login_at)),
]


def _status(user: auth.UserAccount) -> str:
    if not user.active:
        return _("已停用")
    if user.must_change_password:
        return _("待修改密码")
    return _("正常")


def temporary_password() -> str:
    """A password that meets the rules, for the administrator to pass on once."""
    letters = "".join(secrets.choice(string.ascii_letters) for _i in range(6))
    digits = "".join(secrets.choice(string.digits) for _i in range(4))
    return f"{letters}{digits}"


class _PasswordField(QWidget):
    """A visible temporary password with a button that makes a new one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(temporary_password(), self)
        again = QPushButton(_("重新生成"), self)
        again.clicked.connect(lambda: self.edit.setText(temporary_password()))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(again)

    def text(self) -> str:
        return self.edit.text()


class NewUserDialog(FormDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(_("新建用户"), parent)
        self.session = session
        self.username = self.add_field("username", _("用户名"), QLineEdit(self))
        self.display_name = self.add_field("display_name", _("姓名"), QLineEdit(self))
        self.role = QComboBox(self)
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.add_field("role", _("角色"), self.role)
        self.department = self.add_field("department", _("所属承办单位"), department_combo(self))
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.password = self.add_field("password", _("初始密码"), _PasswordField(self))
        self.created: int | None = None  # the new account's id

    def _role_changed(self, *_args: object) -> None:
        self.department.setEnabled(self.role.currentData() == Role.DEPARTMENT.value)

    def submit(self) -> Callable[[], object]:
        actor = self.session.actor
        username, name = self.username.text(), self.display_name.text()
        role, password = str(self.role.currentData()), self.password.text()
        department_id = self.department.currentData() if role == Role.DEPARTMENT.value else None
        return lambda: (
            auth.create_user(
                actor, username, name, role, password, must_change=True, department_id=department_id
            ).id
        )

    def saved(self, result: object) -> None:
        if isinstance(result, int):
            self.created = result


class DepartmentDialog(FormDialog):
    """The department a user of role 部门 works for."""

    def __init__(
        self, session: Session, user: auth.UserAccount, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("{name} 的所属承办单位").format(name=user.display_name), parent)
        self.session = session
        self.user = user
        self.department = self.add_field(
            "department", _("所属承办单位"), department_combo(self, user.department_id)
        )

    def submit(self) -> Callable[[], object]:
        actor, user_id = self.session.actor, self.user.id
        department_id = self.department.currentData()
        return lambda: auth.set_department(actor, user_id, department_id)


class ResetPasswordDialog(FormDialog):
    def __init__(
        self, session: Session, user: auth.UserAccount, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("重置 {name} 的密码").format(name=user.display_name), parent)
        self.session = session
        self.user = user
        self.password = self.add_field("password", _("临时密码"), _PasswordField(self))

    def submit(self) -> Callable[[], object]:
        actor, user_id, password = self.session.actor, self.user.id, self.password.text()
        return lambda: auth.reset_password(actor, user_id, password)


class UsersPage(QWidget):
    loaded = Signal()  # the accounts were read again and are shown

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.loader = RecordsLoader(self)
        self.model = RecordTableModel(COLUMNS, muted=lambda u: not u.active, parent=self)
        self.table = record_table(self, self.model, "usersTable")
        self.new_button = QPushButton(_("新建用户…"), self)
        self.reset_button = QPushButton(_("重置密码…"), self)
        self.active_button = QPushButton(_("停用"), self)
        self.role_button = QPushButton(_("更改角色…"), self)
        self.role_button.setObjectName("changeRole")
        self.department_button = QPushButton(_("所属单位…"), self)
        self.department_button.setObjectName("setDepartment")
        self.department_button.setToolTip(_("“部门”角色的用户只能看到所属承办单位的案件"))
        self.department_button.clicked.connect(self.set_department)
        self.role_button.clicked.connect(self.change_role)
        self.new_button.clicked.connect(self.new_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        page_layout(
            self,
            self.table,
            [
                self.new_button,
                self.reset_button,
                self.role_button,
                self.department_button,
                self.active_button,
            ],
            _("新用户和重置密码后的用户首次登录时必须修改密码。账号不会删除，只能停用。"),
        )
        self.table.selectionModel().currentChanged.connect(self._update_buttons)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        """Read the accounts again (off the GUI thread), then select ``select_id``'s."""
        self.loader.load(auth.list_users, lambda users: self._show(users, select_id))

    def _show(self, users: Sequence[auth.UserAccount], select_id: int | None) -> None:
        self.model.set_records(users)
        row = next((i for i, u in enumerate(self.model.records) if u.id == select_id), 0)
        if self.model.records:
            self.table.selectRow(row)
        self._update_buttons()
        self.loaded.emit()

    def _update_buttons(self, *_args: object) -> None:
        user = selected_record(self.table)
        self.reset_button.setEnabled(user is not None)
        self.role_button.setEnabled(user is not None)
        self.department_button.setEnabled(user is not None and user.role == Role.DEPARTMENT.value)
        self.active_button.setEnabled(user is not None and user.id != self.session.user.id)
        active = user is None or user.active
        self.active_button.setText(_("停用") if active else _("启用"))

    def new_user(self) -> None:
        dialog = NewUserDialog(self.session, self)
        if dialog.exec() and dialog.created is not None:
            self.reload(dialog.created)
            app_events().settings_changed.emit()

    def reset_password(self) -> None:
        user = selected_record(self.table)
        if (
            isinstance(user, auth.UserAccount)
            and ResetPasswordDialog(self.session, user, self).exec()
        ):
            self.reload(user.id)

    def toggle_active(self) -> None:
        user = selected_record(self.table)
        if not isinstance(user, auth.UserAccount):
            return
        if user.active and not confirm(
            self, _("停用 {name} 的账号？停用后该用户不能再登录。").format(name=user.display_name)
        ):
            return
        actor = self.session.actor
        run_change(
            self,
            lambda: auth.set_active(actor, user.id, not user.active),
            on_done=lambda: self._changed(user.id),
        )

    def _changed(self, user_id: int) -> None:
        self.reload(user_id)
        app_events().settings_changed.emit()

    def set_department(self) -> None:
        user = selected_record(self.table)
        if isinstance(user, auth.UserAccount) and DepartmentDialog(self.session, user, self).exec():
            self.reload(user.id)
            app_events().settings_changed.emit()

    def change_role(self) -> None:
        """Give the selected user another role (the dialog saves it off the GUI thread)."""
        from ui.admin.roles import ChangeRoleDialog

        user = selected_record(self.table)
        if not isinstance(user, auth.UserAccount):
            return
        previous: QWidget | None = getattr(self, "role_dialog", None)
        if previous is not None:
            previous.deleteLater()  # closed: its task has delivered
        dialog = ChangeRoleDialog(self.session, user, self)
        self.role_dialog = dialog
        dialog.changed.connect(lambda account: self.reload(account.id))
        dialog.changed.connect(lambda _account: app_events().settings_changed.emit())
        dialog.open()
