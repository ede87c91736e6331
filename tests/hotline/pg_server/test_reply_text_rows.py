"""Reply texts (常用语) on a shared server: a person's private texts are theirs alone, the
centre's shared ones are read by everyone and written only by the roles with
``reply_text.shared`` — refused by PostgreSQL to whoever connects with ``psql``."""

from __future__ import annotations

from hotline.enums import Role
from tests.hotline.pg_server.conftest import Centre
from tests.hotline.pg_server.refusals import allowed, one, refused, rows

INSERT = (
    "INSERT INTO reply_text (owner_id, code, title, body, kinds, created_at, updated_at, "
    "updated_by_name, version) VALUES ({owner}, %s, %s, '正文', 'reply', now(), now(), 'x', 1) "
    "RETURNING id"
)
MINE = "hotline_my_user()"


def test_private_texts_are_their_owners_and_shared_ones_the_editors(centre: Centre) -> None:
    operator = centre.as_role(Role.OPERATOR)
    lead = centre.as_role(Role.SHIFT_LEAD)
    manager = centre.as_role(Role.MANAGER)
    private = one(operator, INSERT.format(owner=MINE), ("wd1", "我的常用语"))
    assert private is not None
    # Another person neither reads, changes nor deletes it, nor writes one in its name.
    assert one(lead, "SELECT count(*) FROM reply_text WHERE id = %s", (private,)) == 0
    assert allowed(lead, "UPDATE reply_text SET body = '改' WHERE id = %s", (private,)) == 0
    assert allowed(lead, "DELETE FROM reply_text WHERE id = %s", (private,)) == 0
    owner = one(operator, "SELECT owner_id FROM reply_text WHERE id = %s", (private,))
    refused(lead, INSERT.format(owner="%s"), (owner, "fake", "冒名"))
    # It cannot give its text away to the centre either.
    refused(operator, "UPDATE reply_text SET owner_id = NULL WHERE id = %s", (private,))
    # Shared texts: written by a shift lead, read by everyone, not changed by an operator.
    shared = one(lead, INSERT.format(owner="NULL"), ("gx1", "共享常用语"))
    assert one(operator, "SELECT title FROM reply_text WHERE id = %s", (shared,)) == "共享常用语"
    assert one(manager, "SELECT count(*) FROM reply_text WHERE id = %s", (shared,)) == 1
    refused(operator, INSERT.format(owner="NULL"), ("gx2", "坐席写共享"))
    assert allowed(operator, "UPDATE reply_text SET body = '改' WHERE id = %s", (shared,)) == 0
    assert allowed(operator, "DELETE FROM reply_text WHERE id = %s", (shared,)) == 0
    assert allowed(lead, "UPDATE reply_text SET body = '修订' WHERE id = %s", (shared,)) == 1
    # The database's audit trail has each write under its person's login role.
    actors = {
        row[0]
        for row in rows(
            centre.as_role(Role.ADMIN),
            "SELECT actor FROM audit_entry WHERE action LIKE 'db.reply_text.%%'",
        )
    }
    assert actors == {centre.login(Role.OPERATOR), centre.login(Role.SHIFT_LEAD)}


def test_the_program_keeps_private_and_shared_texts_per_person(centre: Centre) -> None:
    from hotline import db
    from hotline.reply_texts import service
    from tests.hotline.pg_server.test_workstation import sign_in

    try:
        lead = sign_in(centre, Role.SHIFT_LEAD)
        shared = service.save_text(
            lead, service.TextInput("gx9", "共享答复", "您好，{企业名称}", ("reply",), shared=True)
        )
        mine = service.save_text(
            lead, service.TextInput("wd9", "值班长私有", "私有正文", ("reply",))
        )
        changed = service.save_text(
            lead,
            service.TextInput("wd9", "值班长私有", "改过的正文", ("reply",)),
            text_id=mine.id,
            expected_version=1,
        )
        assert changed.body == "改过的正文"
        db.close()
        operator = sign_in(centre, Role.OPERATOR)
        seen = {text.code for text in service.visible_texts(operator)}
        assert "gx9" in seen and "wd9" not in seen
        own = service.save_text(operator, service.TextInput("wd9", "坐席私有", "正文", ("reply",)))
        service.delete_text(operator, own.id)
        assert shared.id in {text.id for text in service.visible_texts(operator)}
    finally:
        db.close()
