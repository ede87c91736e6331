"""Filling a new database with demo cases in the background, with a progress dialog."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from hotline.i18n import _, format_number
from hotline.permissions import Actor
from ui.common.events import app_events
from ui.common.messages import show_error
from ui.common.tasks import run_task

log = logging.getLogger(__name__)


class DemoCancelled(Exception):
    """Raised inside the generator's progress callback when the user cancels."""


class _Progress(QObject):
    moved = Signal(int, int)  # done, total (emitted from the worker thread)


def load_demo_data(
    parent: QWidget | None, cases: int, seed: int = 1, actor: Actor | None = None
) -> bool:
    """Generate ``cases`` demo cases; blocks the caller (not the window) until done."""
    from hotline.demo import generator as demo

    dialog = QProgressDialog(
        _("正在生成演示数据…"), _("取消"), 0, cases, parent, Qt.WindowType.Dialog
    )
    dialog.setWindowTitle(_("演示数据"))
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    progress = _Progress()
    cancelled = {"flag": False}

    def moved(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, total))
        dialog.setLabelText(
            _("正在生成演示数据：{done} / {total}").format(
                done=format_number(done), total=format_number(total)
            )
        )

    progress.moved.connect(moved)
    dialog.canceled.connect(lambda: cancelled.update(flag=True))

    def report(done: int, total: int | None = None, *_rest: object) -> None:
        if cancelled["flag"]:
            raise DemoCancelled
        progress.moved.emit(int(done), int(total if total is not None else cases))

    loop = QEventLoop()
    outcome = {"ok": False}

    def finished(_result: object) -> None:
        outcome["ok"] = True
        loop.quit()

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, DemoCancelled):
            show_error(parent, exc)
        loop.quit()

    run_task(
        progress, lambda: demo.generate(cases=cases, seed=seed, progress=report), finished, failed
    )
    dialog.show()
    loop.exec()
    dialog.close()
    app_events().cases_changed.emit()
    return outcome["ok"]
