"""The core's figures at scale, each beside a raw baseline measured in the same run.

    .venv/bin/python benchmarks/run_core.py --cases 1000000 [--seed 1] [--db FILE]
        [--reuse] [--json results.json]

Builds a new SQLite database with the demo generator (``--reuse`` measures an existing one
instead), then measures: the build rate beside raw ``executemany`` of the same rows into an
empty copy of the schema; database and search-index sizes (the index against the text it
indexes); one intake through ``cases.register`` beside a raw one-row insert; search for 2-,
3- and 8-character Chinese text, a credit code and a phone's last 4 digits beside the bare
FTS5 lookup; the first list page and a page 500,000 rows deep by key beside SQL ``OFFSET``.
Prints a table, then JSON. Targets (issue 2, at 1,000,000 cases on 2 cores) are checked in the last column.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline import case_queries, cases, db  # noqa: E402
from hotline.case_queries import CaseFilter  # noqa: E402
from hotline.demo import generator  # noqa: E402
from hotline.permissions import Actor  # noqa: E402
from hotline.search import search  # noqa: E402
from hotline.search.sqlite_backend import TABLES  # noqa: E402
from hotline.search.tokens import parse_query  # noqa: E402

Result = dict[str, Any]
INTAKES = 200
QUERIES_PER_SHAPE = 10
REPEAT = 5
PAGE = 100
DEEP = 500_000


def timed(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    """Milliseconds of each of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p90_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))], 3),
        "n": len(ordered),
    }


# --- build --------------------------------------------------------------------------------


def build(path: Path, cases_wanted: int, seed: int) -> Result:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
    db.open_database(path)
    start, cpu = time.perf_counter(), _cpu_seconds()
    written = generator.generate(cases_wanted, seed)  # rows and their search-index rows together
    seconds = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu
    rows = {
        table: db.current().execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        for table in ("case", "case_event", "enterprise")
    }
    return {
        "cases": written,
        "seconds": round(seconds, 1),
        "cases_per_s": round(written / seconds),
        "cpu_s": round(cpu, 1),  # this process and the generator process together
        "load_average": os.getloadavg(),  # other programs on the machine slow the build
        "rows": rows,
        "rows_per_s": round(sum(rows.values()) / seconds),
    }


def _cpu_seconds() -> float:
    """Processor time of this process and of its finished children (the row generator)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _chunks(conn: sqlite3.Connection, sql: str, size: int) -> Iterator[list[tuple[Any, ...]]]:
    cursor = conn.execute(sql)
    while rows := cursor.fetchmany(size):
        yield rows


def raw_baseline(source: Path, work: Path, limit: int) -> Result:
    """The same case and event rows, written with bare executemany into an empty copy of
    the schema (same indexes): what writing this data costs without any program logic."""
    target = work / "baseline.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{target}{suffix}").unlink()
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode=wal", "synchronous=normal", "cache_size=-32000", "foreign_keys=1"):
        dst.execute(f"PRAGMA {pragma}")
    tables = ("district", "user", "department", "enterprise", "case", "case_event")
    for (sql,) in src.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN "
        f"({','.join('?' * len(tables))}) ORDER BY type DESC",
        tables,
    ):
        dst.execute(sql)
    dst.execute("BEGIN")
    dst.executemany("INSERT INTO district VALUES (?, ?, ?)", src.execute("SELECT * FROM district"))
    dst.executemany(
        "INSERT INTO department VALUES (?, ?, ?, ?, ?, ?)", src.execute("SELECT * FROM department")
    )
    dst.execute("COMMIT")
    spent, cases_written, rows_written = 0.0, 0, 0
    plans = [
        ("enterprise", "SELECT * FROM enterprise", 9),
        ("case", f'SELECT * FROM "case" WHERE id <= {limit}', 37),
        (
            "case_event",
            "SELECT case_id, at, actor_name, user_id, action, internal, text, data "
            f"FROM case_event WHERE case_id <= {limit}",
            8,
        ),
    ]
    for table, select, width in plans:
        marks = ",".join("?" * width)
        columns = (
            ""
            if width in (9, 37)
            else "(case_id, at, actor_name, user_id, action, internal, text, data)"
        )
        for rows in _chunks(src, select, 100_000):
            start = time.perf_counter()
            dst.execute("BEGIN")
            dst.executemany(f'INSERT INTO "{table}" {columns} VALUES ({marks})', rows)
            dst.execute("COMMIT")
            spent += time.perf_counter() - start
            rows_written += len(rows)
            if table == "case":
                cases_written += len(rows)
    single = _raw_single_inserts(dst)
    src.close()
    dst.close()
    return {
        "cases": cases_written,
        "rows": rows_written,
        "seconds": round(spent, 1),
        "cases_per_s": round(cases_written / spent) if spent else None,
        "rows_per_s": round(rows_written / spent) if spent else None,
        "single_insert": single,
    }


def _raw_single_inserts(conn: sqlite3.Connection) -> dict[str, float]:
    """One case row and one event row per transaction, like one intake without any logic."""
    row = conn.execute('SELECT * FROM "case" ORDER BY id DESC LIMIT 1').fetchone()
    if row is None:
        return {}
    next_id = row[0] + 1
    samples = []
    for n in range(INTAKES):
        values = (next_id + n, f"XX{n:08d}-0001", *row[2:])
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(f'INSERT INTO "case" VALUES ({",".join("?" * len(values))})', values)
        conn.execute(
            "INSERT INTO case_event (case_id, at, actor_name, user_id, action, internal, text, "
            "data) VALUES (?, ?, 'bench', NULL, 'register', 0, '', '{}')",
            (next_id + n, row[15]),
        )
        conn.execute("COMMIT")
        samples.append((time.perf_counter() - start) * 1000)
    return summary(samples)


# --- sizes --------------------------------------------------------------------------------

_INDEXED_TEXT_SQL = """
SELECT
  (SELECT SUM(length(CAST(c.case_no AS BLOB)) + length(CAST(c.subject AS BLOB))
            + length(CAST(c.description AS BLOB)) + length(CAST(c.request AS BLOB))
            + length(CAST(k.contact_name AS BLOB)) + length(CAST(k.contact_phone AS BLOB))
            + COALESCE(length(CAST(e.name AS BLOB)), 0) + COALESCE(length(e.uscc), 0))
     FROM "case" c LEFT JOIN enterprise e ON e.id = c.enterprise_id
     JOIN case_contact k ON k.case_id = c.id),
  (SELECT SUM(length(CAST(text AS BLOB))) FROM case_event),
  (SELECT SUM(length(CAST(name AS BLOB)) + COALESCE(length(uscc), 0)) FROM enterprise)
"""


def sizes() -> Result:
    database = db.current()
    page_size = database.execute_sql("PRAGMA page_size").fetchone()[0]
    page_count = database.execute_sql("PRAGMA page_count").fetchone()[0]
    by_table: dict[str, int] = {}
    for name, size in database.execute_sql(
        "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
    ):
        by_table[name] = int(size)
    fts = sum(size for name, size in by_table.items() if name.startswith(TABLES))
    case_text, event_text, enterprise_text = database.execute_sql(_INDEXED_TEXT_SQL).fetchone()
    indexed = int(case_text or 0) + int(event_text or 0) + int(enterprise_text or 0)
    return {
        "database_bytes": page_size * page_count,
        "index_bytes": fts,
        "indexed_text_bytes": indexed,
        "index_to_text": round(fts / indexed, 3) if indexed else None,
        "largest": dict(list(by_table.items())[:8]),
    }


# --- intake, search, pages ----------------------------------------------------------------


def intake(rng: random.Random) -> Result:
    from hotline.models import Case, Enterprise

    actor = Actor.command_line("bench")
    enterprises = list(Enterprise.select(Enterprise.name, Enterprise.uscc).limit(2000).tuples())
    subjects = [s for (s,) in Case.select(Case.subject).limit(2000).tuples()]
    samples = []
    for n in range(INTAKES):
        name, uscc = rng.choice(enterprises)
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
        samples.extend(timed(lambda data=data: cases.register(actor, data)))
    return summary(samples)


def query_words(rng: random.Random) -> dict[str, list[str]]:
    """Query strings of each shape that occur in the data."""
    from hotline.models import Case, CaseContact, Enterprise

    high = db.current().execute_sql('SELECT MAX(id) FROM "case"').fetchone()[0] or 1
    ids = [rng.randint(1, high) for _ in range(400)]
    rows = list(
        Case.select(
            CaseContact.contact_name,
            Case.description,
            Enterprise.name,
            Enterprise.uscc,
            CaseContact.contact_phone,
        )
        .join(Enterprise)
        .switch(Case)
        .join(CaseContact, on=(CaseContact.case == Case.id))
        .where(Case.id.in_(ids))
        .tuples()
    )
    rng.shuffle(rows)
    trade = [
        re.sub(r"^(鹤壁市|鹤壁|河南省|河南|淇县|浚县|淇滨区|山城区|鹤山区|开发区)", "", r[2])[:2]
        for r in rows
    ]
    names = [r[0] for r in rows if len(r[0]) == 3]
    phrases = []
    for r in rows:
        runs = [m for m in re.findall(r"[\u4e00-\u9fff]{8,}", r[1])]
        if runs:
            run = rng.choice(runs)
            start = rng.randint(0, len(run) - 8)
            phrases.append(run[start : start + 8])
    codes = [r[3] for r in rows if r[3]]
    tails = [r[4][-4:] for r in rows if len(r[4]) >= 4]
    k = QUERIES_PER_SHAPE
    return {
        "2-character": trade[:k],
        "3-character": names[:k],
        "8-character": phrases[:k],
        "credit code": codes[:k],
        "phone, last 4 digits": tails[:k],
    }


def _fts_only(text: str) -> None:
    """The bare FTS5 lookup of the table the search asks: the code index for codes."""
    terms = parse_query(text)
    table, field = (
        ("case_code_fts", "code") if any(t.code for t in terms) else ("case_fts", "match")
    )
    expression = " AND ".join(f"({getattr(t, field)})" for t in terms if getattr(t, field))
    db.current().execute_sql(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 51",
        (expression,),
    ).fetchall()


def searches(words: dict[str, list[str]]) -> Result:
    out: Result = {}
    for shape, texts in words.items():
        plain, loaded, raw, hits = [], [], [], []
        for text in texts:
            plain.extend(timed(lambda text=text: search(text), REPEAT))
            loaded.extend(timed(lambda text=text: cases.load_many(search(text).case_ids), REPEAT))
            raw.extend(timed(lambda text=text: _fts_only(text), REPEAT))
            hits.append(len(search(text).case_ids))
        out[shape] = {
            "examples": texts[:3],
            "search": summary(plain),
            "search_and_load": summary(loaded),
            "raw_fts": summary(raw),
            "mean_hits": round(statistics.mean(hits), 1) if hits else 0,
        }
    return out


_OFFSET_SQL = (
    "SELECT c.id, c.case_no, c.received_at, c.kind, c.category, c.urgency, c.status, c.subject, "
    "e.name, c.district_id, d.name, c.deadline, c.contact_name_masked, c.contact_phone_masked, "
    'c.confidential, c.version FROM "case" c '
    "LEFT OUTER JOIN enterprise e ON e.id = c.enterprise_id "
    "LEFT OUTER JOIN department d ON d.id = c.department_id "
    "ORDER BY {order} LIMIT ? OFFSET ?"
)


def pages(total: int) -> Result:
    depth = min(DEEP, max(total - PAGE, 0))
    database = db.current()
    flt = CaseFilter()
    out: Result = {"depth": depth}
    first = timed(lambda: case_queries.fetch_page(flt, limit=PAGE), 20)
    out["first_page"] = summary(first)
    for sort, order in (("id", "c.id DESC"), ("received_at", "c.received_at DESC, c.id DESC")):
        key_sql = _OFFSET_SQL.format(order=order)
        row = database.execute_sql(key_sql, (1, depth - 1)).fetchone() if depth else None
        if row is None:
            continue
        after = (row[0] if sort == "id" else row[2], row[0])
        keyset = timed(
            lambda sort=sort, after=after: case_queries.fetch_page(
                flt, sort=sort, after=after, limit=PAGE
            ),
            20,
        )
        offset = timed(lambda sql=key_sql: database.execute_sql(sql, (PAGE, depth)).fetchall(), 5)
        check = case_queries.fetch_page(flt, sort=sort, after=after, limit=PAGE)
        same = [r.id for r in check] == [
            r[0] for r in database.execute_sql(key_sql, (PAGE, depth)).fetchall()
        ]
        out[f"deep_by_{sort}"] = {
            "keyset": summary(keyset),
            "offset": summary(offset),
            "same_rows": same,
        }
    return out


# --- report -------------------------------------------------------------------------------


def table(result: Result) -> str:
    lines = [
        "| what | figure | raw baseline (same run) | target | met |",
        "|---|---|---|---|---|",
    ]
    b, base = result.get("build"), result.get("baseline", {})
    if b:
        lines.append(
            f"| build {b['cases']:,} demo cases with their search index ({b['cpu_s']} s of CPU; "
            f"load average {b['load_average'][0]:.1f}) "
            f"| {b['seconds']} s = {b['cases_per_s']:,} cases/s ({b['rows_per_s']:,} rows/s) "
            f"| executemany of the same rows: {base.get('cases_per_s') or 0:,} cases/s "
            f"({base.get('rows_per_s') or 0:,} rows/s) "
            f"| < 180 s at 1M | {'yes' if b['seconds'] * 1_000_000 / max(b['cases'], 1) < 180 else 'no'} |"
        )
    s = result["sizes"]
    mb = 1024 * 1024
    lines.append(f"| database size | {s['database_bytes'] / mb:,.0f} MB | | | |")
    lines.append(
        f"| search index size | {s['index_bytes'] / mb:,.0f} MB = {s['index_to_text']:.0%} of the "
        f"{s['indexed_text_bytes'] / mb:,.0f} MB it indexes | | ≤ 50% | "
        f"{'yes' if s['index_to_text'] is not None and s['index_to_text'] <= 0.5 else 'no'} |"
    )
    i = result["intake"]
    single = base.get("single_insert", {})
    lines.append(
        f"| intake of one case (cases.register, median of {i['n']}; p90) "
        f"| {i['median_ms']:.2f} ms; {i['p90_ms']:.2f} ms "
        f"| raw insert of case + event row: {single.get('median_ms', float('nan')):.2f} ms "
        f"| < 5 ms | {'yes' if i['median_ms'] < 5 else 'no'} |"
    )
    for shape, figures in result["search"].items():
        s_, r_, l_ = figures["search"], figures["raw_fts"], figures["search_and_load"]
        lines.append(
            f"| search, {shape} (median; p90; with rows loaded) "
            f"| {s_['median_ms']:.2f} ms; {s_['p90_ms']:.2f} ms; {l_['median_ms']:.2f} ms "
            f"| bare FTS5 MATCH: {r_['median_ms']:.2f} ms | < 20 ms | {'yes' if s_['median_ms'] < 20 else 'no'} |"
        )
    p = result["pages"]
    lines.append(
        f"| first page of {PAGE} (fetch_page) | {p['first_page']['median_ms']:.2f} ms | | < 5 ms "
        f"| {'yes' if p['first_page']['median_ms'] < 5 else 'no'} |"
    )
    for sort in ("id", "received_at"):
        deep = p.get(f"deep_by_{sort}")
        if deep:
            lines.append(
                f"| page {p['depth']:,} rows deep, by {sort} (keyset) "
                f"| {deep['keyset']['median_ms']:.2f} ms "
                f"| SQL OFFSET: {deep['offset']['median_ms']:.1f} ms "
                f"| < 5 ms | {'yes' if deep['keyset']['median_ms'] < 5 else 'no'} |"
            )
    return "\n".join(lines)


def measure(args: argparse.Namespace, work: Path) -> Result:
    path = args.db or work / "bench.sqlite3"
    rng = random.Random(args.seed)
    result: Result = {"cases_asked": args.cases, "sqlite": sqlite3.sqlite_version}
    if args.reuse:
        db.open_database(path)
    else:
        result["build"] = build(path, args.cases, args.seed)
        print("built:", json.dumps(result["build"]), flush=True)
    total = db.current().execute_sql('SELECT COUNT(*) FROM "case"').fetchone()[0]
    result["sizes"] = sizes()
    result["search"] = searches(query_words(rng))
    result["pages"] = pages(total)
    result["intake"] = intake(rng)
    db.close()
    result["baseline"] = raw_baseline(path, work, limit=min(total, 200_000))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path, help="where to build (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="measure --db as it is")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    made_home = "HOTLINE_HOME" not in os.environ
    if made_home:
        os.environ["HOTLINE_HOME"] = tempfile.mkdtemp(prefix="hotline-bench-home-")
    work = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    try:
        result = measure(args, work)
    finally:  # the baseline copy (and a database built in the temporary folder) go
        shutil.rmtree(work, ignore_errors=True)
        if made_home:
            shutil.rmtree(os.environ["HOTLINE_HOME"], ignore_errors=True)
    print(table(result))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
