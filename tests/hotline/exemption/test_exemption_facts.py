"""Checking facts given as JSON: what the command line refuses, and what it accepts."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.errors import ValidationError
from hotline.exemption.catalogue import Catalogue
from hotline.exemption.facts import Facts, Harm, parse_facts
from tests.hotline.exemption.samples import ITEM, TAX_ITEM

TODAY = dt.date(2026, 3, 1)
CATALOGUE = Catalogue("测试清单", "test.1", dt.date(2026, 1, 1), "测试", "", (ITEM, TAX_ITEM))


def parse(data: dict[str, object]) -> Facts:
    return parse_facts(data, CATALOGUE, today=TODAY)


def problems(data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        parse(data)
    return {p.field: p.text for p in caught.value.problems}


def test_full_facts_are_read() -> None:
    facts = parse(
        {
            "item": "T-001",
            "minor": True,
            "first_offense": True,
            "harm": "minor",
            "corrected": True,
            "no_fault_proven": False,
            "act_date": "2025-01-02",
            "act_end_date": "2025-01-05",
            "discovered_date": "2025-02-01",
            "involves_life_health_or_financial_safety": False,
            "conditions": {"no_illegal_gain": True, "licence_valid": None},
            "first_offense_source": " 2025-000123 ",
        }
    )
    assert facts.item == "T-001"
    assert facts.harm is Harm.MINOR
    assert facts.act_end_date == dt.date(2025, 1, 5)
    assert facts.conditions == {"no_illegal_gain": True, "licence_valid": None}
    assert facts.first_offense_source == "2025-000123"
    assert parse(facts.to_dict()) == facts


def test_everything_may_be_unknown() -> None:
    assert parse({}) == Facts()
    assert parse({key: None for key in Facts().to_dict()}) == Facts()


def test_harm_accepts_its_chinese_label() -> None:
    assert parse({"harm": "危害后果轻微"}).harm is Harm.MINOR


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"item": "NO-SUCH"}, "item", "NO-SUCH"),
        ({"item": "T-001", "conditions": {"no_such": True}}, "conditions.no_such", "no_such"),
        ({"item": "T-TAX", "conditions": {"licence_valid": True}}, "conditions.licence_valid", ""),
        ({"conditions": {"no_illegal_gain": True}}, "conditions", "清单事项"),
        ({"act_date": "2025-13-01"}, "act_date", "YYYY-MM-DD"),
        ({"discovered_date": "yesterday"}, "discovered_date", "YYYY-MM-DD"),
        ({"act_date": 20250101}, "act_date", "YYYY-MM-DD"),
        ({"act_date": "2025-05-02", "act_end_date": "2025-05-01"}, "act_end_date", "早于"),
        ({"act_date": "2025-05-02", "discovered_date": "2025-05-01"}, "discovered_date", "早于"),
        ({"discovered_date": "2026-03-02"}, "discovered_date", "晚于今天"),
        ({"harm": "huge"}, "harm", "none"),
        ({"corrected": "yes"}, "corrected", "true"),
        ({"item": "T-001", "minor": False}, "minor", "轻微"),
        ({"colour": "red"}, "colour", "colour"),
        ({"first_offense_source": 12}, "first_offense_source", ""),
        ({"first_offense_source": "2025-\ud800"}, "first_offense_source", "NUL"),
        (
            {"item": "T-001", "conditions": {"no_illegal_gain": "ok"}},
            "conditions.no_illegal_gain",
            "",
        ),
    ],
)
def test_invalid_facts_are_refused_with_the_field(
    data: dict[str, object], field: str, words: str
) -> None:
    found = problems(data)
    assert field in found
    assert words in found[field]


def test_all_problems_are_reported_at_once() -> None:
    found = problems({"item": "NO-SUCH", "harm": "huge", "act_date": "x"})
    assert {"item", "harm", "act_date"} <= set(found)


def test_continuing_act_discovered_before_its_end_is_fine() -> None:
    facts = parse(
        {"act_date": "2024-01-01", "act_end_date": "2025-01-01", "discovered_date": "2024-06-01"}
    )
    assert facts.discovered_date == dt.date(2024, 6, 1)


def test_not_a_mapping() -> None:
    with pytest.raises(ValidationError):
        parse_facts(["item"], CATALOGUE)  # type: ignore[arg-type]


def test_harm_is_named_by_its_code_or_its_label_in_either_language() -> None:
    from hotline.i18n import set_locale

    try:
        set_locale("en")
        assert Harm.MINOR.label == "Minor harmful consequences"
        assert Harm.parse("Minor harmful consequences") is Harm.MINOR
        assert Harm.parse(" 危害后果轻微 ") is Harm.MINOR
        assert Harm.parse("SERIOUS") is Harm.SERIOUS
        assert Harm.parse(Harm.NONE) is Harm.NONE
        set_locale("zh_CN")
        assert Harm.NONE.label == "没有危害后果"
        # Either language's label, whatever the active one (files travel between desks).
        assert Harm.parse("No harmful consequences") is Harm.NONE
        assert Harm.parse("轻微") is None
        assert Harm.parse(1) is None
    finally:
        set_locale("zh_CN")
