"""Reply texts in a text field: a code and Tab expands it in place, Ctrl+Space opens the list.

:func:`attach` gives a QPlainTextEdit of one :class:`~hotline.reply_texts.kinds.TextKind` the
texts the person may use there (read off the GUI thread) and the case's placeholder values
(already masked for a confidential caller the reader may not see). An insertion is one undo
step and changes nothing but the code it replaces (or nothing, at the cursor). Tab after a
word that is no code moves on to the next field as before. A text with a placeholder the
program does not know is not inserted; a placeholder the case has no value for is left
empty and said so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QToolTip

from hotline.i18n import _
from hotline.reply_texts import placeholders, service
from hotline.reply_texts.service import TextInfo
from ui.common import shortcuts
from ui.common.tasks import run_task
from ui.reply_texts.picker import ReplyTextPicker

log = logging.getLogger(__name__)


def _is_code_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


class ReplyTextInsertion(QObject):
    """The reply texts of one text field."""

    loaded = Signal()
    inserted = Signal(str)  # the code of the text inserted
    notice = Signal(str)  # what the person was told (a placeholder left empty, a refusal)

    def __init__(
        self,
        editor: QPlainTextEdit,
        kind: str,
        values: Mapping[str, str],
        load: Callable[[], Sequence[TextInfo]],
    ) -> None:
        super().__init__(editor)
        self.setObjectName("replyTextInsertion")
        self.editor = editor
        self.kind = kind
        self.values = dict(values)
        self.texts: list[TextInfo] | None = None  # None until read
        self.picker: ReplyTextPicker | None = None
        self.last_notice = ""
        self._list_keys = [s.toString() for s in shortcuts.sequences("reply_text_list")]
        editor.installEventFilter(self)
        hint = _("简码+{tab} 或 {list} 插入常用语").format(
            tab=shortcuts.shown("reply_text_expand"), list=shortcuts.shown("reply_text_list")
        )
        editor.setToolTip(hint)
        if editor.placeholderText():
            editor.setPlaceholderText(f"{editor.placeholderText()}（{hint}）")
        else:
            editor.setPlaceholderText(hint)
        run_task(self, lambda: list(load()), on_done=self._loaded, on_error=self._failed)

    def _loaded(self, texts: list[TextInfo]) -> None:
        self.texts = service.for_field(texts, self.kind)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        log.warning("reply texts not read: %s", exc)
        self.texts = []
        self.loaded.emit()

    # Keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            pressed = QKeySequence(event.keyCombination()).toString()
            if pressed in self._list_keys:
                self.open_list()
                return True
            if pressed == "Tab" and self.expand_code():
                return True
        return super().eventFilter(watched, event)

    def _word(self) -> tuple[int, int, str]:
        """The run of code characters just before the cursor: (start, end, text)."""
        cursor = self.editor.textCursor()
        end = cursor.position()
        if cursor.hasSelection():
            return end, end, ""
        text = cursor.block().text()
        column = cursor.positionInBlock()
        start = column
        while start > 0 and _is_code_char(text[start - 1]):
            start -= 1
        return cursor.block().position() + start, end, text[start:column]

    def expand_code(self) -> bool:
        """Replace the code before the cursor by its text; False when it is no code."""
        start, end, word = self._word()
        if not word or not self.texts:
            return False
        found = next((t for t in self.texts if t.code == word.lower()), None)
        if found is None:
            return False
        self.insert(found, start, end)
        return True

    def open_list(self) -> None:
        if self.texts is None:
            self._tell(_("常用语正在读取，请稍候再试"))
            return
        start, end, word = self._word()
        if word and not any(t.matches(word) for t in self.texts):
            word = ""  # an ordinary word before the cursor: not a filter
            start = end
        picker = ReplyTextPicker(self.texts, self.values, self.editor, word)
        self.picker = picker

        def chosen(text: TextInfo) -> None:
            # The word typed before Ctrl+Space is replaced while the filter still begins with it.
            replace = bool(word) and picker.filter.text().lower().startswith(word.lower())
            self.insert(text, start if replace else end, end)

        picker.chosen.connect(chosen)
        picker.destroyed.connect(self._picker_gone)
        rect = self.editor.cursorRect()
        picker.open_at(self.editor.viewport().mapToGlobal(rect.bottomLeft()))

    def _picker_gone(self) -> None:
        self.picker = None
        self.editor.setFocus()

    def insert(self, text: TextInfo, start: int, end: int) -> None:
        """Put ``text`` filled from the case between ``start`` and ``end`` (one undo step)."""
        filled = placeholders.fill(text.body, self.values)
        if filled.unknown:
            self._tell(
                _(
                    "常用语 {code} 含未知的占位符 {names}，未插入；请在“工具 → 常用语…”中改正"
                ).format(code=text.code, names="、".join(filled.unknown))
            )
            return
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(filled.text)
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()
        if filled.empty:
            self._tell(
                _("本案件没有 {names} 的内容，已留空，请补全").format(names="、".join(filled.empty))
            )
        self.inserted.emit(text.code)

    def _tell(self, message: str) -> None:
        self.last_notice = message
        rect = self.editor.cursorRect()
        QToolTip.showText(
            self.editor.viewport().mapToGlobal(rect.bottomLeft()), message, self.editor
        )
        self.notice.emit(message)


def attach(
    editor: QPlainTextEdit,
    kind: str,
    values: Mapping[str, str],
    load: Callable[[], Sequence[TextInfo]],
) -> ReplyTextInsertion:
    return ReplyTextInsertion(editor, kind, values, load)
