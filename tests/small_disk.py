"""A real small filesystem for full- and read-only-disk tests: a tmpfs mounted for one test.

Mounting needs root (CI containers and this project's sandbox run as root); elsewhere the
tests that need it are skipped (in CI they fail: .ci/run runs as root), and the SQLite ones
still run with ``PRAGMA max_page_count``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests import backends

FILLER = "filler"


def _mount(path: Path, options: str) -> bool:
    if os.name != "posix" or os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@contextlib.contextmanager
def mounted(path: Path, size: str = "8m") -> Iterator[Path]:
    """``path`` as the root of a new tmpfs of ``size``, unmounted afterwards."""
    path.mkdir(parents=True, exist_ok=True)
    if not _mount(path, f"size={size},mode=0700"):
        backends.unavailable("cannot mount a small filesystem here (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path) -> Path:
    """Take every free byte of ``disk`` (unbuffered, so nothing is left to flush)."""
    filler = disk / FILLER
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (1 << 16, 1 << 12, 1 << 9, 1):
            block = b"\0" * size
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, block)
    finally:
        os.close(fd)
    return filler


def read_only(disk: Path) -> None:
    """Make the mounted ``disk`` read-only (as a failing drive or a locked share is)."""
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)


def others(disk: Path) -> list[str]:
    """The files on ``disk`` apart from the filler."""
    return sorted(name for name in os.listdir(disk) if name != FILLER)
