"""Where other parts of the program add to the case window (the exemption panel, print PDF).

    from ui.case_detail_extensions import register_panel, register_tool

    register_panel("exemption", N_("首错免罚"), lambda window: ExemptionPanel(window))
    register_tool("print_pdf", lambda window: make_print_action(window))

A panel factory gets the CaseDetailWindow and returns a QWidget, shown as a tab beside the
timeline; a tool factory returns a QAction, shown as a button in the window's tool row. Both
follow the case through ``window.case_loaded`` (a :class:`ui.case.data.CaseSnapshot`,
emitted after every load and reload) and use ``window.session`` and ``window.case_id``;
after changing the case they call ``window.reload()``. Register before the window opens
(at import time of the module that provides them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from ui.case.detail import CaseDetailWindow


@dataclass(frozen=True)
class Panel:
    key: str
    title: str  # message id, translated when the window is built
    factory: Callable[[CaseDetailWindow], QWidget]


@dataclass(frozen=True)
class Tool:
    key: str
    factory: Callable[[CaseDetailWindow], QAction]


_panels: dict[str, Panel] = {}
_tools: dict[str, Tool] = {}


def register_panel(key: str, title: str, factory: Callable[[CaseDetailWindow], QWidget]) -> None:
    _panels[key] = Panel(key, title, factory)


def register_tool(key: str, factory: Callable[[CaseDetailWindow], QAction]) -> None:
    _tools[key] = Tool(key, factory)


def unregister(key: str) -> None:
    _panels.pop(key, None)
    _tools.pop(key, None)


def panels() -> list[Panel]:
    return list(_panels.values())


def tools() -> list[Tool]:
    return list(_tools.values())
