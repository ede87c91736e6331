"""Reminders in the main window: counts beside the views and in the status strip, one tray
message per new case (never repeated, never taking the focus from a form being typed)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from hotline import cases, workflow
from hotline.enums import Role
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import type_text
from ui.case_list import columns
from ui.common.session import Session
from ui.common.settings import AppSettings
from ui.main_window.window import MainWindow

LEAD = Actor("值班长", Role.SHIFT_LEAD, None)


class FakeTray(QObject):
    """Stands in for the system tray: records the messages asked for."""

    clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, str]] = []

    def show_message(self, title: str, text: str) -> bool:
        self.messages.append((title, text))
        return True

    def hide(self) -> None:
        pass


def _replied() -> int:
    case = cases.register(LEAD, sample_case(contact={"name": "张伟", "phone": "13812345678"}))
    workflow.dispatch(LEAD, case.id, 1)
    return workflow.reply(LEAD, case.id, "已办理").id


def _window(qtbot, session: Session) -> tuple[MainWindow, FakeTray]:  # type: ignore[no-untyped-def]
    window = MainWindow(session)
    qtbot.addWidget(window)
    tray = FakeTray()
    window.reminders.notifier = tray  # type: ignore[assignment]
    window.reminders.in_background = lambda: True  # the user works in another window
    window.show()
    qtbot.waitUntil(lambda: window.reminders.latest is not None)  # the first check
    return window, tray


def _checked(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.reminders.updated, timeout=5000):
        window.reminders.check()


def test_counts_appear_in_the_views_and_the_status_strip(qtbot, operator_session) -> None:
    window, _tray = _window(qtbot, operator_session)
    assert window.strip.reminders.isHidden()  # nothing waits yet
    _replied()
    returned = cases.register(LEAD, sample_case())
    workflow.dispatch(LEAD, returned.id, 1)
    workflow.return_case(LEAD, returned.id, "非本单位职责")
    window.sync.remote_changes(_changes({returned.id}))  # what the change watcher reports
    qtbot.waitUntil(lambda: window.views.model.counts.get("awaiting_callback") == 1)
    assert window.views.model.counts["returned"] == 1
    qtbot.waitUntil(lambda: "待回访" in window.strip.reminders.text())
    assert not window.strip.reminders.isHidden()
    assert "退回待重派" in window.strip.reminders.text()
    # A link in the strip leads to its view.
    window.strip.reminders.linkActivated.emit("returned")
    assert window.views.current_view == "returned"
    # Operators do not decide extensions: neither a view nor a reminder for them.
    assert "extension_requests" not in window.views.model.views
    assert "view_extension_requests" not in window.actions_by_name


def _changes(case_ids: set[int]):  # type: ignore[no-untyped-def]
    from hotline.changes import Changes

    return Changes(token=0, case_ids=frozenset(case_ids), entities=frozenset(), reload_all=False)


def test_a_new_callback_is_announced_once(qtbot, operator_session) -> None:
    _replied()  # waiting at sign-in: counted, not news
    window, tray = _window(qtbot, operator_session)
    assert window.reminders.latest.counts["awaiting_callback"] == 1
    assert tray.messages == []
    new = _replied()
    _checked(qtbot, window)
    assert len(tray.messages) == 1
    title, text = tray.messages[0]
    assert "待回访" in title and "新增待回访 1 件" in text
    _checked(qtbot, window)
    _checked(qtbot, window)
    assert len(tray.messages) == 1  # not repeated
    assert window.reminders.latest.counts["awaiting_callback"] == 2
    # The message leads to the view that has the news.
    window._reminder_clicked()
    assert window.views.current_view == "awaiting_callback"
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 and not window.model.loading)
    assert new in {window.model.case_id_at(i) for i in range(window.model.rowCount())}


def test_no_message_when_switched_off_or_when_the_user_did_it(qtbot, operator_session) -> None:
    window, tray = _window(qtbot, operator_session)
    settings = AppSettings()
    settings.reminder_messages = False
    settings.sync()
    _replied()
    _checked(qtbot, window)
    assert tray.messages == [] and window.reminders.latest.counts["awaiting_callback"] == 1
    settings.reminder_messages = True
    settings.sync()
    case_id = _replied()
    from ui.common.events import app_events

    app_events().case_saved.emit(case_id)  # this workstation's own change
    _checked(qtbot, window)
    assert tray.messages == []


def test_shift_leads_hear_of_extension_requests(qtbot, database, database_target) -> None:
    import datetime as dt

    lead = Session(make_user("lead1", Role.SHIFT_LEAD, "值班长一"), database_target)
    window, tray = _window(qtbot, lead)
    assert "extension_requests" in window.views.model.views
    case = cases.register(LEAD, sample_case())
    workflow.dispatch(LEAD, case.id, 1)
    workflow.request_extension(
        Actor("坐席", Role.OPERATOR, None),
        case.id,
        dt.date.today() + dt.timedelta(days=40),
        "需现场核查",
    )
    _checked(qtbot, window)
    assert [t for t, _text in tray.messages] == ["新提醒：延期待审批"]
    window.views.select_view("extension_requests")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.MANAGER])
def test_the_callback_view_shows_reply_time_phone_and_wait(
    qtbot, database, database_target, role
) -> None:
    session = Session(make_user("u1", role, "用户一"), database_target)
    _replied()
    window, _tray = _window(qtbot, session)
    assert window.table.isColumnHidden(columns.COL_WAITED)
    window.views.select_view("awaiting_callback")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window.model.loading)
    header = window.table.horizontalHeader()
    status = header.visualIndex(columns.COL_STATUS)
    for offset, column in enumerate(columns.CALLBACK_COLUMNS, start=1):
        assert not window.table.isColumnHidden(column)
        assert header.visualIndex(column) == status + offset  # in sight, after the status
    # The phone (beside the enterprise) is masked only for a confidential caller, as in the
    # case window; this one is not.
    assert not window.table.isColumnHidden(columns.COL_CONTACT)
    assert window.model.index(0, columns.COL_CONTACT).data() == "13812345678"
    assert window.model.index(0, columns.COL_REPLIED).data()
    assert window.model.index(0, columns.COL_WAITED).data() == "不到 1 小时"
    window.views.select_view("all")
    assert window.table.isColumnHidden(columns.COL_REPLIED)


def test_a_reminder_does_not_take_the_focus_from_the_intake_form(qtbot, operator_session) -> None:
    window, tray = _window(qtbot, operator_session)
    window.menu_actions.new_case()
    intake = window.menu_actions.open_windows[("intake", 0)]
    intake.activateWindow()
    qtbot.waitUntil(intake.isActiveWindow, timeout=2000)
    field = intake.fields.subject  # type: ignore[attr-defined]
    type_text(field, "审批")
    assert QApplication.focusWidget() is field
    _replied()
    with qtbot.waitSignal(window.reminders.announced, timeout=5000):
        window.reminders.check()
    assert len(tray.messages) == 1
    assert QApplication.activeModalWidget() is None  # no dialog
    assert QApplication.focusWidget() is field and intake.isActiveWindow()
    type_text(field, "拖延")
    assert field.text() == "审批拖延"
    assert not window.isActiveWindow()


def test_the_tray_messages_setting_is_stored(qtbot, session) -> None:
    from ui.common.settings import qsettings
    from ui.start.settings_dialog import SettingsDialog

    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.reminders.isChecked()  # on by default
    dialog.reminders.setChecked(False)
    dialog.save()
    assert AppSettings().reminder_messages is False
    store = qsettings()
    store.setValue("reminder_messages", "true")  # as an edited INI file holds it
    store.sync()
    assert AppSettings().reminder_messages is True
    store.setValue("reminder_messages", "maybe")
    store.sync()
    assert AppSettings().reminder_messages is True  # unreadable: the default


def test_a_layout_remembered_before_the_callback_columns_gets_them_in_sight(
    qtbot, operator_session
) -> None:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from ui.common.settings import qsettings

    old = QTableView()  # the list as it was: eleven columns, the kind column made narrower
    old.setModel(QStandardItemModel(0, 11, old))
    old.horizontalHeader().resizeSection(columns.COL_KIND, 61)
    store = qsettings()
    store.setValue("layout/main_window/caseTable", old.horizontalHeader().saveState())
    store.sync()
    window, _tray = _window(qtbot, operator_session)
    header = window.table.horizontalHeader()
    assert header.sectionSize(columns.COL_KIND) == 61  # the remembered layout is kept
    status = header.visualIndex(columns.COL_STATUS)
    assert [header.visualIndex(c) for c in columns.CALLBACK_COLUMNS] == [status + 1, status + 2]


def test_in_front_the_news_goes_to_the_strip_not_the_tray(qtbot, operator_session) -> None:
    window, tray = _window(qtbot, operator_session)
    window.reminders.in_background = lambda: False  # the user is looking at the window
    _replied()
    _checked(qtbot, window)
    assert tray.messages == []
    assert not window.strip.news.isHidden()
    assert "新增待回访 1 件" in window.strip.news.text()
    window.strip.news.linkActivated.emit("awaiting_callback")
    assert window.views.current_view == "awaiting_callback"
    assert window.strip.news.isHidden()  # followed: gone
