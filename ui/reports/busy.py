"""The panel a window shows while its report is being made: what, a moving bar, the seconds
so far; or, when it failed, why."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from hotline.i18n import _


class BusyPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self._started = 0.0
        self.label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # no percentage: a moving bar
        self.bar.setMaximumWidth(360)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)

    def start(self, text: str) -> None:
        self.text = text
        self.label.setText(text)
        self.bar.setVisible(True)
        self._started = time.monotonic()
        self._ticker.start()

    def stop(self) -> None:
        self._ticker.stop()

    def fail(self, message: str) -> None:
        self._ticker.stop()
        self.bar.setVisible(False)
        self.label.setText(message)

    def _tick(self) -> None:
        seconds = int(time.monotonic() - self._started)
        if seconds >= 1:
            self.label.setText(
                _("{text}（已用 {seconds} 秒）").format(text=self.text, seconds=seconds)
            )
