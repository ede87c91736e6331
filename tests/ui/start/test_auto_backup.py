"""The running app makes its daily backup off the GUI thread, rotated."""

from __future__ import annotations

import pytest

from ui.common.tasks import wait_for_tasks
from ui.start import auto_backup


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


@pytest.mark.sqlite_only("automatic backups copy the SQLite file")
def test_each_automatic_backup_has_its_audit_anchor(database, tmp_path, monkeypatch) -> None:
    import datetime as dt
    import json

    from hotline import audit, clock

    folder = tmp_path / "backups"
    monkeypatch.setattr(auto_backup, "backup_folder", lambda: folder)
    for day in range(3):
        with clock.frozen(dt.datetime(2026, 11, 1 + day, 8, 0)):
            assert auto_backup._auto_backup(keep=2) is not None
    backups = sorted(folder.glob("auto-*.sqlite3"))
    anchors = sorted(folder.glob("auto-*.sqlite3.audit.json"))
    assert [a.name for a in anchors] == [f"{b.name}.audit.json" for b in backups]
    entry, digest = audit.head()
    recorded = json.loads(anchors[-1].read_text(encoding="utf-8"))
    assert (recorded["audit_last_entry"], recorded["audit_last_hash"]) == (entry, digest)
