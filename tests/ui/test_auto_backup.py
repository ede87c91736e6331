"""The running app makes its daily backup off the GUI thread, rotated."""

from __future__ import annotations

import pytest

from ui import auto_backup
from ui.tasks import wait_for_tasks


@pytest.mark.sqlite_only("automatic backups copy the SQLite file")
def test_backup_made_once_a_day_and_rotated(qtbot, database, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QWidget

    folder = tmp_path / "backups"
    monkeypatch.setattr(auto_backup, "backup_folder", lambda: folder)
    owner = QWidget()
    qtbot.addWidget(owner)
    watcher = auto_backup.AutoBackup(owner, keep=2)
    assert watcher.timer.isActive()
    watcher.check()
    qtbot.waitUntil(lambda: folder.exists() and len(list(folder.glob("auto-*.sqlite3"))) == 1)
    watcher.check()  # not due again the same day
    assert wait_for_tasks()
    assert len(list(folder.glob("auto-*.sqlite3"))) == 1
