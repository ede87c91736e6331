"""Administration: changing a role, the idle-lock policy, backup and restore from the app."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from hotline import backup, cases, lock_policy
from hotline.enums import Role
from hotline.lock_policy import IdleLockPolicy
from hotline.models import AuditEntry, Case, User
from tests.conftest import sample_case
from tests.ui.conftest import make_user
from ui.admin import backup_page
from ui.admin.backup_page import BackupPage
from ui.admin.idle_policy import IdleLockPolicyBox
from ui.admin.roles import ChangeRoleDialog
from ui.admin.users import UsersPage


def _account(page: UsersPage, user_id: int):
    return next(u for u in page.model.records if u.id == user_id)


def _select(qtbot, page: UsersPage, user_id: int) -> None:  # type: ignore[no-untyped-def]
    """The page reads off the GUI thread: wait for its first read, then select ``user_id``."""
    qtbot.waitUntil(page.isEnabled)
    with qtbot.waitSignal(page.loaded):
        page.reload(user_id)


def test_an_administrator_changes_a_role_from_the_users_page(qtbot, session):
    seat = make_user("seat1", Role.OPERATOR, "王强")
    page = UsersPage(session)
    qtbot.addWidget(page)
    _select(qtbot, page, seat.id)
    assert page.role_button.isEnabled()
    page.change_role()
    dialog = page.role_dialog
    assert isinstance(dialog, ChangeRoleDialog)
    assert not dialog.ok_button.isEnabled()  # the same role: nothing to change
    dialog.role.setCurrentIndex(dialog.role.findData("shift_lead"))
    assert "审批延期" in dialog.hint.text()
    with qtbot.waitSignal(dialog.changed):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: _account(page, seat.id).role == "shift_lead")
    assert User.get_by_id(seat.id).role == "shift_lead"
    assert AuditEntry.select().where(AuditEntry.action == "user.change_role").count() == 1


def test_the_last_administrator_is_told_why_the_role_stays(qtbot, session, admin_user):
    page = UsersPage(session)
    qtbot.addWidget(page)
    _select(qtbot, page, admin_user.id)
    page.change_role()
    dialog = page.role_dialog
    dialog.role.setCurrentIndex(dialog.role.findData("operator"))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "唯一在用的系统管理员" in dialog.error.text())
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    assert User.get_by_id(admin_user.id).role == Role.ADMIN.value


def test_the_administrator_sets_the_idle_lock_policy(qtbot, session):
    box = IdleLockPolicyBox(session)
    qtbot.addWidget(box)
    qtbot.waitUntil(box.isEnabled)
    assert (box.max_minutes.value(), box.allow_off.isChecked()) == (30, False)
    box.max_minutes.setValue(10)
    box.allow_off.setChecked(True)
    with qtbot.waitSignal(box.saved):
        box.save_button.click()
    assert lock_policy.load() == IdleLockPolicy(10, True)
    assert box.status.text() == "已保存"


def test_the_policy_page_carries_the_idle_lock_policy(qtbot, session):
    from ui.admin.policy import PolicyPage

    page = PolicyPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(page.idle_lock.isEnabled)
    assert page.idle_lock.max_minutes.value() == 30


# Backup and restore


SQLITE_ONLY = pytest.mark.sqlite_only("backup and restore from the app copy an SQLite file")


@pytest.fixture
def sqlite_session(session):
    return session


def test_postgresql_is_told_to_use_pg_dump(qtbot, session, tmp_path, monkeypatch):
    chosen = tmp_path / "backup.sqlite3"
    monkeypatch.setattr(backup_page, "ask_save_path", lambda _parent, _suggested: str(chosen))
    monkeypatch.setattr(backup_page, "ask_open_path", lambda _parent: str(chosen))
    page = BackupPage(session)
    qtbot.addWidget(page)
    if "://" not in session.db_target:
        return  # SQLite: the tests below
    for button in (page.backup_button, page.restore_button):
        with qtbot.waitSignal(page.failed, timeout=20_000) as failed:
            button.click()
        assert "pg_dump" in failed.args[0]
        page.message.done(0)
    assert not chosen.exists()


@SQLITE_ONLY
def test_backup_to_a_chosen_file_with_progress(qtbot, sqlite_session, tmp_path, monkeypatch):
    cases.register(make_user_actor(), sample_case())
    chosen = tmp_path / "copies" / "backup.sqlite3"
    monkeypatch.setattr(backup_page, "ask_save_path", lambda _parent, _suggested: str(chosen))
    page = BackupPage(sqlite_session)
    qtbot.addWidget(page)
    steps: list[tuple[int, int]] = []
    shown = BackupPage._step

    def step(self, done: int, total: int) -> None:
        steps.append((done, total))
        shown(self, done, total)
        assert self.progress.maximum() == total and self.progress.value() == done

    monkeypatch.setattr(BackupPage, "_step", step)
    with qtbot.waitSignal(page.backup_done, timeout=20_000) as done:
        page.backup_button.click()
        assert page.progress is not None and page.progress.isVisible()
    made = done.args[0]
    assert made.ok and made.cases == 1
    assert "已备份到" in page.result.text() and "审计链完整" in page.result.text()
    assert page.progress is None and page.backup_button.isEnabled()
    assert steps and steps[-1][0] == steps[-1][1]  # the last step: every page copied
    assert backup.check_backup(chosen).ok
    assert json.loads(backup.anchor_path(chosen).read_text())["audit_last_entry"] > 0


@SQLITE_ONLY
def test_backup_refuses_to_overwrite_the_database(qtbot, sqlite_session, monkeypatch):
    target = sqlite_session.db_target
    monkeypatch.setattr(backup_page, "ask_save_path", lambda _parent, _suggested: target)
    page = BackupPage(sqlite_session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.failed, timeout=20_000) as failed:
        page.backup_button.click()
    assert failed.args[0] == page.result.text() and failed.args[0]
    page.message.done(0)
    assert Case.select().count() == 0  # still the database, still readable


@SQLITE_ONLY
def test_a_cancelled_file_dialog_does_nothing(qtbot, sqlite_session, monkeypatch):
    monkeypatch.setattr(backup_page, "ask_save_path", lambda _parent, _suggested: "")
    monkeypatch.setattr(backup_page, "ask_open_path", lambda _parent: "")
    page = BackupPage(sqlite_session)
    qtbot.addWidget(page)
    page.backup_button.click()
    page.restore_button.click()
    assert page.progress is None and page.result.text() == ""


@SQLITE_ONLY
def test_restore_refuses_what_the_core_refuses(qtbot, sqlite_session, tmp_path, monkeypatch):
    bad = tmp_path / "not-a-backup.sqlite3"
    bad.write_bytes(b"hello, this is no database at all")
    monkeypatch.setattr(backup_page, "ask_open_path", lambda _parent: str(bad))
    page = BackupPage(sqlite_session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.failed, timeout=20_000) as failed:
        page.restore_button.click()
    assert "不是本程序的数据库" in failed.args[0]
    assert page.confirmation is None  # never asked: nothing to confirm


@SQLITE_ONLY
def test_restore_asks_then_replaces_the_database_and_restarts(
    qtbot, sqlite_session, tmp_path, monkeypatch
):
    cases.register(make_user_actor(), sample_case())
    saved = backup.backup_to(tmp_path / "before.sqlite3", sqlite_session.db_target)
    backup.record_anchor(saved)
    cases.register(make_user_actor(), sample_case(subject="备份之后登记的案件"))
    assert Case.select().count() == 2
    restarted: list[bool] = []
    monkeypatch.setattr(backup_page, "ask_open_path", lambda _parent: str(saved))
    monkeypatch.setattr(backup_page, "restart_program", lambda: restarted.append(True))
    page = BackupPage(sqlite_session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.restore_checked, timeout=20_000):
        page.restore_button.click()
    question = page.confirmation
    assert question is not None and "1 件案件" in question.text()
    assert "重新启动" in question.text()
    assert question.defaultButton().text() == "取消"  # Enter by habit restores nothing
    yes = next(b for b in question.buttons() if b.text() == "恢复并重新启动")
    with qtbot.waitSignal(page.restore_done, timeout=30_000) as done:
        yes.click()
    kept = done.args[0]
    assert kept is not None and Path(kept).exists()
    with sqlite3.connect(sqlite_session.db_target) as conn:
        assert conn.execute('SELECT count(*) FROM "case"').fetchone()[0] == 1
    with sqlite3.connect(kept) as conn:  # the replaced database, kept aside
        assert conn.execute('SELECT count(*) FROM "case"').fetchone()[0] == 2
    assert "程序将重新启动" in page.result.text()
    page.message.done(0)
    assert restarted == [True]


def make_user_actor():
    from hotline.permissions import Actor

    return Actor.command_line("tester")


def test_the_admin_window_has_the_backup_page_for_administrators(qtbot, session):
    from ui.admin.window import AdminWindow

    window = AdminWindow(session)
    qtbot.addWidget(window)
    assert isinstance(window.pages["backup"], BackupPage)
    lead = make_user("lead1", Role.SHIFT_LEAD)
    from ui.common.session import Session

    other = AdminWindow(Session(lead, session.db_target))
    qtbot.addWidget(other)
    assert "backup" not in other.pages
