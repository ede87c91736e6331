"""Parts that forms and dialogs share: the red error line, a grey hint, a row of buttons, the
OK/Cancel row, and the text a refused change shows in the error line."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from hotline.errors import ValidationError
from hotline.i18n import _
from ui.common.messages import error_text


def error_label(parent: QWidget) -> QLabel:
    """An empty, word-wrapped label styled as an error (``errorLabel``)."""
    label = QLabel(parent)
    label.setObjectName("errorLabel")
    label.setWordWrap(True)
    return label


def hint_label(text: str, parent: QWidget) -> QLabel:
    """A word-wrapped explanation styled as a hint (``hint``)."""
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def left_row(*widgets: QWidget) -> QHBoxLayout:
    """``widgets`` side by side from the left, the rest of the row empty."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def ok_cancel_buttons(
    dialog: QDialog, ok_text: str, on_ok: Callable[[], None]
) -> tuple[QDialogButtonBox, QPushButton]:
    """OK (worded ``ok_text``, calling ``on_ok``) and Cancel (rejecting ``dialog``)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok_button.setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok_button


def refusal_text(exc: BaseException) -> str:
    """What a form's error line says when the core refused its change: each problem of a
    validation error on its own line, otherwise the error in the user's words."""
    if isinstance(exc, ValidationError):
        return "\n".join(p.text for p in exc.problems)
    return error_text(exc)
