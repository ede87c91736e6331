"""CPU-bound work spread over worker processes (Python runs one thread at a time).

Used where a whole table is processed in bulk by a command (the search index built by
``migrate-to`` and the province-scale benchmark, the demo generator), never by the desktop
app's own event loop. Workers are started with ``spawn`` (no copy of the parent's open
database connections or threads), end when the parent ends however it ends, and are never
restarted: a worker that dies stops the work with an error (``multiprocessing.Pool`` respawns
dying workers for ever when the main module cannot be re-imported). Where workers cannot be
started at all the work is done in this process, with the same results.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def can_spawn() -> bool:
    """A spawned process re-imports the main script: impossible when it is not a file (an
    interactive session, ``python -c``)."""
    if getattr(sys, "frozen", False):
        return True  # a packaged program: main.py calls multiprocessing.freeze_support()
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return path is None or os.path.isfile(path)


def default_workers() -> int:
    """Worker processes for a bulk job: one per core this process may use (it mostly waits
    for them and for the database), at most four (beyond that the database is the limit)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, cores or 1))


def exit_with_parent() -> None:
    """In a worker: never outlive the process that wants the results.

    A parent killed (SIGKILL, SIGTERM) cannot stop its workers, which would wait for ever for
    their next task. A thread here waits on the parent's sentinel (multiprocessing's pipe that
    closes when the parent ends, on every platform) and ends this process then. Ctrl-C is the
    parent's to handle: it stops the workers itself.
    """
    import multiprocessing
    import signal
    import threading
    from multiprocessing import connection

    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    sentinel = parent.sentinel
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        connection.wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="hotline-parent-watch", daemon=True).start()


def ordered_map(
    func: Callable[[T], R], items: Iterable[T], *, workers: int, ahead: int = 2
) -> Iterator[R]:
    """``map(func, items)`` with ``func`` run in ``workers`` processes, results in order.

    At most ``ahead`` tasks per worker are in flight, so the items (read lazily, for example
    from a database cursor) and the results never all sit in memory. ``func`` must be a
    module-level function and its arguments and results picklable. With ``workers`` below 2,
    or where processes cannot be spawned, it runs here.
    """
    if workers < 2 or not can_spawn():
        yield from map(func, items)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # loads multiprocessing's machinery

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=exit_with_parent) as pool:
        pending: deque[Future[R]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(func, item))
                if len(pending) >= workers * ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
