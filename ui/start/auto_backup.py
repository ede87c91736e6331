"""Daily automatic backups while the app runs: checked at start and every hour, off the GUI
thread, kept rotated in the data folder (how many: settings, ``backups_kept``)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from hotline import db, paths
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 60 * 60 * 1000


def backup_folder() -> Path:
    return paths.data_dir() / "backups"


def _auto_backup(keep: int) -> Path | None:
    from hotline import backup  # loaded with the first check, not at start-up

    made = backup.auto_backup(backup_folder(), keep=keep)
    if made is not None:
        backup.record_anchor(made)  # its audit anchor beside it, checked by a restore
    backup.prune_anchors(backup_folder())
    return made


class AutoBackup(QObject):
    def __init__(self, parent: QObject, keep: int) -> None:
        super().__init__(parent)
        self.keep = keep
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        if keep > 0 and not db.is_url(db.opened_target() or ""):
            self.timer.start()
            QTimer.singleShot(5000, self.check)  # after the window is up, not during start-up

    def check(self) -> None:
        keep = self.keep
        run_task(self, lambda: _auto_backup(keep), self._done, self._failed)

    def _done(self, made: Path | None) -> None:
        if made is not None:
            log.info("automatic backup made: %s", made)

    def _failed(self, exc: BaseException) -> None:
        log.error("automatic backup failed: %s", exc)
