"""Thousands of generated inputs: each succeeds or raises the documented error, nothing else."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline import audit, cases
from hotline.enums import Category, Channel, Kind
from hotline.errors import ValidationError
from hotline.models import AuditEntry, Case, CaseEvent, Enterprise
from hotline.permissions import Actor
from hotline.search import search, suggest_enterprises
from tests.conftest import sample_case

ACTOR = Actor.command_line("property")
CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
TEXT = st.text(
    alphabet=st.one_of(
        CHINESE, st.sampled_from(string.printable + "（）“”《》、，。*\"'"), st.characters()
    ),
    max_size=40,
)
VALUE = st.one_of(
    st.none(),
    TEXT,
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=True),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(TEXT, TEXT, max_size=2),
)
ENUM_OR_JUNK = {
    "channel": st.one_of(st.sampled_from([c.value for c in Channel]), VALUE),
    "kind": st.one_of(st.sampled_from([k.value for k in Kind] + ["投诉", "咨询"]), VALUE),
    "category": st.one_of(st.sampled_from([c.value for c in Category]), VALUE),
    "district": st.one_of(st.sampled_from(["410611", "淇县", "浚县"]), VALUE),
    "urgency": st.one_of(st.sampled_from(["normal", "紧急"]), VALUE),
    "subject": st.one_of(TEXT, VALUE),
    "description": st.one_of(TEXT, VALUE),
    "request": VALUE,
    "confidential": VALUE,
    "received_at": st.one_of(
        st.none(),
        st.sampled_from(["2026-11-20T09:00:00", "2026-13-01", "2026-11-20T09:00:00+08:00"]),
        VALUE,
    ),
    "enterprise": st.one_of(
        VALUE,
        st.fixed_dictionaries(
            {
                "name": st.one_of(TEXT, VALUE),
                "uscc": st.one_of(
                    st.sampled_from(["91410600MA44XKQ35C", "91410600MA44XKQ35D", ""]), VALUE
                ),
            }
        ),
    ),
    "contact": st.one_of(
        VALUE,
        st.fixed_dictionaries(
            {
                "name": st.one_of(TEXT, VALUE),
                "phone": st.one_of(
                    st.sampled_from(["13812345678", "0392-3312345", "12345"]), VALUE
                ),
            }
        ),
    ),
}


@st.composite
def intake_records(draw: st.DrawFn) -> object:
    if draw(st.integers(0, 20)) == 0:
        return draw(VALUE)  # not even an object
    record = sample_case()
    for key in draw(st.sets(st.sampled_from(sorted(ENUM_OR_JUNK)), max_size=4)):
        if draw(st.booleans()):
            record[key] = draw(ENUM_OR_JUNK[key])
        else:
            record.pop(key, None)
    return record


def _counts() -> tuple[int, int, int, int]:
    return (
        Case.select().count(),
        CaseEvent.select().count(),
        Enterprise.select().count(),
        AuditEntry.select().count(),
    )


@pytest.mark.slow
@settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(record=intake_records())
def test_intake_succeeds_or_reports_problems(database, record: object) -> None:
    before = _counts()
    try:
        case = cases.register(ACTOR, record)  # type: ignore[arg-type]
    except ValidationError as exc:
        assert exc.problems and all(p.field and p.text for p in exc.problems)
        assert _counts() == before
    else:
        assert Case.get_by_id(case.id).case_no == case.case_no


@pytest.mark.slow
@settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=30))
def test_search_never_raises(database, query: str) -> None:
    if Case.select().count() == 0:
        cases.register(ACTOR, sample_case())
    page = search(query, limit=5)
    assert all(isinstance(i, int) for i in page.case_ids)
    suggest_enterprises(query)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(word=st.text(alphabet=CHINESE, min_size=1, max_size=8))
def test_search_finds_any_substring_of_a_subject(database, word: str) -> None:
    subject = f"关于{word}的诉求"
    case = cases.register(ACTOR, sample_case(subject=subject))
    assert case.id in search(word, limit=1000).case_ids
    assert audit.verify().ok
