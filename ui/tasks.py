"""Running database work off the GUI thread and getting the result back on it.

    run_task(self, lambda: case_queries.fetch_page(flt), on_done=self._show, on_error=self._fail)

The function runs on the global QThreadPool; ``on_done``/``on_error`` run on the GUI thread
(queued signal). Widgets must only be touched from those callbacks, never from the function.
Pending callbacks are dropped if ``owner`` was destroyed meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

_live: set[_Relay] = set()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to the GUI thread, shown there
            log.debug("background task failed", exc_info=True)
            self._deliver(self.relay.failed, exc)
        else:
            self._deliver(self.relay.done, result)

    @staticmethod
    def _deliver(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the program is closing: nobody is left to take the result
            log.debug("background result dropped: its receiver is gone")


def run_task(
    owner: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    relay = _Relay()
    relay.moveToThread(owner.thread())
    _live.add(relay)

    def finish() -> None:
        _live.discard(relay)
        relay.deleteLater()

    def done(result: Any) -> None:
        try:
            if on_done is not None and _alive(owner):
                on_done(result)
        finally:
            finish()

    def failed(exc: BaseException) -> None:
        try:
            if _alive(owner):
                if on_error is not None:
                    on_error(exc)
                else:
                    log.error("background task failed: %s", exc, exc_info=exc)
        finally:
            finish()

    relay.done.connect(done)
    relay.failed.connect(failed)
    QThreadPool.globalInstance().start(_Task(fn, relay))


def _alive(obj: QObject) -> bool:
    try:
        obj.objectName()
    except RuntimeError:  # the C++ object is gone
        return False
    return True


def wait_for_tasks(timeout_ms: int = 5000) -> bool:
    """Block until the pool is idle (tests and shutdown)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
