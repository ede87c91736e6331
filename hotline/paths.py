"""Where the program finds its resources and keeps its files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "hotline-desk"
APP_AUTHOR = "hotline"


def _root() -> Path:
    """The folder holding ``resources/``: the checkout, or in the installed package (a
    PyInstaller build) the folder its files were unpacked to."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


ROOT = _root()
RESOURCES = ROOT / "resources"
TRANSLATIONS = RESOURCES / "translations"
# The program's icon (the window, the tray, the start menu entry of the packages).
ICON = RESOURCES / "icons" / "hotline-desk.svg"
# The desktop entry's name (hotline-desk.desktop) on Linux: Wayland and the task bars match
# the windows to the start menu entry, and its icon, by it.
DESKTOP_ID = "hotline-desk"


def data_dir() -> Path:
    """The user's data directory (database, drafts, backups); ``HOTLINE_HOME`` overrides it."""
    override = os.environ.get("HOTLINE_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return _private(path)


def log_dir() -> Path:
    override = os.environ.get("HOTLINE_HOME")
    if override:
        path = Path(override) / "logs"
    else:
        path = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    return _private(path)


def _private(path: Path) -> Path:
    """``path``, with the folders of it that were missing created owner-only (``0700``)."""
    from hotline.private_files import private_folder

    return private_folder(path)


def default_database_path() -> Path:
    return data_dir() / "hotline.sqlite3"
