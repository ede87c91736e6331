"""Saving an assessment (row, timeline, audit, case version), refusals, dispatch, report hooks."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hotline import audit, clock, workflow
from hotline.enums import Role, Status
from hotline.errors import ConflictError, PermissionDenied, ValidationError
from hotline.exemption import assessments, service
from hotline.exemption.outcome import Outcome
from hotline.exemption.schema import Assessment
from hotline.exemption.store import catalogue_in_force
from hotline.models import AuditEntry, Case, CaseEvent, Department
from hotline.permissions import Actor
from hotline.reports.case_data import load_case_summary
from tests.hotline.exemption.helpers import ITEM, first_offense_facts, new_case

ACT = dt.date(2026, 9, 1)


def _counts() -> tuple[int, int, int]:
    return (
        Assessment.select().count(),
        CaseEvent.select().where(CaseEvent.action == "exemption").count(),
        AuditEntry.select().count(),
    )


def test_saving_stores_the_assessment_with_timeline_and_audit(database, cli_actor) -> None:
    case = new_case(cli_actor)
    facts = first_offense_facts(ACT, first_offense=True)
    decision = service.assess(cli_actor, case.id, facts, save=True, expected_version=case.version)
    assert decision.outcome is Outcome.NO_PENALTY_FIRST_OFFENSE and not decision.mandatory

    row = Assessment.get()
    assert (row.case_id, row.item_code, row.outcome) == (case.id, ITEM, decision.outcome.value)
    assert row.catalogue.version == catalogue_in_force().version
    assert row.enterprise_uscc == "91410600MA44XKQ35C" and row.act_date == ACT
    assert json.loads(row.facts)["first_offense"] is True
    assert row.exempt and not row.mandatory and row.assessed_by_name == cli_actor.name

    event = CaseEvent.get(CaseEvent.action == "exemption")
    assert event.case_id == case.id and ITEM in event.text
    assert json.loads(event.data)["outcome"] == "no_penalty_first_offense"
    entry = AuditEntry.get(AuditEntry.action == "case.exemption")
    assert entry.entity_id == case.case_no
    assert audit.verify().ok
    assert Case.get_by_id(case.id).version == case.version + 1

    saved = assessments.latest(case.id)
    assert saved is not None and saved.decision.to_record() == decision.to_record()
    assert saved.item().code == ITEM


def test_a_case_does_not_count_against_itself(database, cli_actor) -> None:
    case = new_case(cli_actor)
    facts = first_offense_facts(ACT, first_offense=True)
    service.assess(cli_actor, case.id, facts, save=True)
    assert not service.history_for_case(case.id, ITEM, ACT).found
    again = service.assess(cli_actor, case.id, facts, save=True)
    assert again.exempt and len(assessments.of_case(case.id)) == 2


@pytest.mark.parametrize(
    "facts",
    [
        {"item": "NO-SUCH"},
        {"item": ITEM, "conditions": {"no_such_condition": True}},
        {"item": ITEM, "act_date": "2026-02-30"},
        {"item": ITEM, "act_date": "2026-05-02", "act_end_date": "2026-05-01"},
        {"item": ITEM, "act_date": "2026-05-02", "discovered_date": "2026-05-01"},
        {"harm": "catastrophic"},
        {"colour": "red"},
    ],
    ids=["item", "condition", "date", "end-before-start", "found-before-act", "harm", "key"],
)
def test_invalid_facts_store_nothing(database, cli_actor, facts) -> None:
    case = new_case(cli_actor)
    before = _counts()
    with pytest.raises(ValidationError):
        service.assess(cli_actor, case.id, facts, save=True)
    assert _counts() == before
    assert Case.get_by_id(case.id).version == case.version


def test_a_refused_permission_changes_nothing(database, cli_actor) -> None:
    case = new_case(cli_actor)
    before = _counts()
    manager = Actor("科长", Role.MANAGER)
    with pytest.raises(PermissionDenied):
        service.assess(manager, case.id, first_offense_facts(ACT), save=True)
    assert _counts() == before
    assert Case.get_by_id(case.id).version == case.version


def test_a_stale_version_is_refused(database, cli_actor) -> None:
    case = new_case(cli_actor)
    workflow.add_note(cli_actor, case.id, "备注不改变版本")
    dispatched = workflow.dispatch(cli_actor, case.id, Department.get(code="SCJG").id)
    before = _counts()
    with pytest.raises(ConflictError):
        service.assess(
            cli_actor, case.id, first_offense_facts(ACT), save=True, expected_version=case.version
        )
    assert _counts() == before
    assert Case.get_by_id(case.id).version == dispatched.version


def test_saving_needs_a_case(database, cli_actor) -> None:
    with pytest.raises(ValidationError) as caught:
        service.assess(cli_actor, None, {"item": ITEM}, save=True)
    assert caught.value.fields() == {"case"}
    assert service.assess(cli_actor, None, {"item": ITEM}).outcome is Outcome.NEEDS_FACTS


def test_an_eligible_case_is_dispatched_to_its_enforcement_body(database, cli_actor) -> None:
    case = new_case(cli_actor)
    decision = service.assess(
        cli_actor, case.id, first_offense_facts(ACT, first_offense=True), save=True
    )
    item = catalogue_in_force().get(ITEM)
    text = service.dispatch_recommendation(decision, item)
    assert ITEM in text and "第三十三条第一款" in text and "可以不予行政处罚" in text
    department = service.enforcement_department(item)
    assert department is not None and department.code == "SCJG"

    dispatched = service.dispatch_to_enforcement_body(cli_actor, case.id)
    assert dispatched.status == Status.DISPATCHED.value
    assert dispatched.department_id == department.id
    event = CaseEvent.get(CaseEvent.action == "dispatch")
    assert event.text == text


def test_a_case_not_eligible_is_not_dispatched_by_assessment(database, cli_actor) -> None:
    case = new_case(cli_actor)
    service.assess(cli_actor, case.id, first_offense_facts(ACT), save=True)  # needs facts
    with pytest.raises(ValidationError):
        service.dispatch_to_enforcement_body(cli_actor, case.id)
    assert Case.get_by_id(case.id).status == Status.REGISTERED.value


def test_the_reports_read_saved_assessments(database, cli_actor) -> None:
    case = new_case(cli_actor)
    service.assess(cli_actor, case.id, first_offense_facts(ACT, first_offense=True), save=True)
    summary = load_case_summary(case.case_no).exemption
    assert summary is not None
    assert summary.outcome == Outcome.NO_PENALTY_FIRST_OFFENSE.label
    assert summary.mandatory is False
    assert any("第三十三条第一款" in basis for _text, basis in summary.reasons)
    assert ITEM in summary.item and "2026.1" in summary.catalogue
    now = clock.now() + dt.timedelta(days=2)
    counts = assessments.count_by_outcome(now - dt.timedelta(days=30), now)
    assert counts == {Outcome.NO_PENALTY_FIRST_OFFENSE.label: 1}
