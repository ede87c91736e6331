"""Departments in the loop: the department role's transitions (accept, return, extension,
reply), supervision notices, the per-case caller grant, and the one visibility rule."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from hotline import (
    access,
    audit,
    auth,
    case_queries,
    case_view,
    cases,
    clock,
    contacts,
    deadlines,
    supervision,
    timeline,
    workflow,
)
from hotline.case_queries import CaseFilter
from hotline.enums import Role, Status
from hotline.errors import HotlineError, NotFound, PermissionDenied, ValidationError
from hotline.models import AuditEntry, Case, CaseEvent
from hotline.permissions import Actor
from hotline.search.query import search
from tests.conftest import sample_case
from tests.hotline.audit_count import last_program_action, program_entries
from tests.hotline.desk import add_people, department_person
from tests.hotline.old_schema import back_to
from tests.pg_person import OLDER_SCHEMA, PROGRAM_SIGN_IN, SERVER_CLOCK

OPERATOR = Actor("坐席甲", Role.OPERATOR, None)
LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
MANAGER = Actor("科长丙", Role.MANAGER, None)
ADMIN = Actor("管理员丁", Role.ADMIN, None)
DEPT = department_person("市监科员", 1, 901)
OTHER_DEPT = department_person("发改科员", 2, 902)
NO_DEPT = department_person("无单位", None, 903)
ROLES = {
    "operator": OPERATOR,
    "lead": LEAD,
    "manager": MANAGER,
    "admin": ADMIN,
    "department": DEPT,
    "other_department": OTHER_DEPT,
}
NOW = dt.datetime(2026, 11, 23, 9, 30)  # a Monday


@pytest.fixture(autouse=True)
def people(request: pytest.FixtureRequest) -> None:
    """The department people of this module, in every test's database."""
    if "database" in request.fixturenames:
        request.getfixturevalue("database")
        add_people(DEPT, OTHER_DEPT, NO_DEPT)


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield


def _dispatched(department: int = 1, **overrides: object) -> Case:
    received = clock.now().isoformat()
    case = cases.register(OPERATOR, sample_case(received_at=received, **overrides))
    return workflow.dispatch(OPERATOR, case.id, department)


def _accepted(**overrides: object) -> Case:
    return workflow.accept(DEPT, _dispatched(**overrides).id)


# Who may take each new step on a case of department 1 ready for it.
MAY = {
    "accept": {"department"},
    "supervise": {"lead", "manager", "admin"},
    "answer_supervision": {"operator", "lead", "admin", "department"},
    "grant_caller": {"lead", "manager", "admin"},
}


def _ready(action: str) -> Case:
    if action == "accept":
        return _dispatched()
    if action == "supervise":
        return _dispatched(urgency="紧急")
    if action == "answer_supervision":
        case = _accepted(urgency="紧急")
        return workflow.supervise(LEAD, case.id, "请加快办理", 2, "supervision")
    return _dispatched(confidential=True)


def _take(action: str, actor: Actor, case_id: int) -> Case:
    if action == "accept":
        return workflow.accept(actor, case_id)
    if action == "supervise":
        return workflow.supervise(actor, case_id, "请于期限内答复", 3, "reminder")
    if action == "answer_supervision":
        return workflow.answer_supervision(actor, case_id, "已约企业现场核实")
    return workflow.grant_caller(actor, case_id, "需当面联系来电人")


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("action", sorted(MAY))
def test_new_transitions_by_every_role(database, frozen_now, action: str, role: str) -> None:
    case = _ready(action)
    actor = ROLES[role]
    events = CaseEvent.select().where(CaseEvent.case == case.id).count()
    entries = program_entries()
    if role in MAY[action]:
        assert action in workflow.allowed_actions(case, actor)
        after = _take(action, actor, case.id)
        assert after.status == Status.DISPATCHED.value  # none of them changes the status
        assert CaseEvent.select().where(CaseEvent.case == case.id).count() == events + 1
        assert program_entries() == entries + 1
        assert last_program_action() == f"case.{action}"
    else:
        assert action not in workflow.allowed_actions(case, actor)
        with pytest.raises((PermissionDenied, NotFound)):
            _take(action, actor, case.id)
        assert Case.get_by_id(case.id).version == case.version
        assert program_entries() == entries
    assert audit.verify().ok


@pytest.mark.parametrize(
    "status",
    [Status.REGISTERED, pytest.param(Status.RETURNED, marks=SERVER_CLOCK), Status.REPLIED],
)
def test_accept_only_a_dispatched_case(database, frozen_now, status: Status) -> None:
    case = cases.register(OPERATOR, sample_case(received_at=NOW.isoformat()))
    if status is not Status.REGISTERED:
        case = workflow.dispatch(OPERATOR, case.id, 1)
        if status is Status.RETURNED:
            case = workflow.return_case(DEPT, case.id, "非本单位职责")
        else:
            workflow.accept(DEPT, case.id)
            case = workflow.reply(DEPT, case.id, "已办理", resolution="resolved", contact_made=True)
    if status is Status.RETURNED:
        with pytest.raises(NotFound):  # no longer the department's case
            workflow.accept(DEPT, case.id)
    else:
        with pytest.raises(HotlineError):
            workflow.accept(DEPT, case.id)


def test_the_department_stage_in_order(database, frozen_now) -> None:
    case = _dispatched()
    allowed = set(workflow.allowed_actions(case, DEPT))
    assert allowed == {"accept", "return", "note"}  # nothing to work on before accepting
    with pytest.raises(HotlineError):
        workflow.reply(DEPT, case.id, "已办理", resolution="resolved", contact_made=True)
    case = workflow.accept(DEPT, case.id)
    assert set(workflow.allowed_actions(case, DEPT)) == {
        "return",
        "request_extension",
        "reply",
        "note",
    }
    with pytest.raises(HotlineError):
        workflow.accept(DEPT, case.id)  # once
    case = workflow.request_extension(DEPT, case.id, case.deadline + dt.timedelta(days=5), "需检测")
    assert case.extension_status == "requested"
    assert "decide_extension" in workflow.allowed_actions(case, LEAD)
    with pytest.raises(ValidationError) as info:
        workflow.reply(DEPT, case.id, "已办理")
    assert info.value.fields() == {"resolution", "contact_made"}
    replied = workflow.reply(DEPT, case.id, "已上门协调", resolution="partly", contact_made=False)
    assert replied.status == Status.REPLIED.value
    stage = workflow.stage_of(case.id)
    assert stage is not None and stage.resolution == "partly" and stage.contact_made is False
    view = case_view.load_case_window(case.id, LEAD)
    reply_row = next(e for e in view.events if e.action == "reply")
    assert "办理结果：部分解决" in reply_row.facts and "未与企业联系" in reply_row.facts
    accept_row = next(e for e in view.events if e.action == "accept")
    assert accept_row.label == "签收"


def test_a_department_cannot_classify_dispatch_or_close(database, frozen_now) -> None:
    case = _accepted()
    for call in (
        lambda: workflow.dispatch(DEPT, case.id, 2),
        lambda: workflow.withdraw(DEPT, case.id, "撤"),
        lambda: workflow.decide_extension(DEPT, case.id, True),
    ):
        with pytest.raises(PermissionDenied):
            call()
    from hotline import corrections

    assert not corrections.may_correct(Case.get_by_id(case.id), DEPT)


@SERVER_CLOCK
def test_return_only_within_the_limit(database) -> None:
    with clock.frozen(NOW):  # Monday
        late = _dispatched()
        early = _dispatched()
    with clock.frozen(NOW + dt.timedelta(days=3)):  # Thursday: past 2 working days
        assert "return" not in workflow.allowed_actions(Case.get_by_id(late.id), DEPT)
        with pytest.raises(ValidationError):
            workflow.return_case(DEPT, late.id, "非本单位职责")
    with clock.frozen(NOW + dt.timedelta(days=2)):
        assert "return" in workflow.allowed_actions(Case.get_by_id(early.id), DEPT)
        returned = workflow.return_case(DEPT, early.id, "非本单位职责")
    assert returned.status == Status.RETURNED.value
    with clock.frozen(NOW + dt.timedelta(days=2)):  # redispatched: to be accepted again
        again = workflow.dispatch(OPERATOR, early.id, 1)
        assert "accept" in workflow.allowed_actions(again, DEPT)


def test_the_return_window_is_the_one_the_dispatch_recorded(database) -> None:
    """A later change of the policy moves no running window: the dispatch's timeline entry
    keeps its last day (which a shared server checks too), and the case window shows it."""
    with clock.frozen(NOW):  # Monday: returnable up to Wednesday
        case = _dispatched()
    dispatch = timeline.event_data(
        CaseEvent.get((CaseEvent.case == case.id) & (CaseEvent.action == "dispatch"))
    )
    assert dispatch["return_until"] == "2026-11-25"
    deadlines.save_policy(dataclasses.replace(deadlines.load_policy(), return_workdays=5))
    with clock.frozen(NOW + dt.timedelta(days=3)):  # Thursday
        assert workflow.return_limit(Case.get_by_id(case.id)) == dt.date(2026, 11, 25)
        assert "return" not in workflow.allowed_actions(Case.get_by_id(case.id), DEPT)
        with pytest.raises(ValidationError, match="2026-11-25"):
            workflow.return_case(DEPT, case.id, "非本单位职责")
        later = _dispatched()  # dispatched under the new policy: five working days
    assert workflow.return_limit(Case.get_by_id(later.id)) == dt.date(2026, 12, 3)


def test_a_department_sees_only_its_own_cases(database, frozen_now) -> None:
    mine = _dispatched(1, subject="本单位案件甲")
    theirs = _dispatched(2, subject="他单位案件乙")
    access.begin_session(DEPT)
    ids = {row.id for row in case_queries.fetch_page(CaseFilter())}
    assert ids == {mine.id}
    # A filter naming the other department, or its case ids, changes nothing.
    assert case_queries.fetch_page(CaseFilter(department_ids=(2,))) == []
    assert case_queries.fetch_page(CaseFilter(case_ids=(theirs.id,))) == []
    assert case_queries.count(CaseFilter(view="in_progress")) == 1
    assert case_queries.case_ids(CaseFilter()) == frozenset({mine.id})
    assert [ids for ids in case_queries.iter_ids(CaseFilter())] == [[mine.id]]
    assert search("案件").case_ids == [mine.id]
    assert search("他单位").case_ids == []
    with pytest.raises(NotFound):
        case_view.load_case_window(theirs.id, DEPT)
    with pytest.raises(NotFound):
        workflow.add_note(DEPT, theirs.id, "看看")
    assert workflow.allowed_actions(theirs, DEPT) == []
    access.end_session()
    assert len(case_queries.fetch_page(CaseFilter())) == 2


def test_a_department_without_a_department_sees_nothing(database, frozen_now) -> None:
    _dispatched(1)
    access.begin_session(NO_DEPT)
    assert case_queries.fetch_page(CaseFilter()) == []
    assert case_queries.count(CaseFilter()) == 0


def test_desk_views_and_counts(database, frozen_now) -> None:
    to_accept = _dispatched()
    working = _accepted()
    soon = _accepted(urgency="紧急")  # due today
    replied = workflow.reply(
        DEPT, _accepted().id, "已办结", resolution="resolved", contact_made=True
    )
    _dispatched(2)  # another department's: never counted
    supervised = workflow.supervise(LEAD, soon.id, "今日必须答复", 1, "supervision")
    access.begin_session(DEPT)
    counts = case_queries.view_counts(None, case_queries.DEPARTMENT_VIEWS)
    assert counts == {
        "to_accept": 1,
        "dept_in_progress": 2,
        "dept_due_soon": 1,
        "overdue": 0,
        "dept_replied": 1,
        "supervised": 1,
        "dept_assist": 0,
        "assist_answered": 0,
    }
    ids = case_queries.case_ids
    assert ids(CaseFilter(view="to_accept")) == {to_accept.id}
    assert ids(CaseFilter(view="dept_in_progress")) == {working.id, soon.id}
    assert ids(CaseFilter(view="dept_replied")) == {replied.id}
    assert ids(CaseFilter(view="supervised")) == {supervised.id}
    # Overdue two working days later: the one deadline expression decides.
    with clock.frozen(NOW + dt.timedelta(days=1)):
        assert ids(CaseFilter(view="overdue")) == {soon.id}


def test_due_soon_is_within_two_working_days(database) -> None:
    with clock.frozen(dt.datetime(2026, 11, 9, 9)):  # dispatched on a Monday
        case = _accepted()  # deadline: 13 working days later
    due = case.deadline
    access.begin_session(DEPT)
    from hotline.workdays import load_calendar

    calendar = load_calendar()
    three_before = due
    for _ in range(3):
        three_before -= dt.timedelta(days=1)
        while not calendar.is_workday(three_before):
            three_before -= dt.timedelta(days=1)
    two_before = calendar.add_workdays(three_before, 1)
    with clock.frozen(dt.datetime.combine(three_before, dt.time(9))):
        assert case_queries.count(CaseFilter(view="dept_due_soon")) == 0
    with clock.frozen(dt.datetime.combine(two_before, dt.time(9))):
        assert case_queries.count(CaseFilter(view="dept_due_soon")) == 1


def test_supervision_notice_until_answered(database, frozen_now) -> None:
    not_eligible = _accepted()
    with pytest.raises(HotlineError):
        workflow.supervise(LEAD, not_eligible.id, "催一下", 2, "reminder")
    with pytest.raises(ValidationError) as info:
        workflow.supervise(LEAD, not_eligible.id, "", 0, "严厉")
    assert info.value.fields() == {"text", "answer_by", "level"}
    case = _accepted(urgency="紧急")
    workflow.supervise(LEAD, case.id, "请今日答复企业", 2, "supervision")
    other = _accepted(urgency="紧急")
    workflow.supervise(MANAGER, other.id, "催办", 1, "reminder")
    access.begin_session(DEPT)
    banner = supervision.desk_notices()
    assert [n.case_id for n in banner] == [other.id, case.id]  # earliest answer-by first
    assert banner[1].answer_by == dt.date(2026, 11, 25) and banner[1].level_label == "督办"
    access.begin_session(OTHER_DEPT)
    assert supervision.desk_notices() == []
    access.end_session()
    view = case_view.load_case_window(case.id, DEPT)
    assert [n.text for n in view.open_notices] == ["请今日答复企业"]
    row = next(e for e in view.events if e.action == "supervise")
    assert row.label == "督办" and "限 2026-11-25 前答复" in row.facts
    workflow.reply(DEPT, case.id, "已解决", resolution="resolved", contact_made=True)
    assert case_view.load_case_window(case.id, DEPT).open_notices == []
    workflow.answer_supervision(DEPT, other.id, "正在协调，周五前答复")
    figures = supervision.figures(NOW.date(), NOW.date())
    assert figures == supervision.SupervisionFigures(
        issued=2,
        answered_on_time=2,
        open=0,
        issued_cases=(case.id, other.id),  # the cases a figure's list shows
        on_time_cases=(case.id, other.id),
    )


def test_a_late_answer_is_not_on_time(database) -> None:
    with clock.frozen(NOW):
        case = _accepted(urgency="紧急")
        workflow.supervise(LEAD, case.id, "催办", 1, "reminder")  # by Tuesday
    with clock.frozen(NOW + dt.timedelta(days=2)):
        workflow.answer_supervision(DEPT, case.id, "晚了")
    figures = supervision.figures(NOW.date(), NOW.date() + dt.timedelta(days=6))
    assert (figures.issued, figures.answered_on_time) == (1, 0)


def test_confidential_caller_only_when_granted(database, frozen_now) -> None:
    case = _accepted(confidential=True)
    name, phone = contacts.of(case).name, contacts.of(case).phone
    view = case_view.load_case_window(case.id, DEPT)
    assert view.masked and view.contact_name != name and view.contact_phone != phone
    access.begin_session(DEPT)
    row = case_queries.fetch_page(CaseFilter())[0]
    assert row.contact_phone != phone
    access.end_session()
    with pytest.raises(PermissionDenied):
        workflow.grant_caller(OPERATOR, case.id, "需联系")
    workflow.grant_caller(LEAD, case.id, "需当面核实")
    granted = case_view.load_case_window(case.id, DEPT)
    assert not granted.masked and granted.contact_name == name
    assert "grant_caller" not in workflow.allowed_actions(Case.get_by_id(case.id), LEAD)
    assert case_view.load_case_window(case.id, MANAGER).masked  # the grant is the department's


def test_department_does_not_see_internal_notes(database, frozen_now) -> None:
    case = _accepted()
    workflow.add_note(LEAD, case.id, "中心内部意见", internal=True)
    workflow.add_note(DEPT, case.id, "部门备注", internal=True)
    texts = [e.text for e in case_view.load_case_window(case.id, DEPT).events]
    assert "中心内部意见" not in texts and "部门备注" in texts
    assert "中心内部意见" in [e.text for e in case_view.load_case_window(case.id, LEAD).events]


@PROGRAM_SIGN_IN
def test_sign_in_needs_a_department(database, frozen_now) -> None:
    admin = ADMIN
    with pytest.raises(ValidationError):  # a department user is created with a department
        auth.create_user(admin, "dept_scjg", "市监科员", "department", "Passw0rd!")
    user = auth.create_user(
        admin,
        "dept_scjg",
        "市监科员",
        "department",
        "Passw0rd!",
        must_change=False,
        department_id=1,
    )
    auth.set_department(admin, user.id, None)  # taken away: no sign-in until set again
    with pytest.raises(auth.SignInFailed) as info:
        auth.sign_in("dept_scjg", "Passw0rd!")
    assert "尚未指定所属承办单位" in info.value.text
    with pytest.raises(ValidationError):
        auth.set_department(admin, user.id, 999)
    account = auth.set_department(admin, user.id, 1)
    assert account.department_id == 1 and account.department
    signed = auth.sign_in("dept_scjg", "Passw0rd!")
    actor = auth.actor_for(signed)
    assert actor.department_id == 1
    assert access.session_actor() == actor
    _dispatched(2)
    assert case_queries.count(CaseFilter()) == 0
    auth.sign_out(signed)
    assert access.session_actor() is None
    entry = AuditEntry.select().where(AuditEntry.action == "user.set_department").get()
    from hotline import audit_text

    [worded] = (
        audit_text.worded([audit.AuditLine.of(entry)]) if hasattr(audit.AuditLine, "of") else [None]
    )
    if worded is not None:
        assert "所属承办单位" in worded.sentence
    # Another role: the department goes with the old role; back to 部门 needs one again.
    auth.change_role(admin, user.id, "operator")
    assert next(u for u in auth.list_users() if u.id == user.id).department_id is None
    with pytest.raises(ValidationError):
        auth.change_role(admin, user.id, "department")
    auth.change_role(admin, user.id, "department", department_id=2)
    assert next(u for u in auth.list_users() if u.id == user.id).department_id == 2


@PROGRAM_SIGN_IN
def test_demo_department_users(database) -> None:
    from hotline.demo import department_users
    from hotline.models import Department

    cli = Actor.command_line("tester")
    made = department_users.create(cli)
    active = Department.select().where(Department.active).count()
    assert len(made) == active
    assert not auth.has_users()  # department accounts alone: the first administrator is asked for
    first = made[0]
    user = auth.sign_in(first.username, first.password)
    assert auth.actor_for(user).department_id is not None
    assert department_users.create(cli) == []  # again: nothing twice


@OLDER_SCHEMA
def test_migration_14_on_an_older_database(database_target) -> None:
    from hotline import db, migrations

    handle = db.connect(database_target)
    try:
        tables = ("supervision_notice", "case_handling", "department_member")
        back_to(handle, database_target, 10, *(f"DROP TABLE IF EXISTS {t}" for t in tables))
        assert migrations.upgrade(handle, database_target) == migrations.latest_version()
        assert {"supervision_notice", "case_handling", "department_member"} <= set(
            handle.get_tables()
        )
        fourteen = next(m for m in migrations.MIGRATIONS if m.version == 14)
        fourteen.apply(handle)  # idempotent: applied twice changes nothing
        add_people(DEPT)
        with clock.frozen(NOW):
            case = workflow.accept(DEPT, _dispatched(urgency="紧急").id)
            workflow.supervise(LEAD, case.id, "请答复", 1, "reminder")
        assert len(supervision.open_notices(case.id)) == 1
        if db.is_sqlite(handle):
            import sqlite3

            from hotline import schema_check

            with sqlite3.connect(database_target) as conn:
                assert schema_check.differences(conn, migrations.latest_version()) == []
                # An older version's reference is what it was: migration 14 added only tables.
                assert "case_handling" not in str(schema_check.reference(10))
    finally:
        db.close()


def test_a_department_is_reminded_of_new_cases_and_notices(database, frozen_now) -> None:
    from hotline import reminders

    _dispatched(1)
    _dispatched(2)
    access.begin_session(DEPT)
    first = reminders.check(Role.DEPARTMENT)
    assert first.counts == {
        "to_accept": 1,
        "supervised": 0,
        "dept_assist": 0,
        "assist_answered": 0,
    }
    fresh = _dispatched(1, urgency="紧急")
    _dispatched(2, urgency="紧急")  # another department's: no news for this one
    workflow.supervise(LEAD, fresh.id, "请今日答复", 1, "supervision")
    second = reminders.check(Role.DEPARTMENT, first.marks)
    assert second.new == {
        "to_accept": (fresh.id,),
        "supervised": (fresh.id,),
        "dept_assist": (),
        "assist_answered": (),
    }


def test_enterprise_and_handover_lists_keep_to_the_department(database, frozen_now) -> None:
    from hotline import enterprises, handover

    mine = _dispatched(1, urgency="紧急")
    theirs = _dispatched(2, urgency="紧急")
    assert mine.enterprise_id == theirs.enterprise_id  # the same enterprise
    access.begin_session(DEPT)
    assert [c.id for c in enterprises.cases_of(mine.enterprise_id)] == [mine.id]
    urgent, total = handover.open_urgent()
    assert [c.id for c in urgent] == [mine.id] and total == 1
    access.end_session()
    assert len(enterprises.cases_of(mine.enterprise_id)) == 2
