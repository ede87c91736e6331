"""A department's steps the row-level security alone would refuse or hide (docs/server-security.md,
9): a return (退回) through ``hotline_return_case``, and co-handling (会办): an assisting
department reads the case it assists and answers its own part, nobody else's."""

from __future__ import annotations

import psycopg2

from hotline import access, cases, cohandling, db, workflow
from hotline.enums import Role, Status
from hotline.models import AuditEntry, Case, CaseEvent
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.hotline.pg_server.conftest import Centre, sign_in_person
from tests.hotline.pg_server.refusals import allowed, one, refused
from tests.hotline.pg_server.test_row_security import _department, _ids

CLI = Actor.command_line("dept-test")


def _dispatched(centre: Centre, department: int, assisting: tuple[int, ...] = ()) -> int:
    db.connect(centre.owner_url())
    try:
        case = cases.register(CLI, sample_case(subject="会办与退回的案件"))
        workflow.dispatch(CLI, case.id, department, assisting=list(assisting))
        return int(case.id)
    finally:
        access.end_session()
        db.close()


def _sign_in(centre: Centre, username: str) -> Actor:
    actor: Actor = sign_in_person(centre, username)
    assert db.per_person() and actor.department_id is not None
    return actor


def test_a_department_person_returns_a_case_through_the_program(depts: Centre) -> None:
    case_id = _dispatched(depts, 1)
    actor = _sign_in(depts, "dept_a")
    returned = workflow.return_case(actor, case_id, "不属于本单位职责")
    assert returned.status == Status.RETURNED.value and returned.department_id is None
    db.close()
    db.connect(depts.owner_url())
    case = Case.get_by_id(case_id)
    assert case.status == Status.RETURNED.value and case.department_id is None
    assert case.dispatched_at is None and case.version == returned.version
    event = CaseEvent.select().where(CaseEvent.case == case_id).order_by(CaseEvent.id.desc()).get()
    assert (event.action, event.text, event.actor_name) == ("return", "不属于本单位职责", "dept_a")
    login = depts.names.login("dept_a")
    actions = {e.action for e in AuditEntry.select().where(AuditEntry.actor == login)}
    # The service's entry, and the database's of the rows the function wrote, all the person's.
    assert {"case.return", "db.case.update", "db.case_event.insert"} <= actions


def test_a_department_person_returns_a_co_handled_case(depts: Centre) -> None:
    """The return cancels the assisting departments' running parts, which a department may
    not change itself: ``hotline_return_case`` does it (before, the return was refused)."""
    case_id = _dispatched(depts, 1, assisting=(2,))
    actor = _sign_in(depts, "dept_a")
    workflow.return_case(actor, case_id, "不属于本单位职责")
    db.close()
    db.connect(depts.owner_url())
    assert cohandling.case_parts(case_id) == []
    (part,) = cohandling.case_parts(case_id, with_cancelled=True)
    assert part.department_id == 2 and part.state == cohandling.PART_CANCELLED
    assert Case.get_by_id(case_id).status == Status.RETURNED.value


def test_the_return_function_refuses_another_departments_case(depts: Centre) -> None:
    mine = _dispatched(depts, 1)
    theirs = _dispatched(depts, 2)
    conn = _department(depts)  # dept_a, connected directly as its own role
    version = one(conn, 'SELECT version FROM "case" WHERE id = %s', (mine,))
    refused(conn, "SELECT hotline_return_case(%s, 1, 'x', '{}')", (theirs,))
    # Nor a direct write: the row would no longer be the department's.
    refused(conn, 'UPDATE "case" SET department_id = NULL WHERE id = %s', (mine,))
    # The operator's group may not call it at all.
    refused(depts.as_role(Role.OPERATOR), "SELECT hotline_return_case(%s, 1, 'x', '{}')", (mine,))
    assert allowed(conn, "SELECT hotline_return_case(%s, %s, '退回', '{}')", (mine, version)) == 1
    assert mine not in _ids(conn, 'SELECT id FROM "case"')
    # A second time the case is no longer the department's.
    refused(conn, "SELECT hotline_return_case(%s, %s, 'x', '{}')", (mine, version + 1))
    owner = psycopg2.connect(depts.owner_url())
    depts.opened.append(owner)
    assert one(owner, 'SELECT status FROM "case" WHERE id = %s', (theirs,)) == "dispatched"
    assert one(owner, 'SELECT status FROM "case" WHERE id = %s', (mine,)) == "returned"


def test_an_assisting_department_reads_the_case_and_writes_its_part_only(depts: Centre) -> None:
    assisted = _dispatched(depts, 2, assisting=(1,))  # dept_a assists department 2's case
    other = _dispatched(depts, 2)
    conn = _department(depts)
    assert assisted in _ids(conn, 'SELECT id FROM "case"')
    assert other not in _ids(conn, 'SELECT id FROM "case"')
    assert assisted in _ids(conn, "SELECT case_id FROM case_event")
    assert assisted in _ids(conn, "SELECT case_id FROM case_contact")
    assert one(conn, "SELECT count(*) FROM case_event WHERE internal") == 0
    assert _ids(conn, "SELECT department_id FROM case_assist") == {1}
    assert allowed(conn, "UPDATE case_assist SET answer = '本单位意见' WHERE case_id = %s",
                   (assisted,)) == 1  # fmt: skip
    # It may not hand the case to itself, nor change the lead's stage.
    refused(conn, 'UPDATE "case" SET department_id = 1 WHERE id = %s', (assisted,))
    assert allowed(conn, 'UPDATE "case" SET reply = %s WHERE id = %s', ("x", other)) == 0
    # Another department's part (on a case it leads) is not the assisting department's.
    lead = _department(depts, "dept_b")
    owner = psycopg2.connect(depts.owner_url())
    depts.opened.append(owner)
    third = one(owner, "SELECT min(id) FROM department WHERE id NOT IN (1, 2)")
    allowed(owner, "INSERT INTO case_assist (case_id, department_id, round, assigned_at, deadline, "
                   "cancelled) VALUES (%s, %s, 1, now(), now()::date, false)",
            (assisted, third))  # fmt: skip
    assert allowed(conn, "UPDATE case_assist SET answer = '改别人的' WHERE department_id = %s",
                   (third,)) == 0  # fmt: skip
    # The lead department reads every part of its case.
    parts = _ids(lead, f"SELECT department_id FROM case_assist WHERE case_id = {assisted}")
    assert parts == {1, third}
    # A cancelled part opens nothing any more.
    allowed(owner, "UPDATE case_assist SET cancelled = true WHERE case_id = %s", (assisted,))
    assert assisted not in _ids(conn, 'SELECT id FROM "case"')


def test_the_assisting_department_answers_its_part_through_the_program(depts: Centre) -> None:
    assisted = _dispatched(depts, 2, assisting=(1,))
    actor = _sign_in(depts, "dept_a")
    workflow.answer_assist(actor, assisted, "本单位已核查，情况属实")
    (part,) = cohandling.case_parts(assisted)
    assert part.department_id == 1 and part.answer == "本单位已核查，情况属实"
    assert part.state == cohandling.PART_ANSWERED


def test_a_department_person_opens_a_document_of_its_case(depts: Centre) -> None:
    """The look is recorded as an internal timeline entry, which the department may write but
    not read: written without ``RETURNING`` (an ``INSERT … RETURNING`` is checked against the
    read policy and was refused)."""
    import io

    from hotline.attachments import service as attachments

    case_id = _dispatched(depts, 1)
    actor = _sign_in(depts, "dept_a")
    workflow.accept(actor, case_id)
    added = attachments.add(actor, case_id, io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "答复函.pdf")
    out = io.BytesIO()
    attachments.write_to(actor, added.id, out)
    assert out.getvalue() == b"%PDF-1.4\n%%EOF\n"
    db.close()
    db.connect(depts.owner_url())
    looks = CaseEvent.select().where(
        (CaseEvent.case == case_id) & (CaseEvent.action == "attachment_view")
    )
    assert [(e.internal, e.actor_name) for e in looks] == [(True, "dept_a")]
