"""The legal decision, case by case: every ground, every outcome, every date boundary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from hotline.exemption.decision import Decision, Outcome, decide
from hotline.exemption.items import CatalogueItem
from hotline.i18n import set_locale
from tests.hotline.exemption.samples import ALL_MET, ITEM, RECENT, TAX_ITEM, D, facts

TODAY = D(2026, 3, 1)

# Everything known and nothing exempts: no fault not proven, not corrected, found in time.
FAILING = {"no_fault_proven": False, "corrected": False, "first_offense": True, "harm": "none"}
MINOR_OK = {"no_fault_proven": False, "corrected": True, "harm": "none", "first_offense": True}
FIRST_OK = {"no_fault_proven": False, "corrected": True, "harm": "minor", "first_offense": True}


def dates(act: dt.date, found: dt.date, end: dt.date | None = None) -> dict[str, dt.date]:
    return {"act_date": act, "act_end_date": end or act, "discovered_date": found}


@dataclass
class Case:
    name: str
    values: dict[str, Any]
    outcome: Outcome
    mandatory: bool
    missing: tuple[str, ...] | None = ()  # None: not checked
    failed: tuple[str, ...] = ()
    item: CatalogueItem | None = ITEM
    grounds: dict[str, bool | None] = field(default_factory=dict)


CASES = [
    # --- Art. 33 ¶1, first sentence (mandatory) ---------------------------------------
    Case("minor: corrected, no harm", {**MINOR_OK, **RECENT}, Outcome.NO_PENALTY_MINOR, True),
    Case(
        "minor holds even when not a first offense",
        {**MINOR_OK, **RECENT, "first_offense": False},
        Outcome.NO_PENALTY_MINOR,
        True,
    ),
    Case(
        "minor without item needs 'minor' known",
        {**MINOR_OK, **RECENT, "first_offense": None},
        Outcome.NEEDS_FACTS,
        False,
        ("minor", "first_offense"),
        item=None,
    ),
    Case(
        "no item, minor stated: mandatory",
        {**MINOR_OK, **RECENT, "minor": True},
        Outcome.NO_PENALTY_MINOR,
        True,
        item=None,
    ),
    Case(
        "no item, not minor but first offense with minor harm",
        {**FIRST_OK, **RECENT, "minor": False},
        Outcome.NO_PENALTY_FIRST_OFFENSE,
        False,
        item=None,
    ),
    # --- Art. 33 ¶1, second sentence (discretionary) ----------------------------------
    Case(
        "first offense, minor harm", {**FIRST_OK, **RECENT}, Outcome.NO_PENALTY_FIRST_OFFENSE, False
    ),
    Case(
        "first offense; dates unknown are listed as they could make it mandatory",
        {**FIRST_OK},
        Outcome.NO_PENALTY_FIRST_OFFENSE,
        False,
        ("act_date", "discovered_date"),
    ),
    Case(
        "first offense; no-fault unknown listed",
        {**FIRST_OK, **RECENT, "no_fault_proven": None},
        Outcome.NO_PENALTY_FIRST_OFFENSE,
        False,
        ("no_fault_proven",),
    ),
    Case(
        "serious harm: neither Art. 33 ¶1 ground",
        {**FIRST_OK, **RECENT, "harm": "serious"},
        Outcome.NOT_ELIGIBLE,
        False,
    ),
    Case(
        "minor harm, first offense unknown",
        {**FIRST_OK, **RECENT, "first_offense": None},
        Outcome.NEEDS_FACTS,
        False,
        ("first_offense",),
    ),
    Case(
        "not a first offense, minor harm",
        {**FIRST_OK, **RECENT, "first_offense": False},
        Outcome.NOT_ELIGIBLE,
        False,
    ),
    Case("not corrected", {**FAILING, **RECENT}, Outcome.NOT_ELIGIBLE, False),
    # --- Art. 33 ¶2 (mandatory, whatever else) -----------------------------------------
    Case(
        "no fault proven, nothing else known",
        {"no_fault_proven": True, "conditions": {}},
        Outcome.NO_PENALTY_NO_FAULT,
        True,
    ),
    Case(
        "no fault proven beats serious harm, no correction, failed condition",
        {
            **FAILING,
            **RECENT,
            "no_fault_proven": True,
            "harm": "serious",
            "conditions": {**ALL_MET, "no_illegal_gain": False},
        },
        Outcome.NO_PENALTY_NO_FAULT,
        True,
        failed=("no_illegal_gain",),
    ),
    Case(
        "no fault proven beats a discretionary ground",
        {**FIRST_OK, **RECENT, "no_fault_proven": True},
        Outcome.NO_PENALTY_NO_FAULT,
        True,
    ),
    # --- item conditions ----------------------------------------------------------------
    Case(
        "a false condition fails both Art. 33 ¶1 grounds",
        {**MINOR_OK, **RECENT, "conditions": {**ALL_MET, "licence_valid": False}},
        Outcome.NOT_ELIGIBLE,
        False,
        failed=("licence_valid",),
        grounds={"no_penalty_minor": False, "no_penalty_first_offense": False},
    ),
    Case(
        "an unknown condition leaves them undecided",
        {**MINOR_OK, **RECENT, "conditions": {"no_illegal_gain": True, "licence_valid": None}},
        Outcome.NEEDS_FACTS,
        False,
        ("conditions.licence_valid",),
        grounds={"no_penalty_minor": None, "no_penalty_first_offense": None},
    ),
    Case(
        "a condition left out counts as unknown",
        {**FIRST_OK, **RECENT, "conditions": {"no_illegal_gain": True}},
        Outcome.NEEDS_FACTS,
        False,
        ("conditions.licence_valid",),
    ),
    Case(
        "a false condition does not touch the time bar",
        {
            **FAILING,
            **dates(D(2020, 1, 1), D(2023, 1, 1)),
            "conditions": {"no_illegal_gain": False, "licence_valid": False},
        },
        Outcome.TIME_BARRED,
        True,
        failed=("no_illegal_gain", "licence_valid"),
    ),
    # --- needs_facts / not_eligible ------------------------------------------------------
    Case(
        "nothing known, no item",
        {},
        Outcome.NEEDS_FACTS,
        False,
        (
            "act_date",
            "discovered_date",
            "no_fault_proven",
            "minor",
            "corrected",
            "harm",
            "first_offense",
        ),
        item=None,
    ),
    Case(
        "nothing known with an item: conditions asked",
        {"conditions": {}},
        Outcome.NEEDS_FACTS,
        False,
        (
            "act_date",
            "discovered_date",
            "no_fault_proven",
            "corrected",
            "harm",
            "conditions.no_illegal_gain",
            "conditions.licence_valid",
            "first_offense",
        ),
    ),
    Case(
        "time bar undecided only: needs_facts",
        {**FAILING, "act_date": D(2020, 1, 1), "discovered_date": D(2024, 1, 1)},
        Outcome.NEEDS_FACTS,
        False,
        ("act_end_date",),
    ),
    # --- Art. 36: 2 years, counted as the Civil Code counts ------------------------------
    Case(
        "2 years: last day inside",
        {**FAILING, **dates(D(2022, 3, 10), D(2024, 3, 10))},
        Outcome.NOT_ELIGIBLE,
        False,
        grounds={"time_barred": False},
    ),
    Case(
        "2 years: first day outside",
        {**FAILING, **dates(D(2022, 3, 10), D(2024, 3, 11))},
        Outcome.TIME_BARRED,
        True,
    ),
    Case(
        "29 February act, 2 years: 28 February is the last day",
        {**FAILING, **dates(D(2024, 2, 29), D(2026, 2, 28))},
        Outcome.NOT_ELIGIBLE,
        False,
    ),
    Case(
        "29 February act, 2 years: 1 March is outside",
        {**FAILING, **dates(D(2024, 2, 29), D(2026, 3, 1))},
        Outcome.TIME_BARRED,
        True,
    ),
    Case(
        "29 February 2020 act: barred from 1 March 2022",
        {**FAILING, **dates(D(2020, 2, 29), D(2022, 3, 1))},
        Outcome.TIME_BARRED,
        True,
    ),
    Case(
        "involved but no harm: still 2 years",
        {
            **FAILING,
            **dates(D(2021, 5, 5), D(2023, 5, 6)),
            "involves_life_health_or_financial_safety": True,
        },
        Outcome.TIME_BARRED,
        True,
    ),
    # --- Art. 36: 5 years (life, health or financial security involved, with harm) -------
    Case(
        "5 years: 2-year mark passed, still inside",
        {
            **FAILING,
            **dates(D(2020, 6, 15), D(2022, 6, 16)),
            "harm": "minor",
            "involves_life_health_or_financial_safety": True,
        },
        Outcome.NOT_ELIGIBLE,
        False,
    ),
    Case(
        "5 years: last day inside",
        {
            **FAILING,
            **dates(D(2020, 6, 15), D(2025, 6, 15)),
            "harm": "serious",
            "involves_life_health_or_financial_safety": True,
        },
        Outcome.NOT_ELIGIBLE,
        False,
    ),
    Case(
        "5 years: first day outside",
        {
            **FAILING,
            **dates(D(2020, 6, 15), D(2025, 6, 16)),
            "harm": "serious",
            "involves_life_health_or_financial_safety": True,
        },
        Outcome.TIME_BARRED,
        True,
    ),
    Case(
        "5 years from 29 February: 28 February inside",
        {
            **FAILING,
            **dates(D(2020, 2, 29), D(2025, 2, 28)),
            "harm": "minor",
            "involves_life_health_or_financial_safety": True,
        },
        Outcome.NOT_ELIGIBLE,
        False,
    ),
    Case(
        "5 years from 29 February: 1 March outside",
        {
            **FAILING,
            **dates(D(2020, 2, 29), D(2025, 3, 1)),
            "harm": "minor",
            "involves_life_health_or_financial_safety": True,
        },
        Outcome.TIME_BARRED,
        True,
    ),
    # --- unknown harm or involvement between the two limits ------------------------------
    Case(
        "harm unknown, involved, between 2 and 5 years",
        {
            **FAILING,
            **dates(D(2020, 1, 1), D(2023, 1, 1)),
            "harm": None,
            "involves_life_health_or_financial_safety": True,
        },
        Outcome.NEEDS_FACTS,
        False,
        ("harm",),
        grounds={"time_barred": None},
    ),
    Case(
        "involvement unknown, harm minor, between 2 and 5 years",
        {**FAILING, **dates(D(2020, 1, 1), D(2023, 1, 1)), "harm": "minor"},
        Outcome.NEEDS_FACTS,
        False,
        ("involves_life_health_or_financial_safety",),
    ),
    Case(
        "involvement unknown but no harm: 2 years",
        {**FAILING, **dates(D(2020, 1, 1), D(2023, 1, 1))},
        Outcome.TIME_BARRED,
        True,
    ),
    Case(
        "harm and involvement unknown, beyond 5 years",
        {**FAILING, **dates(D(2018, 1, 1), D(2023, 1, 2)), "harm": None},
        Outcome.TIME_BARRED,
        True,
    ),
    # --- continuing acts: counted from the end -------------------------------------------
    Case(
        "continuing act: last day inside, counted from the end",
        {**FAILING, **dates(D(2019, 1, 1), D(2025, 5, 20), end=D(2023, 5, 20))},
        Outcome.NOT_ELIGIBLE,
        False,
    ),
    Case(
        "continuing act: first day outside",
        {**FAILING, **dates(D(2019, 1, 1), D(2025, 5, 21), end=D(2023, 5, 20))},
        Outcome.TIME_BARRED,
        True,
    ),
    Case(
        "continuing act still going when discovered",
        {**FAILING, **dates(D(2019, 1, 1), D(2024, 1, 1), end=D(2025, 1, 1))},
        Outcome.NOT_ELIGIBLE,
        False,
    ),
    Case(
        "end unknown but discovered within 2 years of the start: ruled out",
        {**FAILING, "act_date": D(2023, 1, 1), "discovered_date": D(2024, 1, 1)},
        Outcome.NOT_ELIGIBLE,
        False,
        grounds={"time_barred": False},
    ),
    Case(
        "end unknown, barred if one-off: undecided",
        {**MINOR_OK, "act_date": D(2020, 1, 1), "discovered_date": D(2024, 1, 1)},
        Outcome.NO_PENALTY_MINOR,
        True,
        grounds={"time_barred": None},
    ),
    Case(
        "only the end date known is enough",
        {**FAILING, "act_end_date": D(2021, 1, 1), "discovered_date": D(2024, 1, 1)},
        Outcome.TIME_BARRED,
        True,
    ),
    # --- a special law's period (tax: 5 years, 征管法第八十六条) ---------------------------
    Case(
        "tax item: 4 years is inside its 5-year period",
        {**FAILING, **dates(D(2020, 1, 10), D(2024, 1, 10)), "conditions": {"no_tax_loss": True}},
        Outcome.NOT_ELIGIBLE,
        False,
        item=TAX_ITEM,
    ),
    Case(
        "tax item: first day after 5 years",
        {**FAILING, **dates(D(2020, 1, 10), D(2025, 1, 11)), "conditions": {"no_tax_loss": True}},
        Outcome.TIME_BARRED,
        True,
        item=TAX_ITEM,
    ),
    Case(
        "tax item: harm unknown does not matter, the period is fixed",
        {
            **FAILING,
            **dates(D(2020, 1, 10), D(2025, 1, 10)),
            "harm": None,
            "conditions": {"no_tax_loss": True},
        },
        Outcome.NOT_ELIGIBLE,
        False,
        item=TAX_ITEM,
    ),
    # --- strength order -----------------------------------------------------------------
    Case(
        "time bar beats no fault",
        {**FAILING, **dates(D(2020, 1, 1), D(2023, 1, 1)), "no_fault_proven": True},
        Outcome.TIME_BARRED,
        True,
        grounds={"no_penalty_no_fault": True},
    ),
    Case(
        "minor beats first offense",
        {**MINOR_OK, **RECENT, "first_offense": True},
        Outcome.NO_PENALTY_MINOR,
        True,
        grounds={"no_penalty_first_offense": True},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_decision(case: Case) -> None:
    decision = decide(facts(case.item, **case.values), case.item, today=TODAY)
    assert decision.outcome is case.outcome
    assert decision.mandatory is case.mandatory
    if case.missing is not None:
        assert tuple(m.key for m in decision.missing) == case.missing
    assert decision.failed_conditions == case.failed
    for ground, state in case.grounds.items():
        assert decision.grounds[ground] is state, ground
    assert decision.reasons, "every decision gives reasons"
    assert all(reason.basis_text for reason in decision.reasons)
    assert decision.reasons[0].ground == decision.outcome.value or not decision.exempt


def test_reasons_cite_the_articles() -> None:
    decision = decide(facts(**MINOR_OK, **RECENT), ITEM, today=TODAY)
    first = decision.reasons[0]
    assert first.basis_text == "《中华人民共和国行政处罚法》第三十三条第一款"
    assert "不予行政处罚" in first.text
    by_ground = {reason.ground: reason for reason in decision.reasons}
    assert by_ground["no_penalty_no_fault"].basis_text.endswith("第三十三条第二款")
    assert "第三十六条" in by_ground["time_barred"].basis_text


def test_time_bar_reason_names_the_dates_and_the_civil_code() -> None:
    decision = decide(facts(**FAILING, **dates(D(2024, 2, 29), D(2026, 3, 1))), ITEM, today=TODAY)
    reason = decision.reasons[0]
    assert reason.ground == "time_barred"
    assert (
        "2024-02-29" in reason.text and "2026-02-28" in reason.text and "2026-03-01" in reason.text
    )
    assert "民法典" in reason.basis_text


def test_continuing_act_is_named_in_the_reason() -> None:
    values = {**FAILING, **dates(D(2019, 1, 1), D(2025, 5, 21), end=D(2023, 5, 20))}
    reason = decide(facts(**values), ITEM, today=TODAY).reasons[0]
    assert "连续或者继续状态" in reason.text and "2023-05-20" in reason.text


def test_special_law_period_cites_its_own_basis() -> None:
    values = {
        **FAILING,
        **dates(D(2020, 1, 10), D(2025, 1, 11)),
        "conditions": {"no_tax_loss": True},
    }
    reason = decide(facts(TAX_ITEM, **values), TAX_ITEM, today=TODAY).reasons[0]
    assert reason.basis_text == "《中华人民共和国税收征收管理法》第八十六条"
    assert "5 年" in reason.text


def test_time_bar_not_assessed_is_said() -> None:
    decision = decide(facts(**MINOR_OK), ITEM, today=TODAY)
    reason = next(r for r in decision.reasons if r.ground == "time_barred")
    assert "未审查" in reason.text


def test_failed_condition_is_named() -> None:
    values = {**MINOR_OK, **RECENT, "conditions": {**ALL_MET, "licence_valid": False}}
    decision = decide(facts(**values), ITEM, today=TODAY)
    texts = " ".join(r.text for r in decision.reasons)
    assert "持有有效的营业执照" in texts


def test_first_offense_source_is_carried_into_the_reasons() -> None:
    values = {**FIRST_OK, **RECENT, "first_offense": False, "first_offense_source": "2025-000123"}
    decision = decide(facts(**values), ITEM, today=TODAY)
    assert decision.outcome is Outcome.NOT_ELIGIBLE
    assert decision.first_offense_source == "2025-000123"
    assert any("2025-000123" in r.text for r in decision.reasons)
    assert decision.to_json()["first_offense_source"] == "2025-000123"


def test_first_offense_source_also_shown_when_it_confirms() -> None:
    values = {**FIRST_OK, **RECENT, "first_offense_source": "回溯期内无记录（人工核实）"}
    decision = decide(facts(**values), ITEM, today=TODAY)
    assert decision.outcome is Outcome.NO_PENALTY_FIRST_OFFENSE
    assert any("人工核实" in r.text for r in decision.reasons)


def test_mismatched_item_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        decide(facts(**MINOR_OK), TAX_ITEM)
    with pytest.raises(ValueError):
        decide(facts(**MINOR_OK), None)


def test_json_has_the_command_line_keys() -> None:
    data = decide(facts(**FIRST_OK), ITEM, today=TODAY).to_json()
    assert {"outcome", "mandatory", "reasons", "missing", "first_offense_source"} <= set(data)
    assert data["outcome"] == "no_penalty_first_offense"
    assert data["mandatory"] is False
    assert all({"text", "basis"} <= set(r) for r in data["reasons"])
    assert data["item"] == "T-001" and data["catalogue_version"] == "test.1"
    assert data["decided_on"] == "2026-03-01"


def test_record_round_trip_keeps_the_decision() -> None:
    values = {**MINOR_OK, **RECENT, "conditions": {"no_illegal_gain": True}}
    decision = decide(facts(**values), ITEM, today=TODAY)
    again = Decision.from_record(decision.to_record())
    assert again.to_json() == decision.to_json()


def test_english_reasons() -> None:
    decision = decide(facts(**FIRST_OK, **RECENT), ITEM, today=TODAY)
    try:
        set_locale("en")
        data = decision.to_json()
    finally:
        set_locale("zh_CN")
    first = data["reasons"][0]
    assert "may" in first["text"] and not any("\u4e00" <= ch <= "\u9fff" for ch in first["text"])
    assert first["basis"].startswith("Administrative Penalty Law")
    assert data["outcome_label"].isascii()
