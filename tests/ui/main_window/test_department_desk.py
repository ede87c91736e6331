"""A department person at their desk: the views with counts, only their department's cases,
accepting, asking for an extension, replying; a supervision notice on the desk and the case."""

from __future__ import annotations

import datetime as dt

from hotline import auth, cases, workflow
from hotline.enums import Role, Status
from hotline.models import Case
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.pg_person import PROGRAM_SIGN_IN
from tests.ui.case.conftest import frozen, open_window
from tests.ui.case.test_case_detail import act, visible_actions
from tests.ui.conftest import USER_PASSWORD, make_user
from tests.ui.typing_helpers import type_text
from ui.common.session import Session
from ui.main_window.window import MainWindow

__all__ = ["frozen"]  # the fixture, used by name

LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
ADMIN = Actor("管理员", Role.ADMIN, None)


def _department_session(database_target: str) -> Session:
    user = auth.create_user(
        ADMIN, "dept_scjg", "市监科员", "department", USER_PASSWORD, department_id=1
    )
    return Session(auth.signed_in_user(user.id), database_target)


def _dispatched(department: int, **overrides: object) -> Case:
    case = cases.register(LEAD, sample_case(**overrides))
    return workflow.dispatch(LEAD, case.id, department)


def test_desk_views_counts_and_the_department_stage(qtbot, frozen, database, database_target):
    mine = _dispatched(1, subject="本单位的投诉")
    _dispatched(2, subject="别的单位的投诉")
    urgent = _dispatched(1, subject="紧急的投诉", urgency="紧急")
    workflow.supervise(LEAD, urgent.id, "请今日答复企业", 1, "supervision")
    session = _department_session(database_target)

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.model.loading and window.model.total is not None)
    assert window.views.model.views == [
        "all",
        "to_accept",
        "dept_in_progress",
        "dept_due_soon",
        "overdue",
        "dept_replied",
        "supervised",
        "dept_assist",
        "assist_answered",
    ]
    subjects = {window.model.row_at(i).subject for i in range(window.model.rowCount())}
    assert subjects == {"本单位的投诉", "紧急的投诉"}  # never the other department's
    qtbot.waitUntil(lambda: window.views.model.counts.get("to_accept") == 2, timeout=5000)
    counts = window.views.model.counts
    assert counts["supervised"] == 1 and counts["dept_due_soon"] == 1  # urgent: due today
    assert counts["dept_in_progress"] == 0 and counts["all"] == 2
    qtbot.waitUntil(lambda: window.supervision_banner.isVisible(), timeout=5000)
    assert "请今日答复企业" in window.supervision_banner.text()
    assert urgent.case_no in window.supervision_banner.text()

    case_window = open_window(qtbot, session, mine.id)
    assert visible_actions(case_window) == {"accept", "return", "note"}
    act(qtbot, case_window, case_window.perform("accept"))
    assert visible_actions(case_window) == {"return", "request_extension", "reply", "note"}
    assert "市监科员 已于" in case_window.header.strip.text()

    dialog = case_window.perform("request_extension")
    type_text(dialog.reason, "需现场检测")
    act(qtbot, case_window, dialog)
    assert Case.get_by_id(mine.id).extension_status == "requested"

    dialog = case_window.perform("reply")
    type_text(dialog.text, "已上门协调，企业问题已解决")
    dialog.accept()  # no outcome chosen: refused, the text kept
    qtbot.waitUntil(lambda: not dialog.messages["resolution"].isHidden(), timeout=5000)
    assert dialog.text.toPlainText() == "已上门协调，企业问题已解决"
    dialog.resolution.setCurrentIndex(dialog.resolution.findData("resolved"))
    dialog.contact_yes.setChecked(True)
    act(qtbot, case_window, dialog)
    assert Case.get_by_id(mine.id).status == Status.REPLIED.value

    # The supervised case: the notice heads its window until the department answers.
    supervised = open_window(qtbot, session, urgent.id)
    assert supervised.header.notices.isVisible()
    assert "督办" in supervised.header.notices.text()
    assert "请今日答复企业" in supervised.header.notices.text()
    act(qtbot, supervised, supervised.perform("accept"))
    dialog = supervised.perform("answer_supervision")
    type_text(dialog.text, "已约企业明日现场核实")
    act(qtbot, supervised, dialog)
    assert not supervised.header.notices.isVisible()


@PROGRAM_SIGN_IN
def test_a_department_person_signs_in(qtbot, frozen, database, database_target):
    from ui.start.login_dialog import LoginDialog

    # An account given the department role without its department yet.
    account = auth.create_user(
        ADMIN,
        "dept_fgw",
        "发改科员",
        "department",
        USER_PASSWORD,
        must_change=False,
        department_id=2,
    )
    auth.set_department(ADMIN, account.id, None)
    _dispatched(2, subject="发改的投诉")
    _dispatched(1, subject="市监的投诉")
    dialog = LoginDialog("test.sqlite3")
    qtbot.addWidget(dialog)
    type_text(dialog.username, "dept_fgw")
    type_text(dialog.password, USER_PASSWORD)
    with qtbot.waitSignal(dialog.refused, timeout=5000):  # the check runs on a worker
        dialog.sign_in_button.click()  # no department yet: refused, with the reason
    assert "尚未指定所属承办单位" in dialog.error.text()
    assert dialog.user is None
    assert dialog.password.text() == ""  # as after any refused sign-in
    auth.set_department(ADMIN, account.id, 2)
    type_text(dialog.password, USER_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.sign_in_button.click()
    window = MainWindow(Session(dialog.user, database_target))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.model.loading and window.model.total is not None)
    assert [window.model.row_at(i).subject for i in range(window.model.rowCount())] == [
        "发改的投诉"
    ]
    assert window.windowTitle().endswith("部门工作台")
    assert window.filters.department.isHidden()
    assert not window.new_case_button.isEnabled()


def test_the_centre_issues_a_supervision_notice(qtbot, frozen, database, database_target):
    case = _dispatched(1, urgency="紧急")
    lead = Session(make_user("lead1", Role.SHIFT_LEAD, "值班长甲"), database_target)
    window = open_window(qtbot, lead, case.id)
    assert "supervise" in visible_actions(window)
    assert "accept" not in visible_actions(window)
    dialog = window.perform("supervise")
    type_text(dialog.text, "企业多次来电，请加快办理")
    dialog.days.setValue(3)
    act(qtbot, window, dialog)
    assert window.header.notices.isVisible()
    assert (
        dt.date(2026, 11, 26).isoformat() in window.header.notices.text()
        or "11月26日" in window.header.notices.text()
    )


def test_a_statistics_list_shows_a_department_only_its_cases(qtbot, frozen, database):
    """A figure's list (the statistics window's) reads its rows by id: the core's rule
    leaves out another department's cases even when their ids are asked for."""
    from hotline import access
    from hotline.reports.data import FigureRef, Measure
    from hotline.reports.gather import gather_weekly
    from hotline.reports.weeks import IsoWeek
    from ui.statistics.cases_window import FigureCasesWindow

    mine = _dispatched(1, subject="本单位的投诉")
    _dispatched(2, subject="别的单位的投诉")
    report = gather_weekly(IsoWeek(2026, 48))
    ids = report.facts.case_ids(FigureRef(Measure.RECEIVED))
    assert len(ids) == 2
    access.begin_session(Actor("市监科员", Role.DEPARTMENT, None, department_id=1))
    window = FigureCasesWindow("受理量", ids, reveal_confidential=False)
    qtbot.addWidget(window)
    window.show()
    model = window.model

    def readable() -> set[int]:
        found = set()
        for row in range(model.rowCount()):
            try:
                case_row = model.row_at(row)
            except LookupError:  # not given to this person: as if it were gone
                continue
            if case_row is not None:
                found.add(case_row.id)
        return found

    qtbot.waitUntil(lambda: bool(readable()), timeout=5000)
    assert readable() == {mine.id}
    from ui.case_list.columns import COL_SUBJECT

    subjects = [model.data(model.index(row, COL_SUBJECT)) for row in range(model.rowCount())]
    assert "别的单位的投诉" not in subjects
