"""Administration: the deadline policy (working days per type, legal ceiling, extension)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hotline import admin, deadlines
from hotline.enums import Kind
from hotline.errors import ValidationError
from hotline.i18n import N_, _
from ui.admin.attachment_limits import AttachmentLimitsBox
from ui.common.events import app_events
from ui.common.messages import error_text, show_error
from ui.common.session import Session
from ui.common.tasks import run_task

FIELDS = {
    "urgent_workdays": N_("紧急案件（工作日，0 为当天）"),
    "ceiling_days": N_("办理时限上限（自受理日起的自然日）"),
    "extension_days": N_("延期最多（自然日，仅一次）"),
    "return_workdays": N_("退回期限（派单后的工作日）"),
    "due_soon_workdays": N_("临近到期提醒（剩余工作日）"),
}


class PolicyPage(QWidget):
    loaded = Signal()  # the saved policy is shown
    finished = Signal()  # a save ended: saved, or the problems shown

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.spins: dict[str, QSpinBox] = {}
        self.saved = QLabel(self)
        self.saved.setObjectName("hint")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for kind in Kind:
            form.addRow(
                _("{kind}（工作日）").format(kind=kind.label),
                self._spin(f"kind_workdays.{kind.value}"),
            )
        for name, label in FIELDS.items():
            form.addRow(_(label), self._spin(name))
        self.error = QLabel(self)
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        note = QLabel(
            _(
                "法定时限：营商环境投诉自受理之日起 30 日内办结，经批准可延长一次，"
                "最长不超过 30 日（《河南省优化营商环境条例》第七十八条）。"
                "修改只影响之后的派单，已派单案件的期限不变。"
            ),
            self,
        )
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.save_button = QPushButton(_("保存"), self)
        self.save_button.setObjectName("primaryButton")
        self.defaults_button = QPushButton(_("恢复默认值"), self)
        self.save_button.clicked.connect(self.save)
        self.defaults_button.clicked.connect(lambda: self.show_policy(deadlines.DeadlinePolicy()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.defaults_button)
        buttons.addWidget(self.saved)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addLayout(buttons)
        from ui.admin.idle_policy import IdleLockPolicyBox

        self.idle_lock = IdleLockPolicyBox(session, self)
        layout.addWidget(self.idle_lock)
        layout.addWidget(AttachmentLimitsBox(session, self))  # saved on its own
        from ui.admin.call_policy import CallListenerBox

        self.call_listener = CallListenerBox(session, self)  # saved on its own
        layout.addWidget(self.call_listener)
        layout.addStretch(1)
        self.reload()

    def reload(self) -> None:
        """Read the saved policy (off the GUI thread) and show it; the page waits meanwhile."""
        self.setEnabled(False)

        def done(policy: deadlines.DeadlinePolicy) -> None:
            self.setEnabled(True)
            self.show_policy(policy)
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            show_error(self, exc)

        run_task(self, admin.get_policy, on_done=done, on_error=failed)

    def _spin(self, name: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(0, 365)
        spin.setMinimumWidth(90)
        spin.valueChanged.connect(self.saved.clear)
        self.spins[name] = spin
        return spin

    def show_policy(self, policy: deadlines.DeadlinePolicy) -> None:
        for kind, days in policy.kind_workdays.items():
            if f"kind_workdays.{kind}" in self.spins:
                self.spins[f"kind_workdays.{kind}"].setValue(days)
        for name in FIELDS:
            self.spins[name].setValue(getattr(policy, name))

    def policy(self) -> deadlines.DeadlinePolicy:
        kinds = {kind.value: self.spins[f"kind_workdays.{kind.value}"].value() for kind in Kind}
        values = {name: self.spins[name].value() for name in FIELDS}
        return deadlines.DeadlinePolicy(kind_workdays=kinds, **values)

    def save(self) -> None:
        for spin in self.spins.values():
            spin.setProperty("invalid", False)
            spin.style().polish(spin)
        self.error.clear()
        actor, policy = self.session.actor, self.policy()
        self.setEnabled(False)  # the values stay as typed while the core checks and saves them
        run_task(self, lambda: admin.update_policy(actor, policy), self._saved, self._refused)

    def _saved(self, _result: object) -> None:
        self.setEnabled(True)
        self.saved.setText(_("已保存"))
        app_events().settings_changed.emit()
        self.finished.emit()

    def _refused(self, exc: BaseException) -> None:
        self.setEnabled(True)
        if isinstance(exc, ValidationError):
            for problem in exc.problems:
                invalid = self.spins.get(problem.field)
                if invalid is not None:
                    invalid.setProperty("invalid", True)
                    invalid.style().polish(invalid)
            self.error.setText("\n".join(p.text for p in exc.problems))
        else:
            self.error.setText(error_text(exc))
        self.finished.emit()
