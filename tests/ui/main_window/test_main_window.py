"""The main window driven as a user would: sign in, list, search, filter, views, shortcuts."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from hotline import auth, cases, workflow
from hotline.changes import Changes
from hotline.enums import Role
from hotline.models import User
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.pg_person import PROGRAM_SIGN_IN
from tests.ui.conftest import ADMIN_PASSWORD, insert_cases, make_user
from tests.ui.dialog_helpers import when_modal
from tests.ui.typing_helpers import press, type_text
from ui import app as ui_app
from ui.case_list import table_model as ctm
from ui.common.session import Session
from ui.main_window.window import MainWindow
from ui.start.first_run_dialog import FirstRunDialog
from ui.start.login_dialog import ChangePasswordDialog, LoginDialog

LEAD = Actor("值班长", Role.SHIFT_LEAD, None)


def _register(**overrides: object) -> int:
    return cases.register(LEAD, sample_case(**overrides)).id


def _window(qtbot, session: Session) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.model.loading and window.model.total is not None)
    return window


def _subjects(window: MainWindow) -> list[str]:
    return [window.model.row_at(i).subject for i in range(window.model.rowCount())]


def test_first_run_creates_the_administrator(qtbot, database):
    dialog = FirstRunDialog("test.sqlite3")
    qtbot.addWidget(dialog)
    type_text(dialog.password, "Admin#2026")
    type_text(dialog.confirm, "Admin#2027")
    dialog._create()
    assert "不一致" in dialog.error.text()
    assert not auth.has_users()
    dialog.confirm.clear()
    type_text(dialog.confirm, "Admin#2026")
    with qtbot.waitSignal(dialog.accepted):
        dialog._create()
    assert dialog.admin is not None and dialog.admin.username == "admin"
    assert User.get(User.username == "admin").role == "admin"


@PROGRAM_SIGN_IN
def test_wrong_password_is_told_then_sign_in_opens_the_list(qtbot, admin_user, database_target):
    _register(subject="施工许可审批拖延")
    _register(subject="水电气报装时间过长")
    dialog = LoginDialog("test.sqlite3")
    qtbot.addWidget(dialog)
    type_text(dialog.username, "admin")
    type_text(dialog.password, "wrong-pass1")
    with qtbot.waitSignal(dialog.refused):
        dialog.sign_in_button.click()
    assert dialog.error.text() == "用户名或密码错误"
    assert dialog.username.text() == "admin" and dialog.password.isEnabled()
    assert dialog.user is None
    type_text(dialog.password, ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        dialog.sign_in_button.click()
    window = _window(qtbot, Session(dialog.user, database_target))
    assert sorted(_subjects(window)) == ["施工许可审批拖延", "水电气报装时间过长"]
    assert "系统管理员" in window.user_label.text() and "管理员" in window.user_label.text()


@PROGRAM_SIGN_IN
def test_a_reset_password_must_be_changed_at_sign_in(qtbot, database):
    user = make_user("seat2", Role.OPERATOR)
    auth.reset_password(Actor("管理员", Role.ADMIN), user.id, "Temp#1234")
    dialog = LoginDialog("test.sqlite3")
    qtbot.addWidget(dialog)
    type_text(dialog.username, "seat2")
    type_text(dialog.password, "Temp#1234")

    def change_it(change: ChangePasswordDialog) -> None:
        type_text(change.new, "Mine#5678")
        type_text(change.confirm, "Mine#5678")
        change._change()

    when_modal(ChangePasswordDialog, change_it)
    with qtbot.waitSignal(dialog.accepted):
        dialog.sign_in_button.click()
    assert not User.get_by_id(user.id).must_change_password
    assert auth.sign_in("seat2", "Mine#5678").id == user.id


def test_a_file_that_is_not_a_database_is_refused_with_a_message(qtbot, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    bogus = tmp_path / "notes.txt"
    bogus.write_text("这不是数据库", encoding="utf-8")
    assert ui_app.open_database(str(bogus)) is False
    assert "不是本程序的数据库" in shown[0]


def test_two_character_chinese_search_finds_the_case(qtbot, session):
    _register(enterprise={"name": "淇县永达食品有限公司"}, subject="食品标签问题被罚款")
    _register(subject="施工许可审批拖延")
    window = _window(qtbot, session)
    assert window.model.rowCount() == 2
    window.focus_search()
    type_text(window.search_box, "永达")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window.model.loading)
    assert window.model.row_at(0).enterprise_name == "淇县永达食品有限公司"
    assert window.search_info.text() == "找到 1 条"
    press(window.search_box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 and not window.model.loading)


def test_filters_and_views_with_their_counts(qtbot, session):
    first = _register(kind="consultation", subject="政策咨询")
    _register(kind="complaint", subject="投诉一")
    third = _register(kind="complaint", subject="投诉二")
    workflow.dispatch(LEAD, third, 1)
    window = _window(qtbot, session)
    qtbot.waitUntil(lambda: window.views.model.counts.get("pending_dispatch") == 2)
    assert window.views.model.counts["in_progress"] == 1
    window.filters.set_choice("kind", "consultation")
    qtbot.waitUntil(lambda: _subjects(window) == ["政策咨询"] and not window.model.loading)
    assert window.filters.clear.isEnabled()
    window.filters.reset()
    window.views.select_view("in_progress")
    qtbot.waitUntil(lambda: _subjects(window) == ["投诉二"] and not window.model.loading)
    window.views.select_view("pending_dispatch")
    qtbot.waitUntil(lambda: window.model.total == 2 and not window.model.loading)
    assert first in [window.model.row_at(i).id for i in range(2)]


def test_saving_a_case_updates_list_counts_and_strip(qtbot, session):
    from ui.common.events import app_events

    case_id = _register(subject="待派单的案件")
    window = _window(qtbot, session)
    qtbot.waitUntil(lambda: window.strip.figures is not None)
    assert window.strip.figures.open == 1
    workflow.dispatch(LEAD, case_id, 2)
    app_events().case_saved.emit(case_id)
    qtbot.waitUntil(lambda: window.model.row_at(0).status == "dispatched")
    qtbot.waitUntil(lambda: window.views.model.counts.get("in_progress") == 1)
    qtbot.waitUntil(lambda: window.strip.figures is not None and window.strip.figures.overdue == 0)


def test_header_click_sorts_only_sortable_columns(qtbot, session):
    insert_cases(5)
    window = _window(qtbot, session)
    header = window.table.horizontalHeader()
    header.setSortIndicator(ctm.COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    assert window.model.sort_column == ctm.COL_DEADLINE
    header.setSortIndicator(ctm.COL_SUBJECT, Qt.SortOrder.AscendingOrder)
    assert window.model.sort_column == ctm.COL_DEADLINE
    assert header.sortIndicatorSection() == ctm.COL_DEADLINE


class _FakeCaseWindow(QWidget):
    opened: ClassVar[list[int]] = []
    case_requested = Signal(int)
    enterprise_requested = Signal(int)

    def __init__(self, session: Session, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _FakeCaseWindow.opened.append(case_id)


def test_enter_opens_the_selected_case_once(qtbot, session, monkeypatch):
    ids = insert_cases(3)
    monkeypatch.setattr("ui.case.detail.CaseDetailWindow", _FakeCaseWindow)
    _FakeCaseWindow.opened = []
    window = _window(qtbot, session)
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(1, 0))
    press(window.table, Qt.Key.Key_Return)
    assert _FakeCaseWindow.opened == [ids[1]]
    press(window.table, Qt.Key.Key_Return)  # already open: raised, not opened again
    assert _FakeCaseWindow.opened == [ids[1]]


def test_a_case_opened_elsewhere_is_brought_forward_kept_current_and_closed(qtbot, session):
    """Opened from intake (or a linked case), not by the list: still one window per case."""
    from ui.common.events import app_events
    from ui.common.linked_windows import linked_windows
    from ui.links import open_case

    case_id = _register(subject="从登记窗口打开")
    window = _window(qtbot, session)
    elsewhere = open_case(session, case_id)  # no parent: as intake opens it
    window.menu_actions.open_case(case_id)
    assert [w for w in linked_windows() if getattr(w, "case_id", None) == case_id] == [elsewhere]
    refreshed = []
    app_events().case_saved.connect(refreshed.append)
    window.sync.remote_changes(Changes(0, frozenset({case_id})))  # another workstation changed it
    assert refreshed == [case_id]
    window.close()
    assert not elsewhere.isVisible()


def test_menus_follow_the_role(qtbot, session, operator_session):
    admin_window = _window(qtbot, session)
    assert admin_window.menuBar().findChild(QWidget, "adminMenu") is not None
    operator_window = _window(qtbot, operator_session)
    assert operator_window.menuBar().findChild(QWidget, "adminMenu") is None
    shortcuts = {
        name: action.shortcut().toString()
        for name, action in operator_window.actions_by_name.items()
    }
    assert shortcuts["newCase"] == "Ctrl+N"
    assert shortcuts["search"] == "Ctrl+F"
    assert shortcuts["refresh"] == "F5"
    assert shortcuts["handover"] == "Ctrl+Shift+H"
    assert shortcuts["openEnterprise"] == "Ctrl+E"
    assert shortcuts["settings"] == "Ctrl+,"


def test_window_layout_is_remembered(qtbot, session):
    window = _window(qtbot, session)
    window.resize(760, 540)  # fits the offscreen screen (restoring clamps to the screen)
    window.table.setColumnWidth(ctm.COL_SUBJECT, 333)
    window.close()
    again = _window(qtbot, session)
    assert again.size().width() == 760
    assert again.table.columnWidth(ctm.COL_SUBJECT) == 333


def test_scrolling_fetches_more_pages(qtbot, session):
    insert_cases(450)
    window = _window(qtbot, session)
    assert window.model.rowCount() == 200
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() == 400)
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() == 450)
    assert not window.model.canFetchMore(QModelIndex())
    assert "450" in window.footer.text()


@pytest.fixture
def settings_file(session) -> Path:
    from hotline import paths

    return paths.data_dir() / "settings.ini"


def test_language_setting_is_stored(qtbot, session, settings_file, monkeypatch):
    from ui.common.settings import AppSettings
    from ui.start import settings_dialog

    asked: list[bool] = []
    monkeypatch.setattr(settings_dialog, "offer_restart", lambda _parent: asked.append(True))
    monkeypatch.delenv("HOTLINE_LANG")  # (the tests' conftest sets it)
    dialog = settings_dialog.SettingsDialog(session)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    qtbot.waitUntil(dialog.idle.isEnabled)  # the centre's idle-lock policy was read
    dialog.idle.setValue(5)
    dialog.save()
    assert AppSettings().language == "en"
    assert AppSettings().idle_lock_minutes == 5
    assert asked == [True]
    assert settings_file.exists()


@PROGRAM_SIGN_IN
def test_idle_lock_hides_the_windows_until_the_password(qtbot, session):
    from ui.start.idle_lock import IdleLock, LockDialog

    window = _window(qtbot, session)
    lock = IdleLock(window, session, minutes=15)
    seen: list[bool] = []

    def unlock() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LockDialog)
        seen.append(window.isVisible())
        type_text(dialog.password, "not-it-1")
        with qtbot.waitSignal(dialog.checked):  # the password is checked off the GUI thread
            dialog.unlock_button.click()
        assert dialog.error.text() == "密码不正确"
        dialog.password.clear()
        type_text(dialog.password, ADMIN_PASSWORD)
        dialog.unlock_button.click()

    QTimer.singleShot(0, unlock)
    with qtbot.waitSignal(lock.unlocked):
        lock.lock()
    assert seen == [False]  # hidden while locked
    assert window.isVisible()


def test_demo_data_loads_in_the_background(qtbot, session):
    from hotline.models import Case
    from ui.start.demo_loader import load_demo_data

    assert load_demo_data(None, 40, seed=3, actor=session.actor)
    assert Case.select().count() == 40


def test_changes_from_another_workstation_show_up(qtbot, session):
    first = _register(subject="第一件")
    window = _window(qtbot, session)
    qtbot.waitUntil(lambda: window.sync.watcher.token is not None)
    workflow.dispatch(LEAD, first, 3)  # written elsewhere: no event in this process
    _register(subject="别处登记的案件")
    window.sync.watcher.poll()
    qtbot.waitUntil(lambda: "别处登记的案件" in _subjects(window) and not window.model.loading)
    qtbot.waitUntil(
        lambda: window.model.row_at(window.model.row_of_case(first)).status == "dispatched"
    )
    qtbot.waitUntil(lambda: window.views.model.counts.get("in_progress") == 1)


@pytest.mark.sqlite_only("a restore replaces the SQLite file")
def test_the_window_says_when_its_database_file_was_replaced(qtbot, session, tmp_path):
    import os

    from hotline import backup

    window = _window(qtbot, session)
    qtbot.waitUntil(lambda: window.sync.watcher.token is not None)
    other = backup.backup_to(tmp_path / "other.sqlite3", session.db_target)
    os.replace(other, session.db_target)  # restored by another program meanwhile
    window.sync.watcher.poll()
    qtbot.waitUntil(lambda: "数据库已被替换" in window.statusBar().currentMessage())
    assert not window.sync.watcher._timer.isActive()  # it stays until the program reopens


def test_main_window_reports_menu(qtbot, session, cli_actor, monkeypatch):
    from ui.reports import actions as report_actions

    cases.register(cli_actor, sample_case())
    calls: list[str] = []
    monkeypatch.setattr(
        report_actions, "open_weekly_report", lambda parent, s: calls.append("weekly")
    )
    window = _window(qtbot, session)
    assert window.reports_menu.menuAction().isVisible()
    names = {a.objectName() for a in window.reports_menu.actions()}
    assert {"weeklyReport", "selectedCasePdf"} <= names
    next(a for a in window.reports_menu.actions() if a.objectName() == "weeklyReport").trigger()
    assert calls == ["weekly"]
    admin = {a.objectName() for a in window.findChildren(QAction)}
    assert "admin_catalogue" in admin


def test_a_manager_cannot_press_new_case_and_is_told_why(qtbot, database, database_target):
    manager = Session(make_user("lead1", Role.MANAGER, "主任"), database_target)
    window = _window(qtbot, manager)
    assert not window.new_case_button.isEnabled()
    assert "无权登记案件" in window.new_case_button.toolTip()
    assert not window.actions_by_name["newCase"].isEnabled()
    window.new_case_button.click()
    assert ("intake", 0) not in window.menu_actions.open_windows


def test_settings_show_the_language_in_use_and_when_hotline_lang_forces_it(
    qtbot, session, settings_file, monkeypatch
):
    from hotline import i18n
    from ui.common.settings import AppSettings
    from ui.start import settings_dialog

    asked: list[bool] = []
    monkeypatch.setattr(settings_dialog, "offer_restart", lambda _parent: asked.append(True))
    AppSettings().language = "en"
    monkeypatch.setenv("HOTLINE_LANG", "zh_CN")
    assert i18n.current_locale() == "zh_CN"  # as the app started
    dialog = settings_dialog.SettingsDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "en"  # the stored choice
    note = dialog.language_note
    assert not note.isHidden()
    assert "当前界面语言：中文（简体）" in note.text()
    assert "HOTLINE_LANG=zh_CN" in note.text()
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    dialog.save()
    assert asked == []  # restarting would not change the language: not offered

    monkeypatch.delenv("HOTLINE_LANG")
    dialog = settings_dialog.SettingsDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.language_note.isHidden()  # the choice is the language in use
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert not dialog.language_note.isHidden()
    assert "English" in dialog.language_note.text()


def test_about_names_the_program_and_schema_version_and_the_database(qtbot, session, monkeypatch):
    from hotline import __version__, version
    from hotline.migrations import latest_version

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "ui.main_window.actions.QMessageBox.about",
        lambda parent, title, text: shown.append((title, text)),
    )
    window = _window(qtbot, session)
    window.actions_by_name["about"].trigger()
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "关于"
    assert text.splitlines()[0] == version.version_line()
    assert f"{__version__}（数据库架构 {latest_version()}）" in text
    assert session.db_target in text or Path(session.db_target).name in text
