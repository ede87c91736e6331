"""Signing out and switching user without quitting: the intake being typed is kept as a
draft, the sign-out is audited, the next user gets a fresh main window."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from hotline import db, drafts
from hotline.enums import Role
from hotline.models import AuditEntry
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import type_text
from ui.common.session import Session
from ui.common.tasks import wait_for_tasks
from ui.main_window.window import MainWindow
from ui.start.user_switch import UserSwitch


@pytest.fixture
def make_switch(qtbot, database_target):  # type: ignore[no-untyped-def]
    """A UserSwitch whose sign-in dialog answers with the given sessions in turn; the windows
    left open are closed afterwards (those closed by a sign-out are deleted by then)."""
    switches: list[UserSwitch] = []

    def show(session: Session) -> MainWindow:
        window = MainWindow(session)
        window.show()
        return window

    def make(next_sessions: list[Session | None]) -> UserSwitch:
        switch = UserSwitch(
            database_target, sign_in=lambda _target: next_sessions.pop(0), show_window=show
        )
        switches.append(switch)
        return switch

    yield make
    for switch in switches:
        if switch.window is not None and isValid(switch.window):
            switch.window.close()
            switch.window.deleteLater()


def _seat_and_lead(database_target: str) -> tuple[Session, Session]:
    """An operator on shift and the shift lead taking over the desk."""
    seat = Session(make_user("seat1", Role.OPERATOR, "坐席一"), database_target)
    lead = Session(make_user("lead1", Role.SHIFT_LEAD, "值班长一"), database_target)
    return seat, lead


def _intake_typed(window: MainWindow, subject: str):  # type: ignore[no-untyped-def]
    """A new intake opened from ``window`` with ``subject`` typed into it."""
    window.menu_actions.new_case()
    intake = window.menu_actions.open_windows[("intake", 0)]
    type_text(intake.fields.subject, subject)  # type: ignore[attr-defined]
    return intake


def _answer(monkeypatch, answer: QMessageBox.StandardButton) -> list[str]:  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def question(parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_sign_out_keeps_the_intake_as_a_draft_and_the_next_user_starts_fresh(
    qtbot, database, database_target, make_switch, monkeypatch
) -> None:
    seat, lead = _seat_and_lead(database_target)
    switch = make_switch([lead])
    first = switch.show(seat)
    assert first.actions_by_name["signOut"].isEnabled()
    assert first.actions_by_name["signOut"].shortcut().toString() == "Ctrl+Shift+L"
    intake = _intake_typed(first, "电话中断待续")
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)

    with qtbot.waitSignal(switch.window_shown, timeout=10_000) as shown:
        first.actions_by_name["signOut"].trigger()
    second = shown.args[0]
    assert len(asked) == 1 and "草稿" in asked[0]
    assert second is not first and second.session.user.username == "lead1"
    assert second.menu_actions.open_windows == {}  # a fresh window, nothing of the last user
    assert "值班长一" in second.user_label.text()
    qtbot.waitUntil(lambda: not isValid(first) and not isValid(intake))  # closed, deleted
    assert [d.data["subject"] for d in drafts.pending("seat1")] == ["电话中断待续"]
    assert drafts.pending("lead1") == []
    wait_for_tasks()
    entry = AuditEntry.select().where(AuditEntry.action == "user.sign_out").get()
    assert (entry.entity_id, json.loads(entry.detail)) == (str(seat.user.id), {"reason": "user"})
    if db.server_roles() is None:  # (a set-up server names the login role that wrote it)
        assert entry.actor == "坐席一"
    assert QApplication.instance().quitOnLastWindowClosed()  # quitting works again


def test_answering_no_keeps_working(qtbot, operator_session, make_switch, monkeypatch) -> None:
    switch = make_switch([])
    window = switch.show(operator_session)
    intake = _intake_typed(window, "还在登记")
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    assert not switch.sign_out()
    assert len(asked) == 1
    assert window.isVisible() and intake.isVisible() and switch.window is window
    assert not AuditEntry.select().where(AuditEntry.action == "user.sign_out").exists()


def test_nothing_unsaved_asks_nothing_and_closing_the_sign_in_quits(
    qtbot, operator_session, make_switch, monkeypatch
) -> None:
    switch = make_switch([None])  # the sign-in dialog is closed
    window = switch.show(operator_session)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda *_a: quits.append(True))
    with qtbot.waitSignal(switch.signed_out, timeout=10_000):
        assert switch.sign_out()
    qtbot.waitUntil(lambda: quits == [True])
    assert asked == [] and not isValid(window) and switch.window is None


def test_after_a_sign_out_the_next_user_types_a_name(qtbot, monkeypatch) -> None:
    from ui import app as ui_app
    from ui.common.settings import AppSettings
    from ui.start.login_dialog import LoginDialog

    settings = AppSettings()
    settings.last_username = "seat1"
    settings.sync()
    seen: list[tuple[str, bool]] = []

    def exec_(dialog: LoginDialog) -> int:
        seen.append((dialog.username.selectedText(), dialog.focusWidget() is dialog.username))
        return 0  # closed

    monkeypatch.setattr(LoginDialog, "exec", exec_)
    assert ui_app.sign_in("test.sqlite3") is None
    assert ui_app.sign_in("test.sqlite3", switching=True) is None
    # At start the last user's password is asked for; after a sign-out, a name first.
    assert seen == [("", False), ("seat1", True)]


def test_the_next_shift_can_switch_user_at_the_lock_screen(
    qtbot, database, database_target, make_switch, monkeypatch
) -> None:
    from PySide6.QtWidgets import QDialog

    from ui.start.idle_lock import SWITCH_USER, IdleLock, LockDialog

    seat, lead = _seat_and_lead(database_target)
    switch = make_switch([lead])
    first = switch.show(seat)
    _intake_typed(first, "锁屏前未登记完")
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)  # no question may come
    shown_buttons: list[bool] = []

    def exec_(dialog: LockDialog) -> int:
        shown_buttons.append(not dialog.switch_button.isHidden())
        return SWITCH_USER

    monkeypatch.setattr(LockDialog, "exec", exec_)
    lock = IdleLock(first, seat, minutes=5)
    with qtbot.waitSignal(switch.window_shown, timeout=10_000) as shown:
        lock.lock()
    assert shown_buttons == [True] and asked == []
    assert shown.args[0].session.user.username == "lead1"
    assert [d.data["subject"] for d in drafts.pending("seat1")] == ["锁屏前未登记完"]
    wait_for_tasks()
    entry = AuditEntry.select().where(AuditEntry.action == "user.sign_out").get()
    assert json.loads(entry.detail) == {"reason": "lock_screen"}
    # Without a way to switch (a window of no user switch) the lock screen offers none.
    dialog = LockDialog(lead)
    qtbot.addWidget(dialog)
    assert dialog.switch_button.isHidden()
    assert dialog.result() != QDialog.DialogCode.Accepted
