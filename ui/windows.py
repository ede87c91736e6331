"""Opening the other windows by name, so the main window starts even before they exist.

The windows of intake, case detail, enterprise and handover live in modules of their own;
they are imported when first opened (which also keeps start-up fast).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

INTAKE = ("ui.intake.form", "IntakeWindow")
CASE_DETAIL = ("ui.case.detail", "CaseDetailWindow")
ENTERPRISE = ("ui.enterprise.window", "EnterpriseWindow")
HANDOVER = ("ui.handover.dialog", "HandoverDialog")


def available(target: tuple[str, str]) -> bool:
    try:
        return importlib.util.find_spec(target[0]) is not None
    except (ImportError, ValueError):
        return False


def window_class(target: tuple[str, str]) -> Any | None:
    module_name, class_name = target
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        log.warning("window module %s is not available", module_name, exc_info=True)
        return None
    found = getattr(module, class_name, None)
    if found is None:
        log.warning("%s has no %s", module_name, class_name)
    return found


def show_window(window: QWidget) -> None:
    """Show ``window`` as a top-level window even when it was made with a parent."""
    if not window.isWindow():
        window.setWindowFlag(Qt.WindowType.Window, True)
    window.show()
    window.raise_()
    window.activateWindow()
