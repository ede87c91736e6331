"""The system tray icon that carries notifications (reminders), where the desktop has a tray.

Showing a message never raises a window nor takes the keyboard focus: the operator typing an
intake form keeps typing. Where no tray exists (some desktops, the offscreen tests) nothing is
shown and nothing complains.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from hotline.i18n import _

log = logging.getLogger(__name__)

MESSAGE_MS = 8000


class TrayNotifier(QObject):
    """One tray icon for the main window; ``clicked`` when the user clicks a message."""

    clicked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon: QSystemTrayIcon | None = None

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()

    def _tray(self) -> QSystemTrayIcon | None:
        if self.icon is None and self.available():
            app = QApplication.instance()
            icon = app.windowIcon() if isinstance(app, QApplication) else QIcon()
            if icon.isNull() and isinstance(app, QApplication):
                icon = app.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.icon = QSystemTrayIcon(icon, self)
            self.icon.setToolTip(_("营商环境投诉热线工作台"))
            self.icon.messageClicked.connect(self.clicked)
            self.icon.show()
        return self.icon

    def show_message(self, title: str, text: str) -> bool:
        """Show ``text`` beside the tray; False (silently) where there is no tray."""
        tray = self._tray()
        if tray is None:
            log.debug("no system tray: reminder not shown: %s", title)
            return False
        tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)
        return True

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
