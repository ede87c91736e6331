"""Row-level security on the server (issue 15 item 3, issue 16 item 1): each person's own
role, connected with psycopg2 directly, reads a confidential caller only with the right, and a
department reads only its own department's cases; the program connected as that person shows
the same."""

from __future__ import annotations

import io
from dataclasses import dataclass

import psycopg2
import pytest

from hotline import access, case_queries, case_view, cases, db, workflow
from hotline.attachments import service as attachments
from hotline.case_queries import CaseFilter
from hotline.enums import Role
from hotline.errors import NotFound
from hotline.permissions import PERMISSIONS, Action, Actor
from hotline.pg.server import policies, setup
from hotline.search import search
from tests.conftest import sample_case
from tests.hotline.pg_server.conftest import Centre, department_people
from tests.hotline.pg_server.refusals import allowed, one, refused

EVERYONE = [Role.OPERATOR, Role.SHIFT_LEAD, Role.MANAGER, Role.ADMIN]
CLI = Actor.command_line("rls-test")
PHONE = "13812345678"  # sample_case's caller


@dataclass(frozen=True)
class Cases:
    plain: int  # not confidential, department 1
    secret: int  # confidential, department 1, caller not granted
    granted: int  # confidential, department 1, caller granted to the department
    other: int  # department 2, with an attachment, a supervision notice and an internal note


def _make_cases(centre: Centre) -> Cases:
    """Registered and dispatched by the program acting as the table owner."""
    db.connect(centre.owner_url())
    try:

        def dispatched(department: int, **fields: object) -> int:
            case = cases.register(CLI, sample_case(**fields))
            workflow.dispatch(CLI, case.id, department)
            return int(case.id)

        made = Cases(
            plain=dispatched(1, subject="本单位的普通案件"),
            secret=dispatched(1, subject="本单位的保密案件", confidential=True),
            granted=dispatched(1, subject="已开放来电人的案件", confidential=True),
            other=dispatched(2, subject="别的单位的案件", confidential=False),
        )
        workflow.grant_caller(CLI, made.granted, "需当面核实")
        workflow.add_note(CLI, made.plain, "中心内部备注", internal=True)
        workflow.add_note(CLI, made.other, "别的单位的内部备注", internal=True)
        attachments.add(CLI, made.other, io.BytesIO("别的单位的材料".encode()), "材料.txt")
        return made
    finally:
        access.end_session()
        db.close()


@pytest.fixture
def made(centre: Centre) -> Cases:
    department_people(centre)
    return _make_cases(centre)


def _department(centre: Centre, username: str = "dept_a") -> psycopg2.extensions.connection:
    return centre.connect(centre.names.login(username))


def _ids(conn: psycopg2.extensions.connection, sql: str) -> set[int]:
    with conn.cursor() as cur:
        cur.execute(sql)
        found = {int(row[0]) for row in cur.fetchall()}
    conn.commit()
    return found


# -- confidential callers -----------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE, ids=lambda r: r.value)
def test_a_confidential_callers_row_only_with_the_right(
    centre: Centre, made: Cases, role: Role
) -> None:
    conn = centre.as_role(role)
    may = Action.CASE_VIEW_CONFIDENTIAL in PERMISSIONS[role]
    found = _ids(conn, "SELECT case_id FROM case_contact")
    assert (made.secret in found) is may and (made.granted in found) is may
    assert made.plain in found and made.other in found  # not confidential: everyone
    # The case row keeps only the masked forms, for everyone.
    assert one(conn, 'SELECT contact_phone_masked FROM "case" WHERE id = %s', (made.secret,)) == (
        "138****5678"
    )
    phone = one(conn, "SELECT contact_phone FROM case_contact WHERE case_id = %s", (made.secret,))
    assert phone == (PHONE if may else None)


def test_a_manager_cannot_make_a_caller_readable(centre: Centre, made: Cases) -> None:
    """Neither by writing the flag on the contact nor on the case (no grant), nor by an
    operator clearing the contact's copy of the flag: the database keeps it the case's."""
    manager = centre.as_role(Role.MANAGER)
    refused(manager, "UPDATE case_contact SET confidential = false")
    refused(manager, 'UPDATE "case" SET confidential = false WHERE id = %s', (made.secret,))
    operator = centre.as_role(Role.OPERATOR)
    allowed(operator, "UPDATE case_contact SET confidential = false WHERE case_id = %s",
            (made.secret,))  # fmt: skip
    assert one(operator, "SELECT confidential FROM case_contact WHERE case_id = %s",
               (made.secret,)) is True  # fmt: skip
    assert made.secret not in _ids(manager, "SELECT case_id FROM case_contact")
    # Clearing the case's flag (a correction) opens the row to the manager, as the app does.
    allowed(operator, 'UPDATE "case" SET confidential = false WHERE id = %s', (made.secret,))
    assert made.secret in _ids(manager, "SELECT case_id FROM case_contact")


def test_the_policies_follow_the_permission_table(centre: Centre) -> None:
    conn = centre.as_role(Role.ADMIN)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT policyname, roles::text[] FROM pg_policies "
            "WHERE tablename = 'case_contact' AND policyname = 'hotline_confidential'"
        )
        ((_, roles),) = cur.fetchall()
    conn.commit()
    assert set(roles) == {
        centre.names.group(role)
        for role in policies.CENTRE_ROLES
        if Action.CASE_VIEW_CONFIDENTIAL in PERMISSIONS[role]
    }


@pytest.mark.parametrize("drift", ["dropped", "disabled", "added"])
def test_upgrade_puts_the_policies_back(centre: Centre, made: Cases, drift: str) -> None:
    owner = psycopg2.connect(centre.owner_url())
    centre.opened.append(owner)
    manager_group = centre.names.group(Role.MANAGER)
    with owner, owner.cursor() as cur:
        if drift == "dropped":
            cur.execute("DROP POLICY hotline_not_confidential ON case_contact")
            cur.execute(f'CREATE POLICY opened ON case_contact TO "{manager_group}" USING (true)')
        elif drift == "disabled":
            cur.execute("ALTER TABLE case_contact DISABLE ROW LEVEL SECURITY")
        else:
            cur.execute(f'CREATE POLICY peek ON case_contact TO "{manager_group}" USING (true)')
    manager = centre.as_role(Role.MANAGER)
    assert made.secret in _ids(manager, "SELECT case_id FROM case_contact")
    report = setup.run(centre.url, upgrade_only=True)
    assert next(s.message for s in report.steps if s.changed) == setup.MSG_POLICIES_SET
    assert made.secret not in _ids(manager, "SELECT case_id FROM case_contact")
    again = setup.run(centre.url, upgrade_only=True)
    assert setup.MSG_POLICIES_CURRENT in [s.message for s in again.steps]
    assert not any(s.message == setup.MSG_POLICIES_SET for s in again.steps)


# -- departments --------------------------------------------------------------------------------


def test_a_department_reads_only_its_own_cases(centre: Centre, made: Cases) -> None:
    conn = _department(centre)
    mine = {made.plain, made.secret, made.granted}
    assert _ids(conn, 'SELECT id FROM "case"') == mine
    assert _ids(conn, "SELECT case_id FROM case_event") == mine
    assert _ids(conn, "SELECT case_id FROM case_search") == mine
    assert _ids(conn, "SELECT case_id FROM case_handling") <= mine
    assert _ids(conn, "SELECT case_id FROM attachment") == set()
    assert _ids(conn, "SELECT attachment_id FROM attachment_chunk") == set()
    # The other department reads its own case and its document, and nothing of these.
    other = _department(centre, "dept_b")
    assert _ids(other, 'SELECT id FROM "case"') == {made.other}
    assert _ids(other, "SELECT case_id FROM attachment") == {made.other}
    assert len(_ids(other, "SELECT attachment_id FROM attachment_chunk")) == 1
    # Not the centre's internal notes.
    assert one(conn, "SELECT count(*) FROM case_event WHERE internal") == 0
    assert one(centre.as_role(Role.OPERATOR), "SELECT count(*) FROM case_event WHERE internal") >= 2


def test_a_department_reads_a_confidential_caller_only_when_granted(
    centre: Centre, made: Cases
) -> None:
    conn = _department(centre)
    assert _ids(conn, "SELECT case_id FROM case_contact") == {made.plain, made.granted}
    assert one(conn, "SELECT contact_phone FROM case_contact WHERE case_id = %s",
               (made.granted,)) == PHONE  # fmt: skip
    assert one(conn, 'SELECT contact_phone_masked FROM "case" WHERE id = %s', (made.secret,)) == (
        "138****5678"
    )


def test_a_department_cannot_change_the_classification_or_reassign(
    centre: Centre, made: Cases
) -> None:
    conn = _department(centre)
    for column, value in (("category", "policy"), ("subject", "改掉"), ("confidential", False),
                          ("kind", "suggestion"), ("contact_phone_masked", "x")):  # fmt: skip
        refused(conn, f'UPDATE "case" SET {column} = %s WHERE id = %s', (value, made.plain))
    refused(conn, 'UPDATE "case" SET department_id = 2 WHERE id = %s', (made.plain,))
    refused(conn, "UPDATE case_contact SET contact_phone = '1' WHERE case_id = %s", (made.plain,))
    # Its own case it may reply to (what else it may change: test_department_guard.py);
    # another department's case it does not even find.
    reply = "UPDATE \"case\" SET status = 'replied', reply = %s, handled_at = now() WHERE id = %s"
    assert allowed(conn, reply, ("已处理", made.plain)) == 1
    assert allowed(conn, reply, ("改别人的", made.other)) == 0
    assert (
        one(conn, "SELECT count(*) FROM supervision_notice WHERE case_id = %s", (made.other,)) == 0
    )


def test_only_a_department_member_has_a_department(centre: Centre, made: Cases) -> None:
    assert one(_department(centre), "SELECT hotline_my_department()") == 1
    assert one(_department(centre, "dept_b"), "SELECT hotline_my_department()") == 2
    assert one(centre.as_role(Role.OPERATOR), "SELECT hotline_my_department()") is None


def test_the_program_as_a_department_person_shows_only_its_cases(
    centre: Centre, made: Cases
) -> None:
    """The services read through the person's own connection: even without the service-side
    rule (no session begun), the server returns only the department's rows; and with it, the
    case window refuses another department's case and masks a caller not granted."""
    from urllib.parse import quote, urlparse

    login = centre.names.login("dept_a")
    parsed = urlparse(centre.url)
    secret = quote(centre.passwords[login], safe="")
    url = parsed._replace(
        netloc=f"{quote(login, safe='')}:{secret}@{parsed.hostname}:{parsed.port}"
    ).geturl()
    actor = Actor("dept_a", Role.DEPARTMENT, user_id=None, department_id=1)
    db.connect(url)
    try:
        assert access.session_actor() is None
        rows = case_queries.fetch_page(CaseFilter(), limit=50)
        assert {row.id for row in rows} == {made.plain, made.secret, made.granted}
        shown = {row.id: row.contact_phone for row in rows}
        assert shown[made.secret] == "138****5678" and shown[made.plain] == PHONE
        with pytest.raises(NotFound):
            case_view.load_case_window(made.other, actor)
        secret_view = case_view.load_case_window(made.secret, actor)
        assert secret_view.masked and secret_view.contact_phone == "138****5678"
        granted = case_view.load_case_window(made.granted, actor)
        assert not granted.masked and granted.contact_phone == PHONE
        assert all(
            not event.internal for event in case_view.load_case_window(made.plain, actor).events
        )
        mine = {made.plain, made.secret, made.granted}
        assert set(search("案件").case_ids) == mine  # the server's rule alone
        access.begin_session(actor)
        assert set(search("案件").case_ids) == mine  # and with the program's own
        assert search("别的单位").case_ids == []
        # The lists leave the department's rule to the server, which applies it to this login.
        assert access.list_condition() is None
        assert {row.id for row in case_queries.fetch_page(CaseFilter(), limit=50)} == mine
    finally:
        access.end_session()
        db.close()
    db.connect(centre.owner_url())  # the owner: no row-level security, the program's rule
    try:
        access.begin_session(actor)
        assert access.list_condition() is not None
        assert made.other not in {row.id for row in case_queries.fetch_page(CaseFilter())}
    finally:
        access.end_session()
        db.close()
