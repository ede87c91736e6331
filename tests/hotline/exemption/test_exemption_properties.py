"""Properties of the decision that must hold for every combination of facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.exemption.decision import GROUNDS, Decision, Ground, Outcome, decide
from hotline.exemption.facts import Facts, Harm
from hotline.exemption.items import CatalogueItem
from tests.hotline.exemption.samples import ITEM, TAX_ITEM

TODAY = dt.date(2026, 3, 1)
MAYBE_BOOL = st.one_of(st.none(), st.booleans())
ANY_DATE = st.one_of(
    st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
)
ITEMS = st.sampled_from([None, ITEM, TAX_ITEM])
SIMPLE_FACTS = (
    "minor",
    "first_offense",
    "harm",
    "corrected",
    "no_fault_proven",
    "act_date",
    "act_end_date",
    "discovered_date",
    "involves_life_health_or_financial_safety",
)


@st.composite
def any_facts(draw: st.DrawFn) -> tuple[Facts, CatalogueItem | None]:
    """Facts of any shape, including contradictory dates the parser would refuse."""
    item = draw(ITEMS)
    conditions: dict[str, bool | None] = {}
    if item is not None:
        for condition in item.conditions:
            if draw(st.booleans()):
                conditions[condition.id] = draw(MAYBE_BOOL)
    facts = Facts(
        item=item.code if item else None,
        minor=draw(MAYBE_BOOL),
        first_offense=draw(MAYBE_BOOL),
        harm=draw(st.one_of(st.none(), st.sampled_from(Harm))),
        corrected=draw(MAYBE_BOOL),
        no_fault_proven=draw(MAYBE_BOOL),
        act_date=draw(ANY_DATE),
        act_end_date=draw(ANY_DATE),
        discovered_date=draw(ANY_DATE),
        involves_life_health_or_financial_safety=draw(MAYBE_BOOL),
        conditions=conditions,
        first_offense_source=draw(st.one_of(st.none(), st.text(max_size=12))),
    )
    return facts, item


@st.composite
def known_facts(draw: st.DrawFn) -> tuple[Facts, CatalogueItem | None]:
    """A consistent, fully known case: the end is not before the act, nor the discovery."""
    item = draw(ITEMS)
    act = draw(st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2025, 12, 31)))
    end = act + dt.timedelta(days=draw(st.sampled_from([0, 0, 1, 30, 400, 800])))
    found = act + dt.timedelta(days=draw(st.integers(min_value=0, max_value=8 * 366)))
    facts = Facts(
        item=item.code if item else None,
        minor=True if item else draw(st.booleans()),
        first_offense=draw(st.booleans()),
        harm=draw(st.sampled_from(Harm)),
        corrected=draw(st.booleans()),
        no_fault_proven=draw(st.booleans()),
        act_date=act,
        act_end_date=end,
        discovered_date=found,
        involves_life_health_or_financial_safety=draw(st.booleans()),
        conditions={c.id: draw(st.booleans()) for c in item.conditions} if item else {},
    )
    return facts, item


def forget(facts: Facts, keys: set[str]) -> Facts:
    """``facts`` with the facts named in ``keys`` unknown (``conditions.<id>`` too)."""
    simple = {key: None for key in keys if key in SIMPLE_FACTS}
    conditions = {
        cid: (None if f"conditions.{cid}" in keys else value)
        for cid, value in facts.conditions.items()
    }
    return replace(facts, **simple, conditions=conditions)


def fact_keys(facts: Facts) -> list[str]:
    return [*SIMPLE_FACTS, *(f"conditions.{cid}" for cid in facts.conditions)]


def strength(decision: Decision) -> int:
    """0 for the strongest ground; beyond the grounds for no exemption."""
    if not decision.exempt:
        return len(GROUNDS)
    return GROUNDS.index(Ground(decision.outcome.value))


@settings(max_examples=400, deadline=None)
@given(any_facts())
def test_no_facts_make_the_decision_raise(case: tuple[Facts, CatalogueItem | None]) -> None:
    facts, item = case
    decision = decide(facts, item, today=TODAY)
    assert isinstance(decision.outcome, Outcome)
    assert decision.reasons
    for reason in decision.reasons:
        assert reason.text and reason.basis_text
    assert Decision.from_record(decision.to_record()).to_json() == decision.to_json()
    if decision.outcome is Outcome.NEEDS_FACTS:
        assert decision.missing
    for missing in decision.missing:  # only unknown facts are ever asked for
        if missing.key.startswith("conditions."):
            assert facts.conditions.get(missing.key.split(".", 1)[1]) is None
        else:
            assert getattr(facts, missing.key) is None, missing.key


@settings(max_examples=400, deadline=None)
@given(any_facts())
def test_a_mandatory_ground_is_never_reported_as_discretionary(
    case: tuple[Facts, CatalogueItem | None],
) -> None:
    facts, item = case
    decision = decide(facts, item, today=TODAY)
    mandatory_holds = any(decision.grounds[g.value] is True for g in GROUNDS if g.mandatory)
    if mandatory_holds:
        assert decision.mandatory is True
        assert decision.outcome is not Outcome.NO_PENALTY_FIRST_OFFENSE
    if decision.outcome is Outcome.NO_PENALTY_FIRST_OFFENSE:
        assert decision.mandatory is False
    assert decision.mandatory == decision.outcome.mandatory
    if decision.exempt:
        assert decision.grounds[decision.outcome.value] is True


@settings(max_examples=600, deadline=None)
@given(known_facts(), st.data())
def test_learning_a_fact_never_takes_an_exemption_away(
    case: tuple[Facts, CatalogueItem | None], data: st.DataObject
) -> None:
    full, item = case
    keys = fact_keys(full)
    more_unknown = set(data.draw(st.lists(st.sampled_from(keys), unique=True)))
    less_unknown = {key for key in more_unknown if data.draw(st.booleans())}
    vague = decide(forget(full, more_unknown), item, today=TODAY)
    sharper = decide(forget(full, less_unknown), item, today=TODAY)
    known = decide(full, item, today=TODAY)
    for before, after in ((vague, sharper), (sharper, known), (vague, known)):
        if before.exempt:
            assert after.exempt, (before.outcome, after.outcome)
            assert strength(after) <= strength(before)
        if before.mandatory:
            assert after.mandatory
        for ground, state in before.grounds.items():
            if state is not None:
                assert after.grounds[ground] is state, ground
