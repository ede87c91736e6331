"""The sign-in window of a workstation on a server where each person signs in as their own
login role (issue 15): PostgreSQL checks the password, the forced change at first sign-in
sends a verifier, an older schema is refused naming ``server upgrade``."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import psycopg2
import pytest

from hotline import db
from hotline.enums import Role
from tests.hotline.pg_server.conftest import PEOPLE, Centre, centre  # noqa: F401 (fixture)
from tests.ui.dialog_helpers import when_modal
from tests.ui.typing_helpers import type_text
from ui import app as ui_app
from ui.start.login_dialog import ChangePasswordDialog, LoginDialog

OPERATOR, _NAME, PASSWORD = PEOPLE[Role.OPERATOR]


@pytest.fixture
def desk(centre: Centre) -> Iterator[Centre]:  # noqa: F811
    yield centre
    db.close()


def _dialog(qtbot, desk: Centre) -> LoginDialog:  # type: ignore[no-untyped-def]
    dialog = LoginDialog(db.describe(desk.url), server=desk.url)
    qtbot.addWidget(dialog)
    dialog.username.setText(OPERATOR)
    return dialog


def test_a_workstation_url_without_a_login_goes_to_the_personal_sign_in(
    desk: Centre, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("PGPASSWORD", "PGUSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/pgpass")
    parsed = urlparse(desk.url)
    bare = f"postgresql://{parsed.hostname}:{parsed.port}{parsed.path}"
    assert ui_app.open_database(bare)  # nothing to show: the sign-in opens it
    assert ui_app.personal_sign_in(bare)
    # The set-up role's own URL opens, but a person still signs in as themself.
    assert ui_app.open_database(desk.url) and ui_app.personal_sign_in(desk.url)


def test_the_server_checks_the_password_and_the_first_sign_in_changes_it(
    qtbot, desk: Centre
) -> None:
    dialog = _dialog(qtbot, desk)
    type_text(dialog.password, "Wrong-pass-1")
    with qtbot.waitSignal(dialog.refused, timeout=20_000):
        dialog.sign_in_button.click()
    assert dialog.error.text() == "用户名或密码错误" and dialog.username.text() == OPERATOR
    assert "每人以自己的账号登录" in dialog.findChild(type(dialog.error), "hint").text()

    def change_it(change: ChangePasswordDialog) -> None:
        type_text(change.new, "Mine#56789")
        type_text(change.confirm, "Mine#56789")
        change._change()

    when_modal(ChangePasswordDialog, change_it)  # the administrator's password is one-time
    type_text(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.sign_in_button.click()
    assert dialog.user is not None and not dialog.user.must_change_password
    session_user = db.current().execute_sql("SELECT session_user").fetchone()[0]
    desk.passwords[session_user] = "Mine#56789"
    assert session_user == desk.login(Role.OPERATOR)
    # The new password is the server's now; the old one no longer opens anything.
    psycopg2.connect(desk.url, user=session_user, password="Mine#56789").close()
    with pytest.raises(psycopg2.OperationalError):
        psycopg2.connect(desk.url, user=session_user, password=PASSWORD)


def test_an_older_schema_shows_the_run_server_upgrade_message(qtbot, desk: Centre) -> None:
    owner = psycopg2.connect(desk.owner_url())
    desk.opened.append(owner)
    with owner, owner.cursor() as cur:
        cur.execute(
            "DELETE FROM schema_version WHERE version = (SELECT max(version) FROM schema_version)"
        )
    dialog = _dialog(qtbot, desk)
    type_text(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.refused, timeout=20_000):
        dialog.sign_in_button.click()
    assert "server upgrade" in dialog.error.text()
    assert dialog.user is None
