"""The grants ``server setup`` gives each group are those the permission table implies."""

from __future__ import annotations

import pytest

from hotline.enums import Role
from hotline.permissions import PERMISSIONS, Action
from hotline.pg.server import grants, setup
from tests.hotline.pg_server.conftest import Centre


def test_every_action_says_what_it_needs_in_the_database() -> None:
    """A new action of hotline.permissions must be given its grants (even if none)."""
    assert set(grants.ACTION_GRANTS) == set(Action)


def _privileges(centre: Centre) -> dict[str, grants.Privileges]:
    conn = centre.connect(centre.login(Role.ADMIN))
    with conn.cursor() as cur:
        columns = grants.table_columns(cur)
        found = {
            code: grants.actual(cur, group, columns)
            for code, group in centre.names.groups().items()
        }
    conn.commit()
    found["_columns"] = {(t, c, "") for t, cs in columns.items() for c in cs}
    return found


def test_each_group_holds_exactly_what_its_role_may_do(centre: Centre) -> None:
    found = _privileges(centre)
    columns: dict[str, list[str]] = {}
    for table, column, _ in sorted(found.pop("_columns")):
        columns.setdefault(table, []).append(column)
    for role in Role:  # the department group is Role.DEPARTMENT's
        assert found[role.value] == grants.expected(role, columns), role


def _can(found: grants.Privileges, table: str, column: str, privilege: str) -> bool:
    return (table, column, privilege) in found


def test_the_grants_say_what_the_permission_table_says(centre: Centre) -> None:
    """Read back from the server, checked against PERMISSIONS action by action."""
    found = _privileges(centre)
    for role in Role:
        held = found[role.value]
        may = PERMISSIONS[role]
        assert _can(held, "case", "subject", "UPDATE") == (Action.CASE_DISPATCH in may), role
        assert _can(held, "case", "id", "INSERT") == (Action.CASE_REGISTER in may), role
        # Every role reads case_contact; which rows is row-level security's (test_contacts).
        assert _can(held, "case_contact", "contact_phone", "SELECT") == (Action.CASE_VIEW in may), (
            role
        )
        assert _can(held, "case_contact", "contact_phone", "UPDATE") == (
            Action.CASE_CORRECT in may
        ), role
        assert _can(held, "case_private_search", "tokens", "SELECT") == (
            Action.CASE_VIEW_CONFIDENTIAL in may
        ), role
        assert _can(held, "setting", "value", "UPDATE") == (Action.SETTINGS_MANAGE in may), role
        assert _can(held, "exemption_catalogue", "data", "INSERT") == (
            Action.CATALOGUE_MANAGE in may
        ), role
        assert _can(held, "audit_entry", "hash", "SELECT") == (Action.AUDIT_VIEW in may), role
        assert _can(held, "handover_note", "text", "INSERT") == (Action.HANDOVER_WRITE in may), role
        # Nobody, whatever the role, writes users (only through the functions), reads a
        # password hash, or writes the audit tables.
        for column in ("role", "active", "password_hash"):
            assert not _can(held, "user", column, "UPDATE"), role
        assert not _can(held, "user", "password_hash", "SELECT"), role
        for table in ("audit_entry", "audit_head"):
            for privilege in ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
                assert not any(t == table and p == privilege for t, _, p in held), (role, table)
    # A manager's note touches the case's version and time, nothing else of the case.
    manager = {(c, p) for t, c, p in found[Role.MANAGER.value] if t == "case" and p != "SELECT"}
    assert manager == {("version", "UPDATE"), ("updated_at", "UPDATE")}


@pytest.mark.parametrize("drift", ["extra", "missing"])
def test_upgrade_puts_drifted_grants_back(centre: Centre, drift: str) -> None:
    """A grant added or revoked by hand is found and corrected by the next upgrade."""
    import psycopg2

    conn = psycopg2.connect(centre.owner_url())
    centre.opened.append(conn)
    group = centre.names.group(Role.MANAGER)
    with conn, conn.cursor() as cur:
        if drift == "extra":
            cur.execute(f'GRANT UPDATE ON "case" TO "{group}"')
        else:
            cur.execute(f'REVOKE SELECT ON "case" FROM "{group}"')
    report = setup.run(centre.url, upgrade_only=True)
    changed = [step for step in report.steps if step.changed]
    assert (changed[0].message, changed[0].params) == (
        setup.MSG_GRANTS_SET,
        {"role": group},
    )
    test_each_group_holds_exactly_what_its_role_may_do(centre)
