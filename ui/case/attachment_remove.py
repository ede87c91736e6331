"""Removing an attachment (shift leads and above): the file named, a reason required. The
content goes; the list keeps a tombstone with the hash, who removed it, when and why."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hotline.attachments import service
from hotline.attachments.records import AttachmentInfo, file_size
from hotline.i18n import _
from hotline.permissions import Actor
from ui.common.messages import error_text
from ui.common.tasks import run_task


class RemoveAttachmentDialog(QDialog):
    removed = Signal(object)  # AttachmentInfo, the tombstone

    def __init__(self, actor: Actor, item: AttachmentInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("removeAttachmentDialog")
        self.setWindowTitle(_("删除此附件"))
        self.actor = actor
        self.item = item
        what = QLabel(
            _("删除附件 {name}（{size}，SHA-256 {hash}）？").format(
                name=item.name, size=file_size(item.size), hash=item.short_hash
            ),
            wordWrap=True,
        )
        note = QLabel(
            _(
                "文件内容将从数据库中删除，附件列表保留删除记录（文件名、SHA-256、删除人、时间和理由）。"
            ),
            objectName="hint",
            wordWrap=True,
        )
        self.reason = QPlainTextEdit(objectName="removeReason")
        self.reason.setPlaceholderText(_("删除理由（必填）"))
        self.reason.setFixedHeight(80)
        self.error = QLabel(objectName="errorLabel", wordWrap=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("删除"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (what, note, self.reason, self.error, self.buttons):
            layout.addWidget(widget)
        self.resize(460, 260)

    def submit(self) -> None:
        """Remove off the GUI thread; a refusal is shown here and the reason kept."""
        self.error.clear()
        self.buttons.setEnabled(False)
        actor, attachment_id, reason = self.actor, self.item.id, self.reason.toPlainText()
        run_task(
            self,
            lambda: service.remove(actor, attachment_id, reason),
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, tombstone: AttachmentInfo) -> None:
        self.removed.emit(tombstone)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(error_text(exc))
