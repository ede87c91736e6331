"""Administration: the centre's idle-lock policy (longest idle time, whether it may be off).

Shown on the deadline-policy page; read and saved off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hotline import lock_policy
from hotline.i18n import _
from hotline.lock_policy import IdleLockPolicy
from ui.common.dialog_parts import error_label, hint_label, left_row, refusal_text
from ui.common.events import app_events
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.tasks import run_task


class IdleLockPolicyBox(QGroupBox):
    loaded = Signal()
    saved = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(_("工作站自动锁定"), parent)
        self.setObjectName("idleLockPolicy")
        self.session = session
        self.max_minutes = QSpinBox(self)
        self.max_minutes.setObjectName("maxMinutes")
        self.max_minutes.setRange(1, lock_policy.LONGEST)
        self.max_minutes.setSuffix(_(" 分钟"))
        self.allow_off = QCheckBox(_("允许用户关闭自动锁定"), self)
        self.allow_off.setObjectName("allowOff")
        self.status = QLabel(self)
        self.status.setObjectName("hint")
        self.error = error_label(self)
        self.save_button = QPushButton(_("保存锁定策略"), self)
        self.save_button.clicked.connect(self.save)
        note = hint_label(
            _(
                "各工作站在“设置”中选择的锁定时间不能超过此上限；不允许关闭时，"
                "选择“从不锁定”的工作站按上限锁定。"
            ),
            self,
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(_("无操作锁定时间上限"), self.max_minutes)
        form.addRow("", self.allow_off)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addLayout(left_row(self.save_button, self.status))
        self.max_minutes.valueChanged.connect(self.status.clear)
        self.allow_off.toggled.connect(self.status.clear)
        self.setEnabled(False)
        self.reload()

    def reload(self) -> None:
        run_task(self, lock_policy.load, self._show, self._failed)

    def _show(self, policy: IdleLockPolicy) -> None:
        self.max_minutes.setValue(policy.max_minutes)
        self.allow_off.setChecked(policy.allow_off)
        self.status.clear()
        self.setEnabled(True)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))
        self.setEnabled(True)
        self.loaded.emit()

    def policy(self) -> IdleLockPolicy:
        return IdleLockPolicy(self.max_minutes.value(), self.allow_off.isChecked())

    def save(self) -> None:
        actor, policy = self.session.actor, self.policy()
        self.error.clear()
        self.save_button.setEnabled(False)
        run_task(self, lambda: lock_policy.save(actor, policy), self._saved, self._save_failed)

    def _saved(self, _policy: object) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(_("已保存"))
        self.saved.emit()
        app_events().settings_changed.emit()

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(refusal_text(exc))
