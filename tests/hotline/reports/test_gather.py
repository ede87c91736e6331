"""The weekly figures read from a database, checked against counts made here from the rows.

Cases are inserted directly with the models (not through the workflow), so each test states
exactly which timestamps a case has; the expected figures are computed in this file from
the same rows, following the written definitions, without calling the report code.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter
from typing import Any

import pytest

from hotline import contacts
from hotline.errors import NotFound
from hotline.exemption import assessments
from hotline.models import Case, CaseEvent, Department, District, Enterprise
from hotline.reports import case_data, gather
from hotline.reports.weekly_pdf import render_weekly_report
from hotline.reports.weeks import IsoWeek
from tests.hotline.reports.conftest import PRINTED_AT, pdf_pages, squeeze

WEEK = IsoWeek(2026, 47)  # 2026-11-16 .. 2026-11-22
KINDS = ["consultation", "help", "complaint", "report", "suggestion", "praise"]
CATEGORIES = ["approval", "enforcement", "policy", "arrears", "tax_fees", "other"]
SATISFACTIONS = ["satisfied", "basically_satisfied", "dissatisfied"]

_numbers = iter(range(1, 100_000))


def _insert(**fields: Any) -> Case:
    received = fields.setdefault("received_at", dt.datetime(2026, 11, 17, 10, 0))
    values: dict[str, Any] = {
        "case_no": f"YS{received:%Y%m%d}-{next(_numbers):04d}",
        "channel": "hotline",
        "kind": "complaint",
        "category": "approval",
        "urgency": "normal",
        "subject": "审批拖延",
        "description": "企业反映审批拖延。",
        "status": "registered",
        "registered_at": received,
        "registered_by_name": "坐席甲",
        "updated_at": received,
    }
    values.update(fields)
    name, phone = values.pop("contact_name", ""), values.pop("contact_phone", "")
    case = Case.create(**values, **contacts.masked_columns(name, phone))
    contacts.save(case.id, confidential=bool(values.get("confidential")), name=name, phone=phone)
    return case


def _random_case(rnd: random.Random, departments: list[int], districts: list[str]) -> dict:
    """A case at a random point of its life, with consistent timestamps."""
    start = dt.datetime(2026, 11, 2)  # Monday of week 45
    received = start + dt.timedelta(minutes=rnd.randrange(21 * 24 * 60))
    case: dict[str, Any] = {
        "received_at": received,
        "kind": rnd.choice(KINDS),
        "category": rnd.choice(CATEGORIES),
        "district": rnd.choice([*districts, None]),
        "status": "registered",
        "department": None,
        "dispatched_at": None,
        "deadline": None,
        "handled_at": None,
        "callback_at": None,
        "satisfaction": None,
        "closed_at": None,
    }
    stage = rnd.choice(
        [
            "registered",
            "on_spot",
            "dispatched",
            "replied",
            "called_back",
            "closed",
            "closed_no_callback",
            "withdrawn",
        ]
    )
    if stage == "registered":
        return case
    if stage == "on_spot":
        at = received + dt.timedelta(minutes=rnd.randrange(5, 50))
        return case | {"status": "closed", "handled_at": at, "closed_at": at, "deadline": at.date()}
    if stage == "withdrawn":
        return case | {
            "status": "withdrawn",
            "deadline": received.date() + dt.timedelta(days=rnd.randrange(5)),
        }
    dispatched = received + dt.timedelta(hours=rnd.randrange(1, 30))
    case |= {
        "status": "dispatched",
        "department": rnd.choice(departments),
        "dispatched_at": dispatched,
        "deadline": dispatched.date() + dt.timedelta(days=rnd.randrange(0, 12)),
    }
    if stage == "dispatched":
        return case
    handled = dispatched + dt.timedelta(hours=rnd.randrange(1, 20 * 24))
    case |= {"status": "replied", "handled_at": handled}
    if stage == "replied":
        return case
    if stage == "closed_no_callback":
        return case | {
            "status": "closed",
            "closed_at": handled + dt.timedelta(hours=rnd.randrange(1, 72)),
        }
    called = handled + dt.timedelta(hours=rnd.randrange(1, 96))
    case |= {
        "status": "called_back",
        "callback_at": called,
        "satisfaction": rnd.choice(SATISFACTIONS),
    }
    if stage == "called_back":
        return case
    return case | {
        "status": "closed",
        "closed_at": called + dt.timedelta(hours=rnd.randrange(1, 30)),
    }


def _expected(cases: list[dict], week: IsoWeek) -> dict[str, int]:
    """The figures of ``week`` counted from the rows, as README's definitions say."""
    start = dt.datetime(week.monday.year, week.monday.month, week.monday.day)
    end = start + dt.timedelta(days=7)
    sunday = (end - dt.timedelta(days=1)).date()

    def inside(moment: dt.datetime | None) -> bool:
        return moment is not None and start <= moment < end

    received = [c for c in cases if inside(c["received_at"])]
    closed = [c for c in cases if c["status"] == "closed" and inside(c["closed_at"])]
    on_time = [
        c
        for c in closed
        if c["deadline"] is None or (c["handled_at"] or c["closed_at"]).date() <= c["deadline"]
    ]
    overdue = [
        c
        for c in cases
        if c["deadline"] is not None
        and c["deadline"] <= sunday
        and c["received_at"] < end
        and (c["handled_at"] is None or c["handled_at"] >= end)
        and (c["closed_at"] is None or c["closed_at"] >= end)
        and c["status"] != "withdrawn"
    ]
    replied = [c for c in cases if c["dispatched_at"] is not None and inside(c["handled_at"])]
    replied_called = [c for c in replied if c["callback_at"] is not None and c["callback_at"] < end]
    called = [c for c in cases if inside(c["callback_at"])]
    return {
        "received": len(received),
        "closed": len(closed),
        "closed_on_time": len(on_time),
        "overdue_open": len(overdue),
        "replied": len(replied),
        "replied_called_back": len(replied_called),
        "called_back": len(called),
        "satisfied": sum(c["satisfaction"] in ("satisfied", "basically_satisfied") for c in called),
        "repeat": sum(c.get("repeat_of") is not None for c in received),
    }


def _figures(kpis) -> dict[str, int]:
    return {
        name: getattr(kpis, name)
        for name in (
            "received",
            "closed",
            "closed_on_time",
            "overdue_open",
            "replied",
            "replied_called_back",
            "called_back",
            "satisfied",
            "repeat",
        )
    }


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%（{part}/{whole}）" if whole else f"—（{part}/{whole}）"


@pytest.fixture
def random_cases(database) -> list[dict]:
    rnd = random.Random(47)
    departments = [d.id for d in Department.select().limit(6)]
    districts = [d.code for d in District.select()]
    enterprise = Enterprise.create(
        name="鹤壁市华联商贸有限公司", created_at=PRINTED_AT, updated_at=PRINTED_AT
    )
    cases: list[dict] = []
    ids: list[int] = []
    for _ in range(260):
        spec = _random_case(rnd, departments, districts)
        if ids and rnd.random() < 0.12:
            spec["repeat_of"] = rnd.choice(ids)
        row = _insert(enterprise=enterprise.id, **spec)
        spec["id"], spec["case_no"] = row.id, row.case_no
        ids.append(row.id)
        cases.append(spec)
    return cases


def test_weekly_figures_equal_counts_from_the_rows(random_cases: list[dict]) -> None:
    report = gather.gather_weekly(WEEK)
    expected_now = _expected(random_cases, WEEK)
    expected_before = _expected(random_cases, WEEK.previous())
    assert _figures(report.current) == expected_now
    assert _figures(report.previous) == expected_before
    # The scenario exercises every figure.
    assert all(value > 0 for value in expected_now.values()), expected_now

    received = [c for c in random_cases if WEEK.contains(c["received_at"])]
    assert [row.case_no for row in report.cases] == [
        c["case_no"] for c in sorted(received, key=lambda c: (c["received_at"], c["case_no"]))
    ]
    kinds = Counter(c["kind"] for c in received)
    assert {label: n for label, n in report.by_kind if n} == {
        label: kinds[code]
        for code, label in zip(KINDS, ["咨询", "求助", "投诉", "举报", "建议", "表扬"], strict=True)
        if kinds[code]
    }
    days = Counter(c["received_at"].date() for c in received)
    assert [(bucket.first, n) for bucket, n in report.intake] == [
        (day, days[day]) for day in WEEK.days()
    ]
    assert sum(n for _label, n in report.by_district) == len(received)
    assert sum(n for _label, n in report.by_category) == len(received)
    # Department rows add up to the week's figures, "未派单" included.
    for name in (
        "received",
        "closed",
        "closed_on_time",
        "overdue_open",
        "called_back",
        "satisfied",
    ):
        assert sum(getattr(row, name) for row in report.departments) == expected_now[name], name
    assert report.departments[-1].name == "未派单"


def test_the_pdf_shows_the_figures_computed_from_the_rows(random_cases: list[dict]) -> None:
    now, before = _expected(random_cases, WEEK), _expected(random_cases, WEEK.previous())
    out = io.BytesIO()
    render_weekly_report(gather.gather_weekly(WEEK), out, generated_at=PRINTED_AT)
    pages = pdf_pages(out.getvalue())
    first = squeeze(pages[0])
    for name, key in (
        ("受理量", "received"),
        ("办结量", "closed"),
        ("期末超期未办", "overdue_open"),
        ("重复诉求", "repeat"),
    ):
        assert f"{name}{now[key]}{before[key]}" in first, name
    assert (
        "按时办结率"
        + _percent(now["closed_on_time"], now["closed"])
        + _percent(before["closed_on_time"], before["closed"])
        in first
    )
    assert (
        "回访率"
        + _percent(now["replied_called_back"], now["replied"])
        + _percent(before["replied_called_back"], before["replied"])
        in first
    )
    assert (
        "满意率"
        + _percent(now["satisfied"], now["called_back"])
        + _percent(before["satisfied"], before["called_back"])
        in first
    )
    text = squeeze("".join(pages))
    for case in random_cases:
        if WEEK.contains(case["received_at"]):
            assert case["case_no"] in text


def test_overdue_at_the_weeks_end_by_hand(database) -> None:
    sunday = WEEK.sunday
    monday_next = WEEK.end
    base = {"status": "replied", "dispatched_at": dt.datetime(2026, 11, 16, 9), "department": 1}
    # Answered in the first minute after the week: was overdue at its end.
    _insert(**base, deadline=sunday, handled_at=monday_next)
    # Answered on Sunday 23:59: on time, not overdue.
    _insert(**base, deadline=sunday, handled_at=monday_next - dt.timedelta(minutes=1))
    # Not answered, deadline Saturday: overdue. The same but withdrawn: not counted.
    _insert(
        status="dispatched",
        dispatched_at=base["dispatched_at"],
        department=1,
        deadline=sunday - dt.timedelta(days=1),
    )
    _insert(status="withdrawn", deadline=sunday - dt.timedelta(days=1))
    # Deadline on the next Monday: not yet overdue.
    _insert(
        status="dispatched",
        dispatched_at=base["dispatched_at"],
        department=1,
        deadline=monday_next.date(),
    )
    # Received after the week: not counted in it.
    _insert(received_at=monday_next + dt.timedelta(hours=1), deadline=sunday, status="registered")
    report = gather.gather_weekly(WEEK)
    assert report.current.overdue_open == 2
    assert report.current.replied == 1
    assert report.current.received == 5


def test_on_spot_answers_count_as_on_time_and_are_not_called_back(database) -> None:
    at = dt.datetime(2026, 11, 18, 10)
    _insert(kind="consultation", status="closed", handled_at=at, closed_at=at, deadline=at.date())
    late = dt.datetime(2026, 11, 20, 10)
    _insert(
        status="closed",
        dispatched_at=dt.datetime(2026, 11, 10, 9),
        department=2,
        deadline=dt.date(2026, 11, 19),
        handled_at=late,
        closed_at=late,
    )
    kpis = gather.gather_weekly(WEEK).current
    assert (kpis.closed, kpis.closed_on_time, kpis.replied) == (2, 1, 1)
    assert kpis.on_time_rate == 0.5


def test_the_exemption_hook_feeds_the_figures(database, monkeypatch) -> None:
    seen: list[tuple[dt.datetime, dt.datetime]] = []

    def counter(start: dt.datetime, end: dt.datetime) -> dict[str, list[int]]:
        seen.append((start, end))
        return {"不予处罚（轻微）": [1, 2, 3]} if start == WEEK.start else {}

    with monkeypatch.context() as patch:
        patch.setattr(assessments, "case_ids_by_outcome", counter)
        report = gather.gather_weekly(WEEK)
    assert report.current.exemptions == {"不予处罚（轻微）": 3}
    assert report.previous.exemptions == {}
    assert (WEEK.start, WEEK.end) in seen
    assert gather.gather_weekly(WEEK).current.exemptions == {}


def test_a_case_summary_is_read_with_its_timeline(database) -> None:
    enterprise = Enterprise.create(
        name="淇县永达食品有限公司",
        uscc="91410622MA3X0000XX",
        district="410622",
        steward_name="刘建国",
        created_at=PRINTED_AT,
        updated_at=PRINTED_AT,
    )
    first = _insert()
    case = _insert(
        enterprise=enterprise.id,
        contact_name="张三丰",
        contact_phone="13812341234",
        confidential=True,
        district="410611",
        department=1,
        status="dispatched",
        dispatched_at=dt.datetime(2026, 11, 17, 11),
        deadline=dt.date(2026, 12, 4),
        repeat_of=first.id,
        satisfaction=None,
    )
    CaseEvent.create(
        case=case.id,
        at=dt.datetime(2026, 11, 17, 11),
        actor_name="值班长乙",
        action="dispatch",
        text="派至市场监管局",
    )
    CaseEvent.create(
        case=case.id,
        at=dt.datetime(2026, 11, 17, 12),
        actor_name="值班长乙",
        action="note",
        text="内部",
        internal=True,
    )
    summary = case_data.load_case_summary(case.case_no)
    assert summary.case_no == case.case_no
    assert summary.kind == "投诉" and summary.status == "已派单"
    assert summary.district == "淇滨区"
    assert summary.enterprise is not None and summary.enterprise.district == "淇县"
    assert summary.enterprise.steward_name == "刘建国"
    assert summary.department == Department.get_by_id(1).name
    assert summary.contact.confidential and summary.contact.phone == "13812341234"
    assert summary.repeat_of == first.case_no
    assert [(e.action, e.internal) for e in summary.timeline] == [("派单", False), ("备注", True)]
    with pytest.raises(NotFound):
        case_data.load_case_summary("YS20990101-0001")


def test_summaries_are_appended_on_request(database) -> None:
    for hour in (9, 10, 11):
        _insert(received_at=dt.datetime(2026, 11, 18, hour))
    report = gather.gather_weekly(WEEK, with_summaries=True)
    assert [s.case_no for s in report.summaries] == [c.case_no for c in report.cases]


def test_the_weekly_report_prints_the_audit_chains_last_entry(database, cli_actor) -> None:
    from hotline import audit, cases
    from tests.conftest import sample_case

    for n in range(3):
        cases.register(cli_actor, sample_case(subject=f"周报锚点{n}"))
    entry, digest = audit.head()
    assert entry >= 3
    out = io.BytesIO()
    render_weekly_report(gather.gather_weekly(WEEK), out, generated_at=PRINTED_AT)
    first = squeeze(pdf_pages(out.getvalue())[0])
    assert squeeze(f"审计链：第 {entry} 条 · 哈希 {digest[:16]}…") in first
    assert squeeze(f"--expect {entry}:{digest[:16]}") in first
