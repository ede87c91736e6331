"""Background work: results reach the GUI thread, and a result nobody can take is dropped."""

from __future__ import annotations

import logging
import threading
import traceback
import weakref

from PySide6.QtCore import QObject
from shiboken6 import Shiboken

from hotline.models import database_proxy
from ui.common import tasks


def test_the_result_reaches_the_gui_thread(qtbot) -> None:
    owner = QObject()
    got = []
    tasks.run_task(owner, lambda: 6 * 7, on_done=got.append)
    qtbot.waitUntil(lambda: got == [42])


def test_an_error_reaches_the_gui_thread(qtbot) -> None:
    owner = QObject()
    got: list[BaseException] = []
    tasks.run_task(owner, lambda: 1 / 0, on_error=got.append)
    qtbot.waitUntil(lambda: len(got) == 1)
    assert isinstance(got[0], ZeroDivisionError)


def test_a_result_whose_receiver_is_gone_is_dropped_quietly(qtbot, caplog, capfd) -> None:
    """As when the program closes while a count is still running."""
    owner = QObject()
    gate = threading.Event()
    tasks.run_task(owner, lambda: gate.wait(5))
    relay = next(iter(tasks._live))
    tasks._live.pop(relay)
    Shiboken.delete(relay)
    with caplog.at_level(logging.DEBUG, logger="ui.common.tasks"):
        gate.set()
        assert tasks.wait_for_tasks(5000)
    assert "receiver is gone" in caplog.text
    assert "Error calling Python override" not in capfd.readouterr().err


def test_the_function_is_released_on_the_gui_thread(qtbot) -> None:
    """Its closure may hold the last reference to a Qt object: destroying that on a worker
    thread can crash the program."""
    released_on: list[int] = []

    class Held:
        pass

    for n in range(20):  # the worker must never be the last to let go, whatever the timing
        held = Held()
        weakref.finalize(held, lambda: released_on.append(threading.get_ident()))
        tasks.run_task(QObject(), lambda held=held: id(held))
        del held
        qtbot.waitUntil(lambda n=n: len(released_on) == n + 1)
    assert set(released_on) == {threading.main_thread().ident}


def test_a_failed_function_is_released_on_the_gui_thread_and_keeps_its_traceback(qtbot) -> None:
    released_on: list[int] = []

    class Held:
        pass

    def failing(held: Held) -> None:
        raise ValueError(f"no {held!r}")

    held = Held()
    weakref.finalize(held, lambda: released_on.append(threading.get_ident()))
    got: list[BaseException] = []
    tasks.run_task(QObject(), lambda held=held: failing(held), on_error=got.append)
    del held
    qtbot.waitUntil(lambda: len(got) == 1)
    text = "".join(traceback.format_exception(got[0]))
    assert "in failing" in text and "ValueError" in text
    del got[:]
    qtbot.waitUntil(lambda: released_on == [threading.main_thread().ident])


def test_a_worker_keeps_its_database_connection_from_task_to_task(qtbot, database) -> None:
    seen: list[tuple[int, object]] = []

    def which() -> tuple[int, object]:
        return threading.get_ident(), database_proxy.obj.connection()

    for n in range(12):
        tasks.run_task(QObject(), which, on_done=seen.append)
        qtbot.waitUntil(lambda n=n: len(seen) == n + 1)
    by_thread: dict[int, set[int]] = {}
    for thread, connection in seen:
        by_thread.setdefault(thread, set()).add(id(connection))  # all kept alive in seen
    assert threading.main_thread().ident not in by_thread
    assert all(len(connections) == 1 for connections in by_thread.values()), by_thread
