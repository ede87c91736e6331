"""Each person's own PostgreSQL role, used directly with psycopg2 (no program in between),
is refused by the server what the permission table does not allow them (issue 15)."""

from __future__ import annotations

import psycopg2
import pytest

from hotline import cases, db
from hotline.enums import Role
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.hotline.pg_server.conftest import Centre
from tests.hotline.pg_server.refusals import allowed, one, refused

EVERYONE = [Role.OPERATOR, Role.SHIFT_LEAD, Role.MANAGER, Role.ADMIN]


def _a_case(centre: Centre) -> int:
    """A confidential case registered by the program acting as the table owner."""
    db.connect(centre.owner_url())
    try:
        case = cases.register(
            Actor.command_line("setup-test"),
            sample_case(confidential=True, subject="保密来电的案件"),
        )
        return int(case.id)
    finally:
        db.close()


def test_an_operator_cannot_make_himself_administrator(centre: Centre) -> None:
    conn = centre.as_role(Role.OPERATOR)
    refused(conn, """UPDATE "user" SET role = 'admin' WHERE username = 'op1'""")
    refused(
        conn,
        """INSERT INTO "user" (username, display_name, role, password_hash,
        active, failed_attempts, must_change_password, created_at)
        VALUES ('evil', 'evil', 'admin', 'x', true, 0, false, now())""",
    )
    refused(conn, "GRANT {} TO {}".format(
        f'"{centre.names.group(Role.ADMIN)}"', f'"{centre.login(Role.OPERATOR)}"'))  # fmt: skip
    assert one(conn, """SELECT role FROM "user" WHERE username = 'op1'""") == "operator"
    assert not one(
        conn, "SELECT pg_has_role(session_user, %s, 'MEMBER')", (centre.names.group(Role.ADMIN),)
    )


@pytest.mark.parametrize("role", EVERYONE, ids=lambda r: r.value)
def test_nobody_changes_or_empties_the_audit_trail(centre: Centre, role: Role) -> None:
    _a_case(centre)
    conn = centre.as_role(role)
    refused(conn, "DELETE FROM audit_entry WHERE id > 1")
    refused(conn, "UPDATE audit_entry SET actor = 'somebody else'")
    refused(conn, "TRUNCATE audit_entry")
    refused(conn, "TRUNCATE audit_head")
    refused(conn, "UPDATE audit_head SET last_id = 1, last_hash = repeat('0', 64)")
    refused(conn, "DELETE FROM audit_head")
    refused(
        conn,
        """INSERT INTO audit_entry (id, at, actor, action, entity, entity_id, detail,
        prev_hash, hash) VALUES (100000, now(), 'x', 'x', 'x', '', '{}', 'x', 'x')""",
    )


def test_not_even_the_table_owner_rewrites_the_audit_trail(centre: Centre) -> None:
    """The role that ran setup, acting as the owner: the triggers refuse it too."""
    _a_case(centre)
    conn = psycopg2.connect(centre.owner_url())
    centre.opened.append(conn)
    refused(conn, "DELETE FROM audit_entry WHERE id > 1")
    refused(conn, "UPDATE audit_entry SET detail = '{}' WHERE id = 1")
    refused(conn, "TRUNCATE audit_entry")
    refused(conn, "UPDATE audit_head SET last_id = last_id - 1")
    refused(conn, "UPDATE audit_head SET last_hash = repeat('0', 64)")
    refused(conn, "DELETE FROM audit_head")


def test_a_manager_cannot_change_a_case(centre: Centre) -> None:
    case_id = _a_case(centre)
    conn = centre.as_role(Role.MANAGER)
    refused(conn, """UPDATE "case" SET subject = '改掉' WHERE id = %s""", (case_id,))
    refused(conn, """UPDATE "case" SET confidential = false WHERE id = %s""", (case_id,))
    refused(conn, """UPDATE "case" SET status = 'closed' WHERE id = %s""", (case_id,))
    refused(conn, """DELETE FROM "case" WHERE id = %s""", (case_id,))
    refused(conn, """DELETE FROM case_event WHERE case_id = %s""", (case_id,))
    # A manager reads the case and the caller's masked forms, but no row of the confidential
    # caller's real contact (row-level security), nor the private search index.
    assert one(conn, """SELECT subject FROM "case" WHERE id = %s""", (case_id,)) == "保密来电的案件"
    assert one(conn, """SELECT contact_phone_masked FROM "case" WHERE id = %s""", (case_id,)) == (
        "138****5678"
    )
    assert one(conn, "SELECT count(*) FROM case_contact WHERE case_id = %s", (case_id,)) == 0
    refused(conn, "UPDATE case_contact SET confidential = false")
    refused(conn, "SELECT tokens FROM case_private_search")


@pytest.mark.parametrize("role", EVERYONE, ids=lambda r: r.value)
def test_nobody_creates_roles_alters_tables_or_disables_triggers(
    centre: Centre, role: Role
) -> None:
    conn = centre.as_role(role)
    refused(conn, "CREATE ROLE intruder LOGIN PASSWORD 'x'")
    refused(conn, "ALTER ROLE CURRENT_USER CREATEROLE")
    refused(conn, """ALTER TABLE "case" ADD COLUMN secret text""")
    refused(conn, """ALTER TABLE "user" DISABLE TRIGGER hotline_audit""")
    refused(conn, "ALTER TABLE audit_entry DISABLE TRIGGER ALL")
    refused(conn, 'DROP TRIGGER hotline_audit ON "case"')
    refused(conn, "DROP TABLE audit_entry")
    refused(conn, "CREATE TABLE public.shadow (x int)")
    refused(conn, "CREATE OR REPLACE FUNCTION public.hotline_audit_append("
            "p_action text, p_entity text, p_entity_id text, p_detail text) "
            "RETURNS integer LANGUAGE sql AS 'SELECT 0'")  # fmt: skip
    refused(conn, "SET session_replication_role = replica")
    # No temporary objects either (they could shadow a catalogue in a careless function) …
    refused(conn, "CREATE TEMP TABLE pg_roles (rolname name)")
    # … and nobody acts as the owner or the people administrator.
    refused(conn, f'SET ROLE "{centre.names.owner}"')
    refused(conn, f'SET ROLE "{centre.names.user_admin}"')


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SHIFT_LEAD, Role.MANAGER])
def test_only_administrators_manage_people(centre: Centre, role: Role) -> None:
    conn = centre.as_role(role)
    refused(conn, "SELECT hotline_create_person('x9', 'x', 'admin', 'SCRAM-SHA-256$x')")
    refused(conn, "SELECT hotline_set_person_role(%s, 'admin')", (role.value,))
    refused(conn, "SELECT hotline_reset_password('chief', 'SCRAM-SHA-256$x')")
    refused(conn, """SELECT password_hash FROM "user" """)


def test_what_an_operator_may_do_directly_works(centre: Centre) -> None:
    case_id = _a_case(centre)
    conn = centre.as_role(Role.OPERATOR)
    assert (
        allowed(conn, """UPDATE "case" SET subject = '新的主题' WHERE id = %s""", (case_id,)) == 1
    )
    assert one(conn, "SELECT contact_phone FROM case_contact WHERE case_id = %s", (case_id,)) == (
        "13812345678"
    )
