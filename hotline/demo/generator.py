"""Filling a database with realistic synthetic cases, for trying the program and for benchmarks.

``generate`` writes enterprises (Chinese names, valid credit codes, Hebi districts) and cases
received over the past two years up to now, with a believable mix of channels, kinds and
categories, texts from templates, and full timelines (:mod:`hotline.demo.story`), with their
search-index rows. Each batch is written with an audit entry naming its rows (``demo.batch``,
in the same transaction), and one more entry sums up the run (``demo.generate``). Case numbers
follow :mod:`hotline.numbering` (per day of receipt, after any number already given that day).

The rows are made by :mod:`hotline.demo.cases` — for many cases in a second process, so that
making rows and writing them use both processor cores — and written with plain
``executemany``, one transaction per batch (:mod:`hotline.transfer.bulk`); the process that makes the
rows also turns their texts into index tokens, so this one only inserts them. Each batch
first checks that nobody else wrote cases meanwhile (the numbers were planned ahead); if
somebody did, the generation stops with a ConflictError and keeps what it wrote. The second
process ends with this one however this one ends (killed, stopped, interrupted).
"""

from __future__ import annotations

import logging
import multiprocessing
import queue as queue_module
from collections.abc import Callable, Iterator

from hotline import audit, clock, deadlines, worker_processes
from hotline.db import write_transaction
from hotline.demo.cases import CaseBatch, CaseFactory, DemoPlan, EnterpriseBatch, history_days
from hotline.errors import ConflictError
from hotline.i18n import N_
from hotline.models import Department, District, Enterprise, Holiday, tuples
from hotline.permissions import Actor
from hotline.search import index
from hotline.transfer import bulk, department_stage

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# From this many cases on, the rows are made in a second process.
SUBPROCESS_FROM = 50_000
BATCH_CASES = 25_000


def generate(
    cases: int,
    seed: int | None = None,
    progress: Progress | None = None,
    *,
    actor: Actor | None = None,
) -> int:
    """Add ``cases`` demo cases to the open database; returns how many were written.

    ``progress(done, total)`` is called after each batch. An exception it raises (a user's
    "cancel") stops the generation after the batches already written, which are indexed and
    audited all the same.
    """
    if cases <= 0:
        return 0
    writer = _Writer(make_plan(cases, seed), actor or Actor.command_line())
    finished = False
    try:
        writer.run(progress)
        finished = True
    finally:
        if writer.written:
            _index_and_audit(writer.written, seed, actor, finished)
    if finished:
        from hotline.demo import knowledge

        knowledge.write_articles(actor)  # the knowledge base's articles, once
    if progress:
        progress(cases, cases)
    return writer.written


def write_cases(cases: int, seed: int | None = None, progress: Progress | None = None) -> int:
    """The writing part of :func:`generate` (each batch with its audit entry), without the
    search index and the closing audit entry."""
    writer = _Writer(make_plan(cases, seed), Actor.command_line())
    writer.run(progress)
    return writer.written


def _index_and_audit(written: int, seed: int | None, actor: Actor | None, finished: bool) -> None:
    if index.backend().rebuild_after_bulk:  # the rows were not indexed as they were written
        with write_transaction():
            index.rebuild()
    with write_transaction():
        audit.record(
            actor or Actor.command_line(),
            "demo.generate",
            "database",
            "",
            {"cases": written, "seed": seed, "complete": finished},
        )
    log.info("demo data generated: %s cases (seed %s, complete: %s)", written, seed, finished)


def make_plan(cases: int, seed: int | None) -> DemoPlan:
    """What the generation needs from the open database, read once."""
    now = clock.now().replace(microsecond=0)
    days = history_days(now)
    names, codes = set(), set()
    for name, code in tuples(Enterprise.select(Enterprise.name, Enterprise.uscc)):
        names.add(name)
        if code:
            codes.add(code)
    return DemoPlan(
        cases=cases,
        seed=seed,
        now=now,
        policy_json=deadlines.load_policy().to_json(),
        holidays=dict(tuples(Holiday.select(Holiday.day, Holiday.is_workday))),
        districts=dict(tuples(District.select(District.code, District.name))),
        departments=list(
            tuples(
                Department.select(Department.id, Department.code, Department.name).where(
                    Department.active == True  # noqa: E712 (SQL expression)
                )
            )
        ),
        first_enterprise_id=bulk.next_id("enterprise"),
        first_case_id=bulk.next_id("case"),
        counters=bulk.counters(days[0], days[-1]),
        names_in_use=names,
        codes_in_use=codes,
        batch_cases=BATCH_CASES,
    )


class _Writer:
    def __init__(self, plan: DemoPlan, actor: Actor) -> None:
        self.plan = plan
        self.actor = actor
        self.written = 0

    def run(self, progress: Progress | None) -> None:
        for batch in self.batches():
            # Each batch and its audit entry commit together: a run killed at any moment
            # leaves whole batches, each audited, and nothing unaudited.
            with write_transaction():
                self.check(batch)
                if isinstance(batch, EnterpriseBatch):
                    bulk.insert("enterprise", bulk.ENTERPRISE_COLUMNS, batch.rows)
                    index.backend().index_bulk_enterprises((r[0], r[1], r[2]) for r in batch.rows)
                    self.audit("enterprise", batch.first_id, len(batch.rows))
                    continue
                bulk.insert("case", bulk.CASE_COLUMNS, batch.case_rows)
                bulk.insert("case_contact", bulk.CONTACT_COLUMNS, batch.contact_rows)
                bulk.insert("case_event", bulk.EVENT_COLUMNS, batch.event_rows)
                if batch.assist_rows:
                    bulk.insert("case_assist", department_stage.ASSIST_COLUMNS, batch.assist_rows)
                bulk.raise_counters(batch.last_by_day)
                index.backend().index_bulk_cases(batch.index_rows)
                self.audit("case", batch.first_id, len(batch.case_rows))
            self.written += len(batch.case_rows)
            if progress:
                progress(self.written, self.plan.cases)

    def audit(self, table: str, first_id: int, count: int) -> None:
        """The batch's audit entry: which rows of ``table`` it wrote (ids, inclusive)."""
        detail = {"first_id": first_id, "last_id": first_id + count - 1, "count": count}
        audit.record(self.actor, "demo.batch", table, "", {**detail, "seed": self.plan.seed})

    def check(self, batch: EnterpriseBatch | CaseBatch) -> None:
        """Stop if another program wrote meanwhile: the planned ids and numbers are taken."""
        table = "enterprise" if isinstance(batch, EnterpriseBatch) else "case"
        same = bulk.next_id(table) == batch.first_id
        if same and isinstance(batch, CaseBatch):
            now = bulk.counters(batch.first_day, batch.last_day)
            same = all(now.get(day, 0) == last for day, last in batch.counters_before.items())
        if not same:
            raise ConflictError(
                N_(
                    "生成演示数据期间有其他程序写入了同一数据库，已停止；已写入的 {count} 个演示案件保留"
                ),
                count=self.written,
            )

    def batches(self) -> Iterator[EnterpriseBatch | CaseBatch]:
        if self.plan.cases < SUBPROCESS_FROM or not worker_processes.can_spawn():
            yield from CaseFactory(self.plan).batches()
            return
        received = 0
        try:
            for batch in _from_subprocess(self.plan):
                received += 1
                yield batch
        except _WorkerDidNotStart:
            if received:
                raise
            log.warning("demo generator process did not start; making the rows here")
            yield from CaseFactory(self.plan).batches()


class _WorkerDidNotStart(RuntimeError):
    pass


def _from_subprocess(plan: DemoPlan) -> Iterator[EnterpriseBatch | CaseBatch]:
    """The batches, made by a second process while this one writes the previous batch."""
    from hotline.demo.cases import produce

    context = multiprocessing.get_context("spawn")
    channel = context.Queue(maxsize=2)
    worker = context.Process(target=produce, args=(plan, channel), daemon=True)
    worker.start()
    try:
        while True:
            try:
                item = channel.get(timeout=1)
            except queue_module.Empty:
                if not worker.is_alive():
                    raise _WorkerDidNotStart("the demo generator process stopped") from None
                continue
            if item is None:
                return
            if isinstance(item, str):
                raise RuntimeError(f"the demo generator process failed:\n{item}")
            yield item
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join()
