"""People as login roles, changed by administrators through the SECURITY DEFINER functions,
with passwords sent only as SCRAM verifiers computed on the client."""

from __future__ import annotations

import psycopg2
import pytest

from hotline.enums import Role
from hotline.pg.server import people
from tests.hotline.pg_server.conftest import Centre
from tests.hotline.pg_server.refusals import allowed, one, refused


def _create(centre: Centre, username: str, role: Role, password: str) -> str:
    admin = centre.as_role(Role.ADMIN)
    login = centre.names.login(username)
    secret = people.verifier(admin, password, login)
    assert secret.startswith("SCRAM-SHA-256$") and password not in secret
    got = one(admin, "SELECT hotline_create_person(%s, %s, %s, %s)",
              (username, "新人", role.value, secret))  # fmt: skip
    assert got == login
    centre.passwords[login] = password
    return login


def test_a_new_person_signs_in_as_their_own_role(centre: Centre) -> None:
    login = _create(centre, "newbie", Role.OPERATOR, "Newbie-pass-1")
    conn = centre.connect(login)
    assert one(conn, "SELECT session_user") == login
    assert one(conn, """SELECT must_change_password FROM "user" WHERE username = 'newbie'""")
    with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
        centre.connect(login, password="Wrong-pass-1")


def test_a_plain_password_is_refused(centre: Centre) -> None:
    admin = centre.as_role(Role.ADMIN)
    with (
        pytest.raises(psycopg2.errors.InvalidParameterValue, match="verifier"),
        admin.cursor() as cur,
    ):
        cur.execute("SELECT hotline_create_person('plain', '明文', 'operator', 'Plain-pass-1')")
    admin.rollback()
    assert not one(admin, "SELECT count(*) FROM pg_roles WHERE rolname = %s",
                   (centre.names.login("plain"),))  # fmt: skip


def test_changing_ones_own_password_sends_a_verifier(centre: Centre) -> None:
    login = _create(centre, "changer", Role.OPERATOR, "Changer-pass-1")
    conn = centre.connect(login)
    allowed(conn, "SELECT hotline_change_own_password(%s)",
            (people.verifier(conn, "Changer-pass-2", login),))  # fmt: skip
    assert not one(conn, """SELECT must_change_password FROM "user" WHERE username = 'changer'""")
    centre.connect(login, password="Changer-pass-2").close()
    with pytest.raises(psycopg2.OperationalError):
        centre.connect(login, password="Changer-pass-1")


def test_disabling_a_person_stops_their_sign_in(centre: Centre) -> None:
    login = _create(centre, "leaver", Role.OPERATOR, "Leaver-pass-1")
    admin = centre.as_role(Role.ADMIN)
    allowed(admin, "SELECT hotline_set_person_active('leaver', false)")
    with pytest.raises(psycopg2.OperationalError, match="not permitted to log in"):
        centre.connect(login)
    allowed(admin, "SELECT hotline_set_person_active('leaver', true)")
    centre.connect(login).close()
    # An administrator cannot lock themselves out.
    with pytest.raises(psycopg2.errors.InvalidParameterValue), admin.cursor() as cur:
        cur.execute("SELECT hotline_set_person_active('chief', false)")
    admin.rollback()


def test_a_new_role_takes_the_old_one_away(centre: Centre) -> None:
    login = _create(centre, "mover", Role.OPERATOR, "Mover-pass-1")
    admin = centre.as_role(Role.ADMIN)
    allowed(admin, "SELECT hotline_set_person_role('mover', 'manager')")
    conn = centre.connect(login)
    assert one(conn, """SELECT role FROM "user" WHERE username = 'mover'""") == "manager"
    refused(conn, """UPDATE "case" SET subject = 'x'""")
    assert not one(conn, "SELECT pg_has_role(session_user, %s, 'MEMBER')",
                   (centre.names.group(Role.OPERATOR),))  # fmt: skip
    # The change is audited with the administrator as the actor.
    actor, action = one(
        admin,
        "SELECT actor, action FROM audit_entry WHERE entity = 'user' ORDER BY id DESC LIMIT 1",
    )
    assert (actor, action) == (centre.login(Role.ADMIN), "db.user.update")


def test_reset_password_makes_the_person_change_it(centre: Centre) -> None:
    login = _create(centre, "forgot", Role.OPERATOR, "Forgot-pass-1")
    conn = centre.connect(login)
    allowed(conn, "SELECT hotline_change_own_password(%s)",
            (people.verifier(conn, "Forgot-pass-2", login),))  # fmt: skip
    admin = centre.as_role(Role.ADMIN)
    allowed(admin, "SELECT hotline_reset_password('forgot', %s)",
            (people.verifier(admin, "Temp-pass-3", login),))  # fmt: skip
    again = centre.connect(login, password="Temp-pass-3")
    assert one(again, """SELECT must_change_password FROM "user" WHERE username = 'forgot'""")


def test_no_function_reaches_a_role_outside_this_database(centre: Centre) -> None:
    admin = centre.as_role(Role.ADMIN)
    for bad in ("hotline_test", "x;DROP", "a", "postgres"):
        with pytest.raises(psycopg2.Error), admin.cursor() as cur:
            cur.execute("SELECT hotline_reset_password(%s, 'SCRAM-SHA-256$x')", (bad,))
        admin.rollback()


def test_an_administrator_gives_up_their_own_role_through_the_program(centre: Centre) -> None:
    """The administrators' rights go with the role at once, in the same transaction: the
    change's other writes (the department membership) come first. Before, the transaction
    failed with ``permission denied for table department_member``."""
    from hotline import auth, db
    from hotline.models import User
    from tests.hotline.pg_server.conftest import sign_in_person

    chief = sign_in_person(centre, "chief")
    auth.create_user(chief, "chief2", "副管理员", Role.ADMIN.value, "Second-admin-1")
    mine = User.get(User.username == "chief").id
    auth.change_role(chief, mine, Role.MANAGER.value)
    assert User.get_by_id(mine).role == Role.MANAGER.value
    db.close()
    manager = centre.connect(centre.names.login("chief"))
    refused(manager, 'UPDATE "user" SET display_name = %s WHERE username = %s', ("x", "chief2"))
