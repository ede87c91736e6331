"""Intake, search and list paging on PostgreSQL beside SQLite, on the same data.

    .venv/bin/python benchmarks/run_pg.py --pg postgresql://user:pw@127.0.0.1:55432/postgres
        [--cases 20000] [--seed 7] [--json results.json]

Demo cases are written to a new SQLite file, copied with ``migrate-to`` into a new database
created on the server (dropped at the end), and the same operations are timed on both. The
URL is of any database the role may connect to; the role needs CREATEDB. ``--pg`` defaults
to ``HOTLINE_TEST_PG``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline import case_queries, cases, db  # noqa: E402
from hotline.case_queries import CaseFilter  # noqa: E402
from hotline.demo import generator  # noqa: E402
from hotline.migrate_to import migrate  # noqa: E402
from hotline.models import Case, Enterprise  # noqa: E402
from hotline.permissions import Actor  # noqa: E402
from hotline.search import search  # noqa: E402
from tests.conftest import sample_case  # noqa: E402

Timings = dict[str, dict[str, float]]


def _measure(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": statistics.median(samples),
        "p95_ms": samples[min(len(samples) - 1, int(len(samples) * 0.95))],
        "n": len(samples),
    }


def _queries(seed: int) -> dict[str, list[str]]:
    """Query words taken from the data itself, by kind."""
    rng = random.Random(seed)
    names = [e.name for e in Enterprise.select(Enterprise.name).limit(500)]
    subjects = [c.subject for c in Case.select(Case.subject).limit(2000)]
    contacts = [
        c.contact_name for c in Case.select(Case.contact_name).limit(2000) if c.contact_name
    ]
    numbers = [c.case_no for c in Case.select(Case.case_no).limit(2000)]
    codes = [e.uscc for e in Enterprise.select(Enterprise.uscc).limit(500) if e.uscc]
    phones = [c.contact_phone for c in Case.select(Case.contact_phone).limit(2000)]

    def pick(texts: list[str], size: int, k: int = 20) -> list[str]:
        out = []
        for text in rng.sample(texts, min(k, len(texts))):
            start = rng.randint(0, max(0, len(text) - size))
            out.append(text[start : start + size])
        return out

    return {
        "1 character": pick(subjects, 1),
        "2-character name": [c[-2:] for c in rng.sample(contacts, min(20, len(contacts)))],
        "4-character phrase": pick(subjects, 4),
        "enterprise name part": pick(names, 3),
        "case number": rng.sample(numbers, min(20, len(numbers))),
        "credit code": rng.sample(codes, min(20, len(codes))),
        "phone, last 4 digits": [p[-4:] for p in rng.sample(phones, min(20, len(phones)))],
        "two words": [f"{a} {b}" for a, b in zip(pick(subjects, 2), pick(names, 2), strict=True)],
    }


def run_suite(target: str, intake: int, seed: int) -> Timings:
    db.open_database(target)
    try:
        results: Timings = {}
        queries = _queries(seed)
        for kind, words in queries.items():
            cycle = iter(words * 3)
            results[f"search: {kind}"] = _measure(lambda c=cycle: search(next(c), limit=50), 60)
        first = case_queries.fetch_page(CaseFilter(), limit=100)
        results["list: first page of 100"] = _measure(
            lambda: case_queries.fetch_page(CaseFilter(), limit=100), 30
        )

        def deep_page() -> None:
            rows = first
            for _ in range(50):  # the 51st page, by keys
                rows = case_queries.fetch_page(
                    CaseFilter(), after=case_queries.page_key(rows[-1], "id"), limit=100
                )

        results["list: pages 2-51 (keyset)"] = _measure(deep_page, 3)
        results["list: sorted by deadline, page 1"] = _measure(
            lambda: case_queries.fetch_page(CaseFilter(view="in_progress"), sort="deadline"), 30
        )
        results["counters: view_counts"] = _measure(lambda: case_queries.view_counts(None), 10)
        actor = Actor.command_line("bench")
        n = iter(range(10**6))
        results["intake: register one case"] = _measure(
            lambda: cases.register(actor, sample_case(subject=f"基准测试第{next(n)}件")), intake
        )
        return results
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("HOTLINE_TEST_PG"))
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--intake", type=int, default=200, help="cases registered per backend")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not args.pg:
        parser.error("give --pg URL or set HOTLINE_TEST_PG")

    import psycopg2

    from tests.backends import drop_database, with_database

    work = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    sqlite_path = work / "bench.sqlite3"
    name = f"hotline_bench_{os.getpid()}"
    admin = psycopg2.connect(args.pg)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    pg_url = with_database(args.pg, name)
    try:
        start = time.perf_counter()
        db.open_database(sqlite_path)
        generator.generate(args.cases, seed=args.seed)
        db.close()
        made = time.perf_counter() - start
        report = migrate(sqlite_path, pg_url)
        print(f"{args.cases} demo cases: written to SQLite in {made:.1f} s; "
              f"migrate-to PostgreSQL {report.seconds:.1f} s (verified: {report.ok})")  # fmt: skip
        sqlite = run_suite(str(sqlite_path), args.intake, args.seed)
        postgres = run_suite(pg_url, args.intake, args.seed)
    finally:
        db.close()
        drop_database(admin, name)
        admin.close()
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"\n{'operation':38} {'SQLite median':>14} {'p95':>8} {'PostgreSQL median':>18} {'p95':>8}"
    )
    for key in sqlite:
        s, p = sqlite[key], postgres[key]
        print(
            f"{key:38} {s['median_ms']:11.2f} ms {s['p95_ms']:8.2f} "
            f"{p['median_ms']:15.2f} ms {p['p95_ms']:8.2f}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"cases": args.cases, "migrate_seconds": report.seconds, "sqlite": sqlite,
                 "postgresql": postgres},
                indent=2,
            )
        )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
