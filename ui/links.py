"""Opening a case or an enterprise window from a link: an open window for it is brought forward.

Intake, handover and the main window open case and enterprise windows through here. A case
window asks for another case or an enterprise, and an enterprise window for a case, through
its ``case_requested`` / ``enterprise_requested`` signals, which :func:`follow_links` connects
to the functions below: the windows never import each other back. The windows are imported
inside the functions, when the first one opens, to keep start-up light.
"""

from __future__ import annotations

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
    existing = existing_window("CaseDetailWindow", case_id)
    if existing is not None:
        return bring_forward(existing)
    from ui.case.detail import CaseDetailWindow

    window = CaseDetailWindow(session, case_id, parent)
    follow_links(window, session)
    return bring_forward(window)


def open_enterprise(session: Session, enterprise_id: int, parent: QWidget | None = None) -> QWidget:
    existing = existing_window("EnterpriseWindow", enterprise_id)
    if existing is not None:
        return bring_forward(existing)
    from ui.enterprise.window import EnterpriseWindow

    window = EnterpriseWindow(session, enterprise_id, parent)
    follow_links(window, session)
    return bring_forward(window)
