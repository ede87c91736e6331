"""Where the private temporary copies of attachments go (to open them with the system viewer
or preview them), and clearing them: they may hold a confidential caller's documents, so the
app removes them when it starts and when it ends. Imports nothing heavy (used at start-up)."""

from __future__ import annotations

from pathlib import Path

from hotline import paths

TEMP_FOLDER = "attachments-open"


def folder() -> Path:
    return paths.data_dir() / TEMP_FOLDER


def clear() -> int:
    """Remove the copies left by earlier sessions; returns how many."""
    removed = 0
    if folder().is_dir():
        for item in folder().iterdir():
            try:
                item.unlink()
                removed += 1
            except OSError:  # open in a viewer that locks it (Windows): next time
                continue
    return removed
