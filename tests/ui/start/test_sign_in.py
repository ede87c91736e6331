"""Signing in and the first administrator: the database is read and written off the GUI thread,
the dialog waits meanwhile, and a refusal keeps what was typed."""

from __future__ import annotations

from hotline import auth
from hotline.enums import Role
from hotline.permissions import Actor
from tests.pg_person import PROGRAM_SIGN_IN
from tests.ui.conftest import ADMIN_PASSWORD, make_user
from tests.ui.dialog_helpers import when_modal
from tests.ui.typing_helpers import type_text
from ui.start.first_run_dialog import FirstRunDialog
from ui.start.login_dialog import ChangePasswordDialog, LoginDialog


@PROGRAM_SIGN_IN
def test_signing_in_runs_no_statement_on_the_gui_thread(qtbot, admin_user, gui_thread_sql):
    dialog = LoginDialog("test.sqlite3")
    qtbot.addWidget(dialog)
    dialog.username.setText("admin")
    type_text(dialog.password, "wrong-pass1")
    with qtbot.waitSignal(dialog.refused):
        dialog.sign_in_button.click()
        assert not dialog.password.isEnabled()  # waiting for the answer
        dialog.reject()  # Esc while the password is checked: the answer comes first
    assert dialog.error.text() == "用户名或密码错误" and dialog.username.text() == "admin"
    type_text(dialog.password, ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        dialog.sign_in_button.click()
    assert dialog.user is not None and dialog.user.username == "admin"
    assert gui_thread_sql.statements == [], gui_thread_sql


@PROGRAM_SIGN_IN
def test_the_forced_password_change_runs_off_the_gui_thread(qtbot, database, gui_thread_sql):
    user = make_user("seat5", Role.OPERATOR)
    auth.reset_password(Actor("管理员", Role.ADMIN), user.id, "Temp#1234")
    gui_thread_sql.clear()
    dialog = LoginDialog("test.sqlite3")
    qtbot.addWidget(dialog)
    dialog.username.setText("seat5")
    type_text(dialog.password, "Temp#1234")
    refused: list[str] = []

    def change_it(change: ChangePasswordDialog) -> None:
        type_text(change.new, "short")
        type_text(change.confirm, "short")

        def then_a_good_one() -> None:
            refused.append(change.error.text())
            assert change.new.text() == "short"  # kept, to be corrected
            for field in (change.new, change.confirm):
                field.clear()
                type_text(field, "Mine#5678")
            change._change()

        change.refused.connect(then_a_good_one)
        change._change()

    when_modal(ChangePasswordDialog, change_it)  # once the temporary password is checked
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.sign_in_button.click()
    assert refused and refused[0]
    assert dialog.user is not None and not dialog.user.must_change_password
    assert gui_thread_sql.statements == [], gui_thread_sql


def test_the_first_administrator_is_created_off_the_gui_thread(qtbot, database, gui_thread_sql):
    dialog = FirstRunDialog("test.sqlite3")
    qtbot.addWidget(dialog)
    dialog.username.setText("a")  # too short: refused by the core, marked, kept
    type_text(dialog.password, "Admin#2026")
    type_text(dialog.confirm, "Admin#2026")
    with qtbot.waitSignal(dialog.refused):
        dialog._create()
    assert dialog.username.property("invalid") is True and dialog.username.text() == "a"
    dialog.username.setText("admin")
    with qtbot.waitSignal(dialog.accepted):
        dialog._create()
    assert dialog.admin is not None and dialog.admin.username == "admin"
    assert gui_thread_sql.statements == [], gui_thread_sql
