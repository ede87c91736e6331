"""Administration: giving a user another role (the change is checked and audited by the core,
off the GUI thread; the last active administrator keeps the role)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from hotline import auth
from hotline.enums import Role
from hotline.i18n import N_, _
from ui.admin.department_choice import department_combo
from ui.common.dialog_parts import error_label, ok_cancel_buttons, refusal_text
from ui.common.session import Session
from ui.common.tasks import run_task

ROLE_HINTS = {
    Role.OPERATOR: N_("坐席：登记、派单、办理、回访案件"),
    Role.SHIFT_LEAD: N_("值班长：坐席的全部工作，另可审批延期、导入导出、管理企业档案"),
    Role.MANAGER: N_("管理人员：查看案件和报表，添加备注，导出"),
    Role.ADMIN: N_("系统管理员：全部权限，包括用户、设置、备份与恢复"),
    Role.DEPARTMENT: N_(
        "部门：只看所属承办单位的案件，签收、退回、申请延期、答复；不能改分类或改派"
    ),
}


class ChangeRoleDialog(QDialog):
    changed = Signal(object)  # the account as it is now (auth.UserAccount)

    def __init__(
        self, session: Session, user: auth.UserAccount, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.user = user
        self.setObjectName("changeRoleDialog")
        self.setWindowTitle(_("更改 {name} 的角色").format(name=user.display_name))
        self.setMinimumWidth(440)
        self.role = QComboBox(self)
        self.role.setObjectName("role")
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.role.setCurrentIndex(max(0, self.role.findData(user.role)))
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.error = error_label(self)
        self.buttons, self.ok_button = ok_cancel_buttons(self, _("更改角色"), self.submit)
        form = QFormLayout()
        form.addRow(_("用户"), QLabel(f"{user.display_name}（{user.username}）", self))
        form.addRow(_("当前角色"), QLabel(Role(user.role).label, self))
        form.addRow(_("新角色"), self.role)
        self.department = department_combo(self, user.department_id)
        self.department_label = QLabel(_("所属承办单位"), self)
        form.addRow(self.department_label, self.department)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(QLabel(_("新角色在该用户下次登录时生效；更改记入审计日志。"), self))
        layout.addWidget(self.buttons)
        self.role.currentIndexChanged.connect(self._update)
        self._update()

    def _update(self, *_args: object) -> None:
        role = Role(str(self.role.currentData()))
        self.hint.setText(_(ROLE_HINTS[role]))
        self.department.setVisible(role is Role.DEPARTMENT)
        self.department_label.setVisible(role is Role.DEPARTMENT)
        self.ok_button.setEnabled(role.value != self.user.role)
        self.error.clear()

    def submit(self) -> None:
        actor, user_id, role = self.session.actor, self.user.id, str(self.role.currentData())
        department = self.department.currentData() if role == Role.DEPARTMENT.value else None
        self.ok_button.setEnabled(False)
        self.error.clear()
        run_task(
            self,
            lambda: auth.change_role(actor, user_id, role, department_id=department),
            self._done,
            self._failed,
        )

    def _done(self, account: auth.UserAccount) -> None:
        self.changed.emit(account)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(refusal_text(exc))
