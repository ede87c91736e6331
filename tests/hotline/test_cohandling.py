"""Co-handling (会办): a lead department with assisting departments, each answering its part
to the lead within its own deadline; the lead's reply ends the department stage."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import access, audit, case_queries, cases, clock, cohandling, workflow
from hotline.case_queries import CaseFilter
from hotline.enums import Role, Status
from hotline.errors import HotlineError, NotFound, PermissionDenied, ValidationError
from hotline.models import Case, CaseAssist, CaseEvent, Department
from hotline.permissions import Actor
from hotline.search import search
from tests.conftest import sample_case
from tests.hotline.audit_count import last_program_action, program_entries
from tests.hotline.desk import add_people, department_person
from tests.hotline.old_schema import back_to
from tests.pg_person import OLDER_SCHEMA, SERVER_CLOCK

OPERATOR = Actor("坐席甲", Role.OPERATOR, None)
LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
MANAGER = Actor("科长丙", Role.MANAGER, None)
ADMIN = Actor("管理员丁", Role.ADMIN, None)
LEAD_DEPT = department_person("市监科员", 1, 901)
HELPER = department_person("发改科员", 2, 902)
HELPER_3 = department_person("人社科员", 3, 903)
OTHER_DEPT = department_person("税务科员", 4, 904)
ROLES = {
    "operator": OPERATOR,
    "lead": LEAD,
    "manager": MANAGER,
    "admin": ADMIN,
    "lead_department": LEAD_DEPT,
    "assisting_department": HELPER,
    "other_department": OTHER_DEPT,
}
NOW = dt.datetime(2026, 11, 23, 9, 30)  # a Monday


@pytest.fixture(autouse=True)
def people(request: pytest.FixtureRequest) -> None:
    """The department people of this module, in every test's database."""
    if "database" in request.fixturenames:
        request.getfixturevalue("database")
        add_people(LEAD_DEPT, HELPER, HELPER_3, OTHER_DEPT)


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield


def _registered(**overrides: object) -> Case:
    return cases.register(OPERATOR, sample_case(received_at=clock.now().isoformat(), **overrides))


def _co_handled(assisting=(2, 3), days: int = 3, **overrides: object) -> Case:
    case = _registered(**overrides)
    return workflow.dispatch(OPERATOR, case.id, 1, assisting=assisting, assist_workdays=days)


def _as(actor: Actor):
    """The signed-in person of the lists (hotline.access)."""

    class _Session:
        def __enter__(self) -> None:
            access.begin_session(actor)

        def __exit__(self, *exc: object) -> None:
            access.end_session()

    return _Session()


# Who may take each new step: dispatching with assisting departments, answering a part.
MAY = {
    "dispatch_assisted": {"operator", "lead", "admin"},
    "answer_assist": {"operator", "lead", "admin", "assisting_department"},
}


def _ready(action: str) -> Case:
    return _registered() if action == "dispatch_assisted" else _co_handled()


def _take(action: str, actor: Actor, case_id: int) -> Case:
    if action == "dispatch_assisted":
        return workflow.dispatch(actor, case_id, 1, assisting=[2])
    department = None if access.is_department(actor) else 2
    return workflow.answer_assist(actor, case_id, "本单位意见：符合条件", department_id=department)


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("action", sorted(MAY))
def test_new_transitions_by_every_role(database, frozen_now, action: str, role: str) -> None:
    case = _ready(action)
    actor = ROLES[role]
    name = "dispatch" if action == "dispatch_assisted" else action
    events = CaseEvent.select().where(CaseEvent.case == case.id).count()
    entries = program_entries()
    if role in MAY[action]:
        assert name in workflow.allowed_actions(case, actor)
        after = _take(action, actor, case.id)
        assert after.status == Status.DISPATCHED.value
        assert CaseEvent.select().where(CaseEvent.case == case.id).count() == events + 1
        assert program_entries() == entries + 1
        assert last_program_action() == f"case.{name}"
    else:
        assert name not in workflow.allowed_actions(case, actor)
        with pytest.raises((PermissionDenied, NotFound, HotlineError)):
            _take(action, actor, case.id)
        assert Case.get_by_id(case.id).version == case.version
        assert program_entries() == entries
    assert audit.verify().ok


def test_each_part_has_its_own_deadline(database, frozen_now) -> None:
    case = _co_handled(days=2)
    parts = cohandling.case_parts(case.id)
    assert [(p.department_id, p.state) for p in parts] == [(2, "open"), (3, "open")]
    assert {p.deadline for p in parts} == {dt.date(2026, 11, 25)}  # Monday + 2 working days
    assert case.deadline is not None and case.deadline > dt.date(2026, 11, 25)
    data = CaseEvent.select().where(CaseEvent.action == "dispatch").first().data
    assert "发改" in data or "assisting" in data
    # A part is never due after the lead's own deadline.
    urgent = _co_handled(days=15, urgency="紧急")
    assert {p.deadline for p in cohandling.case_parts(urgent.id)} == {urgent.deadline}


def test_an_assisting_department_answers_its_part_only(database, frozen_now) -> None:
    case = _co_handled()
    assert access.may_see(HELPER, case) and not access.may_see(OTHER_DEPT, case)
    assert set(workflow.allowed_actions(case, HELPER)) == {"answer_assist", "note"}
    assert "answer_assist" not in workflow.allowed_actions(case, LEAD_DEPT)
    for step in (
        lambda: workflow.accept(HELPER, case.id),
        lambda: workflow.return_case(HELPER, case.id, "非本单位职责"),
        lambda: workflow.reply(HELPER, case.id, "已办理", resolution="resolved", contact_made=True),
        lambda: workflow.request_extension(HELPER, case.id, dt.date(2026, 12, 20), "需要时间"),
    ):
        with pytest.raises(PermissionDenied, match="会办单位"):
            step()
    with pytest.raises(HotlineError, match="主办单位"):
        workflow.answer_assist(LEAD_DEPT, case.id, "主办不能答复会办")
    with pytest.raises(ValidationError):
        workflow.answer_assist(HELPER, case.id, "   ")
    workflow.answer_assist(HELPER, case.id, "经核查，企业资质齐全")
    part = next(p for p in cohandling.case_parts(case.id) if p.department_id == 2)
    assert part.state == "answered" and part.on_time and part.answer == "经核查，企业资质齐全"
    with pytest.raises(HotlineError, match="没有待答复"):
        workflow.answer_assist(HELPER, case.id, "再答一次")
    assert workflow.allowed_actions(Case.get_by_id(case.id), HELPER) == ["note"]
    workflow.add_note(HELPER, case.id, "补充材料已上传")


def test_an_assisting_department_adds_documents_to_its_part(database, frozen_now) -> None:
    import io

    from hotline.attachments import service as attachments

    case = _co_handled()
    added = attachments.add(HELPER, case.id, io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "会办意见.pdf")
    assert added.name == "会办意见.pdf"
    with pytest.raises(NotFound):
        attachments.add(OTHER_DEPT, case.id, io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "别的单位.pdf")


def test_the_centre_enters_a_part_for_a_department(database, frozen_now) -> None:
    case = _co_handled()
    with pytest.raises(ValidationError):
        workflow.answer_assist(OPERATOR, case.id, "电话答复")  # which department?
    with pytest.raises(HotlineError):
        workflow.answer_assist(OPERATOR, case.id, "电话答复", department_id=4)  # not assisting
    workflow.answer_assist(OPERATOR, case.id, "电话答复：同意", department_id=3)
    part = next(p for p in cohandling.case_parts(case.id) if p.department_id == 3)
    assert part.answered_by == "坐席甲" and part.state == "answered"


def test_the_lead_reply_ends_the_stage(database, frozen_now) -> None:
    case = _co_handled()
    workflow.answer_assist(HELPER, case.id, "意见一")
    workflow.accept(LEAD_DEPT, case.id)
    workflow.reply(LEAD_DEPT, case.id, "综合答复", resolution="resolved", contact_made=True)
    states = {p.department_id: p.state for p in cohandling.case_parts(case.id)}
    assert states == {2: "answered", 3: "unanswered"}
    event = CaseEvent.select().where(CaseEvent.action == "reply").first()
    assert '"parts_answered": 1' in event.data and "parts_unanswered" in event.data
    with pytest.raises(HotlineError):  # the stage is over
        workflow.answer_assist(HELPER_3, case.id, "迟到的意见")
    # The assisting department still reads the case it worked on.
    assert access.may_see(HELPER_3, Case.get_by_id(case.id))


@pytest.mark.parametrize("how", [pytest.param("return", marks=SERVER_CLOCK), "withdraw"])
def test_a_return_or_withdrawal_cancels_the_parts(database, frozen_now, how: str) -> None:
    case = _co_handled()
    if how == "return":
        workflow.return_case(LEAD_DEPT, case.id, "非本单位职责")
    else:
        workflow.withdraw(LEAD, case.id, "重复登记")
    assert {p.state for p in cohandling.case_parts(case.id, with_cancelled=True)} == {"cancelled"}
    assert cohandling.case_parts(case.id) == []
    assert not access.may_see(HELPER, Case.get_by_id(case.id))
    if how == "return":
        again = workflow.dispatch(LEAD, case.id, 2, assisting=[1])
        assert [p.department_id for p in cohandling.case_parts(again.id)] == [1]
        assert access.may_see(HELPER, again) and access.may_see(LEAD_DEPT, again)


@pytest.mark.parametrize(
    ("assisting", "days", "field"),
    [
        ([1], 3, "assisting"),  # the lead itself
        ([2, 2], 3, "assisting"),
        ([999], 3, "assisting"),
        ([2, 3, 4, 5, 6, 7, 8], 3, "assisting"),
        ([2], 0, "assist_days"),
        ([2], 16, "assist_days"),
    ],
)
def test_a_wrong_choice_is_refused_and_nothing_written(
    database, frozen_now, assisting, days, field
) -> None:
    for code in range(5, 9):
        Department.get_or_create(code=f"T{code}", defaults={"name": f"测试单位{code}"})
    case = _registered()
    with pytest.raises(ValidationError) as refused:
        workflow.dispatch(OPERATOR, case.id, 1, assisting=assisting, assist_workdays=days)
    assert field in {p.field for p in refused.value.problems}
    assert Case.get_by_id(case.id).status == Status.REGISTERED.value
    assert CaseAssist.select().count() == 0


def test_an_inactive_department_cannot_assist(database, frozen_now) -> None:
    Department.update(active=False).where(Department.id == 2).execute()
    with pytest.raises(ValidationError):
        _co_handled(assisting=[2])


def test_desk_views_of_an_assisting_department(database, frozen_now) -> None:
    case = _co_handled(days=2)  # the parts are due on Wednesday
    own = workflow.dispatch(OPERATOR, _registered().id, 2)
    with _as(HELPER):
        ids = lambda view: case_queries.case_ids(CaseFilter(view=view))  # noqa: E731
        assert ids("all") == {case.id, own.id}
        assert ids("to_accept") == {own.id}  # the lead's acceptance is not its business
        assert ids("dept_assist") == {case.id}
        assert ids("overdue") == frozenset()
    with clock.frozen(NOW + dt.timedelta(days=2)), _as(HELPER):  # Wednesday: due today
        assert case.id in case_queries.case_ids(CaseFilter(view="dept_due_soon"))
    with clock.frozen(NOW + dt.timedelta(days=3)):  # Thursday: the part is late
        with _as(HELPER):
            assert case_queries.case_ids(CaseFilter(view="overdue")) == {case.id}
        with _as(LEAD_DEPT):
            assert case.id not in case_queries.case_ids(CaseFilter(view="overdue"))
        assert case_queries.case_ids(CaseFilter(view="assist_overdue")) == {case.id}
        part = cohandling.case_parts(case.id)[0]
        assert part.overdue()
        workflow.answer_assist(HELPER, case.id, "迟到的意见")
        late = next(p for p in cohandling.case_parts(case.id) if p.department_id == 2)
        assert late.on_time is False
    with _as(HELPER):
        assert case_queries.case_ids(CaseFilter(view="dept_assist")) == frozenset()
    with _as(LEAD_DEPT):
        assert case_queries.case_ids(CaseFilter(view="assist_answered")) == {case.id}


@SERVER_CLOCK
def test_an_assisting_department_finds_the_case_it_assists(database, frozen_now) -> None:
    """Search keeps to what a department may see, its own cases and those it assists, on
    both backends (PostgreSQL asks a department's cases in the query itself)."""
    assisted = _co_handled(subject="联合踏勘许可拖延")
    own = workflow.dispatch(OPERATOR, _registered(subject="本单位踏勘许可").id, 2)
    theirs = workflow.dispatch(OPERATOR, _registered(subject="别家踏勘许可").id, 4)
    cancelled = _co_handled(assisting=(2,), subject="已取消的踏勘许可")
    workflow.return_case(LEAD_DEPT, cancelled.id, "不属于本单位职责")  # cancels its parts
    with _as(HELPER):
        assert search("踏勘许可").case_ids == [own.id, assisted.id]
        first = search("踏勘", limit=1)
        assert first.case_ids == [own.id]
        assert search("踏勘", limit=1, before_id=first.next_before).case_ids == [assisted.id]
        assert search("联合踏勘").case_ids == [assisted.id]
    with _as(OTHER_DEPT):
        assert search("踏勘许可").case_ids == [theirs.id]
    assert {own.id, assisted.id, theirs.id, cancelled.id} <= set(search("踏勘许可").case_ids)


def test_an_assisting_department_never_sees_a_granted_caller(database, frozen_now) -> None:
    case = _co_handled(confidential=True)
    workflow.grant_caller(LEAD, case.id, "需当面联系")
    case = Case.get_by_id(case.id)
    assert access.may_see_caller(LEAD_DEPT, case)
    assert not access.may_see_caller(HELPER, case)


@OLDER_SCHEMA
def test_migration_15_on_an_older_database(database_target) -> None:
    from hotline import db, migrations

    handle = db.connect(database_target)
    try:
        back_to(handle, database_target, 14, "DROP TABLE IF EXISTS case_assist")
        assert migrations.upgrade(handle, database_target) == migrations.latest_version()
        assert "case_assist" in handle.get_tables()
        fifteen = next(m for m in migrations.MIGRATIONS if m.version == 15)
        fifteen.apply(handle)  # idempotent
        add_people(HELPER)
        with clock.frozen(NOW):
            case = _co_handled(assisting=[2])
            workflow.answer_assist(HELPER, case.id, "同意")
        if db.is_sqlite(handle):
            import sqlite3

            from hotline import schema_check

            with sqlite3.connect(database_target) as conn:
                assert schema_check.differences(conn, migrations.latest_version()) == []
                assert "case_assist" not in str(schema_check.reference(14))
    finally:
        db.close()


def test_migration_20_reads_a_departments_open_parts_from_an_index(database_target) -> None:
    from hotline import db, migrations

    handle = db.connect(database_target)
    try:
        back_to(handle, database_target, 19, "DROP INDEX IF EXISTS case_assist_open_parts")
        assert migrations.upgrade(handle, database_target) == migrations.latest_version()
        twenty = next(m for m in migrations.MIGRATIONS if m.version == 20)
        twenty.apply(handle)  # idempotent
        query = cohandling.assisted_cases(2)
        sql, params = query.sql()
        if db.is_sqlite(handle):
            plan = " ".join(
                str(row[-1]) for row in handle.execute_sql("EXPLAIN QUERY PLAN " + sql, params)
            )
            assert "INDEX case_assist_open_parts" in plan
        else:
            with handle.atomic():  # the demo-sized table would be read whole otherwise
                handle.execute_sql("SET LOCAL enable_seqscan = off")
                handle.execute_sql("SET LOCAL enable_bitmapscan = off")
                plan = " ".join(str(row[0]) for row in handle.execute_sql("EXPLAIN " + sql, params))
            assert "Index Only Scan using case_assist_open_parts" in plan
        with clock.frozen(NOW):
            case = _co_handled(assisting=[2, 3])
        assert set(query) and {row.case_id for row in query} == {case.id}
    finally:
        db.close()
