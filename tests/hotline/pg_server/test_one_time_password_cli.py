"""A one-time password (given at creation or by an administrator's reset) opens nothing on the
command line but the change of it: the server's flag, read right after the server accepted the
password, as the desktop program asks for a new one at the first sign-in."""

from __future__ import annotations

import io

from hotline import db
from hotline.cli import main
from hotline.enums import Role
from hotline.pg.server import people
from tests.hotline.pg_server.conftest import PEOPLE, Centre, bare_url


def _run(centre: Centre, username: str, stdin: str, *args: str) -> tuple[int, str, str]:
    bare = bare_url(centre)
    out, err = io.StringIO(), io.StringIO()
    argv = ["--db", bare, "--user", username, "--sign-in-stdin", *args]
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    db.close()
    return code, out.getvalue(), err.getvalue()


def test_a_reset_password_must_be_changed_before_anything_else(cli_desk: Centre) -> None:
    username, _display, password = PEOPLE[Role.OPERATOR]
    assert _run(cli_desk, username, password + "\n", "search", "营业执照")[0] == 0
    admin = cli_desk.as_role(Role.ADMIN)
    login = cli_desk.login(Role.OPERATOR)
    with admin, admin.cursor() as cur:
        cur.execute(
            "SELECT hotline_reset_password(%s, %s)",
            (username, people.verifier(admin, "Temp-pass-31", login)),
        )

    code, out, err = _run(cli_desk, username, "Temp-pass-31\n", "search", "营业执照")
    assert (code, out) == (1, "") and "一次性密码" in err and "password" in err

    code, out, err = _run(
        cli_desk, username, "Temp-pass-31\nMy-own-pass-32\n", "password", "--new-password-stdin"
    )
    assert (code, out.strip()) == (0, f"已更改用户 {username} 的密码"), err

    assert _run(cli_desk, username, "Temp-pass-31\n", "search", "营业执照")[0] == 1  # the old one
    code, _out, err = _run(cli_desk, username, "My-own-pass-32\n", "search", "营业执照")
    assert code == 0, err
