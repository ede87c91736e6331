"""Notices without polling by hand: what a department or the centre does at another
workstation (here: another thread, hence another database connection) reaches this window
within seconds through the change notification, in the status strip, the views' counts,
the department's supervision banner and, the window being in the background, the tray."""

from __future__ import annotations

import threading
from collections.abc import Callable

from hotline import auth, cases, workflow
from hotline.db import database_proxy
from hotline.enums import Role
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.hotline.desk import add_people, department_person
from tests.ui.conftest import USER_PASSWORD, make_user
from tests.ui.main_window.test_reminders import FakeTray
from ui.common.session import Session
from ui.main_window.window import MainWindow

LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
ADMIN = Actor("管理员", Role.ADMIN, None)
SJ = department_person("市监科员", 1, 901)  # written by add_people where it acts
SECONDS = 15_000  # the watcher polls every 3 seconds; generous for a loaded machine


def elsewhere(work: Callable[[], object]) -> None:
    """Do ``work`` on a connection of its own (another thread), as another workstation."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported to the test below
            failures.append(exc)
        finally:
            database_proxy.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not failures, failures


def _desk(qtbot, session: Session) -> tuple[MainWindow, FakeTray]:  # type: ignore[no-untyped-def]
    window = MainWindow(session)
    qtbot.addWidget(window)
    tray = FakeTray()
    window.reminders.notifier = tray  # type: ignore[assignment]
    window.reminders.in_background = lambda: True  # the user is in another program
    window.show()
    qtbot.waitUntil(lambda: window.reminders.latest is not None, timeout=SECONDS)
    qtbot.waitUntil(lambda: window.sync.watcher.token is not None, timeout=SECONDS)
    return window, tray


def _department_session(database_target: str, username: str, department: int) -> Session:
    user = auth.create_user(
        ADMIN, username, username, "department", USER_PASSWORD, department_id=department
    )
    return Session(auth.signed_in_user(user.id), database_target)


def test_the_centre_sees_a_department_reply_within_seconds(
    qtbot, database, database_target
) -> None:
    add_people(SJ)
    case = cases.register(LEAD, sample_case(subject="道路占用审批"))
    workflow.dispatch(LEAD, case.id, 1)
    workflow.accept(SJ, case.id)
    centre = Session(make_user("seat1", Role.OPERATOR, "坐席一"), database_target)
    window, tray = _desk(qtbot, centre)
    assert window.views.model.counts.get("awaiting_callback", 0) == 0

    elsewhere(
        lambda: workflow.reply(SJ, case.id, "已核发许可", resolution="resolved", contact_made=True)
    )
    qtbot.waitUntil(
        lambda: window.views.model.counts.get("awaiting_callback") == 1, timeout=SECONDS
    )
    qtbot.waitUntil(lambda: "新增待回访 1 件" in window.strip.news.text(), timeout=SECONDS)
    assert "待回访" in window.strip.reminders.text()
    assert tray.messages and "新增待回访 1 件" in tray.messages[-1][1]
    row = window.model.row_of_case(case.id)
    assert row is not None and window.model.row_at(row).status == "replied"


def test_a_returned_case_reaches_the_centre(qtbot, database, database_target) -> None:
    add_people(SJ)
    case = cases.register(LEAD, sample_case())
    workflow.dispatch(LEAD, case.id, 1)
    centre = Session(make_user("lead1", Role.SHIFT_LEAD, "值班长甲"), database_target)
    window, tray = _desk(qtbot, centre)
    elsewhere(lambda: workflow.return_case(SJ, case.id, "非本单位职责"))
    qtbot.waitUntil(lambda: "新退回待重派 1 件" in window.strip.news.text(), timeout=SECONDS)
    assert window.views.model.counts["returned"] == 1
    assert any("新退回待重派 1 件" in text for _title, text in tray.messages)


def test_a_supervision_notice_appears_on_the_department_desk(
    qtbot, database, database_target
) -> None:
    case = cases.register(LEAD, sample_case(urgency="紧急", subject="企业反复来电"))
    workflow.dispatch(LEAD, case.id, 1)
    desk, tray = _desk(qtbot, _department_session(database_target, "dept_sj", 1))
    assert desk.supervision_banner.isHidden()
    elsewhere(lambda: workflow.supervise(LEAD, case.id, "请今日答复企业", 1, "supervision"))
    qtbot.waitUntil(lambda: desk.supervision_banner.isVisible(), timeout=SECONDS)
    assert "请今日答复企业" in desk.supervision_banner.text()
    assert case.case_no in desk.supervision_banner.text()
    qtbot.waitUntil(lambda: "新的督办 1 件" in desk.strip.news.text(), timeout=SECONDS)
    assert desk.views.model.counts["supervised"] == 1
    assert any("新的督办 1 件" in text for _title, text in tray.messages)


def test_a_new_dispatch_and_a_co_handling_part_reach_the_desks(
    qtbot, database, database_target
) -> None:
    case = cases.register(LEAD, sample_case(subject="跨部门的诉求"))
    helper, helper_tray = _desk(qtbot, _department_session(database_target, "dept_jt", 3))
    elsewhere(lambda: workflow.dispatch(LEAD, case.id, 1, assisting=[3]))
    qtbot.waitUntil(lambda: "新的会办 1 件" in helper.strip.news.text(), timeout=SECONDS)
    assert helper.views.model.counts["dept_assist"] == 1
    assert helper.views.model.counts["to_accept"] == 0  # the lead accepts, not the helper
    assert any("新的会办 1 件" in text for _title, text in helper_tray.messages)
