"""Administration: how big attachments may be (each file, each case), on the policy page.

Read and saved off the GUI thread through :mod:`hotline.attachments.limits` (administrators;
audited). Later additions are held to the new limits; documents already stored stay."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from hotline.attachments import limits
from hotline.i18n import _
from ui.common.dialog_parts import left_row, refusal_text
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.tasks import run_task


class AttachmentLimitsBox(QGroupBox):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(_("附件大小上限"), parent)
        self.setObjectName("attachmentLimits")
        self.session = session
        self.saved = QLabel(objectName="hint")
        self.file_mb = self._spin("file_mb", *limits.FILE_MB_RANGE)
        self.case_mb = self._spin("case_mb", *limits.CASE_MB_RANGE)
        self.error = QLabel(objectName="errorLabel", wordWrap=True)
        self.save_button = QPushButton(_("保存附件上限"), objectName="saveAttachmentLimits")
        self.save_button.clicked.connect(self.save)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(_("单个文件（MB）"), self.file_mb)
        form.addRow(_("每个案件合计（MB）"), self.case_mb)
        note = QLabel(
            _("只影响之后添加的附件；已保存的附件不受影响。导入时不检查上限。"),
            objectName="hint",
            wordWrap=True,
        )
        form.addRow(note)
        form.addRow(self.error)
        form.addRow(left_row(self.save_button, self.saved))
        self.setEnabled(False)
        run_task(self, limits.load, on_done=self.show_limits, on_error=self._failed)

    def _spin(self, name: str, low: int, high: int) -> QSpinBox:
        spin = QSpinBox(objectName=name)
        spin.setRange(low, high)
        spin.setSuffix(" MB")
        spin.setMinimumWidth(110)
        spin.valueChanged.connect(self.saved.clear)
        return spin

    def show_limits(self, value: limits.AttachmentLimits) -> None:
        self.file_mb.setValue(value.file_mb)
        self.case_mb.setValue(value.case_mb)
        self.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))

    def save(self) -> None:
        self.error.clear()
        self.saved.clear()
        wanted = limits.AttachmentLimits(self.file_mb.value(), self.case_mb.value())
        actor = self.session.actor
        self.save_button.setEnabled(False)
        run_task(
            self, lambda: limits.update(actor, wanted), on_done=self._saved, on_error=self._refused
        )

    def _saved(self, _result: object) -> None:
        self.save_button.setEnabled(True)
        self.saved.setText(_("已保存"))

    def _refused(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(refusal_text(exc))
