"""``main.py server convert URL``: a database of today's single-login setup becomes one where
each person signs in as their own login role (issue 15, section 9 item 5)."""

from __future__ import annotations

import re

import psycopg2
import pytest

from hotline import audit, auth, cases, db
from hotline.cli import main
from hotline.enums import Role
from hotline.models import AuditEntry
from hotline.permissions import Actor
from tests import backends
from tests.conftest import sample_case
from tests.hotline.pg_server.conftest import Centre, empty_database

ADMIN = Actor("首任管理员", Role.ADMIN, None)
PASSWORD_LINE = re.compile(r"用户 (\S+)（.*?）创建登录角色 (\S+)，一次性密码：(\S+)（")


def _single_login_centre(url: str) -> int:
    """Today's setup: the program opened with the one login that owns every table."""
    db.open_database(url)
    try:
        auth.create_first_admin("chief", "总管理员", "Chief-pass-1")
        auth.create_user(ADMIN, "op1", "坐席一", "operator", "Seat-pass-1", must_change=False)
        old = auth.create_user(ADMIN, "old1", "离职者", "operator", "Gone-pass-1")
        auth.set_active(ADMIN, old.id, False)
        return int(cases.register(Actor.command_line("setup-test"), sample_case()).id)
    finally:
        db.close()


def test_convert_gives_the_tables_to_the_owner_and_each_user_a_login(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with empty_database() as (url, names):
        case_id = _single_login_centre(url)
        assert main(["server", "setup", url]) == 1  # refused untouched, naming convert
        assert "server convert" in capsys.readouterr().err
        assert main(["server", "convert", url]) == 0
        out = capsys.readouterr().out
        found = {user: (login, password) for user, login, password in PASSWORD_LINE.findall(out)}
        assert set(found) == {"chief", "op1", "old1"}, out
        assert found["op1"][0] == names.login("op1")
        assert "已核对：表都属于" in out and "审计日志完整" in out
        centre = Centre(url, names)
        try:
            for login, password in found.values():
                centre.passwords[login] = password
            # The old one-time passwords are the server's; the person must change it.
            user = auth.sign_in("op1", found["op1"][1], server=url)
            assert user.must_change_password
            auth.change_own_password(user.id, found["op1"][1], "Seat-pass-new-1")
            centre.passwords[names.login("op1")] = "Seat-pass-new-1"
            operator = auth.actor_for(auth.sign_in("op1", "Seat-pass-new-1", server=url))
            from hotline import workflow

            workflow.add_note(operator, case_id, "转换后的第一条备注")
            with pytest.raises(auth.SignInFailed):  # an inactive user's role cannot log in
                auth.sign_in("old1", found["old1"][1], server=url)
            # The single login owns nothing any more; the owner cannot log in.
            with backends.server().conn.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                    "AND tableowner <> %s",
                    (names.owner,),
                )
                assert cur.fetchone()[0] == 0
            chief = auth.sign_in("chief", found["chief"][1], server=url)
            assert chief.must_change_password
            result = audit.verify()
            assert result.ok, audit.describe(result)
            note = AuditEntry.select().where(AuditEntry.action == "case.note").get()
            assert note.actor == names.login("op1")
            db.close()
            # Run again: nothing changes, no new password is printed.
            assert main(["server", "convert", url]) == 0
            again = capsys.readouterr().out
            assert "一次性密码" not in again and "已全部完成过，没有改动" in again
            psycopg2.connect(url, user=names.login("op1"), password="Seat-pass-new-1").close()
        finally:
            centre.close()
            db.close()


def test_convert_refuses_an_empty_database(capsys: pytest.CaptureFixture[str]) -> None:
    with empty_database() as (url, _names):
        assert main(["server", "convert", url]) == 1
        assert "server setup" in capsys.readouterr().err
