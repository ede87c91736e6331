"""File sizes as people read them."""

from __future__ import annotations

from hotline.i18n import _


def file_size(size: int) -> str:
    """``size`` in bytes for people: 532 字节, 14.2 KB, 19.6 MB."""
    if size < 1024:
        return _("{n} 字节").format(n=size)
    if size < 1 << 20:
        return _("{n} KB").format(n=f"{size / 1024:.1f}")
    return _("{n} MB").format(n=f"{size / (1 << 20):.1f}")
