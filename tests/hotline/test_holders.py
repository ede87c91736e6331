"""The record a process keeps while it has a database open (hotline/holders.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from hotline import holders


def test_two_threads_closing_at_once_release_the_record_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's worker threads may close the database together: the descriptor is closed
    once, and neither thread fails (it used to call os.close(None))."""
    record = holders._Record(tmp_path / "h.sqlite3")
    record.acquire()
    assert record.path.exists()
    real_close = holders.os.close
    closed: list[int] = []

    def slow_close(fd: int) -> None:
        closed.append(fd)
        time.sleep(0.05)  # the window in which the other thread used to slip through
        real_close(fd)

    monkeypatch.setattr(holders.os, "close", slow_close)
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def close() -> None:
        start.wait()
        try:
            record.release()
        except BaseException as exc:  # any failure is the finding
            errors.append(exc)

    threads = [threading.Thread(target=close) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(closed) == 1
    assert not record.path.exists()
