"""Killing a registering process at random moments loses no case whose number was printed."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hotline import audit, db
from hotline.models import Case

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys
sys.path.insert(0, {root!r})
from hotline import cases, db
from hotline.permissions import Actor
from tests.conftest import sample_case
db.open_database({path!r})
actor = Actor.command_line("crash-test")
print("ready", flush=True)
n = 0
while True:
    case = cases.register(actor, sample_case(subject="断电测试 %d" % n))
    print(case.case_no, flush=True)
    n += 1
"""


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    db.open_database(path)
    db.close()
    printed: list[str] = []
    rng = random.Random(20261125)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for _ in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER.format(root=str(ROOT), path=str(path))],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        printed.extend(line.strip() for line in out.splitlines() if line.startswith("YS"))
    assert len(printed) > 20

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.open_database(path)
    try:
        stored = {c.case_no for c in Case.select(Case.case_no)}
        assert set(printed) <= stored
        assert len(stored) == Case.select().count()  # numbers unique
        assert audit.verify().ok
    finally:
        db.close()
