"""Acting in a modal dialog that a window opens with ``exec()`` after a worker answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

D = TypeVar("D", bound=QDialog)


def when_modal(dialog_class: type[D], act: Callable[[D], None]) -> None:
    """Call ``act`` with the modal ``dialog_class`` once it is shown (from the event loop that
    ``exec()`` runs: the test's waitSignal keeps events flowing until then)."""

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, dialog_class):
            act(dialog)
        else:
            QTimer.singleShot(10, check)

    QTimer.singleShot(0, check)
