"""Background work: results reach the GUI thread, and a result nobody can take is dropped."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject
from shiboken6 import Shiboken

from ui import tasks


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
    tasks._live.discard(relay)
    Shiboken.delete(relay)
    with caplog.at_level(logging.DEBUG, logger="ui.tasks"):
        gate.set()
        assert tasks.wait_for_tasks(5000)
    assert "receiver is gone" in caplog.text
    assert "Error calling Python override" not in capfd.readouterr().err
