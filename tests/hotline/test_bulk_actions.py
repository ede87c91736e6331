"""Acting on several chosen cases: dispatch each through the workflow, print summaries."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from hotline import bulk_actions, cases, cohandling, workflow
from hotline.bulk_actions import ChosenCase
from hotline.enums import Role, Status
from hotline.errors import PermissionDenied, ValidationError
from hotline.models import AuditEntry, Case, CaseAssist, CaseEvent, Department
from hotline.permissions import Actor
from tests.conftest import sample_case


def _chosen(case: Case) -> ChosenCase:
    return ChosenCase(case.id, case.case_no, case.version)


def test_dispatch_many_reports_each_case_and_goes_on_after_a_refusal(database, cli_actor) -> None:
    first, second, third = cases.register_many(cli_actor, [sample_case()] * 3)
    department = Department.get(Department.code == "SPJ")
    workflow.dispatch(cli_actor, second.id, department.id)  # already dispatched
    stale = _chosen(third)
    workflow.add_note(cli_actor, third.id, "备注")  # a note keeps the version
    seen: list[tuple[int, int]] = []
    results = bulk_actions.dispatch_many(
        cli_actor,
        [_chosen(first), ChosenCase(second.id, second.case_no, None), stale],
        department.id,
        note="集中派单",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [r.ok for r in results] == [True, False, True]
    assert "不能执行" in results[1].text and results[1].case_no == second.case_no
    assert "办理期限" in results[0].text
    assert Case.get_by_id(first.id).status == Status.DISPATCHED.value
    assert seen[-1] == (3, 3)
    assert AuditEntry.select().where(AuditEntry.action == "case.dispatch").count() == 3


def _department(code: str) -> Department:
    return Department.get(Department.code == code)


def test_dispatch_many_with_assisting_departments_gives_each_case_its_parts(
    database, cli_actor
) -> None:
    first, second, third = cases.register_many(cli_actor, [sample_case()] * 3)
    lead = _department("SPJ")
    helpers = [_department("GXJ").id, _department("RSJ").id]
    workflow.dispatch(cli_actor, second.id, lead.id)  # already dispatched: refused
    results = bulk_actions.dispatch_many(
        cli_actor,
        [_chosen(first), ChosenCase(second.id, second.case_no, None), _chosen(third)],
        lead.id,
        assisting=helpers,
        assist_workdays=2,
    )
    assert [r.ok for r in results] == [True, False, True]
    assert "会办 2 个单位" in results[0].text and "不能执行" in results[1].text
    for case in (first, third):
        parts = cohandling.case_parts(case.id)
        assert [p.department_id for p in parts] == helpers
        assert all(p.open and p.deadline <= Case.get_by_id(case.id).deadline for p in parts)
        dispatch = (
            CaseEvent.select()
            .where((CaseEvent.case == case.id) & (CaseEvent.action == "dispatch"))
            .get()
        )
        assisting = json.loads(dispatch.data)["assisting"]
        assert [p["department_id"] for p in assisting] == helpers
    assert cohandling.case_parts(second.id) == []  # the refused case keeps its dispatch
    assert CaseAssist.select().count() == 4


@pytest.mark.parametrize(
    ("assisting", "days", "field"),
    [
        (["SPJ", "GXJ"], 3, "assisting"),
        (["GXJ"], 0, "assist_days"),
        (["GXJ", "GXJ"], 3, "assisting"),
    ],
)
def test_dispatch_many_refuses_bad_assisting_before_any_case(
    database, cli_actor, assisting, days, field
) -> None:
    made = cases.register_many(cli_actor, [sample_case()] * 2)
    ids = [_department(code).id for code in assisting]
    with pytest.raises(ValidationError) as refused:
        bulk_actions.dispatch_many(
            cli_actor,
            [_chosen(c) for c in made],
            _department("SPJ").id,
            assisting=ids,
            assist_workdays=days,
        )
    assert [p.field for p in refused.value.problems] == [field]
    assert all(Case.get_by_id(c.id).status == Status.REGISTERED.value for c in made)
    assert CaseAssist.select().count() == 0
    assert AuditEntry.select().where(AuditEntry.action == "case.dispatch").count() == 0


def test_dispatch_many_refuses_a_changed_case(database, cli_actor) -> None:
    case = cases.register(cli_actor, sample_case())
    seen = _chosen(case)
    workflow.withdraw(cli_actor, case.id, "重复登记")
    results = bulk_actions.dispatch_many(
        cli_actor, [seen], Department.get(Department.code == "SPJ").id
    )
    assert not results[0].ok and "已被" in results[0].text


def test_dispatch_many_needs_the_permission(database, cli_actor) -> None:
    case = cases.register(cli_actor, sample_case())
    with pytest.raises(PermissionDenied):
        bulk_actions.dispatch_many(
            Actor("科长", Role.MANAGER), [_chosen(case)], Department.select().first().id
        )


def test_summaries_in_one_file_or_a_folder(database, cli_actor, tmp_path) -> None:
    made = cases.register_many(cli_actor, [sample_case()] * 2)
    numbers = [c.case_no for c in made] + ["YS20990101-0001"]
    out = tmp_path / "summaries.pdf"
    results = bulk_actions.print_summaries(cli_actor, numbers, out, one_file=True)
    assert [r.ok for r in results] == [True, True, False]
    reader = PdfReader(out)
    assert [item.title for item in reader.outline] == numbers[:2]
    folder = tmp_path / "folder"
    folder.mkdir()
    results = bulk_actions.print_summaries(cli_actor, numbers[:2], folder, one_file=False)
    assert all(r.ok for r in results)
    assert len(list(folder.glob("case-*.pdf"))) == 2
