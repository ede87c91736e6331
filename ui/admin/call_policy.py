"""Administration: incoming calls over HTTP for softphones that can only open a URL (off by
default): the port every workstation listens on at 127.0.0.1 and the shared token.

Shown on the deadline-policy page beside the other centre-wide settings; read and saved off
the GUI thread. The local socket needs no setting: it is always on, for the signed-in user.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hotline import call_listener_policy
from hotline.call_listener_policy import CallListenerPolicy
from hotline.i18n import _
from ui.common.dialog_parts import error_label, hint_label, left_row, refusal_text
from ui.common.events import app_events
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.tasks import run_task


class CallListenerBox(QGroupBox):
    loaded = Signal()
    saved = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(_("来电弹屏的 HTTP 接口"), parent)
        self.setObjectName("callListenerPolicy")
        self.session = session
        self.enabled = QCheckBox(_("开启（各工作站在 127.0.0.1 上接收软电话的来电请求）"), self)
        self.port = QSpinBox(self)
        self.port.setRange(1024, 65535)
        self.port.setValue(call_listener_policy.DEFAULT_PORT)
        self.token = QLineEdit(self)
        self.token.setObjectName("callToken")
        self.token.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.new_token = QPushButton(_("生成新令牌"), self)
        self.new_token.clicked.connect(lambda: self.token.setText(call_listener_policy.new_token()))
        self.status = QLabel(self)
        self.status.setObjectName("hint")
        self.error = error_label(self)
        self.save_button = QPushButton(_("保存来电接口设置"), self)
        self.save_button.clicked.connect(self.save)
        note = hint_label(
            _(
                "软电话打开 http://127.0.0.1:端口/call?from=号码&token=令牌 即可弹屏；"
                "只接受本机发来、令牌正确的请求。不开启时，电话系统通过 main.py call 或本地套接字"
                "送来来电（见 README）。"
            ),
            self,
        )
        form = QFormLayout()
        form.addRow("", self.enabled)
        form.addRow(_("端口"), self.port)
        form.addRow(_("令牌"), self.token)
        form.addRow("", self.new_token)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addLayout(left_row(self.save_button, self.status))
        for signal in (self.enabled.toggled, self.port.valueChanged, self.token.textEdited):
            signal.connect(self.status.clear)
        self.setEnabled(False)
        self.reload()

    def reload(self) -> None:
        run_task(self, call_listener_policy.load, self._show, self._failed)

    def _show(self, policy: CallListenerPolicy) -> None:
        self.enabled.setChecked(policy.enabled)
        self.port.setValue(policy.port)
        self.token.setText(policy.token)
        self.status.clear()
        self.setEnabled(True)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))
        self.setEnabled(True)
        self.loaded.emit()

    def policy(self) -> CallListenerPolicy:
        return CallListenerPolicy(
            self.enabled.isChecked(), self.port.value(), self.token.text().strip()
        )

    def save(self) -> None:
        actor, policy = self.session.actor, self.policy()
        self.error.clear()
        self.save_button.setEnabled(False)
        run_task(
            self,
            lambda: call_listener_policy.save(actor, policy),
            self._saved,
            self._save_failed,
        )

    def _saved(self, _policy: object) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(_("已保存"))
        self.saved.emit()
        app_events().settings_changed.emit()

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(refusal_text(exc))
