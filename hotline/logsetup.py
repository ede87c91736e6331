"""Logging for the app and the command line: one rotating file, nothing secret in it.

Every record passes a filter that masks mobile numbers (138****1234), landlines and
password hashes, so confidential callers' numbers never reach the log file.
"""

from __future__ import annotations

import logging
import re
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from hotline import paths

LOG_FILE = "hotline.log"
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-?\d{3,4}(\d{4})(?!\d)")
_HASH = re.compile(r"\$argon2[a-z]*\$[^\s'\"]+")


def scrub(text: str) -> str:
    text = _MOBILE.sub(r"\1****\2", text)
    text = _LANDLINE.sub(r"\1-****\2", text)
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


class _LogFile(RotatingFileHandler):
    """The log file; a line the disk refuses (full, read-only) is dropped without a word:
    the program says what went wrong in its own message, never in a logging traceback."""

    def handleError(self, record: logging.LogRecord) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)


def configure(
    level: int = logging.INFO, directory: Path | None = None, console: bool = False
) -> Path:
    """Log to a rotating file (5 × 2 MB) in the user's log folder; returns its path."""
    folder = directory or paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_hotline", False):
            root.removeHandler(handler)
    handler = _LogFile(target, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
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
