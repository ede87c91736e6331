"""Flagging an article as wrong or outdated, with a note for the editors."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _
from hotline.knowledge import flags
from hotline.knowledge.flags import FlagReason
from ui.common.dialog_parts import error_label, ok_cancel_buttons
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.tasks import run_task


class FlagDialog(QDialog):
    def __init__(
        self, session: Session, article_id: int, version: int, title: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.article_id = article_id
        self.version = version
        self.flag: flags.Flag | None = None
        self.setWindowTitle(_("标记知识有误或过时"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(_("知识"), QLabel(title, wordWrap=True))
        self.reason = QComboBox()
        for reason in FlagReason:
            self.reason.addItem(reason.label, reason.value)
        form.addRow(_("问题"), self.reason)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(_("哪里有误或已过时（编辑会看到这段说明）"))
        self.note.setTabChangesFocus(True)
        form.addRow(_("说明"), self.note)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        buttons, self.ok_button = ok_cancel_buttons(self, _("提交标记"), self.submit)
        layout.addWidget(buttons)
        self.note.setFocus()

    def submit(self) -> None:
        actor = self.session.actor
        reason = FlagReason(self.reason.currentData())
        note = self.note.toPlainText()
        self.ok_button.setEnabled(False)

        def done(flag: flags.Flag) -> None:
            self.flag = flag
            self.accept()

        def failed(exc: BaseException) -> None:
            self.ok_button.setEnabled(True)
            self.error.setText(error_text(exc))  # what was typed stays

        run_task(
            self,
            lambda: flags.flag(actor, self.article_id, self.version, reason, note),
            on_done=done,
            on_error=failed,
        )
