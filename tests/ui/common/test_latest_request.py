"""Only the latest request counts (ui/common/latest_request.py)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from ui.common.latest_request import LatestRequest
from ui.common.tasks import run_task


def test_only_the_latest_ticket_is_current() -> None:
    latest = LatestRequest()
    first = latest.start()
    assert latest.is_current(first) and latest.ticket == first
    second = latest.start()
    assert second != first
    assert latest.is_current(second) and not latest.is_current(first)
    assert latest.ticket == second  # asking for the ticket starts nothing
    assert latest.is_current(second)


def test_drop_makes_every_answer_in_flight_stale() -> None:
    latest = LatestRequest()
    ticket = latest.start()
    latest.drop()
    assert not latest.is_current(ticket)
    assert latest.is_current(latest.start())


def test_an_overtaken_answer_is_dropped_even_when_it_arrives_last(qtbot) -> None:
    """The first request's answer comes after the second's: the second's is what is shown."""
    owner = QObject()
    latest = LatestRequest()
    shown: list[str] = []
    arrived: list[str] = []
    first_may_answer = threading.Event()

    def show(ticket: int, answer: str) -> None:
        arrived.append(answer)
        if latest.is_current(ticket):
            shown.append(answer)

    first = latest.start()
    run_task(owner, lambda: first_may_answer.wait(5) and "old", lambda a: show(first, a))
    second = latest.start()
    run_task(owner, lambda: "new", lambda a: show(second, a))
    qtbot.waitUntil(lambda: arrived == ["new"])
    first_may_answer.set()
    qtbot.waitUntil(lambda: arrived == ["new", "old"])
    assert shown == ["new"]
