"""Search as you type: the core's full-text search, debounced and run off the GUI thread.

The search gives the newest matching cases first, a few hundred at a time; ``more()`` asks for
the next batch. ``results`` carries the ids found so far (None when the box is empty).
``reveal_confidential``: the signed-in role may see confidential callers, so their names and
phones find their cases (otherwise they do not).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ui.common.latest_request import LatestRequest
from ui.common.tasks import run_task

if TYPE_CHECKING:
    from hotline.search import SearchPage

log = logging.getLogger(__name__)

DEBOUNCE_MS = 250
BATCH = 300


class CaseSearch(QObject):
    results = Signal(object, bool)  # tuple of case ids or None; whether more exist
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None, *, reveal_confidential: bool = False) -> None:
        super().__init__(parent)
        self.reveal_confidential = reveal_confidential
        self.text = ""
        self.case_ids: tuple[int, ...] | None = None
        self._next_before: int | None = None
        self._latest = LatestRequest()
        self.searching = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)

    def set_text(self, text: str) -> None:
        """The box's text changed: search once the typing pauses."""
        self.text = text.strip()
        self._latest.drop()
        self._timer.start()

    def run_now(self) -> None:
        self._timer.stop()
        self._run()

    @property
    def has_more(self) -> bool:
        return self._next_before is not None

    def more(self) -> None:
        """Add the next batch of older matches."""
        if self._next_before is not None and not self.searching:
            self._search(self._next_before)

    def _run(self) -> None:
        if not self.text:
            self.case_ids, self._next_before = None, None
            self.results.emit(None, False)
            return
        self.case_ids = ()
        self._search(None)

    def _search(self, before_id: int | None) -> None:
        ticket, text, reveal = self._latest.ticket, self.text, self.reveal_confidential
        self.searching = True

        def done(page: SearchPage) -> None:
            if not self._latest.is_current(ticket):
                return
            self.searching = False
            self.case_ids = (*(self.case_ids or ()), *page.case_ids)
            self._next_before = page.next_before
            self.results.emit(self.case_ids, self.has_more)

        def fail(exc: BaseException) -> None:
            if self._latest.is_current(ticket):
                self.searching = False
                log.error("search for %r failed", text, exc_info=exc)
                self.failed.emit(exc)

        run_task(self, lambda: _find(text, before_id, reveal), done, fail)


def _find(text: str, before_id: int | None, reveal: bool) -> SearchPage:
    from hotline import search  # loaded with the first search, not at start-up

    return search.search(text, limit=BATCH, before_id=before_id, reveal_confidential=reveal)
