"""Making the rows of demo enterprises and cases, without touching the database.

:class:`DemoPlan` holds everything the generation needs (what the database already holds
included: first free ids, the day counters, names and credit codes in use), so the rows can
be made in another process while this one writes (:mod:`hotline.demo.generator`).
``batches`` yields the enterprise rows first, then the case and event rows a batch of days
at a time, in order of receipt. The same plan and seed give the same rows.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hotline import numbering
from hotline.deadlines import DeadlinePolicy
from hotline.demo import data
from hotline.demo.story import StoryTeller
from hotline.demo.text import DemoEnterprise, DemoRandom, TextMaker, Weighted
from hotline.search.documents import CASE_TEXT_COLUMNS, case_documents
from hotline.transfer import bulk, department_stage
from hotline.transfer.replay import replay
from hotline.workdays import WorkCalendar

HISTORY_DAYS = 730
BATCH_CASES = 25_000
MAX_ENTERPRISES = 80_000
REPEAT_WINDOW = dt.timedelta(days=30)
# Where each indexed text is in a case row (the contact's in its case_contact row).
_CASE_TEXTS = [
    bulk.CASE_COLUMNS.index(column) if column in bulk.CASE_COLUMNS else -1
    for column in CASE_TEXT_COLUMNS
]
_CONTACT_TEXTS = {
    place: bulk.CONTACT_COLUMNS.index(column)
    for place, column in enumerate(CASE_TEXT_COLUMNS)
    if column in bulk.CONTACT_COLUMNS
}
_EVENT_TEXT = bulk.EVENT_COLUMNS.index("text")
_ENTERPRISE = bulk.CASE_COLUMNS.index("enterprise_id")
_CONFIDENTIAL = bulk.CASE_COLUMNS.index("confidential")
# Calls by hour of the day: a 24-hour line, busiest in office hours.
HOUR_WEIGHTS = (
    1,
    0.5,
    0.3,
    0.3,
    0.3,
    0.5,
    1,
    3,
    8,
    12,
    12,
    11,
    6,
    8,
    11,
    11,
    10,
    8,
    5,
    3,
    2,
    2,
    1.5,
    1,
)


@dataclass
class DemoPlan:
    cases: int
    seed: int | None
    now: dt.datetime
    policy_json: str
    holidays: dict[dt.date, bool]  # the administrators' days (see workdays.WorkCalendar)
    districts: dict[str, str]  # code -> name
    departments: list[tuple[int, str, str]]  # id, code, name (active ones)
    first_enterprise_id: int
    first_case_id: int
    counters: dict[str, int]  # day (YYYYMMDD) -> last number given, for the history's days
    names_in_use: set[str] = field(default_factory=set)
    codes_in_use: set[str] = field(default_factory=set)
    batch_cases: int = BATCH_CASES


@dataclass
class EnterpriseBatch:
    first_id: int
    rows: list[tuple[Any, ...]]


@dataclass
class CaseBatch:
    first_id: int
    first_day: dt.date
    last_day: dt.date
    counters_before: dict[str, int]  # what the plan expects the counters of these days to be
    last_by_day: dict[str, int]
    case_rows: list[tuple[Any, ...]]
    event_rows: list[tuple[Any, ...]]
    contact_rows: list[tuple[Any, ...]] = field(default_factory=list)  # bulk.CONTACT_COLUMNS
    # The search-index rows of the cases (hotline.search.sqlite_backend.SqliteSearch.write_case_documents), made
    # here so that the writing process only inserts them.
    index_rows: list[tuple[int, str, str, str]] = field(default_factory=list)
    # The parts of the co-handled cases (会办), department_stage.ASSIST_COLUMNS.
    assist_rows: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class _Previous:
    """The last demo case of an enterprise and category, to flag repeats."""

    case_id: int
    case_no: str
    received_at: dt.datetime
    ended_at: dt.datetime | None  # closed or withdrawn; None while open


def history_days(now: dt.datetime) -> list[dt.date]:
    today = now.date()
    return [today - dt.timedelta(days=n) for n in range(HISTORY_DAYS - 1, -1, -1)]


class CaseFactory:
    def __init__(self, plan: DemoPlan) -> None:
        self.plan = plan
        self.rng = rng = DemoRandom(plan.seed)
        self.now = plan.now
        self.calendar = WorkCalendar(plan.holidays)
        self.policy = DeadlinePolicy.from_json(plan.policy_json)
        self.text = TextMaker(rng)
        self.text.reserve(plan.names_in_use, plan.codes_in_use)
        known = {c: n for c, n in plan.districts.items() if c in data.DISTRICT_WEIGHTS}
        self.districts = known or dict(plan.districts)
        self.department_ids = {name: dep_id for dep_id, _code, name in plan.departments}
        codes = {code: name for _id, code, name in plan.departments}
        self.story = StoryTeller(rng, self.policy, self.calendar, codes, plan.now)
        self.district_draw = Weighted({c: data.DISTRICT_WEIGHTS.get(c, 5) for c in self.districts})
        self.channel = Weighted(data.CHANNEL_WEIGHTS)
        self.kind = Weighted(data.KIND_WEIGHTS)
        self.category = Weighted(data.CATEGORY_WEIGHTS)
        self.enterprises: list[DemoEnterprise] = []
        self.enterprise_ids: list[int] = []
        self.enterprise_by_id: dict[int, DemoEnterprise] = {}
        self.previous: dict[tuple[int, str], _Previous] = {}
        self.recent: collections.deque[tuple[int, str]] = collections.deque(maxlen=500)
        self.assist_rows: list[tuple[Any, ...]] = []  # of the batch being made

    # --- the plan -----------------------------------------------------------------------

    def schedule(self) -> list[tuple[dt.date, int]]:
        """How many cases each day of the history receives: fewer on days off, a slow rise
        over the two years, some noise; today only up to now."""
        rng, now, cases = self.rng, self.now, self.plan.cases
        days = history_days(now)
        weights = []
        for position, day in enumerate(days):
            base = 1.0 if self.calendar.is_workday(day) else 0.35
            weights.append(base * (0.8 + 0.4 * position / HISTORY_DAYS) * rng.uniform(0.85, 1.15))
        elapsed = (now - dt.datetime.combine(now.date(), dt.time())).total_seconds() / 86400
        weights[-1] *= max(elapsed, 0.01)
        total = sum(weights)
        plan, given = [], 0
        for day, cumulative in zip(days, itertools.accumulate(weights), strict=True):
            upto = round(cumulative / total * cases)
            if upto > given:
                plan.append((day, upto - given))
            given = upto
        return plan

    def times(self, day: dt.date, count: int) -> list[dt.datetime]:
        rng = self.rng
        start = dt.datetime.combine(day, dt.time())
        hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=count)
        out = [start + dt.timedelta(seconds=h * 3600 + rng.randrange(3600)) for h in hours]
        if day == self.now.date():
            span = max(1, int((self.now - start).total_seconds()))
            out = [
                t if t <= self.now else start + dt.timedelta(seconds=rng.randrange(span))
                for t in out
            ]
        return sorted(out)

    # --- rows ---------------------------------------------------------------------------

    def batches(self) -> Iterator[EnterpriseBatch | CaseBatch]:
        schedule = self.schedule()
        yield self.enterprise_batch(max(10, min(self.plan.cases // 12, MAX_ENTERPRISES)))
        case_id = self.plan.first_case_id
        days: list[tuple[dt.date, int]] = []
        for position, (day, count) in enumerate(schedule, start=1):
            days.append((day, count))
            if sum(c for _d, c in days) >= self.plan.batch_cases or position == len(schedule):
                batch = self.case_batch(case_id, days)
                case_id += len(batch.case_rows)
                days = []
                yield batch

    def enterprise_batch(self, count: int) -> EnterpriseBatch:
        first = self.plan.first_enterprise_id
        since = bulk.stamp(self.now - dt.timedelta(days=HISTORY_DAYS + 30))
        rows = []
        for offset in range(count):
            district = self.district_draw.draw(self.rng) if self.districts else ""
            enterprise = self.text.enterprise(district, self.districts.get(district, ""))
            steward = ("", "")
            if self.rng.random() < 0.3:
                steward = (self.text.person_name(), self.text.mobile())
            rows.append(
                (
                    first + offset,
                    enterprise.name,
                    enterprise.uscc,
                    district or None,
                    enterprise.industry,
                    *steward,
                    since,
                    since,
                )
            )
            self.enterprises.append(enterprise)
            self.enterprise_ids.append(first + offset)
            self.enterprise_by_id[first + offset] = enterprise
        return EnterpriseBatch(first, rows)

    def case_batch(self, case_id: int, days: list[tuple[dt.date, int]]) -> CaseBatch:
        first_id = case_id
        case_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        contact_rows: list[tuple[Any, ...]] = []
        index_rows: list[tuple[int, str, str, str]] = []
        self.assist_rows = []
        before, last_by_day = {}, {}
        for day, count in days:
            key = f"{day:%Y%m%d}"
            sequence = before[key] = self.plan.counters.get(key, 0)
            for received_at in self.times(day, count):
                sequence += 1
                case_no = numbering.format_case_no(day, sequence)
                events_from = len(event_rows)
                row = self.one_case(case_id, case_no, received_at, event_rows, contact_rows)
                case_rows.append(row)
                index_rows.append(self.index_row(row, contact_rows[-1], event_rows[events_from:]))
                case_id += 1
            last_by_day[key] = sequence
        return CaseBatch(
            first_id,
            days[0][0],
            days[-1][0],
            before,
            last_by_day,
            case_rows,
            event_rows,
            contact_rows,
            index_rows,
            self.assist_rows,
        )

    def index_row(
        self,
        case_row: tuple[Any, ...],
        contact_row: tuple[Any, ...],
        event_rows: list[tuple[Any, ...]],
    ) -> tuple[int, str, str, str]:
        """What :func:`hotline.search.documents.case_sources` would read back for this case."""
        enterprise = self.enterprise_by_id[case_row[_ENTERPRISE]]
        texts = [
            contact_row[_CONTACT_TEXTS[place]] if place in _CONTACT_TEXTS else case_row[at]
            for place, at in enumerate(_CASE_TEXTS)
        ]
        texts += [enterprise.name, enterprise.uscc]
        texts += [event[_EVENT_TEXT] for event in event_rows]
        return (case_row[0], *case_documents(bool(case_row[_CONFIDENTIAL]), texts))

    def pick_enterprise(self) -> int:
        """A few enterprises call often, most rarely."""
        return int(len(self.enterprises) * self.rng.random() ** 1.8)

    def one_case(
        self,
        case_id: int,
        case_no: str,
        received_at: dt.datetime,
        event_rows: list[tuple[Any, ...]],
        contact_rows: list[tuple[Any, ...]],
    ) -> tuple[Any, ...]:
        rng = self.rng
        if self.recent and rng.random() < 0.04:  # the same matter again
            who, category = rng.choice(self.recent)
        else:
            who, category = self.pick_enterprise(), self.category.draw(rng)
        enterprise = self.enterprises[who]
        kind = self.kind.draw(rng)
        urgency = "urgent" if rng.random() < 0.08 else "normal"
        slots = self.text.slots(enterprise, self.districts.get(enterprise.district, ""))
        contact_name, contact_phone = rng.choice(enterprise.contacts)
        previous = self.previous.get((who, category))
        repeat = None
        if previous is not None and (
            previous.ended_at is None
            or previous.ended_at > received_at
            or previous.received_at >= received_at - REPEAT_WINDOW
        ):
            repeat = previous
        topic = self.text.topic(kind, category)
        events = self.story.tell(
            kind=kind,
            category=category,
            urgency=urgency,
            received_at=received_at,
            topic=topic,
            slots=slots,
            repeat_of=repeat.case_no if repeat else None,
        )
        state = replay(
            events, kind=kind, received_at=received_at, ceiling_days=self.policy.ceiling_days
        )
        ended = state.closed_at or (events[-1].at if state.status == "withdrawn" else None)
        self.previous[(who, category)] = _Previous(case_id, case_no, received_at, ended)
        self.recent.append((who, category))
        intake = {
            "channel": self.channel.draw(rng),
            "kind": kind,
            "category": category,
            "urgency": urgency,
            "district_code": enterprise.district,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "subject": self.text.pick(topic.subjects, slots),
            "description": self.text.description(topic, slots),
            "request": self.text.pick(topic.requests, slots),
            "confidential": rng.random() < (0.3 if kind == "report" else 0.02),
            "received_at": received_at,
        }
        # The registration records its classification, as hotline.cases.register does.
        events[0] = events[0]._replace(
            data={
                "channel": intake["channel"],
                "kind": kind,
                "category": category,
                "urgency": urgency,
                "district": enterprise.district,
                "district_name": self.districts.get(enterprise.district) or None,
            }
        )
        event_rows.extend(bulk.event_rows(case_id, events))
        if any(e.action == "dispatch" and e.data and "assisting" in e.data for e in events):
            # The parts (会办) as the workflow would have written them, from the timeline.
            self.assist_rows += department_stage.assist_rows(case_id, events, self.department_ids)
        contact_rows.append(bulk.contact_row(case_id, intake))
        return bulk.case_row(
            case_id,
            case_no,
            intake,
            state,
            enterprise_id=self.enterprise_ids[who],
            department_id=self.department_ids.get(state.department or ""),
            repeat_of_id=repeat.case_id if repeat else None,
        )


def produce(plan: DemoPlan, queue: Any) -> None:
    """In a worker process: put every batch on ``queue``, then ``None`` (or an error text)."""
    import traceback

    from hotline.worker_processes import exit_with_parent

    exit_with_parent()
    try:
        for batch in CaseFactory(plan).batches():
            queue.put(batch)
        queue.put(None)
    except BaseException:  # reported to the parent, which raises
        queue.put(traceback.format_exc())
