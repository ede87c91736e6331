"""The core's figures on a PostgreSQL server at province scale, each beside a raw SQL baseline.

    .venv/bin/python benchmarks/run_pg.py --pg postgresql://user:pw@127.0.0.1:5432/postgres
        [--cases 10000000] [--seed 7] [--json results.json] [--keep NAME | --reuse NAME]
        [--app] [--quick]

Creates a new database on the server (the role needs CREATEDB), builds the demo data into it
with the demo generator, whose rows go in with ``COPY`` batch by batch (never the whole data
in memory; the case and timeline tables' secondary indexes are built once after the load),
then measures, each beside a raw SQL baseline in the same run:

- the build, beside a bare ``COPY`` of the same case and timeline rows into copies of the
  tables (same indexes);
- one intake (``cases.register``: case, timeline, audit, search index) beside a bare one-row
  insert of a case and its event, each committed;
- search of every shape (1, 2, 3 and 8 Chinese characters, a credit code, a phone's last 4
  digits, a case number, part of an enterprise name; ``--samples`` calls each, query strings
  taken from the data and reused in turn) beside the bare GIN look-up of the same tokens;
- the first list page and a page 5,000,000 rows deep (half the data when there is less), by
  id and by received time, by key, beside SQL ``OFFSET``;
- the counts of every saved view beside one ``count(*) … GROUP BY status``;
- the busiest department's desk page beside the bare SQL of its rows;
- the weekly report (PDF) of the busiest week beside the bare SQL of its cases;
- the enterprise window of the enterprise with most cases beside the bare SQL of its rows;
- with ``--app``: ``run_app.py`` against the server (start-up, scrolling, memory);
- the sizes of every table and its indexes, and the server settings in force.

The database is dropped at the end unless ``--keep NAME`` names it; ``--reuse NAME`` measures
an existing one again without building. ``--pg`` defaults to ``HOTLINE_TEST_PG``; the URL is
of any database the role may connect to. ``--quick`` takes fewer samples (the CI's run).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline import case_queries, cases, clock, db, enterprises, worker_processes  # noqa: E402
from hotline.case_queries import CaseFilter  # noqa: E402
from hotline.db import write_transaction  # noqa: E402
from hotline.demo import generator  # noqa: E402
from hotline.permissions import Actor  # noqa: E402
from hotline.pg import copy  # noqa: E402
from hotline.pg.search import query_tokens  # noqa: E402
from hotline.search import index, search  # noqa: E402
from hotline.search.tokens import parse_query  # noqa: E402

Result = dict[str, Any]
PAGE = 100
DEEP = 5_000_000
# Tables the build loads with their secondary indexes dropped (built once afterwards).
LOADED_TABLES = ("case", "case_event")
SETTINGS = (
    "server_version",
    "shared_buffers",
    "work_mem",
    "maintenance_work_mem",
    "effective_cache_size",
    "random_page_cost",
    "max_wal_size",
    "checkpoint_timeout",
    "fsync",
    "synchronous_commit",
    "full_page_writes",
    "wal_level",
    "autovacuum",
    "autovacuum_vacuum_scale_factor",
    "autovacuum_analyze_scale_factor",
    "default_statistics_target",
    "jit",
    "max_parallel_workers_per_gather",
)


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of each of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 3),
        "n": len(ordered),
    }


def cycled(texts: Sequence[str], shape: str) -> Callable[[], str]:
    """The next text of ``texts`` at each call, round and round (any number of calls)."""
    if not texts:
        raise SystemExit(f"no query of shape {shape!r} could be taken from the data")
    turn = itertools.cycle(texts)
    return lambda: next(turn)


def sql(statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return list(db.current().execute_sql(statement, params).fetchall())


# --- build --------------------------------------------------------------------------------


def build(cases_wanted: int, seed: int) -> Result:
    """The demo data, COPYed batch by batch, secondary indexes built after, search index."""
    database = db.current()
    start = time.perf_counter()
    with write_transaction(), database.connection().cursor() as cur:
        secondary = [
            (drop, create)
            for drop, create in copy.index_statements(cur, LOADED_TABLES)
            if create.startswith("CREATE INDEX")
        ]
        for drop, _ in secondary:
            cur.execute(drop)
    written = generator.write_cases(cases_wanted, seed)
    rows_done = time.perf_counter()
    with write_transaction(), database.connection().cursor() as cur:
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _, create in secondary:
            cur.execute(create)
    indexes_done = time.perf_counter()
    with write_transaction():
        index.rebuild(workers=worker_processes.default_workers())
    search_done = time.perf_counter()
    database.execute_sql("ANALYZE")
    end = time.perf_counter()
    counts = {
        t: sql(f'SELECT count(*) FROM "{t}"')[0][0] for t in ("case", "case_event", "enterprise")
    }
    return {
        "cases": written,
        "seconds": round(end - start, 1),
        "rows_seconds": round(rows_done - start, 1),
        "indexes_seconds": round(indexes_done - rows_done, 1),
        "search_index_seconds": round(search_done - indexes_done, 1),
        "analyze_seconds": round(end - search_done, 1),
        "rows": counts,
        "rows_per_s": round(sum(counts.values()) / (rows_done - start)),
        "load_average": os.getloadavg(),
    }


def raw_copy_rate(limit: int) -> Result:
    """Bare COPY of the same case and timeline rows (out to a file, timed back in) into
    copies of the tables with the same indexes: what loading this data costs with no program
    logic and no row making."""
    database = db.current()
    out: Result = {}
    seconds, rows = 0.0, 0
    with tempfile.TemporaryDirectory(prefix="hotline-raw-") as work:
        for table, where in (("case", f"id <= {limit}"), ("case_event", f"case_id <= {limit}")):
            path = Path(work) / f"{table}.copy"
            with write_transaction(), database.connection().cursor() as cur:
                with path.open("w", encoding="utf-8") as sink:
                    cur.copy_expert(f'COPY (SELECT * FROM "{table}" WHERE {where}) TO STDOUT', sink)
                cur.execute(
                    f'CREATE TEMP TABLE "raw_{table}" (LIKE "{table}" INCLUDING INDEXES) '
                    "ON COMMIT DROP"
                )
                started = time.perf_counter()
                with path.open(encoding="utf-8") as source:
                    cur.copy_expert(f'COPY "raw_{table}" FROM STDIN', source, copy.READ_SIZE)
                seconds += time.perf_counter() - started
                cur.execute(f'SELECT count(*) FROM "raw_{table}"')
                rows += cur.fetchone()[0]
    out["cases"] = min(limit, sql('SELECT count(*) FROM "case"')[0][0])
    out["rows"] = rows
    out["seconds"] = round(seconds, 2)
    out["cases_per_s"] = round(out["cases"] / seconds) if seconds else 0
    out["rows_per_s"] = round(rows / seconds) if seconds else 0
    return out


# --- measures -----------------------------------------------------------------------------


def intake(rng: random.Random, count: int) -> Result:
    from hotline.models import Case, Enterprise

    actor = Actor.command_line("bench")
    known = list(Enterprise.select(Enterprise.name, Enterprise.uscc).limit(2000).tuples())
    subjects = [s for (s,) in Case.select(Case.subject).limit(2000).tuples()]
    samples = []
    for n in range(count):
        name, uscc = rng.choice(known)
        data = {
            "channel": "hotline",
            "kind": rng.choice(["complaint", "consultation", "help"]),
            "category": rng.choice(["approval", "policy", "utilities"]),
            "district": "410611",
            "enterprise": {"name": name, "uscc": uscc},
            "contact": {"name": "测试员", "phone": f"139{n:08d}"},
            "subject": rng.choice(subjects),
            "description": "基准测试登记的案件，描述企业反映的情况，长度与真实案件相当。" * 3,
            "request": "请尽快处理",
        }
        samples.extend(timed(lambda data=data: cases.register(actor, data), 1))
    return {"register": summary(samples), "raw_insert": summary(_raw_inserts(count))}


def _raw_inserts(count: int) -> list[float]:
    """A bare insert of one case row and one event row, committed, into copies of the tables."""
    database = db.current()
    case_columns = [r[0] for r in sql(_COLUMNS, ("case",))]
    event_columns = [r[0] for r in sql(_COLUMNS, ("case_event",))]
    case_row = list(sql('SELECT * FROM "case" ORDER BY id DESC LIMIT 1')[0])
    event_row = list(sql("SELECT * FROM case_event ORDER BY id DESC LIMIT 1")[0])
    with write_transaction():
        for table in ("case", "case_event"):
            database.execute_sql(f'CREATE TABLE "raw_{table}" (LIKE "{table}" INCLUDING ALL)')
    case_sql = _insert("raw_case", case_columns)
    event_sql = _insert("raw_case_event", event_columns)
    number = case_columns.index("case_no")
    samples = []
    try:
        for n in range(count):
            case_row[0] = event_row[0] = n + 1
            case_row[number] = f"RAW-{n}"
            event_row[1] = n + 1

            def one() -> None:
                with write_transaction():
                    database.execute_sql(case_sql, case_row)
                    database.execute_sql(event_sql, event_row)

            samples.extend(timed(one, 1))
    finally:
        with write_transaction():
            database.execute_sql('DROP TABLE "raw_case_event", "raw_case"')
    return samples


_COLUMNS = (
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND table_name = %s ORDER BY ordinal_position"
)


def _insert(table: str, columns: Sequence[str]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(["%s"] * len(columns))})'


def query_words(rng: random.Random, per_shape: int) -> dict[str, list[str]]:
    """Query strings of every shape, taken from rows spread over the whole data."""
    high = sql('SELECT max(id) FROM "case"')[0][0] or 1
    ids = sorted({rng.randint(1, high) for _ in range(per_shape * 40)})
    rows = sql(
        "SELECT c.case_no, k.contact_name, k.contact_phone, c.subject, c.description, "
        'e.name, e.uscc FROM "case" c LEFT JOIN enterprise e ON e.id = c.enterprise_id '
        "LEFT JOIN case_contact k ON k.case_id = c.id WHERE c.id = ANY(%s)",
        (ids,),
    )
    rng.shuffle(rows)

    def chinese(text: str, size: int) -> str | None:
        found = [run for run in re.findall(r"[\u4e00-\u9fff]+", text or "") if len(run) >= size]
        if not found:
            return None
        run = rng.choice(found)
        start = rng.randint(0, len(run) - size)
        return run[start : start + size]

    def trade(name: str) -> str:
        return re.sub(r"^(鹤壁市|鹤壁|河南省|河南|淇县|浚县|淇滨区|山城区|鹤山区|开发区)", "", name)

    shapes: dict[str, list[str | None]] = {
        "1 character": [chinese(r[3], 1) for r in rows],
        "2 characters": [trade(r[5])[:2] if r[5] else None for r in rows],
        "3 characters": [r[1] if r[1] and len(r[1]) == 3 else chinese(r[3], 3) for r in rows],
        "8 characters": [chinese(r[4], 8) for r in rows],
        "credit code": [r[6] for r in rows],
        "phone, last 4 digits": [r[2][-4:] if r[2] and len(r[2]) >= 4 else None for r in rows],
        "case number": [r[0] for r in rows],
        "enterprise name part": [chinese(trade(r[5] or ""), 4) for r in rows],
    }
    return {shape: [t for t in texts if t][:per_shape] for shape, texts in shapes.items()}


def _bare_gin(text: str) -> None:
    tokens = query_tokens(parse_query(text))
    sql(
        "SELECT case_id FROM case_search WHERE tokens @> %s::text[] ORDER BY case_id DESC LIMIT 51",
        (tokens,),
    )


def searches(words: dict[str, list[str]], samples: int) -> Result:
    out: Result = {}
    for shape, texts in words.items():
        word = cycled(texts, shape)
        hits = [len(search(t).case_ids) for t in texts]
        out[shape] = {
            "examples": texts[:3],
            "search": summary(timed(lambda word=word: search(word()), samples)),
            "raw_gin": summary(timed(lambda word=word: _bare_gin(word()), samples)),
            "mean_hits": round(statistics.mean(hits), 1),
        }
    return out


_OFFSET_SQL = (
    "SELECT c.id, c.case_no, c.received_at, c.kind, c.category, c.urgency, c.status, c.subject, "
    "e.name, c.district_id, d.name, c.deadline, c.contact_name_masked, c.contact_phone_masked, "
    'c.confidential, c.version FROM "case" c '
    "LEFT OUTER JOIN enterprise e ON e.id = c.enterprise_id "
    "LEFT OUTER JOIN department d ON d.id = c.department_id "
    "{where} ORDER BY {order} LIMIT %s OFFSET %s"
)


def pages(total: int, samples: int) -> Result:
    depth = min(DEEP, max(total // 2, 1))
    flt = CaseFilter()
    out: Result = {"depth": depth}
    out["first_page"] = {
        "keyset": summary(timed(lambda: case_queries.fetch_page(flt, limit=PAGE), samples)),
        "offset": summary(
            timed(lambda: sql(_OFFSET_SQL.format(where="", order="c.id DESC"), (PAGE, 0)), 5)
        ),
    }
    for sort, order in (("id", "c.id DESC"), ("received_at", "c.received_at DESC, c.id DESC")):
        key_sql = _OFFSET_SQL.format(where="", order=order)
        row = sql(key_sql, (1, depth - 1))[0]
        after = (row[0] if sort == "id" else row[2], row[0])
        keyset = timed(
            lambda sort=sort, after=after: case_queries.fetch_page(
                flt, sort=sort, after=after, limit=PAGE
            ),
            samples,
        )
        offset = timed(lambda key_sql=key_sql: sql(key_sql, (PAGE, depth)), 3)
        check = case_queries.fetch_page(flt, sort=sort, after=after, limit=PAGE)
        same = [r.id for r in check] == [r[0] for r in sql(key_sql, (PAGE, depth))]
        out[f"deep_by_{sort}"] = {
            "keyset": summary(keyset),
            "offset": summary(offset),
            "same_rows": same,
        }
    return out


def view_counts(samples: int) -> Result:
    counted = case_queries.view_counts(None)
    return {
        "views": len(counted),
        "all_views": summary(timed(lambda: case_queries.view_counts(None), samples)),
        "raw_group_by_status": summary(
            timed(lambda: sql('SELECT status, count(*) FROM "case" GROUP BY status'), samples)
        ),
        "counts": counted,
    }


def department_desk(samples: int) -> Result:
    department, cases_of = sql(
        'SELECT department_id, count(*) FROM "case" WHERE department_id IS NOT NULL '
        "GROUP BY department_id ORDER BY 2 DESC LIMIT 1"
    )[0]
    flt = CaseFilter(department_ids=(department,))
    where = f"WHERE c.department_id = {int(department)}"
    return {
        "department_id": department,
        "cases": cases_of,
        "first_page": summary(timed(lambda: case_queries.fetch_page(flt, limit=PAGE), samples)),
        "raw_sql": summary(
            timed(
                lambda: sql(_OFFSET_SQL.format(where=where, order="c.id DESC"), (PAGE, 0)), samples
            )
        ),
        "desk_view_counts": summary(
            timed(
                lambda: [
                    case_queries.count(CaseFilter(view=v, department_ids=(department,)))
                    for v in case_queries.DEPARTMENT_VIEWS
                ],
                max(3, samples // 10),
            )
        ),
    }


def weekly_report(runs: int) -> Result:
    from hotline.reports import gather, service
    from hotline.reports.weeks import IsoWeek

    monday, count = sql(
        "SELECT date_trunc('week', received_at)::date, count(*) FROM \"case\" "
        "WHERE received_at < date_trunc('week', now()) GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    )[0]
    week = IsoWeek.containing(monday)
    actor = Actor.command_line("bench")
    with tempfile.TemporaryDirectory(prefix="hotline-weekly-") as work:
        path = Path(work) / "weekly.pdf"
        made = timed(lambda: service.make_weekly_pdf(actor, week, path), runs)
        pages_made = service.count_pages(path)
    return {
        "week": f"{week.year}-W{week.week:02d}",
        "cases": count,
        "pdf": summary(made),
        "pages": pages_made,
        "gather": summary(timed(lambda: gather.gather_weekly(week), runs)),
        "raw_sql": summary(
            timed(
                lambda: sql(
                    'SELECT * FROM "case" WHERE received_at >= %s AND received_at < %s',
                    (week.start, week.end),
                ),
                runs,
            )
        ),
    }


def enterprise_window(samples: int) -> Result:
    enterprise, count = sql(
        'SELECT enterprise_id, count(*) FROM "case" WHERE enterprise_id IS NOT NULL '
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    )[0]
    limit = 500  # ui/enterprise/window.py CASE_LIMIT
    return {
        "enterprise_id": enterprise,
        "cases": count,
        "window": summary(timed(lambda: enterprises.enterprise_view(enterprise, limit), samples)),
        "raw_sql": summary(
            timed(
                lambda: sql(
                    'SELECT * FROM "case" WHERE enterprise_id = %s ORDER BY id DESC LIMIT %s',
                    (enterprise, limit),
                ),
                samples,
            )
        ),
    }


def sizes() -> Result:
    rows = sql(
        "SELECT c.relname, pg_relation_size(c.oid), pg_indexes_size(c.oid), "
        "pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = "
        "c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() "
        "ORDER BY 4 DESC"
    )
    mb = 1024 * 1024
    return {
        "database_mb": round(sql("SELECT pg_database_size(current_database())")[0][0] / mb),
        "tables": {
            name: {
                "table_mb": round(table / mb, 1),
                "indexes_mb": round(indexes / mb, 1),
                "total_mb": round(total / mb, 1),
            }
            for name, table, indexes, total in rows
            if total >= mb
        },
    }


def settings() -> dict[str, str]:
    return {name: sql(f"SHOW {name}")[0][0] for name in SETTINGS}


def app(url: str, runs: int, scroll_rows: int) -> Result:
    """``run_app.py`` against the server, in its own processes."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "run_app.py"),
                "--db",
                url,
                "--runs",
                str(runs),
                "--scroll-rows",
                str(scroll_rows),
                "--json",
                out.name,
            ],
            check=True,
        )
        loaded: Result = json.loads(Path(out.name).read_text())
        return loaded


# --- the run ------------------------------------------------------------------------------


def measure(url: str, args: argparse.Namespace, built: Result | None) -> Result:
    rng = random.Random(args.seed)
    samples = 20 if args.quick else args.samples
    db.open_database(url)
    try:
        total = sql('SELECT count(*) FROM "case"')[0][0]
        result: Result = {"cases": total, "settings": settings(), "when": str(clock.now())}
        if built:
            result["build"] = built
            result["raw_copy"] = raw_copy_rate(min(total, 200_000))
        result["sizes"] = sizes()
        result["search"] = searches(query_words(rng, 20), samples)
        result["pages"] = pages(total, samples)
        result["view_counts"] = view_counts(max(5, samples // 6))
        result["department_desk"] = department_desk(samples)
        result["enterprise_window"] = enterprise_window(max(5, samples // 6))
        result["weekly_report"] = weekly_report(1 if args.quick else 3)
        result["intake"] = intake(rng, 20 if args.quick else args.intake)
    finally:
        db.close()
    if args.app:
        result["app"] = app(url, 3, min(total, 1_000_000))
    return result


def table(result: Result) -> str:
    lines = [f"{result['cases']:,} cases on PostgreSQL {result['settings']['server_version']}"]
    if "build" in result:
        b, raw = result["build"], result["raw_copy"]
        lines.append(
            f"build: {b['seconds']} s (rows {b['rows_seconds']} s, indexes "
            f"{b['indexes_seconds']} s, search index {b['search_index_seconds']} s, analyze "
            f"{b['analyze_seconds']} s); bare COPY {raw['cases_per_s']:,} cases/s "
            f"({raw['rows_per_s']:,} rows/s)"
        )

    def row(name: str, figure: dict[str, float], raw: dict[str, float], raw_name: str) -> str:
        return (
            f"{name:42} {figure['median_ms']:9.2f} ms  p95 {figure['p95_ms']:9.2f}   "
            f"{raw_name} {raw['median_ms']:.2f} ms"
        )

    intake_ = result["intake"]
    lines.append(row("intake: one case", intake_["register"], intake_["raw_insert"], "bare insert"))
    for shape, s in result["search"].items():
        lines.append(row(f"search: {shape}", s["search"], s["raw_gin"], "bare GIN"))
    p = result["pages"]
    lines.append(
        row("list: first page", p["first_page"]["keyset"], p["first_page"]["offset"], "SQL")
    )
    for sort in ("id", "received_at"):
        deep = p[f"deep_by_{sort}"]
        lines.append(
            row(f"list: {p['depth']:,} deep by {sort}", deep["keyset"], deep["offset"], "OFFSET")
        )
    v = result["view_counts"]
    lines.append(
        row(f"counts of {v['views']} views", v["all_views"], v["raw_group_by_status"], "GROUP BY")
    )
    d = result["department_desk"]
    lines.append(row("department desk: first page", d["first_page"], d["raw_sql"], "SQL"))
    lines.append(
        f"{'department desk: its 7 view counts':42} {d['desk_view_counts']['median_ms']:9.2f} ms"
    )
    e = result["enterprise_window"]
    lines.append(row(f"enterprise window ({e['cases']} cases)", e["window"], e["raw_sql"], "SQL"))
    w = result["weekly_report"]
    lines.append(
        row(f"weekly report {w['week']} ({w['cases']} cases)", w["pdf"], w["raw_sql"], "SQL")
    )
    s = result["sizes"]
    lines.append(f"database {s['database_mb']:,} MB")
    for name, size in list(s["tables"].items())[:12]:
        lines.append(
            f"  {name:28} table {size['table_mb']:9,.1f} MB  indexes {size['indexes_mb']:9,.1f} MB"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("HOTLINE_TEST_PG"))
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--samples", type=int, default=60, help="timed calls of each measure")
    parser.add_argument("--intake", type=int, default=200, help="cases registered")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", metavar="NAME", help="build into NAME and keep it")
    parser.add_argument("--reuse", metavar="NAME", help="measure the existing database NAME")
    parser.add_argument("--app", action="store_true", help="also run run_app.py on the server")
    parser.add_argument("--quick", action="store_true", help="fewer samples (CI)")
    args = parser.parse_args(argv)
    if not args.pg:
        parser.error("give --pg URL or set HOTLINE_TEST_PG")

    import psycopg2

    from tests.backends import drop_database, with_database

    name = args.reuse or args.keep or f"hotline_bench_{os.getpid()}"
    admin = psycopg2.connect(args.pg)
    admin.autocommit = True
    url = with_database(args.pg, name)
    built = None
    try:
        if not args.reuse:
            admin.cursor().execute(f'CREATE DATABASE "{name}"')
            db.open_database(url)
            try:
                built = build(args.cases, args.seed)
            finally:
                db.close()
            print(f"built {built['cases']:,} cases in {built['seconds']} s", flush=True)
        result = measure(url, args, built)
    finally:
        db.close()
        if not (args.reuse or args.keep):
            drop_database(admin, name)
        admin.close()
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
