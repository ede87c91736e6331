"""The exemption panel as a tab of the case window (call :func:`register_case_tab` once,
before case windows open)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from hotline.i18n import N_
from ui.case_detail_extensions import register_panel

if TYPE_CHECKING:
    from ui.case.detail import CaseDetailWindow

TAB_KEY = "exemption"
TAB_TITLE = N_("首错免罚")


def _make_panel(window: CaseDetailWindow) -> QWidget:
    from ui.exemption.panel import ExemptionPanel

    return ExemptionPanel(window.session, window.case_id, window)


def register_case_tab() -> None:
    register_panel(TAB_KEY, TAB_TITLE, _make_panel)
