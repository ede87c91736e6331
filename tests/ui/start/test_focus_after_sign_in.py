"""After the sign-in the main window takes the keyboard itself: Ctrl+N works at once."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog

from ui import app as ui_app


def test_the_main_window_takes_the_focus_after_the_sign_in(qtbot, session) -> None:
    login = QDialog()  # stands for the sign-in dialog, which had the focus
    qtbot.addWidget(login)
    login.show()
    login.activateWindow()
    qtbot.waitUntil(login.isActiveWindow)
    window = ui_app.show_main_window(session)
    qtbot.addWidget(window)
    login.close()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.waitUntil(window.table.hasFocus, timeout=3000)
    window.idle_lock.set_minutes(0)
