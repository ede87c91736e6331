"""The plain data the PDF renderers draw: no database, no reportlab.

Texts that name a code (kind, status, satisfaction, timeline action...) arrive as labels
already translated into the locale of the report; the renderers translate only their own
captions. :mod:`hotline.reports.gather` builds these objects from the database.
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from hotline.reports.periods import Bucket, Period

if TYPE_CHECKING:
    from hotline.knowledge.report import KnowledgeFigures
    from hotline.reports.department_work import DepartmentWork


@dataclass(frozen=True)
class ReportEnterprise:
    """The enterprise as a case summary PDF prints it (district and labels already resolved)."""

    name: str
    uscc: str = ""
    district: str = ""
    industry: str = ""
    steward_name: str = ""
    steward_phone: str = ""


@dataclass(frozen=True)
class ContactInfo:
    """The caller as recorded. A confidential contact is masked by the renderer."""

    name: str = ""
    phone: str = ""
    confidential: bool = False


@dataclass(frozen=True)
class ReportAttachment:
    """A document on the case as the summary lists it; a removed one keeps its hash."""

    name: str
    size: int
    added_by: str
    added_at: dt.datetime
    sha256: str
    removed_by: str = ""
    removed_at: dt.datetime | None = None
    removed_reason: str = ""


@dataclass(frozen=True)
class TimelineEntry:
    """One timeline step as printed: ``action`` its label, ``facts`` what it decided and
    ``text`` its free text with its caption (:mod:`hotline.timeline_words`, the same words
    as the case window)."""

    at: dt.datetime
    actor: str
    action: str
    text: str = ""
    internal: bool = False
    facts: str = ""


@dataclass(frozen=True)
class ExemptionSummary:
    """A first-offense exemption assessment: the outcome and every reason with its basis."""

    outcome: str
    mandatory: bool | None = None
    reasons: list[tuple[str, str]] = field(default_factory=list)
    item: str = ""
    catalogue: str = ""
    assessed_at: dt.datetime | None = None
    assessed_by: str = ""


@dataclass(frozen=True)
class SupervisionLine:
    """One supervision notice (督办) as the case summary prints it."""

    level: str  # translated label
    issued_at: dt.datetime
    issued_by: str
    answer_by: dt.date
    text: str
    answered_at: dt.datetime | None = None
    answer: str = ""


@dataclass(frozen=True)
class CoHandlingLine:
    """One assisting department's part (会办) as the case summary prints it."""

    department: str
    deadline: dt.date
    state: str  # translated: 待答复, 已答复, ...
    answered_at: dt.datetime | None = None
    answered_by: str = ""
    on_time: bool | None = None
    answer: str = ""


@dataclass(frozen=True)
class CaseSummary:
    """Everything a case summary PDF prints of one case, labels already translated."""

    case_no: str
    subject: str
    description: str
    status: str = ""
    channel: str = ""
    kind: str = ""
    category: str = ""
    urgency: str = ""
    district: str = ""
    received_at: dt.datetime | None = None
    registered_by: str = ""
    enterprise: ReportEnterprise | None = None
    contact: ContactInfo = field(default_factory=ContactInfo)
    request: str = ""
    department: str = ""
    dispatched_at: dt.datetime | None = None
    deadline: dt.date | None = None
    ceiling: dt.date | None = None
    extended: bool = False
    handled_at: dt.datetime | None = None
    reply: str = ""
    callback_at: dt.datetime | None = None
    satisfaction: str = ""
    callback_comment: str = ""
    closed_at: dt.datetime | None = None
    round: int = 1
    repeat_of: str = ""
    timeline: list[TimelineEntry] = field(default_factory=list)
    exemption: ExemptionSummary | None = None
    attachments: list[ReportAttachment] = field(default_factory=list)
    supervision: list[SupervisionLine] = field(default_factory=list)
    cohandling: list[CoHandlingLine] = field(default_factory=list)

    @property
    def confidential(self) -> bool:
        return self.contact.confidential


class Measure(StrEnum):
    """What a figure counts; each case either belongs to a measure's set in a period or not.

    Every rate divides the size of one set by the size of a set that contains it (see
    :data:`RATES`), so no rate can exceed 100%.
    """

    RECEIVED = "received"
    CLOSED = "closed"
    CLOSED_ON_TIME = "closed_on_time"  # a part of CLOSED
    OVERDUE_OPEN = "overdue_open"
    REPLIED = "replied"
    REPLIED_CALLED_BACK = "replied_called_back"  # a part of REPLIED
    CALLED_BACK = "called_back"
    SATISFIED = "satisfied"  # a part of CALLED_BACK
    REPEAT = "repeat"  # a part of RECEIVED
    EXEMPTION = "exemption"  # assessments by outcome (the key names the outcome)
    # Supervision notices (督办) issued in the period, and answered by their day: they count
    # notices; their lists are the cases the notices are on.
    SUPERVISION_ISSUED = "supervision_issued"
    SUPERVISION_ON_TIME = "supervision_on_time"
    # One figure of the department work table: key "<department id>:<figure>"
    # (hotline.reports.department_work; department id 0: the total line).
    DEPARTMENT_WORK = "department_work"


# rate attribute -> (numerator, denominator): the numerator's cases are among the denominator's.
RATES: dict[str, tuple[Measure, Measure]] = {
    "on_time_rate": (Measure.CLOSED_ON_TIME, Measure.CLOSED),
    "callback_rate": (Measure.REPLIED_CALLED_BACK, Measure.REPLIED),
    "satisfaction_rate": (Measure.SATISFIED, Measure.CALLED_BACK),
}

# The measures that are counted per case (all but the assessments), in bit order.
# The measures counted from each case's bits; the others have lists of their own.
OTHER_MEASURES = frozenset(
    {
        Measure.EXEMPTION,
        Measure.SUPERVISION_ISSUED,
        Measure.SUPERVISION_ON_TIME,
        Measure.DEPARTMENT_WORK,
    }
)
CASE_MEASURES: tuple[Measure, ...] = tuple(m for m in Measure if m not in OTHER_MEASURES)


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Counts:
    """The count of every case measure over some set of cases (a period, a department...)."""

    received: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue_open: int = 0
    replied: int = 0
    replied_called_back: int = 0
    called_back: int = 0
    satisfied: int = 0
    repeat: int = 0

    def get(self, measure: Measure) -> int:
        value: int = getattr(self, measure.value)
        return value

    def add(self, measure: Measure, number: int) -> None:
        setattr(self, measure.value, getattr(self, measure.value) + number)

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.closed_on_time, self.closed)

    @property
    def callback_rate(self) -> float | None:
        return ratio(self.replied_called_back, self.replied)

    @property
    def satisfaction_rate(self) -> float | None:
        return ratio(self.satisfied, self.called_back)

    def any(self) -> bool:
        return any(self.get(m) for m in CASE_MEASURES)


@dataclass
class Kpis(Counts):
    """One period's figures; see :mod:`hotline.reports.definitions` for what each counts."""

    # Assessment outcome label -> count; empty when there were none (or no checklist yet).
    exemptions: dict[str, int] = field(default_factory=dict)
    # Supervision notices (督办) issued in the period, and those answered by their day.
    supervision_issued: int = 0
    supervision_on_time: int = 0
    # Cases registered from a call (screen pop) saved in the period, and the median seconds
    # from the call to the saved case (None: there were none).
    calls_registered: int = 0
    call_to_save_median: float | None = None


@dataclass
class BreakdownRow(Counts):
    """The figures of the cases of one department, district, category, type or channel."""

    name: str = ""
    key: str | int | None = None  # the code (a department's id); None: not given


class Dimension(StrEnum):
    DEPARTMENT = "department"
    DISTRICT = "district"
    CATEGORY = "category"
    KIND = "kind"
    CHANNEL = "channel"


@dataclass(frozen=True)
class FigureRef:
    """Which figure: a measure in the period (or the one before), optionally of one value of a
    breakdown (``dimension``/``key``), of one bar of the intake chart (``bucket``), or of one
    assessment outcome (``key`` with :attr:`Measure.EXEMPTION`)."""

    measure: Measure
    previous: bool = False
    dimension: Dimension | None = None
    key: str | int | None = None
    bucket: int | None = None


@dataclass(frozen=True)
class WeeklyCaseRow:
    """One line of the report's list of the period's cases."""

    case_no: str
    received_at: dt.datetime
    enterprise: str
    kind: str
    category: str
    department: str
    status: str


class CaseFacts:
    """Which case is in which figure: for every case the gathering read, its id, the measures
    it belongs to (bits, this period and the one before), its breakdown keys and its intake
    bar. About 60 bytes a case; the figures are counted from these same facts, so a figure's
    count and its list of cases cannot disagree."""

    PREVIOUS_SHIFT = 16

    def __init__(self) -> None:
        self.ids = array("q")
        self.masks = array("q")
        self.buckets = array("h")  # intake bar of the period, -1: not received in it
        self.keys: dict[Dimension, list[str | int | None]] = {d: [] for d in Dimension}
        self.exemptions: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        # Per period (this one, the one before): the cases of the notices issued, of those
        # answered on time (hotline.supervision.figures_between).
        self.supervision: tuple[dict[Measure, list[int]], dict[Measure, list[int]]] = ({}, {})

    def __len__(self) -> int:
        return len(self.ids)

    @staticmethod
    def bit(measure: Measure, previous: bool = False) -> int:
        return 1 << (CASE_MEASURES.index(measure) + (CaseFacts.PREVIOUS_SHIFT if previous else 0))

    def case_ids(self, ref: FigureRef) -> list[int]:
        """The ids of the cases ``ref`` counts, in the order read (by receiving time)."""
        if ref.measure in (Measure.SUPERVISION_ISSUED, Measure.SUPERVISION_ON_TIME):
            return list(self.supervision[1 if ref.previous else 0].get(ref.measure, []))
        if ref.measure is Measure.EXEMPTION:
            outcomes = self.exemptions[1 if ref.previous else 0]
            if ref.key is None:
                return sorted({i for ids in outcomes.values() for i in ids})
            return list(outcomes.get(str(ref.key), []))
        bit = self.bit(ref.measure, ref.previous)
        chosen = [i for i, mask in enumerate(self.masks) if mask & bit]
        if ref.dimension is not None:
            keys = self.keys[ref.dimension]
            chosen = [i for i in chosen if keys[i] == ref.key]
        if ref.bucket is not None:
            buckets = self.buckets
            chosen = [i for i in chosen if buckets[i] == ref.bucket]
        ids = self.ids
        return [ids[i] for i in chosen]


@dataclass
class PeriodReport:
    """Everything a period's report shows, with the period before for comparison."""

    period: Period
    current: Kpis
    previous: Kpis
    breakdowns: dict[Dimension, list[BreakdownRow]] = field(default_factory=dict)
    intake: list[tuple[Bucket, int]] = field(default_factory=list)
    received_total: int = 0
    cases: list[WeeklyCaseRow] = field(default_factory=list)
    cases_listed: bool = True  # False: the list was left out of a long period's PDF
    summaries: list[CaseSummary] = field(default_factory=list)
    facts: CaseFacts | None = None
    # How each department worked (hotline.reports.department_work), this period.
    department_work: list[DepartmentWork] = field(default_factory=list)
    # The audit chain's last entry (number, hash) when the figures were read: printed on the
    # report so that the chain can later be checked against it (``audit verify --expect``).
    audit_anchor: tuple[int, str] | None = None
    # The knowledge base's use and upkeep (the weekly report's; None: not shown).
    knowledge: KnowledgeFigures | None = None

    def count(self, ref: FigureRef) -> int:
        """The figure ``ref`` as shown (the same numbers the PDF prints)."""
        kpis = self.previous if ref.previous else self.current
        if ref.measure is Measure.DEPARTMENT_WORK:
            found = self.work_row(ref.key)
            return 0 if found is None else found[0].counts[found[1]]
        if ref.measure in (Measure.SUPERVISION_ISSUED, Measure.SUPERVISION_ON_TIME):
            return (
                kpis.supervision_issued
                if ref.measure is Measure.SUPERVISION_ISSUED
                else (kpis.supervision_on_time)
            )
        if ref.measure is Measure.EXEMPTION:
            if ref.key is None:
                return sum(kpis.exemptions.values())
            return kpis.exemptions.get(str(ref.key), 0)
        if ref.bucket is not None:
            return self.intake[ref.bucket][1]
        if ref.dimension is not None:
            for row in self.breakdowns.get(ref.dimension, []):
                if row.key == ref.key:
                    return row.get(ref.measure)
            return 0
        return kpis.get(ref.measure)

    def work_row(self, key: str | int | None) -> tuple[DepartmentWork, str] | None:
        """The department work line and figure a :attr:`Measure.DEPARTMENT_WORK` key names
        (department 0: the total line)."""
        from hotline.reports import department_work

        department, _sep, figure = str(key).partition(":")
        if figure not in department_work.MEASURES or not department.isdigit():
            return None
        if int(department) == 0:
            return department_work.total(self.department_work), figure
        for row in self.department_work:
            if row.department_id == int(department):
                return row, figure
        return None

    def case_ids(self, ref: FigureRef) -> list[int]:
        if ref.measure is Measure.DEPARTMENT_WORK:
            found = self.work_row(ref.key)
            return [] if found is None else sorted(found[0].cases.get(found[1], set()))
        if self.facts is None:
            raise LookupError("this report was gathered without its case facts")
        return self.facts.case_ids(ref)

    # What the PDF's charts draw: the received cases by each breakdown.

    def received_by(self, dimension: Dimension) -> list[tuple[str, int]]:
        return [(row.name, row.received) for row in self.breakdowns.get(dimension, [])]

    @property
    def by_kind(self) -> list[tuple[str, int]]:
        return self.received_by(Dimension.KIND)

    @property
    def by_category(self) -> list[tuple[str, int]]:
        return self.received_by(Dimension.CATEGORY)

    @property
    def by_district(self) -> list[tuple[str, int]]:
        return self.received_by(Dimension.DISTRICT)

    @property
    def by_channel(self) -> list[tuple[str, int]]:
        return self.received_by(Dimension.CHANNEL)

    @property
    def departments(self) -> list[BreakdownRow]:
        return self.breakdowns.get(Dimension.DEPARTMENT, [])


WeeklyReport = PeriodReport  # the weekly report is the report of a week
