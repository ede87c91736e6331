"""Autosaving the intake form as a draft: every few seconds while it changes, and whenever the
operator leaves a field. Files are written off the GUI thread (:mod:`hotline.drafts`).

A discard always wins over a write still in flight: writes and discards take one lock, and a
write started before the discard is dropped, so a saved case's draft never comes back.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox

from hotline import clock, drafts, file_errors
from hotline.errors import HotlineError
from hotline.i18n import _, format_datetime
from hotline.permissions import Action
from ui.common.latest_request import LatestRequest
from ui.common.tasks import run_task

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

log = logging.getLogger(__name__)

AUTOSAVE_MS = 3000

_keepers: list[DraftKeeper] = []


def open_draft_ids() -> set[str]:
    """The drafts that live intake windows are writing (not to be offered for restoring)."""
    alive = []
    for keeper in _keepers:
        try:
            keeper.objectName()
        except RuntimeError:  # its window was destroyed
            continue
        alive.append(keeper)
    _keepers[:] = alive
    return {keeper.draft_id for keeper in alive}


class DraftKeeper(QObject):
    saved = Signal(object)  # dt.datetime of the save
    failed = Signal(str)

    def __init__(
        self,
        user: str,
        values: Callable[[], dict[str, Any]],
        is_blank: Callable[[], bool],
        parent: QObject,
        interval_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.user = user
        self.draft_id = drafts.new_id()
        self._values = values
        self._is_blank = is_blank
        self._lock = threading.Lock()
        self._latest = LatestRequest()
        self._dirty = False
        self._busy = False
        self._timer = QTimer(self, interval=interval_ms or AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_if_dirty)
        self._timer.start()
        _keepers.append(self)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def mark_dirty(self) -> None:
        self._dirty = True

    def save_if_dirty(self) -> None:
        """Write the form now if it changed since the last write (one write at a time)."""
        if not self._dirty or self._busy:
            return
        self._dirty = False
        if self._is_blank():
            self._drop_file()
            return
        data = self._values()
        ticket, draft_id = self._latest.ticket, self.draft_id
        self._busy = True
        run_task(
            self,
            lambda: self._write(ticket, draft_id, data),
            on_done=self._written,
            on_error=self._write_failed,
        )

    def _write(self, ticket: int, draft_id: str, data: dict[str, Any]) -> dt.datetime | None:
        with self._lock:  # runs on a worker thread
            if not self._latest.is_current(ticket):
                return None
            drafts.save(self.user, draft_id, data)
            return clock.now()

    def _written(self, when: dt.datetime | None) -> None:
        self._busy = False
        if when is not None:
            self.saved.emit(when)
        if self._dirty:
            self.save_if_dirty()

    def _write_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._dirty = True
        log.error("draft could not be saved: %s", exc)
        self.failed.emit(file_errors.reason(exc))  # a full disk: said in our words

    def flush(self) -> None:
        """Write now, on this thread (the window is closing)."""
        if not self._dirty:
            return
        self._dirty = False
        if self._is_blank():
            self._drop_file()
            return
        data = self._values()
        try:
            with self._lock:
                drafts.save(self.user, self.draft_id, data)
                self._latest.drop()  # a slower write still in flight holds older content
        except (OSError, HotlineError) as exc:  # a full disk: the draft on disk stays as it was
            log.error("draft could not be saved on close: %s", exc)

    def release(self) -> None:
        """The window is closing: stop autosaving and let other windows offer this draft."""
        self._timer.stop()
        if self in _keepers:
            _keepers.remove(self)

    def _drop_file(self) -> None:
        with self._lock:
            self._latest.drop()
            drafts.discard(self.user, self.draft_id)

    def discard(self) -> None:
        """Forget the draft (the case was saved, or the operator gave it up)."""
        self._dirty = False
        self._drop_file()

    def start_new(self) -> None:
        """Discard the current draft and write later ones under a new id."""
        self.discard()
        self.draft_id = drafts.new_id()

    def adopt(self, draft_id: str, *, keep_current: bool) -> None:
        """Continue writing into ``draft_id`` (a restored draft); the current one is kept
        (as another draft to restore later) or discarded."""
        if keep_current:
            self.flush()
        else:
            self.discard()
        self.draft_id = draft_id
        self._dirty = False


def describe(draft: drafts.Draft) -> str:
    """A draft in a few words: its enterprise and subject."""
    enterprise = (draft.data.get("enterprise") or {}).get("name") or ""
    subject = draft.data.get("subject") or ""
    return "，".join(str(part) for part in (enterprise, subject) if part) or _("（未填写）")


def offer_drafts_at_start(window: MainWindow) -> None:
    """Right after sign-in: a registration left unsaved (a crash, a closed window) is offered
    at once, not only when the next intake window opens."""
    session = window.session
    if not session.can(Action.CASE_REGISTER):
        return
    user = session.user.username
    exclude = open_draft_ids()
    run_task(
        window,
        lambda: drafts.pending(user, exclude=exclude),
        on_done=lambda pending: _offer(window, pending),
        on_error=lambda exc: log.warning("could not look for drafts: %s", exc),
    )


def _offer(window: MainWindow, pending: list[drafts.Draft]) -> None:
    if not pending or not window.isVisible():
        return
    newest = pending[0]
    text = _("上次有一份登记未保存（{time}）：{summary}").format(
        time=format_datetime(newest.saved_at), summary=describe(newest)
    )
    if len(pending) > 1:
        text += _("（另有 {count} 份草稿）").format(count=len(pending) - 1)
    box = QMessageBox(QMessageBox.Icon.Question, _("恢复未保存的登记"), text, parent=window)
    box.setObjectName("draftOffer")
    box.setInformativeText(_("现在恢复吗？选择“稍后”时，草稿在下次新建案件时仍会提供。"))
    restore = box.addButton(_("恢复草稿"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("稍后"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

    def answered() -> None:
        if box.clickedButton() is not restore:
            return
        window.menu_actions.new_case()
        intake = window.menu_actions.open_windows.get(("intake", 0))
        if intake is not None:
            intake.restore_draft(newest.draft_id)  # type: ignore[attr-defined]

    box.finished.connect(lambda _result: answered())
    box.open()
