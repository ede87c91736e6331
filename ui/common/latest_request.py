"""Only the latest request counts: answers to requests that were overtaken are dropped.

A window that reads something off the GUI thread may ask again before the answer comes (the
user typed on, pressed F5, closed the window). Each request takes a ticket; when the answer
arrives it is used only if its ticket is still the latest::

    ticket = self._latest.start()
    run_task(self, work, on_done=lambda result: self._show(ticket, result))

    def _show(self, ticket: int, result: Result) -> None:
        if not self._latest.is_current(ticket):
            return
"""

from __future__ import annotations


class LatestRequest:
    """Numbers requests; an answer counts only while its request is the latest one."""

    def __init__(self) -> None:
        self._ticket = 0

    def start(self) -> int:
        """Begin a new request: answers to every earlier one stop counting. Its ticket."""
        self._ticket += 1
        return self._ticket

    @property
    def ticket(self) -> int:
        """The latest request's ticket, for more work that belongs to it."""
        return self._ticket

    def is_current(self, ticket: int) -> bool:
        """Whether the answer of ``ticket``'s request is still wanted."""
        return ticket == self._ticket

    def drop(self) -> None:
        """Answers in flight stop counting (the window closes, the user chose meanwhile)."""
        self._ticket += 1
