"""Opening a case or an enterprise window from a link: an open window for it is brought forward.

Intake, handover and the main window open case and enterprise windows through here. A case
window asks for another case or an enterprise, and an enterprise window for a case, through
its ``case_requested`` / ``enterprise_requested`` signals, which :func:`follow_links` connects
to the functions below: the windows never import each other back. The windows are imported
inside the functions, when the first one opens, to keep start-up light.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ui.common.linked_windows import bring_forward, existing_window
from ui.common.session import Session


def follow_links(window: QWidget, session: Session) -> None:
    """Open what a case or enterprise window asks for (its ``*_requested`` signals)."""
    window.case_requested.connect(lambda case_id: open_case(session, case_id))  # type: ignore[attr-defined]
    enterprise_requested = getattr(type(window), "enterprise_requested", None)
    if enterprise_requested is not None:
        window.enterprise_requested.connect(  # type: ignore[attr-defined]
            lambda enterprise_id: open_enterprise(session, enterprise_id)
        )


def open_case(session: Session, case_id: int, parent: QWidget | None = None) -> QWidget:
    from ui.case.detail import CaseDetailWindow

    return _open(
        session, "CaseDetailWindow", case_id, lambda: CaseDetailWindow(session, case_id, parent)
    )


def open_enterprise(session: Session, enterprise_id: int, parent: QWidget | None = None) -> QWidget:
    from ui.enterprise.window import EnterpriseWindow

    return _open(
        session,
        "EnterpriseWindow",
        enterprise_id,
        lambda: EnterpriseWindow(session, enterprise_id, parent),
    )


def _open(session: Session, class_name: str, value: int, make: Callable[[], QWidget]) -> QWidget:
    """The open window of ``class_name`` for ``value`` brought forward, else a new one made
    and linked (its own links opened for the same session)."""
    existing = existing_window(class_name, value)
    if existing is not None:
        return bring_forward(existing)
    window = make()
    follow_links(window, session)
    return bring_forward(window)
