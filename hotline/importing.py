"""Bulk import of cases from JSON, CSV or XLSX in the export's format, with a per-row report.

Every row is checked (:mod:`hotline.import_rows`); valid rows are written in batches of one
transaction each, keeping their case number when they have one (later numbers of that day
come after it) and their status and timeline; a row without a timeline is registered anew.
Each invalid row is reported with its line and reasons and written, with the reasons, to a
rejects file beside the input (``cases.rejects.csv``), so nothing is lost. ``dry_run`` checks
everything and writes nothing, not even the rejects file.

A file that cannot be read to its end (broken JSON) stops the import there: the rows before
the broken place are imported, and the report says where it broke.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline import audit, bulk, cases, clock, deadlines, enterprises, numbering
from hotline.case_replay import CaseState, TimelineEvent, replay
from hotline.db import current, write_transaction
from hotline.errors import DatabaseUnavailable, Problem, ValidationError
from hotline.i18n import N_
from hotline.import_rejects import RejectsWriter
from hotline.import_rows import ImportCase, duplicate, parse_row
from hotline.import_sources import SourceRow, file_format, read_rows, rejects_path
from hotline.models import Department
from hotline.permissions import Action, Actor
from hotline.search import index

log = logging.getLogger(__name__)

BATCH = 1000
# PostgreSQL: above this many imported cases the index is rebuilt once at the end instead
# of batch by batch (SQLite indexes each batch in bulk, whatever the size of the import).
REBUILD_INDEX_AFTER = 20_000
MSG_STOPPED = N_(
    "导入在第 {line} 行处停止：{reason}。此前已导入的 {imported} 条已保存，从该行起均未导入。"
)


@dataclass
class Rejected:
    line: int
    position: int
    case_no: str | None
    problems: list[Problem]

    def reasons(self) -> list[str]:
        return [f"{p.field}: {p.text}" for p in self.problems]

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "position": self.position,
            "case_no": self.case_no,
            "problems": [p.as_dict() for p in self.problems],
        }


@dataclass
class ImportReport:
    source: Path
    dry_run: bool
    read: int = 0
    imported: int = 0  # with dry_run: how many would be
    rejected: int = 0
    rejects_file: Path | None = None
    file_problems: list[Problem] = field(default_factory=list)  # the file could not be read on
    case_nos: list[str] = field(default_factory=list)  # of the imported cases (with numbers)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.file_problems


class _Importer:
    def __init__(
        self,
        actor: Actor,
        path: Path,
        dry_run: bool,
        on_reject: Callable[[Rejected], None] | None,
    ) -> None:
        self.actor = actor
        self.path = path
        self.report = ImportReport(path, dry_run)
        self.on_reject = on_reject
        self.departments = dict(Department.select(Department.name, Department.id).tuples())
        self.ceiling_days = deadlines.load_policy().ceiling_days
        self.rejects = None if dry_run else RejectsWriter(rejects_path(path), file_format(path))
        self.seen: set[str] = set()
        self.enterprise_ids: dict[tuple[str, str | None], int] = {}
        self.index_each = True

    def reject(self, row: SourceRow, problems: list[Problem], case_no: str | None = None) -> None:
        rejected = Rejected(row.line, row.position, case_no, problems)
        self.report.rejected += 1
        if self.rejects is not None:
            self.rejects.add(row, rejected.reasons())
        if self.on_reject:
            self.on_reject(rejected)

    def check(self, row: SourceRow) -> ImportCase | None:
        try:
            case = parse_row(
                row.data,
                departments=self.departments,
                ceiling_days=self.ceiling_days,
                cell_problem=row.problem,
            )
        except ValidationError as exc:
            number = row.data.get("case_no") if isinstance(row.data, dict) else None
            self.reject(row, exc.problems, str(number) if number else None)
            return None
        if case.case_no:
            if case.case_no in self.seen:
                self.reject(row, [duplicate(case.case_no)], case.case_no)
                return None
            self.seen.add(case.case_no)
        return case

    def run(self, batch_size: int) -> ImportReport:
        pending: list[tuple[SourceRow, ImportCase]] = []
        try:
            try:
                for row in read_rows(self.path):
                    self.report.read += 1
                    case = self.check(row)
                    if case is not None:
                        pending.append((row, case))
                    if len(pending) >= batch_size:
                        self.flush(pending)
                        pending = []
            except ValidationError as exc:  # the file cannot be read on: keep what was read
                self.report.file_problems = exc.problems
            if pending:
                self.flush(pending)
        except DatabaseUnavailable as exc:  # disk full, read-only: the batches before stay
            self.stopped(pending[0][0] if pending else None, exc)
        finally:
            if self.rejects is not None:
                self.rejects.close()
                if self.rejects.count:
                    self.report.rejects_file = self.rejects.path
        if not self.index_each:
            try:
                with write_transaction():
                    index.rebuild()
            except DatabaseUnavailable as exc:
                log.warning("search index not rebuilt after the import: %s", exc.text)
        return self.report

    def taken(self, numbers: Sequence[str]) -> set[str]:
        if not numbers:
            return set()
        db = current()
        marks = ", ".join([db.param] * len(numbers))
        sql = f'SELECT case_no FROM "case" WHERE case_no IN ({marks})'
        return {row[0] for row in db.execute_sql(sql, list(numbers))}

    def flush(self, pending: list[tuple[SourceRow, ImportCase]]) -> None:
        if self.report.dry_run:
            taken = self.taken([c.case_no for _r, c in pending if c.case_no])
            for row, case in pending:
                if case.case_no in taken:
                    self.reject(row, [duplicate(case.case_no)], case.case_no)
                else:
                    self.report.imported += 1
            return
        imported, numbered = self.report.imported, len(self.report.case_nos)
        try:
            with write_transaction():
                taken = self.taken([c.case_no for _r, c in pending if c.case_no])
                keep = []
                for row, case in pending:
                    if case.case_no in taken:
                        self.reject(row, [duplicate(case.case_no)], case.case_no)
                    else:
                        keep.append(case)
                if keep:
                    self.write(keep)
        except BaseException:  # the batch was not stored: it does not count as imported
            self.report.imported = imported
            del self.report.case_nos[numbered:]
            raise

    def stopped(self, row: SourceRow | None, exc: DatabaseUnavailable) -> None:
        """The database refused a batch: report where, keep the batches committed before."""
        log.warning("import of %s stopped: %s", self.path, exc.text)
        self.report.file_problems.append(
            Problem(
                "file",
                MSG_STOPPED,
                {
                    "line": row.line if row else self.report.read,
                    "reason": exc.text,
                    "imported": self.report.imported,
                },
            )
        )

    def write(self, batch: list[ImportCase]) -> None:
        """Inside the transaction: numbers, enterprises, rows, events, audit, index."""
        last_by_day: dict[str, int] = {}
        for case in batch:
            match = numbering.PATTERN.match(case.case_no or "")
            if match:
                day, sequence = match.group(2), int(match.group(3))
                last_by_day[day] = max(last_by_day.get(day, 0), sequence)
        bulk.raise_counters(last_by_day)
        first_id = bulk.next_id("case")
        numbers = [
            case.case_no or numbering.next_case_no(case.draft.received_at.date()) for case in batch
        ]
        ids = {number: first_id + offset for offset, number in enumerate(numbers)}
        case_rows, event_rows = [], []
        # New registrations of this batch, still open: a later one of the same matter repeats it.
        opened: dict[tuple[int, str], tuple[int, str]] = {}
        for offset, case in enumerate(batch):
            case_id = first_id + offset
            enterprise_id = self.enterprise(case)
            matter = (enterprise_id, case.draft.category.value)
            events, state, repeat_id = self.history(case, enterprise_id, opened.get(matter))
            if not case.events:
                opened[matter] = (case_id, numbers[offset])
            if state.repeat_of and repeat_id is None:
                repeat_id = ids.get(state.repeat_of) or self.case_id(state.repeat_of)
            case_rows.append(
                bulk.case_row(
                    case_id,
                    numbers[offset],
                    _intake(case),
                    state,
                    enterprise_id=enterprise_id,
                    department_id=self.departments.get(state.department or ""),
                    repeat_of_id=repeat_id,
                )
            )
            event_rows.extend(bulk.event_rows(case_id, events))
        bulk.insert("case", bulk.CASE_COLUMNS, case_rows)
        bulk.insert("case_event", bulk.EVENT_COLUMNS, event_rows)
        audit.record(
            self.actor,
            "case.import",
            "case",
            "",
            {"source": self.path.name, "count": len(batch), "case_nos": numbers},
        )
        self.report.imported += len(batch)
        self.report.case_nos.extend(numbers)
        if self.index_each and not index.enabled() and self.report.imported > REBUILD_INDEX_AFTER:
            self.index_each = False  # PostgreSQL: one rebuild at the end is faster in bulk
        if self.index_each:
            index.index_new_cases(range(first_id, first_id + len(batch)))

    def enterprise(self, case: ImportCase) -> int:
        draft = case.draft
        key = (draft.enterprise_name, draft.enterprise_uscc)
        found = self.enterprise_ids.get(key)
        if found is None:
            enterprise = enterprises.find_or_create(
                self.actor, draft.enterprise_name, draft.enterprise_uscc, draft.district_code
            )
            found = self.enterprise_ids[key] = enterprise.id
        return found

    def case_id(self, case_no: str) -> int | None:
        db = current()
        row = db.execute_sql(
            f'SELECT id FROM "case" WHERE case_no = {db.param}', (case_no,)
        ).fetchone()
        return row[0] if row else None

    def history(
        self, case: ImportCase, enterprise_id: int, in_batch: tuple[int, str] | None
    ) -> tuple[list[TimelineEvent], CaseState, int | None]:
        """The events and state to write; a new registration gets its register event (and a
        repeat flag, as :func:`hotline.cases.register` would give it)."""
        if case.events and case.state is not None:
            return case.events, case.state, None
        now = clock.now()
        events = [TimelineEvent(now, "register", self.actor.name)]
        draft = case.draft
        repeat = in_batch
        if repeat is None:
            found = cases.find_repeat(enterprise_id, draft.category.value, at=draft.received_at)
            repeat = (found.id, found.case_no) if found else None
        if repeat is not None:
            payload = {"repeat_of": repeat[1]}
            events.append(TimelineEvent(now, "repeat", self.actor.name, True, "", payload))
        state = replay(
            events,
            kind=draft.kind.value,
            received_at=draft.received_at,
            ceiling_days=self.ceiling_days,
        )
        return events, state, repeat[0] if repeat else None


def _intake(case: ImportCase) -> dict[str, Any]:
    """The draft's fields as plain values for :func:`hotline.bulk.case_row`."""
    draft = case.draft
    return {
        "channel": draft.channel.value,
        "kind": draft.kind.value,
        "category": draft.category.value,
        "urgency": draft.urgency.value,
        "district_code": draft.district_code,
        "contact_name": draft.contact_name,
        "contact_phone": draft.contact_phone,
        "subject": draft.subject,
        "description": draft.description,
        "request": draft.request,
        "confidential": draft.confidential,
        "received_at": draft.received_at,
    }


def import_file(
    actor: Actor,
    path: str | Path,
    *,
    dry_run: bool = False,
    on_reject: Callable[[Rejected], None] | None = None,
    batch: int = BATCH,
) -> ImportReport:
    """Import the cases of ``path``; see the module docstring."""
    actor.require(Action.CASE_IMPORT)
    source = Path(path)
    report = _Importer(actor, source, dry_run, on_reject).run(batch)
    log.info(
        "import of %s: %s read, %s imported, %s rejected (dry run: %s)",
        source,
        report.read,
        report.imported,
        report.rejected,
        dry_run,
    )
    return report


__all__ = ["ImportReport", "Rejected", "import_file"]
