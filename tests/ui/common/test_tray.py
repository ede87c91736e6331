"""The tray notifier: silent where the desktop has no tray, a real message where it has one."""

from __future__ import annotations

from PySide6.QtWidgets import QSystemTrayIcon

from ui.common import tray
from ui.common.tray import TrayNotifier


def test_no_tray_means_no_message_and_no_error(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    notifier = TrayNotifier()
    assert notifier.show_message("新提醒：待回访", "新增待回访 1 件") is False
    assert notifier.icon is None
    notifier.hide()  # nothing to hide: no error either


def test_a_tray_shows_the_message_without_a_window(qtbot, monkeypatch) -> None:
    shown: list[tuple[str, str, int]] = []
    monkeypatch.setattr(tray.TrayNotifier, "available", staticmethod(lambda: True))
    monkeypatch.setattr(
        QSystemTrayIcon,
        "showMessage",
        lambda self, title, text, icon, ms: shown.append((title, text, ms)),
    )
    notifier = TrayNotifier()
    assert notifier.show_message("新提醒：退回待重派", "新退回待重派 1 件")
    assert shown == [("新提醒：退回待重派", "新退回待重派 1 件", tray.MESSAGE_MS)]
    assert notifier.icon is not None and not notifier.icon.icon().isNull()
    notifier.show_message("新提醒：待回访", "新增待回访 2 件")
    assert len(shown) == 2  # one icon, reused
    notifier.hide()
