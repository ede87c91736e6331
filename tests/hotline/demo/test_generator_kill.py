"""A demo run killed at any moment (SIGKILL, SIGTERM, Ctrl-C) leaves no generator process
behind and nothing without its audit entry: each batch commits with the entry naming its rows.

The demo runs in a subprocess whose rows are made in a second process (as for big runs); the
test stops it once a batch is written and waits for the generator process to end (Linux's
pidfd: the generator is the demo's child, not ours).
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys

import pytest

from hotline import audit, db
from hotline.models import AuditEntry, Case, Enterprise
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    not hasattr(os, "pidfd_open"), reason="waits for a grandchild process with Linux's pidfd"
)

DRIVER = """
import multiprocessing, sys
sys.path.insert(0, sys.argv[1])
from hotline import db
from hotline.demo import generator
generator.SUBPROCESS_FROM = 1
generator.BATCH_CASES = 50
db.open_database(sys.argv[2])

def progress(done, total):
    pids = " ".join(str(child.pid) for child in multiprocessing.active_children())
    print("batch", done, pids, flush=True)

generator.generate(200_000, seed=3, progress=progress)
"""
GUARD_S = 60  # only if the generator never ends: the test fails instead of hanging


def _covered(table: str) -> set[int]:
    ids: set[int] = set()
    for entry in AuditEntry.select().where(
        (AuditEntry.action == "demo.batch") & (AuditEntry.entity == table)
    ):
        detail = json.loads(entry.detail)
        ids.update(range(detail["first_id"], detail["last_id"] + 1))
    return ids


def _gone(pidfd: int) -> bool:
    ready, _, _ = select.select([pidfd], [], [], GUARD_S)
    return bool(ready)


@pytest.mark.parametrize("stop", ["SIGKILL", "SIGTERM", "Ctrl-C"])
def test_a_stopped_demo_leaves_no_generator_and_nothing_unaudited(
    database_target: str, stop: str
) -> None:
    demo_run = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(ROOT), database_target],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job is
    )
    workers: list[int] = []
    pidfds: list[int] = []
    try:
        line = demo_run.stdout.readline() if demo_run.stdout else ""
        assert line.startswith("batch"), demo_run.stderr.read() if demo_run.stderr else ""
        workers = [int(pid) for pid in line.split()[2:]]
        assert workers, "the rows should be made in a second process"
        pidfds = [os.pidfd_open(pid) for pid in workers]
        if stop == "Ctrl-C":
            os.killpg(demo_run.pid, signal.SIGINT)  # the whole job, as a terminal sends it
        else:
            os.kill(demo_run.pid, getattr(signal, stop))
        # wait(), not communicate(): an orphaned generator would hold the pipes open.
        demo_run.wait()
        assert all(_gone(fd) for fd in pidfds), "the generator outlived the stopped demo"
    finally:
        for fd in pidfds:
            os.close(fd)
        if demo_run.poll() is None:
            demo_run.kill()
            demo_run.wait()
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for stream in (demo_run.stdout, demo_run.stderr):
            if stream is not None:
                stream.close()

    db.open_database(database_target)
    try:
        cases = {c.id for c in Case.select(Case.id)}
        enterprises = {e.id for e in Enterprise.select(Enterprise.id)}
        assert cases, "a batch was written before the demo was stopped"
        assert cases <= _covered("case"), "cases without their audit entry"
        assert enterprises <= _covered("enterprise")
        assert audit.verify().ok
    finally:
        db.close()
