"""The program signed in as each person's own login role (issue 15, section 9 items 1-2):
the ordinary workflow through the services, under least privilege, audited with each person
as the actor; the administrator's people work through the people functions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hotline import admin, audit, auth, cases, db, workflow
from hotline.enums import Role
from hotline.errors import DatabaseRefused, PermissionDenied
from hotline.models import AuditEntry, User
from hotline.pg.server import people
from tests.conftest import sample_case
from tests.hotline.pg_server.conftest import ADMIN, PEOPLE, Centre
from tests.hotline.pg_server.refusals import one

NEW = {role: f"{password}-new!" for role, (_, _, password) in PEOPLE.items()}


def sign_in(centre: Centre, role: Role, password: str | None = None) -> auth.Actor:
    """Signs in through the program as ``role``'s person; the first time, the password the
    administrator gave is changed (as the sign-in dialog asks)."""
    username = ADMIN[0] if role is Role.ADMIN else PEOPLE[role][0]
    login = centre.login(role)
    given = password or centre.passwords[login]
    user = auth.sign_in(username, given, server=centre.url)
    if user.must_change_password:
        auth.change_own_password(user.id, given, NEW[role])
        centre.passwords[login] = NEW[role]
        user = auth.sign_in(username, NEW[role], server=centre.url)
        assert not user.must_change_password
    return auth.actor_for(user)


@pytest.fixture
def desk(centre: Centre) -> Iterator[Centre]:
    yield centre
    db.close()


def test_each_person_signs_in_as_their_own_role(desk: Centre) -> None:
    sign_in(desk, Role.OPERATOR)
    assert db.per_person()
    assert one(db.current().connection(), "SELECT session_user") == desk.login(Role.OPERATOR)
    # The program's hash is never used on a server: the row holds a marker.
    assert db.current().execute_sql('SELECT count(*) FROM "user"').fetchone()[0] == 4
    user = User.get(User.username == PEOPLE[Role.OPERATOR][0])
    assert user.password_hash is None  # not readable by a person, not selected
    assert user.last_login_at is not None


def test_a_wrong_password_is_the_wrong_password_message(desk: Centre) -> None:
    with pytest.raises(auth.SignInFailed) as wrong:
        auth.sign_in(PEOPLE[Role.OPERATOR][0], "Not-the-password-1", server=desk.url)
    assert wrong.value.message == "用户名或密码错误"
    with pytest.raises(auth.SignInFailed) as nobody:
        auth.sign_in("nobody", "Whatever-pass-1", server=desk.url)
    assert nobody.value.message == "用户名或密码错误"
    with pytest.raises(auth.SignInFailed):  # never the libpq password file
        auth.sign_in(PEOPLE[Role.OPERATOR][0], "", server=desk.url)
    assert not db.per_person()


def test_the_workflow_as_each_person_is_audited_with_each_as_actor(desk: Centre) -> None:
    chief = sign_in(desk, Role.ADMIN)
    department = admin.save_department(chief, code="CSJ", name="市测试局")

    operator = sign_in(desk, Role.OPERATOR)
    case = cases.register(operator, sample_case())
    case = workflow.dispatch(operator, case.id, department.id)

    lead = sign_in(desk, Role.SHIFT_LEAD)
    case = workflow.reply(lead, case.id, "已于本周办结施工许可证。")

    manager = sign_in(desk, Role.MANAGER)
    case = workflow.add_note(manager, case.id, "请值班长跟进回访")
    with pytest.raises(PermissionDenied):  # a manager changes no case
        workflow.close(manager, case.id, "无法联系")

    operator = sign_in(desk, Role.OPERATOR)
    case = workflow.callback(operator, case.id, "satisfied", "企业表示满意")
    case = workflow.close(operator, case.id)
    assert case.status == "closed"

    sign_in(desk, Role.ADMIN)
    result = audit.verify()
    assert result.ok, audit.describe(result)
    actors = {
        (e.actor, e.action)
        for e in AuditEntry.select(AuditEntry.actor, AuditEntry.action)
        if not e.action.startswith("db.")
    }
    assert (desk.login(Role.OPERATOR), "case.register") in actors
    assert (desk.login(Role.OPERATOR), "case.dispatch") in actors
    assert (desk.login(Role.SHIFT_LEAD), "case.reply") in actors
    assert (desk.login(Role.MANAGER), "case.note") in actors
    assert (desk.login(Role.OPERATOR), "case.close") in actors
    assert (desk.login(Role.MANAGER), "user.sign_in") in actors
    assert (desk.login(Role.ADMIN), "department.create") in actors
    # The database's own entries name the person too (a row changed under their role).
    rows = AuditEntry.select(AuditEntry.actor).where(AuditEntry.action == "db.case_event.insert")
    assert {e.actor for e in rows} >= {desk.login(Role.MANAGER), desk.login(Role.SHIFT_LEAD)}


def test_the_administrator_creates_disables_and_resets_a_person(desk: Centre) -> None:
    chief = sign_in(desk, Role.ADMIN)
    created = auth.create_user(chief, "op2", "坐席二", "operator", "First-pass-2")
    login = desk.names.login("op2")
    conn = db.current().connection()
    assert one(conn, "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (login,))
    assert one(
        conn, "SELECT pg_has_role(%s, %s, 'MEMBER')", (login, desk.names.group(Role.OPERATOR))
    )
    assert one(conn, 'SELECT must_change_password FROM "user" WHERE id = %s', (created.id,))
    # The administrator's session never sent the password itself: the role holds a verifier.
    auth.change_role(chief, created.id, "shift_lead")
    assert one(
        conn, "SELECT pg_has_role(%s, %s, 'MEMBER')", (login, desk.names.group(Role.SHIFT_LEAD))
    )
    auth.set_active(chief, created.id, False)
    assert not one(conn, "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (login,))
    with pytest.raises(auth.SignInFailed) as disabled:
        auth.sign_in("op2", "First-pass-2", server=desk.url)
    assert disabled.value.message == "该账号已停用，请联系管理员"
    chief = sign_in(desk, Role.ADMIN)
    auth.set_active(chief, created.id, True)
    auth.reset_password(chief, created.id, "Reset-pass-22")
    user = auth.sign_in("op2", "Reset-pass-22", server=desk.url)
    assert user.must_change_password
    auth.change_own_password(user.id, "Reset-pass-22", "Own-pass-222")
    with pytest.raises(auth.SignInFailed):
        auth.sign_in("op2", "Reset-pass-22", server=desk.url)
    user = auth.sign_in("op2", "Own-pass-222", server=desk.url)
    assert not user.must_change_password
    assert User.get(User.username == "op2").role == "shift_lead"


def test_an_older_schema_is_refused_at_sign_in_naming_server_upgrade(desk: Centre) -> None:
    import psycopg2

    owner = psycopg2.connect(desk.owner_url())
    desk.opened.append(owner)
    with owner, owner.cursor() as cur:
        cur.execute(
            "DELETE FROM schema_version WHERE version = (SELECT max(version) FROM schema_version)"
        )
    with pytest.raises(DatabaseRefused) as refused:
        auth.sign_in(PEOPLE[Role.OPERATOR][0], PEOPLE[Role.OPERATOR][2], server=desk.url)
    assert "server upgrade" in refused.value.text


def test_verifiers_only_reach_the_server(desk: Centre, monkeypatch: pytest.MonkeyPatch) -> None:
    from hotline.pg.server import accounts

    chief = sign_in(desk, Role.ADMIN)
    statements: list[str] = []
    real = accounts._cursor

    class Spy:
        def __init__(self) -> None:
            self.cur = real()

        def __enter__(self) -> Spy:
            return self

        def __exit__(self, *exc: object) -> None:
            self.cur.close()

        def execute(self, sql: str, params: object = None) -> None:
            statements.append(self.cur.mogrify(sql, params).decode())
            self.cur.execute(sql, params)

    monkeypatch.setattr(accounts, "_cursor", Spy)
    created = auth.create_user(chief, "op3", "坐席三", "operator", "Plain-pass-33")
    auth.reset_password(chief, created.id, "Plain-pass-44")
    sent = "\n".join(statements)
    assert "hotline_create_person" in sent and "hotline_reset_password" in sent
    assert "Plain-pass-33" not in sent and "Plain-pass-44" not in sent
    assert sent.count(people.VERIFIER_PREFIX) == 2


def _bare(centre: Centre) -> str:
    from urllib.parse import urlparse

    parsed = urlparse(centre.url)
    return f"postgresql://{parsed.hostname}:{parsed.port}{parsed.path}"


def test_the_command_line_signs_in_with_the_password_from_standard_input(
    desk: Centre, settled: Centre, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """(The people's one-time passwords changed: see test_one_time_password_cli.py.)"""
    import io
    import json

    from hotline.cli import main

    for name in ("PGPASSWORD", "PGUSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    username, _, password = PEOPLE[Role.OPERATOR]
    record = json.dumps(sample_case(), ensure_ascii=False)
    out = io.StringIO()
    code = main(
        ["--db", _bare(desk), "--user", username, "--sign-in-stdin", "intake", "-"],
        stdin=io.StringIO(password + "\n" + record),
        stdout=out,
        stderr=out,
    )
    assert code == 0, out.getvalue()
    wrong = io.StringIO()
    args = ["--db", _bare(desk), "--user", username, "--sign-in-stdin", "audit", "verify"]
    assert main(args, stdin=io.StringIO("Wrong-pass-9\n"), stdout=wrong, stderr=wrong) == 1
    assert "用户名或密码错误" in wrong.getvalue()
    # The person's libpq password file serves as well (no password typed).
    pgpass = tmp_path / "pgpass"
    login = desk.login(Role.ADMIN)
    pgpass.write_text(f"*:*:*:{login}:{desk.passwords[login]}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    checked = io.StringIO()
    args = ["--db", _bare(desk), "--user", ADMIN[0], "audit", "verify"]
    assert main(args, stdout=checked, stderr=checked) == 0, checked.getvalue()
    assert "审计日志完整" in checked.getvalue()
    db.connect(desk.login_url(Role.ADMIN))
    entry = AuditEntry.select().where(AuditEntry.action == "case.register").get()
    assert entry.actor == desk.login(Role.OPERATOR)
    assert json.loads(entry.detail)["via"] == "cli"


def test_the_idle_lock_asks_the_server_for_the_password(desk: Centre) -> None:
    operator = sign_in(desk, Role.OPERATOR)
    assert operator.user_id is not None
    with pytest.raises(auth.SignInFailed) as wrong:
        auth.unlock(operator.user_id, "Not-the-password-1")
    assert wrong.value.message == "密码不正确"
    assert auth.unlock(operator.user_id, NEW[Role.OPERATOR]).id == operator.user_id
    sign_in(desk, Role.ADMIN)  # who reads the audit trail
    actions = [
        e.action
        for e in AuditEntry.select(AuditEntry.action).where(AuditEntry.entity == "user")
        if e.action.startswith("user.unlock")
    ]
    assert actions == ["user.unlock_failed", "user.unlock"]
