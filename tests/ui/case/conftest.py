"""The case window tests' Monday morning, the shift lead acting meanwhile, and the window
opened and loaded."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import clock
from hotline.enums import Role
from hotline.permissions import Actor
from ui.case.detail import CaseDetailWindow

MONDAY = dt.datetime(2026, 11, 23, 9, 30)
OTHER = Actor("值班长乙", Role.SHIFT_LEAD, None)


@pytest.fixture
def frozen():
    with clock.frozen(MONDAY):
        yield


def open_window(qtbot, session, case_id, *, activate: bool = False) -> CaseDetailWindow:  # type: ignore[no-untyped-def]
    """The case window shown (and made the active window when ``activate``), its case loaded."""
    window = CaseDetailWindow(session, case_id)
    qtbot.addWidget(window)
    window.show()
    if activate:
        window.activateWindow()
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=5000)
    return window
