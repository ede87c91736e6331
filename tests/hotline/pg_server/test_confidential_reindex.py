"""Steps on a confidential case by people who may not read its caller (a manager, the
department), each signed in as their own login role: they re-index the case without reading
or rewriting its private search tokens, which keep the caller for those who may search by
them."""

from __future__ import annotations

from hotline import access, cases, db, workflow
from hotline.enums import Role, Status
from hotline.models import CaseEvent, CaseHandling
from hotline.permissions import Actor
from hotline.search import search
from tests.conftest import sample_case
from tests.hotline.pg_server.conftest import PEOPLE, Centre, sign_in_person

CLI = Actor.command_line("manager-test")


def _confidential_dispatched(centre: Centre) -> int:
    db.connect(centre.owner_url())
    try:
        case = cases.register(
            CLI,
            sample_case(
                subject="匿名举报检查问题",
                confidential=True,
                contact={"name": "韩梅梅", "phone": "13912345678"},
            ),
        )
        workflow.dispatch(CLI, case.id, 1)
        return int(case.id)
    finally:
        access.end_session()
        db.close()


def _found_by_the_caller(centre: Centre, case_id: int) -> None:
    db.connect(centre.owner_url())
    try:
        assert case_id in search("韩梅梅", reveal_confidential=True).case_ids
        assert case_id not in search("韩梅梅").case_ids
    finally:
        db.close()


def test_a_manager_discloses_a_confidential_caller_to_the_department(settled: Centre) -> None:
    case_id = _confidential_dispatched(settled)
    manager = sign_in_person(settled, PEOPLE[Role.MANAGER][0])
    try:
        # The disclosure re-indexes the case, its private tokens among them: before, the
        # upsert read excluded.tokens, which needs SELECT on a column the manager may not read.
        granted = workflow.grant_caller(manager, case_id, "需当面核实情况")
        assert granted.id == case_id
        workflow.add_note(manager, case_id, "已联系承办单位负责人")
    finally:
        access.end_session()
        db.close()
    db.connect(settled.owner_url())
    try:
        assert CaseHandling.get(CaseHandling.case == case_id).caller_granted
        actions = [e.action for e in CaseEvent.select().where(CaseEvent.case == case_id)]
        assert "grant_caller" in actions and "note" in actions
    finally:
        db.close()
    # The index the manager wrote still finds the case by its caller, for those who may.
    _found_by_the_caller(settled, case_id)


def test_the_department_accepts_and_replies_to_a_confidential_case(depts: Centre) -> None:
    case_id = _confidential_dispatched(depts)
    person = sign_in_person(depts, "dept_a")
    try:
        workflow.accept(person, case_id)
        replied = workflow.reply(
            person, case_id, "已现场核查并整改", resolution="resolved", contact_made=True
        )
        assert replied.status == Status.REPLIED.value
    finally:
        access.end_session()
        db.close()
    _found_by_the_caller(depts, case_id)
