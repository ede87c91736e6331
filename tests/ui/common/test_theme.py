"""The theme: a button the user cannot press looks it, the primary (blue) one included."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ui.common.theme import STYLE


def _background(button: QPushButton) -> QColor:
    image = button.grab().toImage()
    return image.pixelColor(6, image.height() // 2)


def _is_grey(color: QColor) -> bool:
    return (
        max(color.red(), color.green(), color.blue())
        - min(color.red(), color.green(), color.blue())
        < 16
    )


def test_disabled_buttons_look_disabled(qtbot):
    box = QWidget()
    box.setStyleSheet(STYLE)
    row = QHBoxLayout(box)
    primary = QPushButton("新建案件", objectName="primaryButton")
    default = QPushButton("保存评估到案件")
    default.setDefault(True)
    plain = QPushButton("取消")
    for button in (primary, default, plain):
        row.addWidget(button)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    enabled_primary = _background(primary)
    assert not _is_grey(enabled_primary)  # blue while it can be pressed
    for button in (primary, default, plain):
        button.setEnabled(False)
    disabled = [_background(b) for b in (primary, default, plain)]
    assert all(_is_grey(color) for color in disabled), [c.name() for c in disabled]
    assert disabled[0] == disabled[1] == disabled[2]
    assert primary.palette().buttonText().color() != QColor("#ffffff")
