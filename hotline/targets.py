"""What a database target is (a PostgreSQL URL or an SQLite file), how it is shown, and which
one is open.

Below :mod:`hotline.db`, which records the target it connects to, and the modules that must
know it without opening anything (:mod:`hotline.migrations`, :mod:`hotline.output_files`,
which never writes over the open database).
"""

from __future__ import annotations

from urllib.parse import urlparse

_opened: str | None = None


def is_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def describe(target: str) -> str:
    """A target for display, with any password hidden."""
    if not is_url(target):
        return target
    parsed = urlparse(target)
    if parsed.password:
        netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return target


def remember_opened(target: str) -> None:
    """Record ``target`` as the database connected to (by :func:`hotline.db.connect`)."""
    global _opened
    _opened = target


def opened() -> str | None:
    """The path or URL of the database last connected to (None before any)."""
    return _opened
