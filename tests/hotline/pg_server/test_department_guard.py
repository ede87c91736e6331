"""A department person, connected with ``psql`` under their own role, may take their steps
(accept, ask for an extension, answer a notice, reply) but not what the centre decides on
their own case: the deadline, the dispatch, an extension's approval, the state, a
confidential caller's grant, a notice's answer-by date, the timeline's other steps."""

from __future__ import annotations

import datetime as dt

import psycopg2
import pytest

from hotline import db, workflow
from hotline.enums import Resolution, Status
from hotline.models import Case, CaseHandling, SupervisionNotice
from hotline.permissions import Actor
from tests.hotline.pg_server.conftest import Centre
from tests.hotline.pg_server.refusals import allowed, one, refused
from tests.hotline.pg_server.test_department_steps import _dispatched, _sign_in
from tests.hotline.pg_server.test_row_security import _department

CLI_ACTOR = Actor.command_line("guard-test")


def _owner(centre: Centre) -> psycopg2.extensions.connection:
    conn = psycopg2.connect(centre.owner_url())
    centre.opened.append(conn)
    return conn


def _notice(centre: Centre, case_id: int) -> int:
    return int(
        one(
            _owner(centre),
            "INSERT INTO supervision_notice (case_id, level, text, answer_by, issued_at, "
            "issued_by_name) VALUES (%s, 'supervision', '请尽快办理', now()::date + 3, now(), "
            "'值班长') RETURNING id",
            (case_id,),
        )
    )


@pytest.mark.parametrize(
    "change",
    [
        "deadline = deadline + 30",
        "dispatched_at = now()",
        "ceiling = ceiling + 30",
        "extended = true, deadline = deadline + 30",
        "extension_status = 'approved', extension_until = deadline + 30, extension_reason = 'x'",
        "status = 'closed', closed_at = now()",
        "status = 'replied'",  # a reply without its answer
        "reply = '私自改写的答复'",  # an answer without the reply step
        "extension_until = deadline + 30",  # a date without a request
        "version = version - 1",
        "round = round + 1",
    ],
)
def test_a_department_cannot_decide_its_own_case(depts: Centre, change: str) -> None:
    case_id = _dispatched(depts, 1)
    message = refused(_department(depts), f'UPDATE "case" SET {change} WHERE id = %s', (case_id,))
    assert "department" in message or "case" in message


def test_a_department_cannot_grant_itself_a_confidential_caller(depts: Centre) -> None:
    case_id = _dispatched(depts, 1)
    conn = _department(depts)
    refused(conn, "UPDATE case_handling SET caller_granted = true WHERE case_id = %s", (case_id,))
    allowed(_owner(depts), "DELETE FROM case_handling WHERE case_id = %s", (case_id,))
    refused(
        conn,
        "INSERT INTO case_handling (case_id, caller_granted) VALUES (%s, true)",
        (case_id,),
    )
    # Accepting is its own (the stage row made when first needed).
    sql = (
        "INSERT INTO case_handling (case_id, accepted_at, accepted_by, caller_granted) "
        "VALUES (%s, now(), 'a', false)"
    )
    assert allowed(conn, sql, (case_id,)) == 1


def test_a_department_answers_a_notice_but_keeps_its_date(depts: Centre) -> None:
    case_id = _dispatched(depts, 1)
    notice = _notice(depts, case_id)
    conn = _department(depts)
    refused(
        conn, "UPDATE supervision_notice SET answer_by = answer_by + 30 WHERE id = %s", (notice,)
    )
    refused(conn, "UPDATE supervision_notice SET level = 'reminder' WHERE id = %s", (notice,))
    sql = (
        "UPDATE supervision_notice SET answer = '已在办理', answered_at = now(), "
        "answered_by_name = 'dept_a' WHERE id = %s"
    )
    assert allowed(conn, sql, (notice,)) == 1


def test_a_department_writes_only_its_own_steps_on_the_timeline(depts: Centre) -> None:
    case_id = _dispatched(depts, 1)
    conn = _department(depts)
    me = one(conn, "SELECT id FROM \"user\" WHERE username = 'dept_a'")
    insert = (
        "INSERT INTO case_event (case_id, at, actor_name, user_id, action, internal, text, data) "
        "VALUES (%s, now(), %s, %s, %s, false, '', '{}')"
    )
    refused(conn, insert, (case_id, "值班长", me, "decide_extension"))
    refused(conn, insert, (case_id, "值班长", me, "callback"))
    refused(conn, insert, (case_id, "dept_a", None, "note"))  # nobody's step
    someone = one(conn, "SELECT min(id) FROM \"user\" WHERE username <> 'dept_a'")
    refused(conn, insert, (case_id, "dept_a", someone, "note"))  # someone else's
    assert allowed(conn, insert, (case_id, "dept_a", me, "note")) == 1


def test_the_steps_of_a_department_pass_directly(depts: Centre) -> None:
    """The shapes of the program's own steps, written with psql, are the department's."""
    case_id = _dispatched(depts, 1)
    conn = _department(depts)
    request = (
        "UPDATE \"case\" SET extension_status = 'requested', extension_until = deadline + 5, "
        "extension_reason = '需现场核查', version = version + 1, updated_at = now() WHERE id = %s"
    )
    assert allowed(conn, request, (case_id,)) == 1
    refused(conn, 'UPDATE "case" SET extension_status = NULL WHERE id = %s', (case_id,))
    reply = (
        "UPDATE \"case\" SET status = 'replied', reply = '已办结', handled_at = now(), "
        "extension_status = NULL, version = version + 1, updated_at = now() WHERE id = %s"
    )
    assert allowed(conn, reply, (case_id,)) == 1
    refused(conn, "UPDATE \"case\" SET status = 'dispatched' WHERE id = %s", (case_id,))


def test_an_assisting_department_touches_the_case_but_not_its_state(depts: Centre) -> None:
    assisted = _dispatched(depts, 2, assisting=(1,))  # dept_a assists department 2's case
    helper = _department(depts)
    lead = _department(depts, "dept_b")
    reply = (
        "UPDATE \"case\" SET status = 'replied', reply = '会办单位代答', handled_at = now() "
        "WHERE id = %s"
    )
    refused(helper, reply, (assisted,))
    assert allowed(helper, 'UPDATE "case" SET version = version + 1 WHERE id = %s', (assisted,))
    refused(helper, "UPDATE case_assist SET ended_at = now() WHERE case_id = %s", (assisted,))
    refused(lead, "UPDATE case_assist SET answer = '替会办单位答' WHERE case_id = %s", (assisted,))
    assert allowed(lead, "UPDATE case_assist SET ended_at = now() WHERE case_id = %s", (assisted,))


def test_the_program_takes_a_departments_steps_through_the_guard(depts: Centre) -> None:
    case_id = _dispatched(depts, 1)
    _notice(depts, case_id)
    actor = _sign_in(depts, "dept_a")
    workflow.accept(actor, case_id)
    case = Case.get_by_id(case_id)
    workflow.request_extension(actor, case_id, case.deadline + dt.timedelta(days=3), "需现场核查")
    workflow.answer_supervision(actor, case_id, "正在核查")
    replied = workflow.reply(
        actor,
        case_id,
        "已与企业沟通并办结",
        resolution=Resolution.RESOLVED.value,
        contact_made=True,
    )
    assert replied.status == Status.REPLIED.value
    db.close()
    db.connect(depts.owner_url())
    case = Case.get_by_id(case_id)
    assert case.status == Status.REPLIED.value and case.extension_status is None
    assert CaseHandling.get_by_id(case_id).accepted_at is not None
    assert SupervisionNotice.get(SupervisionNotice.case == case_id).answer == "正在核查"


def test_the_database_keeps_the_return_window_of_the_dispatch(depts: Centre) -> None:
    """The window's last day is the dispatch's (its timeline entry, written by the centre);
    past it, ``hotline_return_case`` refuses whoever calls it, the program or ``psql``."""
    late = _dispatched(depts, 1)
    in_time = _dispatched(depts, 1)
    owner = _owner(depts)
    recorded = one(
        owner,
        "SELECT data::jsonb ->> 'return_until' FROM case_event "
        "WHERE case_id = %s AND action = 'dispatch'",
        (in_time,),
    )
    assert dt.date.fromisoformat(recorded) >= dt.date.today()
    allowed(
        owner,
        "UPDATE case_event SET data = jsonb_set(data::jsonb, '{return_until}', "
        "to_jsonb((now()::date - 1)::text))::text WHERE case_id = %s AND action = 'dispatch'",
        (late,),
    )
    conn = _department(depts)
    version = one(conn, 'SELECT version FROM "case" WHERE id = %s', (late,))
    with pytest.raises(psycopg2.errors.CheckViolation, match="time to return"):
        one(conn, "SELECT hotline_return_case(%s, %s, '过期退回', '{}')", (late, version))
    conn.rollback()
    version = one(conn, 'SELECT version FROM "case" WHERE id = %s', (in_time,))
    assert allowed(conn, "SELECT hotline_return_case(%s, %s, '退回', '{}')", (in_time, version))
    # A department cannot move the window by recording a dispatch of its own.
    insert = (
        "INSERT INTO case_event (case_id, at, actor_name, user_id, action, internal, text, data) "
        "VALUES (%s, now(), 'dept_a', (SELECT id FROM \"user\" WHERE username = 'dept_a'), "
        "'dispatch', false, '', '{\"return_until\": \"2099-01-01\"}')"
    )
    refused(conn, insert, (late,))


def test_the_callers_a_department_reads(depts: Centre) -> None:
    """Of its own cases the callers that are not confidential and a confidential one the
    centre granted; of a case it assists only a caller that is not confidential, the grant
    being for the lead; of another department's case none."""
    from hotline import access

    plain = _dispatched(depts, 1)
    secret = _dispatched(depts, 1)
    granted = _dispatched(depts, 1)
    assisted = _dispatched(depts, 2, assisting=(1,))
    assisted_secret = _dispatched(depts, 2, assisting=(1,))
    theirs = _dispatched(depts, 2)
    owner = _owner(depts)
    allowed(
        owner,
        'UPDATE "case" SET confidential = true WHERE id = ANY(%s)',
        ([secret, granted, assisted_secret],),
    )
    db.connect(depts.owner_url())
    try:
        for case_id in (granted, assisted_secret):
            workflow.grant_caller(CLI_ACTOR, case_id, "需当面核实")
    finally:
        access.end_session()
        db.close()
    with _department(depts).cursor() as cur:
        cur.execute("SELECT case_id FROM case_contact")
        seen = {row[0] for row in cur.fetchall()}
    assert seen == {plain, granted, assisted}
    assert not seen & {secret, assisted_secret, theirs}
