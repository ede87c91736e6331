"""Adding and reading a 20 MB attachment beside writing and reading the same bytes with plain
SQL, in the same run, on SQLite and (with ``--pg`` or ``HOTLINE_TEST_PG``) PostgreSQL.

    .venv/bin/python benchmarks/run_attachments.py [--mb 20] [--runs 5] [--pg URL] [--json out.json]

For each backend a new database is made (on the server: a new database, dropped at the end;
the role needs CREATEDB). Measured, median of ``--runs``:

- add: ``hotline.attachments.service.add`` of a file on disk: type check, limits, 256 KiB
  chunks each with its SHA-256, the file's SHA-256, audit entry and timeline event, one
  transaction;
- read: ``service.save_as`` to a file: every chunk read and checked, the whole hash checked,
  written through ``output_files`` (fsync'ed, owner-only), audit entry;
- plain SQL write: the same bytes read from the file in the same chunks and inserted into a
  bare table (``id``, ``seq``, ``data``) with one INSERT per chunk, one transaction;
- plain SQL read: those rows selected one by one and written to a file (fsync'ed);
- peak Python memory (tracemalloc) while adding and while reading, in one more run that
  is not timed (tracing slows allocation down).

The target (issue 16): adding and reading within 2x of the plain SQL figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline import cases, db  # noqa: E402
from hotline.attachments import service  # noqa: E402
from hotline.attachments.schema import CHUNK_SIZE  # noqa: E402
from hotline.enums import Role  # noqa: E402
from hotline.permissions import Actor  # noqa: E402
from tests.conftest import sample_case  # noqa: E402
from tests.hotline.attachments.files import write_pdf_like  # noqa: E402

ACTOR = Actor("基准测试", Role.SHIFT_LEAD, None)
MB = 1 << 20


def make_file(folder: Path, size: int) -> tuple[Path, str]:
    path = folder / "bench.pdf"
    return path, write_pdf_like(path, size, os.urandom(1 << 20))


def timed(fn: Callable[[], object], traced: bool) -> tuple[float, int]:
    """Milliseconds, and the peak of Python's allocations when ``traced``."""
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        fn()
        elapsed = (time.perf_counter() - start) * 1000
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
    finally:
        if traced:
            tracemalloc.stop()
    return elapsed, peak


@contextmanager
def pg_database(url: str) -> Iterator[str]:
    import psycopg2

    name = f"hl_bench_att_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlparse(url)._replace(path="/" + quote(name)).geturl()
    finally:
        _drop(admin, name)
        admin.close()


def _drop(admin: object, name: str) -> None:
    """Drop the benchmark's database; an autovacuum worker may still be in it for a moment."""
    import psycopg2

    for _attempt in range(20):
        try:
            with admin.cursor() as cur:  # type: ignore[attr-defined]
                cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            return
        except psycopg2.errors.ObjectInUse:
            time.sleep(0.5)
    print(f"database {name} is still in use: drop it by hand", file=sys.stderr)


def plain_sql(database: object, source: Path, out: Path) -> tuple[float, float]:
    """Write the file's chunks into a bare table, then read them back to ``out``."""
    handle = db.current()
    blob = "BYTEA" if db.is_url(str(database)) else "BLOB"
    key = "SERIAL PRIMARY KEY" if blob == "BYTEA" else "INTEGER PRIMARY KEY"
    handle.execute_sql(
        f"CREATE TABLE IF NOT EXISTS bench_blob (id {key}, seq INTEGER, data {blob})"
    )
    handle.execute_sql("DELETE FROM bench_blob")
    p = handle.param
    start = time.perf_counter()
    with handle.atomic(), source.open("rb") as reader:
        seq = 0
        while piece := reader.read(CHUNK_SIZE):
            handle.execute_sql(
                f"INSERT INTO bench_blob (seq, data) VALUES ({p}, {p})", (seq, piece)
            )
            seq += 1
    write_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    with out.open("wb") as writer:
        for n in range(seq):
            (data,) = handle.execute_sql(
                f"SELECT data FROM bench_blob WHERE seq = {p}", (n,)
            ).fetchone()
            writer.write(bytes(data))
        writer.flush()
        os.fsync(writer.fileno())
    read_ms = (time.perf_counter() - start) * 1000
    return write_ms, read_ms


def run_backend(
    target: str, label: str, size: int, runs: int, folder: Path
) -> dict[str, float | str]:
    db.open_database(target)
    try:
        source, digest = make_file(folder, size)
        figures: dict[str, list[float]] = {
            k: [] for k in ("add", "read", "sql_write", "sql_read", "add_peak", "read_peak")
        }
        for n in range(runs + 1):  # the last run traces memory (tracemalloc slows it down)
            traced = n == runs
            case = cases.register(ACTOR, sample_case())
            add_ms, add_peak = timed(partial(service.add, ACTOR, case.id, source), traced)
            attachment_id = service.list_for_case(case.id, ACTOR)[0].id
            out = folder / f"read-{n}.pdf"
            read_ms, read_peak = timed(partial(service.save_as, ACTOR, attachment_id, out), traced)
            with out.open("rb") as check:
                assert hashlib.file_digest(check, "sha256").hexdigest() == digest
            out.unlink()
            if traced:
                figures["add_peak"].append(add_peak / MB)
                figures["read_peak"].append(read_peak / MB)
                continue
            sql_write, sql_read = plain_sql(target, source, folder / "plain.bin")
            (folder / "plain.bin").unlink()
            for key, value in (
                ("add", add_ms),
                ("read", read_ms),
                ("sql_write", sql_write),
                ("sql_read", sql_read),
            ):
                figures[key].append(value)
        result: dict[str, float | str] = {"backend": label, "mb": size / MB}
        for key, values in figures.items():
            result[key] = round(statistics.median(values), 2)
        result["add_ratio"] = round(float(result["add"]) / float(result["sql_write"]), 2)
        result["read_ratio"] = round(float(result["read"]) / float(result["sql_read"]), 2)
        return result
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", default=os.environ.get("HOTLINE_TEST_PG", ""))
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args()
    size = args.mb * MB
    results = []
    with tempfile.TemporaryDirectory(prefix="hotline-bench-att-") as tmp:
        folder = Path(tmp)
        os.environ["HOTLINE_HOME"] = str(folder / "home")
        results.append(
            run_backend(str(folder / "bench.sqlite3"), "sqlite", size, args.runs, folder)
        )
        if args.pg:
            with pg_database(args.pg) as url:
                results.append(run_backend(url, "postgresql", size, args.runs, folder))
    print(
        f"{'backend':<11} {'add ms':>8} {'SQL write':>10} {'ratio':>6} {'read ms':>8} {'SQL read':>9} {'ratio':>6} {'peak add MB':>12} {'peak read MB':>13}"
    )
    for r in results:
        print(
            f"{r['backend']:<11} {r['add']:>8} {r['sql_write']:>10} {r['add_ratio']:>6} "
            f"{r['read']:>8} {r['sql_read']:>9} {r['read_ratio']:>6} {r['add_peak']:>12} {r['read_peak']:>13}"
        )
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
