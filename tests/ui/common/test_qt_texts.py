"""In Chinese, Qt's standard dialogs and buttons are Chinese, with no English left over."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)

from ui.common.qt_texts import install_qt_translations

ENGLISH = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def chinese_qt(qapp):
    installed = install_qt_translations(qapp, "zh_CN")
    yield installed
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale.c())


def _english_texts(dialog: QWidget) -> list[str]:
    found = []
    for widget in dialog.findChildren(QWidget):
        texts = [widget.toolTip()]
        if isinstance(widget, (QAbstractButton, QLabel)):
            texts.append(widget.text())
        if isinstance(widget, QComboBox) and not widget.isEditable():
            texts += [widget.itemText(i) for i in range(widget.count())]
        # Paths and file names (the print dialog's output file) are not words to translate.
        found += [
            t for t in texts if ENGLISH.search(t.replace("PDF", "")) and not re.search(r"[/\\.]", t)
        ]
    return found


def test_the_file_dialog_is_all_chinese(qtbot, chinese_qt):
    assert len(chinese_qt) == 2  # Qt's own catalogue and the supplement
    dialog = QFileDialog(None, "导出")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    assert _english_texts(dialog) == []
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    # Texts the supplement does not know are left to Qt's catalogue, not blanked out.
    assert QKeySequence("Ctrl+F").toString(QKeySequence.SequenceFormat.NativeText) == "Ctrl+F"
    assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels


def test_message_box_buttons_and_print_dialog_are_chinese(qtbot, chinese_qt):
    box = QMessageBox()
    qtbot.addWidget(box)
    buttons = QMessageBox.StandardButton
    for button in (
        buttons.Ok,
        buttons.Cancel,
        buttons.Yes,
        buttons.No,
        buttons.Save,
        buttons.Discard,
        buttons.Close,
        buttons.Open,
        buttons.Retry,
        buttons.Ignore,
    ):
        box.addButton(button)
    assert [b.text() for b in box.buttons() if ENGLISH.search(b.text())] == []
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    assert _english_texts(dialog) == []
