"""First offense from the enterprise's history: earlier exemptions, recorded penalties, overrides."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hotline.enums import Role
from hotline.errors import PermissionDenied, ValidationError
from hotline.exemption import history, service
from hotline.exemption.history import Override
from hotline.exemption.outcome import Outcome
from hotline.exemption.store import catalogue_in_force
from hotline.models import AuditEntry, Enterprise
from hotline.permissions import Actor
from tests.hotline.exemption.helpers import (
    ITEM,
    OTHER_ITEM,
    USCC_A,
    USCC_B,
    first_offense_facts,
    new_case,
)

D = dt.date
EARLIER_ACT = D(2026, 3, 2)
ACT = D(2026, 9, 1)


def _grant_earlier(actor: Actor, act: dt.date, *, uscc: str = USCC_A, item: str = ITEM) -> str:
    """An earlier case of the enterprise whose saved assessment granted exemption."""
    case = new_case(actor, 1, uscc=uscc)
    facts = first_offense_facts(act, first_offense=True)
    if item != ITEM:
        conditions = catalogue_in_force().get(item).condition_ids
        facts.update(item=item, conditions=dict.fromkeys(conditions, True))
    decision = service.assess(actor, case.id, facts, save=True)
    assert decision.exempt
    return case.case_no


def test_an_earlier_exemption_inside_the_window_is_not_a_first_offense(database, cli_actor) -> None:
    earlier = _grant_earlier(cli_actor, EARLIER_ACT)
    case = new_case(cli_actor, 2)
    decision = service.assess(cli_actor, case.id, first_offense_facts(ACT))
    assert decision.outcome is Outcome.NOT_ELIGIBLE
    assert decision.first_offense_source == earlier
    assert decision.grounds["no_penalty_first_offense"] is False
    assert any(earlier in reason.text for reason in decision.reasons)


@pytest.mark.parametrize(
    ("days_before", "found"),
    [(365, True), (366, False), (0, False)],
    ids=["last-day-inside", "first-day-outside", "same-act"],
)
def test_the_look_back_window_of_the_item(database, cli_actor, days_before, found) -> None:
    assert catalogue_in_force().get(ITEM).lookback_days == 365
    _grant_earlier(cli_actor, ACT - dt.timedelta(days=days_before))
    case = new_case(cli_actor, 2)
    check = service.history_for_case(case.id, ITEM, ACT)
    assert check.checked
    assert check.found is found
    decision = service.assess(cli_actor, case.id, first_offense_facts(ACT))
    expected = Outcome.NOT_ELIGIBLE if found else Outcome.NEEDS_FACTS
    assert decision.outcome is expected


def test_without_an_act_date_the_window_ends_today(database, cli_actor) -> None:
    _grant_earlier(cli_actor, EARLIER_ACT)
    case = new_case(cli_actor, 2)
    facts = first_offense_facts(ACT)
    for key in ("act_date", "act_end_date", "discovered_date"):
        facts[key] = None
    inside = service.assess(cli_actor, case.id, facts, today=EARLIER_ACT + dt.timedelta(days=30))
    outside = service.assess(cli_actor, case.id, facts, today=EARLIER_ACT + dt.timedelta(days=400))
    assert inside.grounds["no_penalty_first_offense"] is False
    assert outside.grounds["no_penalty_first_offense"] is None


def test_another_enterprise_and_another_item_do_not_count(database, cli_actor) -> None:
    _grant_earlier(cli_actor, EARLIER_ACT, uscc=USCC_B)
    _grant_earlier(cli_actor, EARLIER_ACT, item=OTHER_ITEM)
    case = new_case(cli_actor, 2)
    check = service.history_for_case(case.id, ITEM, ACT)
    assert check.checked and not check.found
    decision = service.assess(cli_actor, case.id, first_offense_facts(ACT))
    assert decision.outcome is Outcome.NEEDS_FACTS
    assert [m.key for m in decision.missing] == ["first_offense"]


def test_an_earlier_assessment_that_granted_nothing_does_not_count(database, cli_actor) -> None:
    earlier = new_case(cli_actor, 1)
    refused = first_offense_facts(EARLIER_ACT, first_offense=True, corrected=False)
    assert not service.assess(cli_actor, earlier.id, refused, save=True).exempt
    case = new_case(cli_actor, 2)
    assert not service.history_for_case(case.id, ITEM, ACT).found


def test_a_recorded_penalty_makes_it_not_a_first_offense(database, cli_actor) -> None:
    penalised = new_case(cli_actor, 1)
    history.record_penalty(
        cli_actor,
        USCC_A,
        ITEM,
        D(2026, 4, 10),
        case_no=penalised.case_no,
        note="鹤市监罚〔2026〕12号",
    )
    case = new_case(cli_actor, 2)
    check = service.history_for_case(case.id, ITEM, ACT)
    assert check.found and check.earlier.kind == "penalty"
    decision = service.assess(cli_actor, case.id, first_offense_facts(ACT))
    assert decision.first_offense_source == penalised.case_no
    assert decision.outcome is Outcome.NOT_ELIGIBLE
    entry = AuditEntry.select().where(AuditEntry.action == "exemption.penalty_record").get()
    assert json.loads(entry.detail)["item"] == ITEM


def test_a_penalty_without_a_case_is_cited_by_its_date(database, cli_actor) -> None:
    history.record_penalty(cli_actor, USCC_A, ITEM, "2026-04-10")
    case = new_case(cli_actor, 2)
    decision = service.assess(cli_actor, case.id, first_offense_facts(ACT))
    assert decision.first_offense_source is not None
    assert "2026-04-10" in decision.first_offense_source


def test_a_penalty_is_refused_with_bad_input(database, cli_actor) -> None:
    with pytest.raises(ValidationError) as caught:
        history.record_penalty(cli_actor, "914106", "NOPE", "2099-01-01")
    assert {"uscc", "decided_on"} <= caught.value.fields()
    with pytest.raises(ValidationError) as caught:
        history.record_penalty(cli_actor, USCC_A, "NOPE-1", "2026-01-01")
    assert caught.value.fields() == {"item"}


def test_an_override_with_a_reason_is_applied_and_audited(database, cli_actor) -> None:
    earlier = _grant_earlier(cli_actor, EARLIER_ACT)
    case = new_case(cli_actor, 2)
    reason = "前案系企业另一门店，与本案不是同一经营场所"
    decision = service.assess(
        cli_actor, case.id, first_offense_facts(ACT), override=Override(reason), save=True
    )
    assert decision.outcome is Outcome.NO_PENALTY_FIRST_OFFENSE
    assert reason in (decision.first_offense_source or "")
    entry = AuditEntry.select().where(AuditEntry.action == "exemption.override").get()
    detail = json.loads(entry.detail)
    assert detail["reason"] == reason
    assert detail["history"] == earlier
    assert entry.entity_id == case.case_no


def test_saying_first_offense_against_the_record_needs_an_override(database, cli_actor) -> None:
    _grant_earlier(cli_actor, EARLIER_ACT)
    case = new_case(cli_actor, 2)
    with pytest.raises(ValidationError) as caught:
        service.assess(cli_actor, case.id, first_offense_facts(ACT, first_offense=True))
    assert caught.value.fields() == {"first_offense"}
    with pytest.raises(ValidationError) as caught:
        service.assess(
            cli_actor, case.id, first_offense_facts(ACT), override=Override("  "), save=True
        )
    assert caught.value.fields() == {"override_reason"}
    with pytest.raises(ValidationError) as caught:
        service.assess(
            cli_actor, case.id, first_offense_facts(ACT), override=Override("理由\x00"), save=True
        )
    assert caught.value.fields() == {"override_reason"}
    assert AuditEntry.select().where(AuditEntry.action == "exemption.override").count() == 0


def test_an_override_needs_its_permission(database, cli_actor) -> None:
    case = new_case(cli_actor, 2)
    manager = Actor("科长", Role.MANAGER)
    with pytest.raises(PermissionDenied):
        service.assess(manager, case.id, first_offense_facts(ACT), override=Override("理由"))


def test_no_credit_code_means_no_history_check(database, cli_actor) -> None:
    _grant_earlier(cli_actor, EARLIER_ACT)
    case = new_case(cli_actor, 2)
    Enterprise.update(uscc=None).where(Enterprise.id == case.enterprise_id).execute()
    check = service.history_for_case(case.id, ITEM, ACT)
    assert not check.checked
    assert "统一社会信用代码" in check.text
    decision = service.assess(cli_actor, case.id, first_offense_facts(ACT))
    assert decision.outcome is Outcome.NEEDS_FACTS
