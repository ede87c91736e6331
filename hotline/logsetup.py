"""Logging for the app and the command line: one rotating file, nothing secret in it.

Every record passes a filter that masks mobile numbers (138****1234), landlines and
password hashes, so confidential callers' numbers never reach the log file: also numbers
written with spaces, dots or dashes, a ``+86``/``0086`` prefix or full-width digits
(:func:`hotline.masking.mask_phones`). The log files (the current one and the rotated ones)
are readable by their owner only (``0600``).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from hotline import paths
from hotline.masking import mask_phones
from hotline.private_files import private_folder

LOG_FILE = "hotline.log"
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-?\d{3,4}(\d{4})(?!\d)")
_HASH = re.compile(r"\$argon2[a-z]*\$[^\s'\"]+")


def scrub(text: str) -> str:
    text = _MOBILE.sub(r"\1****\2", text)
    text = _LANDLINE.sub(r"\1-****\2", text)
    text = mask_phones(text)  # every other spelling
    return _HASH.sub("$argon2$***", text)


class ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose files are owner-only (rotated files keep the mode by renaming);
    a line the disk refuses (full, read-only) is dropped without a word: the program says
    what went wrong in its own message, never in a logging traceback."""

    def _open(self):  # type: ignore[no-untyped-def]
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
        fd = os.open(self.baseFilename, flags, 0o600)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # a log an older version made readable by others
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)

    def handleError(self, record: logging.LogRecord) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)


def configure(
    level: int = logging.INFO, directory: Path | None = None, console: bool = False
) -> Path:
    """Log to a rotating file (5 × 2 MB) in the user's log folder; returns its path."""
    folder = private_folder(directory) if directory else paths.log_dir()
    target = folder / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_hotline", False):
            root.removeHandler(handler)
    handler = PrivateRotatingFileHandler(
        target, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ScrubFilter())
    handler._hotline = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if console:
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING)
        stream.addFilter(ScrubFilter())
        stream._hotline = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    root.setLevel(level)
    return target
