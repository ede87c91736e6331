"""Intake, search and list paging on PostgreSQL beside SQLite, on the same data; with
``--rls``, each read as a person's own role (row-level security on) beside the owner.

(The province-scale figures of issue 19 are ``run_pg.py``'s; this script keeps the
SQLite-beside-PostgreSQL comparison and the row-level security ratios of issue 15.)

    .venv/bin/python benchmarks/run_pg_rls.py --pg postgresql://user:pw@127.0.0.1:5432/postgres
        [--cases 20000] [--seed 7] [--json results.json] [--sqlite FILE] [--rls]

Demo cases are written to a new SQLite file (or ``--sqlite FILE``, made once and kept), copied
with ``migrate-to`` into a new database created on the server (dropped at the end), and the
same operations are timed on both. The URL is of any database the role may connect to; the
role needs CREATEDB. ``--pg`` defaults to ``HOTLINE_TEST_PG``.

``--rls`` (the role needs CREATEROLE too) sets the server's database up as ``server setup``
does (owner, groups, grants, row-level security; docs/server-security.md) before the copy, adds
a manager and a department person, and times the reading operations twice more: as each
person's own login role (row-level security on: the manager gets no confidential caller's
row, the department only its department's cases) beside the same calls as the table owner
(row-level security off; for the department with the program's own rule, the same filter
the services apply), with the ratio. Intake is left out there: a person's writes wait for
the per-person sign-in (docs/server-security.md, section 9).
"""

from __future__ import annotations

import argparse
import itertools
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline import access, case_queries, cases, db  # noqa: E402
from hotline.case_queries import CaseFilter  # noqa: E402
from hotline.demo import generator  # noqa: E402
from hotline.enums import Role  # noqa: E402
from hotline.migrate_to import migrate  # noqa: E402
from hotline.models import Case, CaseContact, Enterprise  # noqa: E402
from hotline.permissions import Action, Actor  # noqa: E402
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
        c.contact_name
        for c in CaseContact.select(CaseContact.contact_name).limit(2000)
        if c.contact_name
    ]
    numbers = [c.case_no for c in Case.select(Case.case_no).limit(2000)]
    codes = [e.uscc for e in Enterprise.select(Enterprise.uscc).limit(500) if e.uscc]
    phones = [c.contact_phone for c in CaseContact.select(CaseContact.contact_phone).limit(2000)]

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


def run_suite(
    target: str,
    intake: int,
    seed: int,
    *,
    queries: dict[str, list[str]] | None = None,
    person: Actor | None = None,
) -> Timings:
    """Time the operations on ``target``; ``person``: read as that person (their session's
    list rule, their right to confidential callers) and leave intake out."""
    db.connect(target) if person is not None else db.open_database(target)
    if person is not None:
        access.begin_session(person)
    try:
        results: Timings = {}
        reveal = person is None or person.can(Action.CASE_VIEW_CONFIDENTIAL)
        for kind, words in (queries or _queries(seed)).items():
            cycle = iter(words * 3)
            results[f"search: {kind}"] = _measure(
                lambda c=cycle: search(next(c), limit=50, reveal_confidential=reveal), 60
            )
        first = case_queries.fetch_page(CaseFilter(), limit=100)
        results["list: first page of 100"] = _measure(
            lambda: case_queries.fetch_page(CaseFilter(), limit=100), 30
        )

        def deep_page() -> None:
            rows = first
            for _ in range(50):  # the 51st page, by keys
                if len(rows) < 100:
                    return
                rows = case_queries.fetch_page(
                    CaseFilter(), after=case_queries.page_key(rows[-1], "id"), limit=100
                )

        results["list: pages 2-51 (keyset)"] = _measure(deep_page, 3)
        results["list: sorted by deadline, page 1"] = _measure(
            lambda: case_queries.fetch_page(CaseFilter(view="in_progress"), sort="deadline"), 30
        )
        results["counters: view_counts"] = _measure(lambda: case_queries.view_counts(None), 10)
        if person is None:
            actor = Actor.command_line("bench")
            n = iter(range(10**6))
            results["intake: register one case"] = _measure(
                lambda: cases.register(actor, sample_case(subject=f"基准测试第{next(n)}件")), intake
            )
        return results
    finally:
        access.end_session()
        db.close()


# -- row-level security on and off -------------------------------------------------------------


def _server_database(admin: Any, pg_url: str, sqlite_path: Path) -> tuple[Any, Any]:
    """Set the new database up as ``server setup`` does, then copy the demo data in as its
    owner (``migrate-to`` wants an empty database: the tables setup made are dropped first and
    the ones the copy makes belong to the owner; ``server upgrade`` then puts the triggers,
    grants and policies on them). Returns the role names and the migration report."""
    from hotline.pg.server import setup
    from hotline.pg.server.names import RoleNames

    setup.run(pg_url, admin=("bench_admin", "基准管理员", "Bench-admin-1"))
    names = RoleNames.for_database(pg_url.rsplit("/", 1)[-1].split("?")[0])
    owner = psycopg2_connect(setup.with_role(pg_url, names.owner))
    with owner, owner.cursor() as cur:
        cur.execute(
            "SELECT string_agg(format('%I', tablename), ', ') FROM pg_tables "
            "WHERE schemaname = 'public'"
        )
        cur.execute(f"DROP TABLE {cur.fetchone()[0]} CASCADE")
    owner.close()
    report = migrate(sqlite_path, setup.with_role(pg_url, names.owner))
    setup.run(pg_url, upgrade_only=True)
    return names, report


def psycopg2_connect(url: str) -> Any:
    import psycopg2

    return psycopg2.connect(url)


def _people(pg_url: str, names: Any) -> dict[str, tuple[str, Actor]]:
    """A manager and a person of the department with the most cases: their login URLs and
    the actors the program would sign them in as."""
    from urllib.parse import quote, urlparse

    from hotline.pg.server import people, setup

    parsed = urlparse(pg_url)
    admin_login = names.login("bench_admin")
    admin = psycopg2_connect(
        parsed._replace(netloc=f"{quote(admin_login, safe='')}:Bench-admin-1@"
                               f"{parsed.hostname}:{parsed.port}").geturl()
    )  # fmt: skip
    found: dict[str, tuple[str, Actor]] = {}
    owner = psycopg2_connect(setup.with_role(pg_url, names.owner))
    with owner.cursor() as cur:
        cur.execute(
            'SELECT department_id FROM "case" WHERE department_id IS NOT NULL '
            "GROUP BY department_id ORDER BY count(*) DESC LIMIT 1"
        )
        department = int(cur.fetchone()[0])
    for username, role in (("bench_manager", Role.MANAGER), ("bench_dept", Role.DEPARTMENT)):
        login, password = names.login(username), f"Bench-{username}-1"
        with admin, admin.cursor() as cur:
            cur.execute(
                "SELECT hotline_create_person(%s, %s, %s, %s)",
                (username, username, role.value, people.verifier(admin, password, login)),
            )
        with owner, owner.cursor() as cur:
            cur.execute('SELECT id FROM "user" WHERE username = %s', (username,))
            user_id = int(cur.fetchone()[0])
            if role is Role.DEPARTMENT:
                cur.execute(
                    "INSERT INTO department_member (user_id, department_id) VALUES (%s, %s)",
                    (user_id, department),
                )
        url = parsed._replace(
            netloc=f"{quote(login, safe='')}:{quote(password, safe='')}@"
            f"{parsed.hostname}:{parsed.port}"
        ).geturl()
        dept = department if role is Role.DEPARTMENT else None
        found[username] = (url, Actor(username, role, user_id=user_id, department_id=dept))
    admin.close()
    owner.close()
    return found


def _drop_roles(admin: Any, prefix: str) -> None:
    with admin.cursor() as cur:
        cur.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s OR rolname LIKE %s "
            "ORDER BY rolcanlogin DESC",
            (prefix.replace("_", "\\_") + "\\_%", prefix.replace("_", "\\_") + ".%"),
        )
        for (name,) in cur.fetchall():
            cur.execute('DROP ROLE IF EXISTS "{}"'.format(name.replace('"', '""')))


def _print_rls(title: str, off: Timings, on: Timings) -> float:
    """Medians side by side and their ratio; the ratio of the fastest samples beside it
    (the cost of the work itself when other programs load the machine)."""
    print(f"\n{title}")
    print(
        f"{'operation':38} {'RLS off (owner)':>16} {'RLS on (person)':>16} {'ratio':>7} "
        f"{'ratio of fastest':>17}"
    )
    worst = 0.0
    for key in off:
        a, b = off[key]["median_ms"], on[key]["median_ms"]
        ratio = b / a if a else float("inf")
        fastest = on[key].get("min_ms", b) / (off[key].get("min_ms", a) or 1e-9)
        worst = max(worst, ratio)
        print(f"{key:38} {a:13.2f} ms {b:13.2f} ms {ratio:7.2f} {fastest:17.2f}")
    print(f"{'worst ratio of medians':38} {'':16} {'':16} {worst:7.2f}  (goal: each within 1.20)")
    return worst


def _reads(
    queries: dict[str, list[str]], reveal: bool
) -> dict[str, tuple[Callable[[], object], int]]:
    """The reading operations of :func:`run_suite` (name → call, samples)."""
    ops: dict[str, tuple[Callable[[], object], int]] = {}
    for kind, words in queries.items():
        cycle = itertools.cycle(words)
        ops[f"search: {kind}"] = (
            lambda c=cycle: search(next(c), limit=50, reveal_confidential=reveal),
            60,
        )

    def deep_page() -> None:
        rows = case_queries.fetch_page(CaseFilter(), limit=100)
        for _ in range(50):  # the 51st page, by keys
            if len(rows) < 100:
                return
            rows = case_queries.fetch_page(
                CaseFilter(), after=case_queries.page_key(rows[-1], "id"), limit=100
            )

    ops["list: first page of 100"] = (lambda: case_queries.fetch_page(CaseFilter(), limit=100), 30)
    ops["list: pages 1-51 (keyset)"] = (deep_page, 6)
    ops["list: sorted by deadline, page 1"] = (
        lambda: case_queries.fetch_page(CaseFilter(view="in_progress"), sort="deadline"),
        30,
    )
    ops["counters: view_counts"] = (lambda: case_queries.view_counts(None), 10)
    return ops


def _compare_rls(
    owner_url: str, people: dict[str, tuple[str, Actor]], seed: int
) -> dict[str, dict[str, Timings]]:
    """Each person's reads as their own role (RLS on) beside the same calls as the owner
    (RLS off), sample by sample in turns (off, on, on, off, …) on two open connections, so
    that the load of other programs on the machine weighs on both alike."""
    from hotline.models import database_proxy

    off = db.connect(owner_url)
    queries = _queries(seed)
    out: dict[str, dict[str, Timings]] = {}
    for username, (url, actor) in people.items():
        on = db.connect(url)
        access.begin_session(actor)
        try:
            sides = {"off": off, "on": on}
            samples: dict[str, dict[str, list[float]]] = {"off": {}, "on": {}}
            for name, (fn, repeat) in _reads(
                queries, actor.can(Action.CASE_VIEW_CONFIDENTIAL)
            ).items():
                for side in sides:  # once each before measuring: caches, plans
                    database_proxy.initialize(sides[side])
                    fn()
                for i in range(repeat):
                    for side in ("off", "on") if i % 2 == 0 else ("on", "off"):
                        database_proxy.initialize(sides[side])
                        start = time.perf_counter()
                        fn()
                        elapsed = (time.perf_counter() - start) * 1000
                        samples[side].setdefault(name, []).append(elapsed)
            out[username] = {
                side: {name: _summary(found) for name, found in by_name.items()}
                for side, by_name in samples.items()
            }
        finally:
            access.end_session()
            on.close()
    off.close()
    database_proxy.initialize(None)
    return out


def _summary(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "min_ms": samples[0],
        "median_ms": statistics.median(samples),
        "p95_ms": samples[min(len(samples) - 1, int(len(samples) * 0.95))],
        "n": len(samples),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("HOTLINE_TEST_PG"))
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--intake", type=int, default=200, help="cases registered per backend")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--sqlite", type=Path, help="the demo SQLite file: made there once, kept and reused"
    )
    parser.add_argument(
        "--rls", action="store_true", help="also time reads with row-level security on and off"
    )
    args = parser.parse_args(argv)
    if not args.pg:
        parser.error("give --pg URL or set HOTLINE_TEST_PG")

    import psycopg2

    from hotline.pg.server import setup
    from tests.backends import drop_database, with_database

    work = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    sqlite_path = args.sqlite or work / "bench.sqlite3"
    name = f"hotline_bench_{os.getpid()}"
    admin = psycopg2.connect(args.pg)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    pg_url = with_database(args.pg, name)
    names = None
    compared: dict[str, dict[str, Timings]] = {}
    try:
        start = time.perf_counter()
        if not sqlite_path.exists():
            db.open_database(sqlite_path)
            generator.generate(args.cases, seed=args.seed)
            db.close()
        made = time.perf_counter() - start
        target = pg_url
        if args.rls:
            names, report = _server_database(admin, pg_url, sqlite_path)
            target = setup.with_role(pg_url, names.owner)
        else:
            report = migrate(sqlite_path, pg_url)
        print(f"{args.cases} demo cases: written to SQLite in {made:.1f} s; "
              f"migrate-to PostgreSQL {report.seconds:.1f} s (verified: {report.ok})")  # fmt: skip
        sqlite = run_suite(str(sqlite_path), args.intake, args.seed)
        postgres = run_suite(target, args.intake, args.seed)
        if names is not None:
            compared = _compare_rls(target, _people(pg_url, names), args.seed)
    finally:
        db.close()
        drop_database(admin, name)
        if names is not None:
            _drop_roles(admin, names.prefix)
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
    titles = {
        "bench_manager": "A manager (no confidential callers' rows), medians",
        "bench_dept": "A department person (only the department's cases), medians",
    }
    for username, sides in compared.items():
        _print_rls(titles.get(username, username), sides["off"], sides["on"])
    if args.json:
        args.json.write_text(
            json.dumps(
                {"cases": args.cases, "migrate_seconds": report.seconds, "sqlite": sqlite,
                 "postgresql": postgres, "row_level_security": compared},
                indent=2,
            )
        )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
