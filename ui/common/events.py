"""One application-wide object that tells views what changed after a write."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppEvents(QObject):
    case_saved = Signal(int)  # a case was registered or changed (its id)
    cases_changed = Signal()  # many cases changed (import, demo data, other workstation)
    enterprise_saved = Signal(int)
    settings_changed = Signal()  # departments, districts, policy, holidays, users
    language_changed = Signal(str)


_events: AppEvents | None = None


def app_events() -> AppEvents:
    global _events
    if _events is None:
        _events = AppEvents()
    return _events
