"""Changes made directly with a person's own role are audited by the database, with that
role as the actor, in the same hash chain that ``audit verify`` checks (issue 15)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hotline import audit, cases, db
from hotline.cli import main
from hotline.enums import Role
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.hotline.pg_server.conftest import Centre
from tests.hotline.pg_server.refusals import allowed, one, rows


def _register(centre: Centre) -> int:
    db.connect(centre.owner_url())
    try:
        return int(cases.register(Actor.command_line("setup-test"), sample_case()).id)
    finally:
        db.close()


def test_an_operator_changing_a_subject_with_psql_is_audited_and_chained(
    centre: Centre,
) -> None:
    case_id = _register(centre)
    operator = centre.as_role(Role.OPERATOR)
    allowed(operator, """UPDATE "case" SET subject = '改过的主题 "引号" \\ 反斜杠' WHERE id = %s""",
            (case_id,))  # fmt: skip
    admin = centre.as_role(Role.ADMIN)
    with admin.cursor() as cur:
        cur.execute(
            "SELECT actor, action, entity, entity_id, detail FROM audit_entry "
            "ORDER BY id DESC LIMIT 1"
        )
        actor, action, entity, entity_id, detail = cur.fetchone()
    admin.commit()
    assert actor == centre.login(Role.OPERATOR)
    assert (action, entity, entity_id) == ("db.case.update", "case", str(case_id))
    changed = json.loads(detail)["changed"]
    assert changed["subject"] == [sample_case()["subject"], '改过的主题 "引号" \\ 反斜杠']
    # The program's own check of the chain, signed in as the administrator's own role.
    db.connect(centre.login_url(Role.ADMIN))
    try:
        result = audit.verify()
        assert result.ok, audit.describe(result)
        assert result.last_id == one(operator, "SELECT last_id FROM audit_head")
    finally:
        db.close()


def test_audit_verify_on_the_command_line_as_the_administrator(
    centre: Centre, capsys: pytest.CaptureFixture[str]
) -> None:
    _register(centre)
    url = centre.login_url(Role.ADMIN)
    assert main(["--db", url, "audit", "verify"]) == 0
    assert "审计日志完整" in capsys.readouterr().out


def test_the_database_hashes_exactly_as_the_program(centre: Centre) -> None:
    conn = centre.as_role(Role.OPERATOR)
    texts = [
        "",
        "普通文字",
        'quote " and backslash \\',
        "control \x01\x1f\b\f\n\r\t end",
        "del \x7f, line sep \u2028, emoji 😀, bidi \u202e",
        "{}",
        '{"a":[1,2],"b":"x"}',
    ]
    at = dt.datetime(2026, 3, 4, 5, 6, 7, 89)
    for text in texts:
        fields = ("a" * 64, text, "case.update", "case", text[:40], text)
        expected = audit.entry_hash(fields[0], at, *fields[1:])
        found = one(
            conn, "SELECT hotline_audit_hash(%s, %s, %s, %s, %s, %s, %s)",
            (fields[0], at, *fields[1:]),
        )  # fmt: skip
        assert found == expected, repr(text)


def test_a_change_of_nothing_adds_no_entry(centre: Centre) -> None:
    case_id = _register(centre)
    operator = centre.as_role(Role.OPERATOR)
    before = one(operator, "SELECT last_id FROM audit_head")
    allowed(operator, """UPDATE "case" SET subject = subject WHERE id = %s""", (case_id,))
    assert one(operator, "SELECT last_id FROM audit_head") == before


def test_secrets_are_not_copied_into_the_audit_trail(centre: Centre) -> None:
    case_id = _register(centre)
    operator = centre.as_role(Role.OPERATOR)
    allowed(operator, "UPDATE case_contact SET contact_phone = '13900001111' WHERE case_id = %s",
            (case_id,))  # fmt: skip
    admin = centre.as_role(Role.ADMIN)
    with admin.cursor() as cur:
        cur.execute(
            "SELECT detail FROM audit_entry WHERE entity IN ('case', 'case_contact', 'user')"
        )
        details = " ".join(row[0] for row in cur.fetchall())
    admin.commit()
    assert "13900001111" not in details and "13812345678" not in details
    assert "$argon2" not in details and "SCRAM-SHA-256$" not in details
    assert '"contact_phone": ["***", "***"]' in details


def test_a_person_may_add_an_entry_but_not_choose_its_actor(centre: Centre) -> None:
    """The program's own entries (e.g. ``case.dispatch``) go through the same function: the
    actor is always the session's login role, whatever the caller passes."""
    operator = centre.as_role(Role.OPERATOR)
    number = one(
        operator,
        "SELECT hotline_audit_append('case.note', 'case', '1', %s)",
        (json.dumps({"actor": "chief"}),),
    )
    admin = centre.as_role(Role.ADMIN)
    assert one(admin, "SELECT actor FROM audit_entry WHERE id = %s", (number,)) == centre.login(
        Role.OPERATOR
    )


def test_people_writing_at_once_keep_one_unbroken_chain(centre: Centre) -> None:
    """Appends from several sessions at the same moment are serialised by the head's lock."""
    import threading

    roles = [Role.OPERATOR, Role.SHIFT_LEAD, Role.ADMIN]
    case_ids = {role: _register(centre) for role in roles}  # no row lock in common
    connections = {role: centre.as_role(role) for role in roles}
    errors: list[BaseException] = []

    def work(role: Role) -> None:
        conn = connections[role]
        try:
            for n in range(15):
                allowed(conn, """UPDATE "case" SET subject = %s WHERE id = %s""",
                        (f"{role.value} {n}", case_ids[role]))  # fmt: skip
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(role,)) for role in roles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    admin = connections[Role.ADMIN]
    counts = dict(
        (actor, count)
        for actor, count in rows(
            admin,
            "SELECT actor, count(*) FROM audit_entry WHERE action = 'db.case.update' "
            "GROUP BY actor",
        )
    )
    assert counts == {centre.login(role): 15 for role in roles}
    db.connect(centre.login_url(Role.ADMIN))
    try:
        result = audit.verify()
        assert result.ok, audit.describe(result)
    finally:
        db.close()
