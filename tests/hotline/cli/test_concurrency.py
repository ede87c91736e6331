"""Several processes registering cases in one SQLite file at the same moment."""

from __future__ import annotations

import io
import json
import multiprocessing
import sqlite3
from pathlib import Path

from tests.conftest import sample_case
from tests.hotline.cli.conftest import add_account

PROCESSES = 4
PER_PROCESS = 50


def _register(target: str, worker: int, start: object) -> list[str]:
    """One process: wait for the others, then 50 intakes through the command line."""
    from hotline import cli

    start.wait()  # type: ignore[attr-defined]
    numbers = []
    for n in range(PER_PROCESS):
        case = sample_case(subject=f"并发登记 {worker}-{n}", received_at="2026-03-02T10:00:00")
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(
            ["--db", target, "--user", f"worker{worker}", "--json", "intake", "-"],
            stdin=io.StringIO(json.dumps(case)),
            stdout=out,
            stderr=err,
        )
        assert code == 0, err.getvalue()
        numbers.extend(row["case_no"] for row in json.loads(out.getvalue()))
    return numbers


def test_numbers_stay_unique_across_processes(tmp_path: Path) -> None:
    target = tmp_path / "shared.sqlite3"
    from hotline import db

    db.open_database(target)  # schema first, so no process has to migrate
    db.close()
    for worker in range(PROCESSES):
        add_account(target, f"worker{worker}", f"坐席{worker}")
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        start = manager.Event()
        with context.Pool(PROCESSES) as pool:
            pending = [
                pool.apply_async(_register, (str(target), worker, start))
                for worker in range(PROCESSES)
            ]
            start.set()
            results = [p.get(timeout=300) for p in pending]
    numbers = [number for chunk in results for number in chunk]
    assert len(numbers) == PROCESSES * PER_PROCESS
    assert len(set(numbers)) == len(numbers)
    with sqlite3.connect(target) as conn:
        stored = {row[0] for row in conn.execute('SELECT case_no FROM "case"')}
        last = conn.execute("SELECT last FROM case_counter WHERE day = '20260302'").fetchone()[0]
    assert stored == set(numbers)
    # Numbers of one day run 1..N without gaps: every allocation was used.
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, last + 1))
