"""Python's garbage collector, run on the GUI thread only.

Automatic collection runs in whichever thread happens to allocate when a threshold is
crossed, the background tasks' worker threads included (:mod:`ui.common.tasks`). A cycle holding a
Qt object made on the GUI thread (a closed dialog and the lambdas connected to it) would then
be destroyed on a worker thread, which Qt does not allow and which can crash the program. So
automatic collection is switched off, and a timer on the GUI thread collects the generations
the usual thresholds ask for.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start()
        self.destroyed.connect(gc.enable)

    def collect_due(self) -> int | None:
        """Collect the oldest generation whose threshold is crossed; returns it, or None."""
        counts = gc.get_count()
        due = None
        for generation, (count, threshold) in enumerate(zip(counts, self.thresholds, strict=True)):
            if threshold and count > threshold:
                due = generation
            else:
                break
        if due is not None:
            gc.collect(due)
        return due


def install(parent: QObject) -> GuiThreadCollector:
    """Switch automatic collection to the GUI thread for as long as ``parent`` lives."""
    existing = parent.findChild(GuiThreadCollector)
    return existing if existing is not None else GuiThreadCollector(parent)
