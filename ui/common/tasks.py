"""Running database work off the GUI thread and getting the result back on it.

    run_task(self, lambda: case_queries.fetch_page(flt), on_done=self._show, on_error=self._fail)

The function runs on one of a few long-lived worker threads; ``on_done``/``on_error`` run on
the GUI thread (queued signal). Widgets must only be touched from those callbacks, never from
the function. Pending callbacks are dropped if ``owner`` was destroyed meanwhile.

Why Python threads and not Qt's thread pool: a Qt worker thread gets a fresh Python thread
state for every task, so per-thread data did not outlive a task. peewee keeps one connection
per thread, so every task opened a new database connection (a new server session on
PostgreSQL) and dropped the old one to the garbage collector (on SQLite with its page cache:
peak memory while scrolling a million cases rose to 330 MB; it is 180 MB now). These threads
keep their connection from task to task.

The function (whose closure may hold Qt objects) is released on the GUI thread: a worker drops
its own references before it hands the result over, so that the last reference to, say, a
closed dialog is never dropped on a worker, which would destroy the dialog there.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from hotline.db import bound

log = logging.getLogger(__name__)

WORKERS = max(2, min(4, os.cpu_count() or 2))

_live: dict[_Relay, Callable[[], Any]] = {}  # GUI thread only: the functions of pending tasks


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Pool:
    """A few daemon threads, started on first use, that run jobs in order of arrival."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], _Relay]] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._pending = 0
        self._idle = threading.Condition()

    def start(self, fn: Callable[[], Any], relay: _Relay) -> None:
        with self._idle:
            self._pending += 1
        if len(self._threads) < self.size:
            thread = threading.Thread(
                target=self._work, name=f"hotline-worker-{len(self._threads) + 1}", daemon=True
            )
            self._threads.append(thread)
            thread.start()
        self._jobs.put((fn, relay))

    def wait(self, timeout_s: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout_s)

    def _work(self) -> None:
        database = None  # the database this thread's connection belongs to
        while True:
            job = self._jobs.get()
            fn, relay = job
            del job
            current = bound()
            if database is not None and database is not current:
                _close_quietly(database)  # opened elsewhere since: this thread's connection
            database = current
            try:
                value, signal = fn(), relay.done
            except Exception as exc:  # delivered to the GUI thread, shown there
                log.debug("background task failed", exc_info=True)
                # The traceback keeps the frames' variables (Qt objects among them) alive:
                # keep its lines, drop the variables here.
                traceback.clear_frames(exc.__traceback__)
                value, signal = exc, relay.failed
            del fn, relay  # the GUI thread releases the function (see the module's text)
            try:
                _deliver(signal, value)
            finally:
                del signal, value
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()


def _close_quietly(database: Any) -> None:
    try:
        database.close()
    except Exception:  # a connection to a database nobody uses any more: nothing to save
        log.debug("closing a worker's old connection failed", exc_info=True)


def _deliver(signal: Any, value: object) -> None:
    try:
        signal.emit(value)
    except RuntimeError:  # the program is closing: nobody is left to take the result
        log.debug("background result dropped: its receiver is gone")


_pool = _Pool(WORKERS)


def run_task(
    owner: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], object] | None = None,  # what it returns is not used
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    relay = _Relay()
    relay.moveToThread(owner.thread())
    _live[relay] = fn

    def finish() -> None:
        _live.pop(relay, None)
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
    _pool.start(fn, relay)


def _alive(obj: QObject) -> bool:
    try:
        obj.objectName()
    except RuntimeError:  # the C++ object is gone
        return False
    return True


def wait_for_tasks(timeout_ms: int = 5000) -> bool:
    """Block until every task started has finished (tests and shutdown)."""
    return _pool.wait(timeout_ms / 1000)


def release_connections(owner: QObject, timeout_ms: int = 10_000) -> bool:
    """Close every worker thread's database connection, then wait for it (before the
    database file is replaced by a restore). Each worker runs one closing task: the tasks
    wait for each other, so no worker can take two. True when all were closed."""
    threads = len(_pool._threads)
    if threads == 0:
        return True
    barrier = threading.Barrier(threads)
    closed: list[bool] = []

    def close_own() -> None:
        database = bound()
        if database is not None and not database.is_closed():
            database.close()  # this thread's connection only
        barrier.wait(timeout_ms / 1000)
        closed.append(True)

    for _n in range(threads):
        run_task(owner, close_own, on_error=lambda exc: log.warning("not closed: %s", exc))
    return wait_for_tasks(timeout_ms) and len(closed) == threads
