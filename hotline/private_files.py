"""Owner-only folders and files: what the program makes for itself is readable by its user only.

A module of its own, below everything that writes (the database, :mod:`hotline.paths`,
:mod:`hotline.output_files`), so that none of them needs another to create a folder.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700

PathLike = str | os.PathLike[str]


def private_folder(path: PathLike) -> Path:
    """``path`` as a folder, creating what is missing of it owner-only (``0700``); folders
    that already exist keep their permissions."""
    folder = Path(path)
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        with contextlib.suppress(FileExistsError):
            candidate.mkdir(mode=FOLDER_MODE)
            with contextlib.suppress(OSError):
                os.chmod(candidate, FOLDER_MODE)  # the umask may have taken bits away
    return folder


def create_private(path: PathLike) -> bool:
    """Create ``path`` as an empty owner-only file unless it exists; True when created."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        os.close(os.open(path, flags, FILE_MODE))
    except FileExistsError:
        return False
    return True
