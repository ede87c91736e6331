"""The plain data the PDF renderers draw: no database, no reportlab.

Texts that name a code (kind, status, satisfaction, timeline action...) arrive as labels
already translated into the locale of the report; the renderers translate only their own
captions. :mod:`hotline.reports.gather` builds these objects from the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hotline.reports.weeks import IsoWeek


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

    @property
    def confidential(self) -> bool:
        return self.contact.confidential


@dataclass
class Kpis:
    """One week's figures; see :mod:`hotline.reports.definitions` for what each counts."""

    received: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue_open: int = 0
    replied: int = 0
    called_back: int = 0
    satisfied: int = 0
    repeat: int = 0
    # Assessment outcome label -> count; empty when there were none (or no checklist yet).
    exemptions: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.closed_on_time, self.closed)

    @property
    def callback_rate(self) -> float | None:
        return ratio(self.called_back, self.replied)

    @property
    def satisfaction_rate(self) -> float | None:
        return ratio(self.satisfied, self.called_back)


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class DepartmentRow:
    name: str
    received: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue_open: int = 0
    called_back: int = 0
    satisfied: int = 0

    @property
    def satisfaction_rate(self) -> float | None:
        return ratio(self.satisfied, self.called_back)

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.closed_on_time, self.closed)


@dataclass(frozen=True)
class WeeklyCaseRow:
    """One line of the weekly report's list of the week's cases."""

    case_no: str
    received_at: dt.datetime
    enterprise: str
    kind: str
    category: str
    department: str
    status: str


@dataclass
class WeeklyReport:
    week: IsoWeek
    current: Kpis
    previous: Kpis
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_district: list[tuple[str, int]] = field(default_factory=list)
    daily: list[tuple[dt.date, int]] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)
    cases: list[WeeklyCaseRow] = field(default_factory=list)
    summaries: list[CaseSummary] = field(default_factory=list)
    # The audit chain's last entry (number, hash) when the figures were read: printed on the
    # report so that the chain can later be checked against it (``audit verify --expect``).
    audit_anchor: tuple[int, str] | None = None
