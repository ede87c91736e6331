"""Knowledge suggestions and the knowledge window's search at scale, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/run_knowledge.py --articles 20000 --cases 1000000
        [--pg postgresql://…] [--json results.json]

A new SQLite database and a new PostgreSQL database (dropped at the end) each get ``--cases``
demo cases (with the demo knowledge base), then demo articles varied by district, enterprise
kind and wording until there are ``--articles``. On each the same queries are timed: suggestions for 20-character descriptions (callers' phrasings from the
search-quality test, cut or filled to 20 characters), the window's search by words, by pinyin
initials and by words with a category filter, each beside the bare SQL of the ranked token
look-up (one GROUP BY over the query's bigrams, no weights, no filters, no rows read).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
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

from peewee import fn  # noqa: E402

from hotline import clock, db  # noqa: E402
from hotline.db import write_transaction  # noqa: E402
from hotline.demo import generator  # noqa: E402
from hotline.demo import knowledge as demo_knowledge  # noqa: E402
from hotline.knowledge import search  # noqa: E402
from hotline.knowledge.schema import KnowledgeArticle, KnowledgeVersion  # noqa: E402
from hotline.knowledge.search import Filters  # noqa: E402
from hotline.models import Department, database_proxy, tuples  # noqa: E402
from hotline.permissions import Actor  # noqa: E402
from hotline.seed import DISTRICTS  # noqa: E402
from tests.hotline.knowledge.phrasings import PHRASINGS  # noqa: E402

KINDS = (
    "有限公司",
    "个体户",
    "分支机构",
    "外资企业",
    "小微企业",
    "农业企业",
    "物流企业",
    "餐饮企业",
)
WORDS = ("办理", "窗口", "网上", "材料", "时限", "流程", "条件", "费用", "政策", "咨询")


def _measure(fn: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def add_articles(total: int, seed: int) -> int:
    """Demo articles varied until the base holds ``total``; returns how many were added."""
    have = KnowledgeArticle.select().count()
    if have >= total:
        return 0
    rng = random.Random(seed)
    seeds = list(demo_knowledge.seeds())
    departments = dict(tuples(Department.select(Department.code, Department.id)))
    now = clock.now().replace(microsecond=0)
    rows = []
    for number in range(total - have):
        item = seeds[number % len(seeds)]
        district = DISTRICTS[number % len(DISTRICTS)][1]
        kind = KINDS[(number // len(seeds)) % len(KINDS)]
        extra = "".join(rng.sample(WORDS, 3))
        rows.append(
            {
                "title": f"{item.title}（{district}{kind}）"[:100],
                "questions": "\n".join(f"{district}{q}" for q in item.questions),
                "answer": f"{item.answer}\n\n{district}{kind}{extra}：详见{district}政务服务中心。",
                "category": item.category,
                "department": departments.get(item.department),
                "source_name": item.source_name,
                "source_number": item.source_number,
                "review_on": clock.today() + dt.timedelta(days=rng.randint(-30, 500)),
                "status": "published",
                "version": 1,
                "initials": "",
                "created_at": now,
                "updated_at": now,
                "updated_by_name": "benchmark",
            }
        )
    with write_transaction():
        first = (KnowledgeArticle.select(fn.MAX(KnowledgeArticle.id)).scalar() or 0) + 1
        for start in range(0, len(rows), 500):
            KnowledgeArticle.insert_many(rows[start : start + 500]).execute()
        ids = [
            i
            for (i,) in tuples(
                KnowledgeArticle.select(KnowledgeArticle.id).where(KnowledgeArticle.id >= first)
            )
        ]
        versions = [
            {
                "article": i, "version": 1, "title": r["title"], "questions": r["questions"],
                "answer": r["answer"], "category": r["category"], "status": "published",
                "changed_at": now, "changed_by_name": "benchmark", "change": '["created"]',
            }
            for i, r in zip(ids, rows, strict=False)
        ]  # fmt: skip
        for start in range(0, len(versions), 500):
            KnowledgeVersion.insert_many(versions[start : start + 500]).execute()
        search.index_articles(ids)
    return len(ids)


def descriptions() -> list[str]:
    """Callers' phrasings as 20-character descriptions."""
    out = []
    for phrasing, _title in PHRASINGS:
        text = phrasing
        while len(text) < 20:
            text += "，请帮忙看看"
        out.append(text[:20])
    return out


def _bare(text: str) -> Callable[[], object]:
    """The ranked token look-up alone: bigrams in, best ids out."""
    tokens = [t for t in search.tokens(text) if t not in search.STOP_BIGRAMS]
    handle = database_proxy.obj
    marks = ", ".join(handle.param for _ in tokens)
    sql = (
        f"SELECT article_id FROM knowledge_token WHERE token IN ({marks}) "
        f"GROUP BY article_id ORDER BY COUNT(*) DESC LIMIT 5"
    )
    return lambda: handle.execute_sql(sql, tokens).fetchall()


def run_suite(target: str) -> dict[str, dict[str, float]]:
    db.open_database(target)
    actor = Actor.command_line()
    results: dict[str, dict[str, float]] = {}
    try:
        texts = descriptions()
        for text in texts[:3]:  # warm the caches
            search.suggest(actor, "", text)
        program = [_measure(lambda t=t: search.suggest(actor, "", t)) for t in texts]
        bare = [_measure(_bare(t)) for t in texts]
        results["suggest, 20-character description"] = {
            "median_ms": statistics.median(program),
            "max_ms": max(program),
            "bare_ms": statistics.median(bare),
        }
        words = ["营业执照", "增值税", "社保缴费", "排污许可", "不动产抵押", "首错免罚", "用电报装"]
        program = [_measure(lambda w=w: search.search(actor, w)) for w in words]
        bare = [_measure(_bare(w)) for w in words]
        results["window search, words"] = {
            "median_ms": statistics.median(program),
            "max_ms": max(program),
            "bare_ms": statistics.median(bare),
        }
        flt = Filters(category="行政许可")
        program = [_measure(lambda w=w: search.search(actor, w, flt)) for w in words]
        results["window search, words + category"] = {
            "median_ms": statistics.median(program),
            "max_ms": max(program),
            "bare_ms": statistics.median(bare),
        }
        initials = ["yyzz", "zzs", "sbj", "pwxk", "bdc"]
        program = [_measure(lambda w=w: search.search(actor, w)) for w in initials]
        results["window search, pinyin initials"] = {
            "median_ms": statistics.median(program),
            "max_ms": max(program),
            "bare_ms": 0.0,
        }
        results["window list, no words (newest 200)"] = {
            "median_ms": _measure(lambda: search.search(actor, "")),
            "max_ms": 0.0,
            "bare_ms": 0.0,
        }
    finally:
        db.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("HOTLINE_TEST_PG"))
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--copy-sqlite",
        type=Path,
        help="an SQLite database with cases (run_core.py --db): measured on a copy of it",
    )
    parser.add_argument(
        "--copy-pg",
        metavar="NAME",
        help="a database with cases on the --pg server (run_pg.py --keep NAME): measured on a "
        "copy of it (CREATE DATABASE … TEMPLATE NAME)",
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="hotline-kb-bench-"))
    targets = {"sqlite": str(work / "bench.sqlite3")}
    copied = set()
    if args.copy_sqlite:
        shutil.copyfile(args.copy_sqlite, targets["sqlite"])
        copied.add("sqlite")
    admin = name = None
    if args.pg:
        import psycopg2

        from tests.backends import with_database

        name = f"hotline_kb_bench_{os.getpid()}"
        admin = psycopg2.connect(args.pg)
        admin.autocommit = True
        template = f' TEMPLATE "{args.copy_pg}"' if args.copy_pg else ""
        admin.cursor().execute(f'CREATE DATABASE "{name}"{template}')
        targets["postgresql"] = with_database(args.pg, name)
        if args.copy_pg:
            copied.add("postgresql")
    results: dict[str, dict[str, dict[str, float]]] = {}
    count = cases_there = 0
    try:
        for backend, target in targets.items():
            start = time.perf_counter()
            db.open_database(target)
            if backend not in copied:
                generator.generate(args.cases, seed=args.seed)
            made = time.perf_counter() - start
            from hotline.models import Case

            cases_there = Case.select().count()
            start = time.perf_counter()
            added = add_articles(args.articles, args.seed)
            seconds = time.perf_counter() - start
            count = KnowledgeArticle.select().count()
            db.close()
            if backend == "postgresql":
                # As autovacuum does soon after such an import (its insert threshold): the
                # statistics, and the visibility map that lets the token look-ups read the
                # index alone (without it a suggestion took 31 ms instead of 8 here).
                import psycopg2

                with contextlib.closing(psycopg2.connect(target)) as maintenance:
                    maintenance.autocommit = True
                    maintenance.cursor().execute(
                        "VACUUM ANALYZE knowledge_article, knowledge_token, knowledge_version"
                    )
            print(f"{backend}: {cases_there} cases ({'copied' if backend in copied else 'made'} "
                  f"in {made:.1f} s); {added} articles added "
                  f"in {seconds:.1f} s ({count} in all)", flush=True)  # fmt: skip
            results[backend] = run_suite(target)
            print(json.dumps(results[backend], indent=1), flush=True)
    finally:
        db.close()
        if admin is not None:
            from tests.backends import drop_database

            drop_database(admin, name)
            admin.close()
        shutil.rmtree(work, ignore_errors=True)
    for backend, rows in results.items():
        print(f"\n{backend}: {'operation':40} {'median':>10} {'slowest':>10} {'bare SQL':>10}")
        for key, row in rows.items():
            print(f"{'':{len(backend) + 2}}{key:40} {row['median_ms']:7.2f} ms "
                  f"{row['max_ms']:7.2f} ms {row['bare_ms']:7.2f} ms")  # fmt: skip
    if args.json:
        args.json.write_text(
            json.dumps({"cases": cases_there, "articles": count, **results}, indent=2),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
