"""The question asked when a credit code on file is typed with another enterprise name.

Neither name is taken silently: the operator keeps the registered name (the case goes to the
enterprise as it is on file) or corrects the enterprise's name to the one typed (the old name
is kept as a former name, 曾用名), or goes back to the form.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from hotline.enterprises import CORRECT_NAME, KEEP_REGISTERED, EnterpriseNameMismatch
from hotline.i18n import _


class NameQuestion(QMessageBox):
    answered = Signal(str)  # KEEP_REGISTERED or CORRECT_NAME; nothing when cancelled

    def __init__(self, mismatch: EnterpriseNameMismatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enterpriseNameQuestion")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(_("企业名称与登记的不同"))
        self.setText(
            _(
                "统一社会信用代码 {uscc} 已登记为：\n“{registered}”\n\n本次填写的名称是：\n“{typed}”\n\n哪一个是正确的？"
            ).format(uscc=mismatch.uscc, registered=mismatch.registered, typed=mismatch.typed)
        )
        self.setInformativeText(_("更正名称后，原名称记为该企业的曾用名，按原名称仍能查到该企业。"))
        self.keep_button: QPushButton = self.addButton(
            _("沿用登记名称"), QMessageBox.ButtonRole.AcceptRole
        )
        self.keep_button.setObjectName("keepRegisteredName")
        self.rename_button: QPushButton = self.addButton(
            _("更正为填写的名称"), QMessageBox.ButtonRole.AcceptRole
        )
        self.rename_button.setObjectName("correctEnterpriseName")
        self.cancel_button: QPushButton = self.addButton(
            _("返回修改"), QMessageBox.ButtonRole.RejectRole
        )
        self.setDefaultButton(self.cancel_button)  # Enter typed by habit decides nothing
        self.setEscapeButton(self.cancel_button)
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: object) -> None:
        if button is self.keep_button:
            self.answered.emit(KEEP_REGISTERED)
        elif button is self.rename_button:
            self.answered.emit(CORRECT_NAME)
