"""Bulk import of cases from JSON, CSV or XLSX in the export's format, with a per-row report.

Every row is checked (:mod:`hotline.transfer.rows`); valid rows are written in batches of one
transaction each, keeping their case number when they have one (later numbers of that day
come after it) and their status and timeline; a row without a timeline is registered anew.
Each invalid row is reported with its line and reasons and written, with the reasons, to a
rejects file beside the input (``cases.rejects.csv``), so nothing is lost. ``dry_run`` checks
everything and writes nothing, not even the rejects file.

The whole file is read once before anything is written: a file that cannot be read to its
end (broken or truncated JSON or CSV, an unknown or mixed text encoding, binary data) changes
nothing, and the report says where it broke (:mod:`hotline.transfer.sources`).

Importing the same file again never duplicates a row: each imported row's key (a hash of its
normalised content, see :func:`row_key`) is stored with its case in the batch's transaction,
and a row whose key is there is skipped and counted (``skipped``). An import that was killed
or failed halfway, run again, imports exactly the rows that are missing.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline import audit, cases, clock, deadlines, enterprises, numbering
from hotline.attachments import bundle
from hotline.attachments.bundle import BundleReport
from hotline.db import current, write_transaction
from hotline.errors import DatabaseUnavailable, Problem, ValidationError
from hotline.i18n import N_
from hotline.models import Department, tuples
from hotline.permissions import Action, Actor
from hotline.search import index
from hotline.transfer import bulk, department_stage
from hotline.transfer.rejects import RejectsWriter
from hotline.transfer.replay import CaseState, TimelineEvent, replay
from hotline.transfer.rows import ImportCase, duplicate, parse_row
from hotline.transfer.sources import SourceRow, file_format, read_rows, rejects_path, text_encoding

log = logging.getLogger(__name__)

BATCH = 1000
# PostgreSQL: above this many imported cases the index is rebuilt once at the end instead
# of batch by batch (SQLite indexes each batch in bulk, whatever the size of the import).
REBUILD_INDEX_AFTER = 20_000
MSG_STOPPED = N_(
    "导入在第 {line} 行处停止：{reason} 此前已导入的 {imported} 条已保存，从该行起均未导入。"
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
    skipped: int = 0  # imported before (an earlier run of the same rows)
    rejects_file: Path | None = None
    file_problems: list[Problem] = field(default_factory=list)  # the file could not be read on
    case_nos: list[str] = field(default_factory=list)  # of the imported cases (with numbers)
    stopped: bool = False  # the database refused a batch (full disk): read, partly imported
    # The documents of the zip beside a JSON file (hotline.attachments.bundle), when there is one.
    attachments: BundleReport | None = None

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
        self.departments: dict[str, int] = dict(
            tuples(Department.select(Department.name, Department.id))
        )
        self.ceiling_days = deadlines.load_policy().ceiling_days
        self.rejects: RejectsWriter | None = None
        self.seen: set[str] = set()
        self.occurrences: Counter[str] = Counter()
        self.enterprise_ids: dict[tuple[str, str | None], int] = {}
        self.index_each = True
        # The last sequence of each day among the file's numbers (of rows rejected too: fixed,
        # they come back with it): no row without a number may be given one of them.
        self.numbers_in_file: dict[str, int] = {}

    def reject(self, row: SourceRow, problems: list[Problem], case_no: str | None = None) -> None:
        rejected = Rejected(row.line, row.position, _shown(case_no), problems)
        self.report.rejected += 1
        if self.rejects is not None:
            self.rejects.add(dataclasses.replace(row, raw=_shown(row.raw)), rejected.reasons())
        if self.on_reject:
            self.on_reject(rejected)

    def check(self, row: SourceRow) -> tuple[ImportCase, str] | None:
        """The row's case and key, or None when it is rejected."""
        try:
            case = parse_row(
                row.data,
                departments=self.departments,
                ceiling_days=self.ceiling_days,
                cell_problem=row.problem,
                issues=row.issues,
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
            return case, row_key(case, row.data)
        # Equal rows without a number are told apart by their place among the equal ones.
        content = row_key(case, row.data)
        self.occurrences[content] += 1
        return case, row_key(case, row.data, self.occurrences[content])

    def note_number(self, data: Any) -> None:
        number = data.get("case_no") if isinstance(data, dict) else None
        try:
            day, sequence = numbering.parse_case_no(str(number or "").strip().upper())
        except ValueError:
            return
        key = f"{day:%Y%m%d}"
        self.numbers_in_file[key] = max(self.numbers_in_file.get(key, 0), sequence)

    def run(self, batch_size: int) -> ImportReport:
        fmt = file_format(self.path)
        try:  # the whole file first: one that cannot be read to its end changes nothing
            encoding = None if fmt == "xlsx" else text_encoding(self.path)
            for row in read_rows(self.path, encoding, cells_only=True):
                self.note_number(row.data)
        except ValidationError as exc:
            self.report.file_problems = exc.problems
            return self.report
        if not self.report.dry_run:
            self.rejects = RejectsWriter(rejects_path(self.path), fmt, source=self.path)
        pending: list[tuple[SourceRow, ImportCase, str]] = []
        try:
            try:
                for row in read_rows(self.path, encoding):
                    self.report.read += 1
                    checked = self.check(row)
                    if checked is not None:
                        pending.append((row, *checked))
                    if len(pending) >= batch_size:
                        self.flush(pending)
                        pending = []
            except ValidationError as exc:  # changed since it was read: keep what was read
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

    def known(self, keys: Sequence[str]) -> set[str]:
        """Those of ``keys`` imported before."""
        db = current()
        marks = ", ".join([db.param] * len(keys))
        sql = f"SELECT row_key FROM imported_row WHERE row_key IN ({marks})"
        return {row[0] for row in db.execute_sql(sql, list(keys))}

    def sort(
        self, pending: list[tuple[SourceRow, ImportCase, str]]
    ) -> list[tuple[ImportCase, str]]:
        """Skips rows imported before, rejects numbers taken by other cases; the rest."""
        known = self.known([key for _r, _c, key in pending])
        fresh = [item for item in pending if item[2] not in known]
        self.report.skipped += len(pending) - len(fresh)
        taken = self.taken([c.case_no for _r, c, _k in fresh if c.case_no])
        keep = []
        for row, case, key in fresh:
            if case.case_no in taken:
                self.reject(row, [duplicate(case.case_no)], case.case_no)
            else:
                keep.append((case, key))
        return keep

    def flush(self, pending: list[tuple[SourceRow, ImportCase, str]]) -> None:
        if self.report.dry_run:
            self.report.imported += len(self.sort(pending))
            return
        imported, numbered = self.report.imported, len(self.report.case_nos)
        skipped = self.report.skipped
        try:
            with write_transaction():
                keep = self.sort(pending)
                if keep:
                    self.write([case for case, _key in keep], [key for _case, key in keep])
        except BaseException:  # the batch was not stored: it does not count as imported
            self.report.imported = imported
            self.report.skipped = skipped
            del self.report.case_nos[numbered:]
            raise

    def stopped(self, row: SourceRow | None, exc: DatabaseUnavailable) -> None:
        """The database refused a batch: report where, keep the batches committed before."""
        self.report.stopped = True
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

    def write(self, batch: list[ImportCase], keys: list[str]) -> None:
        """Inside the transaction: numbers, enterprises, rows, events, audit, index."""
        if self.numbers_in_file:  # before a row without a number is given one
            bulk.raise_counters(self.numbers_in_file)
            self.numbers_in_file = {}
        first_id = bulk.next_id("case")
        numbers = [
            case.case_no or numbering.next_case_no(case.draft.received_at.date()) for case in batch
        ]
        ids = {number: first_id + offset for offset, number in enumerate(numbers)}
        case_rows, event_rows, contact_rows = [], [], []
        handling_rows: list[tuple[Any, ...]] = []
        notice_rows: list[tuple[Any, ...]] = []
        assist_rows: list[tuple[Any, ...]] = []
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
            intake = _intake(case)
            contact_rows.append(bulk.contact_row(case_id, intake))
            case_rows.append(
                bulk.case_row(
                    case_id,
                    numbers[offset],
                    intake,
                    state,
                    enterprise_id=enterprise_id,
                    department_id=self.departments.get(state.department or ""),
                    repeat_of_id=repeat_id,
                )
            )
            event_rows.extend(bulk.event_rows(case_id, events))
            handling, notices = department_stage.rows(case_id, events)
            handling_rows.extend(handling)
            notice_rows.extend(notices)
            assist_rows.extend(department_stage.assist_rows(case_id, events, self.departments))
        bulk.insert("case", bulk.CASE_COLUMNS, case_rows)
        bulk.insert("case_contact", bulk.CONTACT_COLUMNS, contact_rows)
        bulk.insert("case_event", bulk.EVENT_COLUMNS, event_rows)
        if handling_rows:
            bulk.insert("case_handling", department_stage.HANDLING_COLUMNS, handling_rows)
        if notice_rows:
            bulk.insert("supervision_notice", department_stage.NOTICE_COLUMNS, notice_rows)
        if assist_rows:
            bulk.insert("case_assist", department_stage.ASSIST_COLUMNS, assist_rows)
        bulk.insert(
            "imported_row",
            ("row_key", "case_id"),
            [(key, first_id + offset) for offset, key in enumerate(keys)],
        )
        audit.record(
            self.actor,
            "case.import",
            "case",
            "",
            {"source": _shown(self.path.name), "count": len(batch), "case_nos": numbers},
        )
        self.report.imported += len(batch)
        self.report.case_nos.extend(numbers)
        if (
            self.index_each
            and index.backend().rebuild_after_bulk
            and self.report.imported > REBUILD_INDEX_AFTER
        ):
            self.index_each = False  # PostgreSQL: one rebuild at the end is faster in bulk
        if self.index_each:
            index.index_new_cases(range(first_id, first_id + len(batch)))

    def enterprise(self, case: ImportCase) -> int:
        draft = case.draft
        key = (draft.enterprise_name, draft.enterprise_uscc)
        found = self.enterprise_ids.get(key)
        if found is None:
            # Imported cases keep the name they were registered under; the enterprise on
            # file for their credit code keeps its own (an older record is no correction).
            enterprise = enterprises.find_or_create(
                self.actor,
                draft.enterprise_name,
                draft.enterprise_uscc,
                draft.district_code,
                draft.enterprise_name_choice or enterprises.KEEP_REGISTERED,
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


def row_key(case: ImportCase, data: dict[str, Any], occurrence: int = 0) -> str:
    """A hash of the row's normalised content: the same for the same case in a JSON, CSV or
    XLSX file (codes or labels, spellings of phone numbers and times); ``occurrence`` tells
    equal rows without a case number apart."""
    intake = {
        name: value.value if isinstance(value, enum.Enum) else value
        for name, value in vars(case.draft).items()
    }
    if data.get("received_at") in (None, ""):  # "now" at each import: not part of the row
        intake["received_at"] = None
    content = {
        "case_no": case.case_no,
        "intake": intake,
        "status": case.state.status if case.state else None,
        "timeline": [list(event) for event in case.events],
        "occurrence": occurrence,
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _shown(value: Any) -> Any:
    """``value`` with NUL, other control characters and lone surrogates written as escapes
    (``\\x00``, ``\\ud800``): fit for a rejects file, a message and the audit log."""
    if isinstance(value, str):
        return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], value)
    if isinstance(value, dict):
        return {_shown(k): _shown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(item) for item in value]
    return value


def _intake(case: ImportCase) -> dict[str, Any]:
    """The draft's fields as plain values for :func:`hotline.transfer.bulk.case_row`."""
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
    beside = bundle.bundle_path(source)
    if beside.is_file() and not report.stopped:
        report.attachments = bundle.import_bundle(actor, beside, dry_run=dry_run)
    log.info(
        "import of %s: %s read, %s imported, %s skipped as imported before, %s rejected "
        "(dry run: %s)",
        source,
        report.read,
        report.imported,
        report.skipped,
        report.rejected,
        dry_run,
    )
    return report


__all__ = ["ImportReport", "Rejected", "import_file"]
