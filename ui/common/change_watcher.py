"""Noticing what other workstations changed: a poll of the change counter every few seconds.

The poll (:func:`hotline.changes.changes_since`) runs on the thread pool; ``changed`` carries
what changed since the last poll, including this workstation's own writes.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from hotline import changes, db
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

POLL_MS = 3000


def _poll(token: int | None) -> changes.Changes:
    db.check_not_replaced()  # a restore put another file in place: stop, say so
    return changes.changes_since(token)


class ChangeWatcher(QObject):
    changed = Signal(object)  # a hotline.changes.Changes with .any true
    unavailable = Signal(object)  # the database could not be asked (an exception)

    def __init__(self, parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.token: int | None = None
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()  # the first poll only takes the current token
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def poll(self) -> None:
        if self._busy:
            return
        self._busy = True
        token = self.token
        run_task(self, lambda: _poll(token), self._done, self._failed)

    def _done(self, result: changes.Changes) -> None:
        self._busy = False
        self.token = result.token
        if result.any:
            self.changed.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        log.warning("could not poll for changes: %s", exc)
        self.unavailable.emit(exc)
