"""The garbage collector runs on the GUI thread only (see ui/common/gui_gc.py)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject
from shiboken6 import Shiboken

from ui.common import gui_gc


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_automatic_collection_is_off_and_the_timer_collects_what_is_due(qapp) -> None:
    collector = gui_gc.install(qapp)
    assert gui_gc.install(qapp) is collector  # one per application
    assert not gc.isenabled()
    assert collector.timer.isActive()
    gc.collect()
    for _ in range(collector.thresholds[0] + 10):
        _Cycle()
    assert gc.get_count()[0] > collector.thresholds[0]
    assert collector.collect_due() is not None
    assert gc.get_count()[0] < collector.thresholds[0]
    assert collector.collect_due() is None  # nothing due now


def test_automatic_collection_comes_back_with_the_owner_gone(qapp) -> None:
    owner = QObject()
    gui_gc.install(owner)
    try:
        Shiboken.delete(owner)
        assert gc.isenabled()
    finally:
        gc.disable()  # the application's own collector is still installed
