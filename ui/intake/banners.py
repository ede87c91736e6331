"""The strips at the top of the intake window: the case just saved (its number, large, to read
out to the caller), a draft left behind to restore, and what needs fixing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from hotline import drafts
from hotline.cases import RegisteredCase
from hotline.i18n import _, format_datetime
from ui.common import shortcuts
from ui.intake.draft import describe, open_draft_ids

STYLES = {
    "problemBanner": "background: #fdecea; border: 1px solid #e5a29b; color: #7a1c14;",
    "savedBanner": "background: #e8f5e9; border: 1px solid #9ccc9f; color: #1b4d1f;",
    "restoreBanner": "background: #e8f0fe; border: 1px solid #9fb7e8; color: #173a7a;",
    "callBanner": "background: #fff4e5; border: 1px solid #e0a040; color: #5a3a00;",
}


class Banner(QFrame):
    def __init__(self, name: str) -> None:
        super().__init__(objectName=name)
        self.setStyleSheet(f"QFrame#{name} {{ {STYLES[name]} border-radius: 4px; }}")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(12, 8, 12, 8)
        self.text = QLabel(wordWrap=True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.row.addWidget(self.text, 1)
        self.hide()

    def show_text(self, text: str) -> None:
        self.text.setText(text)
        self.show()


class SavedBanner(Banner):
    open_case = Signal(int)

    def __init__(self) -> None:
        super().__init__("savedBanner")
        self.case_id: int | None = None
        column = QVBoxLayout()
        self.heading = QLabel(_("已登记，案件编号"))
        self.number = QLabel(objectName="savedCaseNo")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.number.setFont(font)
        column.addWidget(self.heading)
        column.addWidget(self.number)
        self.row.insertLayout(0, column)
        self.row.insertSpacing(1, 24)
        self.open_button = QPushButton(_("打开该案件"))
        self.open_button.clicked.connect(self._open)
        self.row.addWidget(self.open_button)

    def show_case(self, case: RegisteredCase) -> None:
        self.case_id = case.id
        self.number.setText(case.case_no)
        notes = [_("表单已清空，可以登记下一件。")]
        if case.repeat:
            notes.insert(0, _("已标记为重复诉求，并关联到原案件。"))
        self.show_text("\n".join(notes))

    def _open(self) -> None:
        if self.case_id is not None:
            self.open_case.emit(self.case_id)


class CallBanner(Banner):
    """A call came in while a form was being filled: the form is left as it is, and a new
    form for the call is one key away."""

    new_form = Signal(object)  # the IncomingCall

    def __init__(self) -> None:
        super().__init__("callBanner")
        self.call: object | None = None
        self.button = QPushButton(
            _("在新表单中登记此来电（{key}）").format(key=shortcuts.shown("call_new_form"))
        )
        self.button.clicked.connect(self.take)
        self.row.addWidget(self.button)

    def show_call(self, call: object, title: str) -> None:
        self.call = call
        self.show_text(_("新来电：{call}。正在填写的表单未做任何改动。").format(call=title))

    def take(self) -> None:
        if self.call is not None and not self.isHidden():
            call, self.call = self.call, None
            self.hide()
            self.new_form.emit(call)


class RestoreBanner(Banner):
    restore = Signal(str)

    def __init__(self, user: str) -> None:
        super().__init__("restoreBanner")
        self.user = user
        self.draft_id: str | None = None
        self.restore_button = QPushButton(_("恢复草稿"))
        self.discard_button = QPushButton(_("丢弃草稿"))
        self.restore_button.clicked.connect(self._restore)
        self.discard_button.clicked.connect(self._discard)
        self.row.addWidget(self.restore_button)
        self.row.addWidget(self.discard_button)

    def refresh(self, exclude: set[str] | None = None) -> None:
        """Offer the newest draft no open window is writing, if there is one."""
        pending = drafts.pending(self.user, exclude=open_draft_ids() | (exclude or set()))
        if not pending:
            self.draft_id = None
            self.hide()
            return
        draft = pending[0]
        self.draft_id = draft.draft_id
        summary = describe(draft)
        text = _("发现 {time} 未保存的登记草稿：{summary}").format(
            time=format_datetime(draft.saved_at), summary=summary
        )
        if len(pending) > 1:
            text += _("（另有 {count} 份草稿）").format(count=len(pending) - 1)
        self.show_text(text)

    def _restore(self) -> None:
        if self.draft_id is not None:
            self.restore.emit(self.draft_id)

    def _discard(self) -> None:
        if self.draft_id is not None:
            drafts.discard(self.user, self.draft_id)
        self.refresh()
