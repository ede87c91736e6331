"""``server setup`` and ``server upgrade``: one database of a shared server, made so that
PostgreSQL enforces the program's roles (see docs/server-security.md).

Run with a superuser, or with a role that may create roles and owns the database. Every step
is idempotent: run again it reports "already done" and changes nothing. Steps:

1. roles: the owner (cannot log in), the people administrator, one group per role;
2. the database: only the groups may connect; nobody but the owner creates in ``public``;
3. the schema: the ordinary migrations, run as the owner;
4. the audit functions and triggers, the people functions, the grants;
5. the first administrator, a login role (``server setup`` only).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlparse

from hotline.enums import Role
from hotline.errors import DatabaseRefused, Problems
from hotline.i18n import N_
from hotline.permissions import PERMISSIONS, Action
from hotline.pg.server import audit_sql, grants, people, policies
from hotline.pg.server.names import RoleNames

# Messages of the steps (translated by the command line).
MSG_ROLE_CREATED = N_("已创建角色 {role}（{what}）")
MSG_ROLE_EXISTS = N_("角色 {role}（{what}）已存在")
MSG_DATABASE_ACCESS = N_(
    "已限定数据库 {database} 只能由本程序的角色组连接，public 模式只有属主可建对象"
)
MSG_DATABASE_ACCESS_DONE = N_("数据库 {database} 的连接与建表权限已是限定状态")
MSG_SCHEMA_CREATED = N_("已以属主 {owner} 建立数据库结构（架构版本 {version}）")
MSG_SCHEMA_UPGRADED = N_("已以属主 {owner} 将数据库结构从版本 {old} 升级到 {new}")
MSG_SCHEMA_CURRENT = N_("数据库结构已是最新（架构版本 {version}）")
MSG_FUNCTION_CREATED = N_("已安装函数 {name}")
MSG_FUNCTION_CURRENT = N_("函数 {name} 已是最新")
MSG_TRIGGERS_CREATED = N_("已安装 {count} 个审计与保护触发器")
MSG_TRIGGERS_CURRENT = N_("审计与保护触发器（{count} 个）已安装")
MSG_GRANTS_SET = N_("已按权限表为角色组 {role} 授权")
MSG_GRANTS_CURRENT = N_("角色组 {role} 的授权已与权限表一致")
MSG_POLICIES_SET = N_("已按权限表设置 {count} 条行级安全策略（保密来电人、承办单位只见本单位案件）")
MSG_POLICIES_CURRENT = N_("行级安全策略（{count} 条）已与权限表一致")
MSG_ADMIN_CREATED = N_("已创建管理员 {username}（登录角色 {login}）")
MSG_ADMIN_EXISTS = N_("管理员 {username}（登录角色 {login}）已存在")
MSG_NO_ADMIN = N_("尚无管理员登录角色：请用 --admin 名称 运行 server setup 创建首个管理员")
MSG_SETTING_OK = N_("服务器设置 {name} = {value}")
MSG_SETTING_UNKNOWN = N_(
    "无权读取服务器设置 {name}（需超级用户或 pg_read_all_settings），请自行核对"
)
MSG_SETTING_ADVICE = N_("服务器设置 {name} = {value}；建议 {advice}（见 README）")

WHAT = {
    "owner": N_("表的属主，不能登录"),
    "useradmin": N_("管理人员登录角色的函数的属主，不能登录"),
    "group": N_("角色组，不能登录"),
}

MSG_NOT_ALLOWED = N_(
    "{user} 既不是超级用户，也不是有 CREATEROLE 权限的数据库 {database} 的属主，不能设置服务器"
)
MSG_ENCODING = N_("数据库 {database} 的编码是 {encoding}，本程序需要 UTF8")
MSG_ROLE_CLASH = N_("角色 {role} 已存在但可以登录或是超级用户：它不是本程序创建的，未做任何改动")
MSG_FOREIGN_TABLES = N_(
    "数据库 {database} 中已有属于 {found} 的表：这是单一登录的数据库，请用 server convert 转为按人登录（未做任何改动）"
)
MSG_NOTHING_TO_CONVERT = N_("数据库 {database} 还没有本程序的表：请用 server setup 设置新数据库")
MSG_OWNERSHIP_MOVED = N_("已把 {count} 个表、序列和函数的属主从 {old} 改为 {owner}")
MSG_OWNERSHIP_CURRENT = N_("所有表都已属于 {owner}")
MSG_PERSON_CREATED = N_(
    "已为用户 {username}（{name}）创建登录角色 {login}，一次性密码：{password}（首次登录须修改，只显示这一次）"
)
MSG_PEOPLE_MISSING = N_(
    "{count} 个用户没有登录角色，转换未完成：请按上面的提示处理后再运行 server convert"
)
MSG_PERSON_EXISTS = N_("用户 {username} 已有登录角色 {login}")
MSG_PERSON_CLASH = N_("角色 {login} 已存在但不属于本数据库的角色组：用户 {username} 未转换，请核对")
MSG_CONVERT_VERIFIED = N_(
    "已核对：表都属于 {owner}，{people} 个用户都有登录角色，审计日志完整（{count} 条）"
)
MSG_CONVERT_AUDIT_BROKEN = N_("审计日志核对未通过：{problem}（转换前即已如此，请按 README 处理）")
MSG_NOT_SET_UP = N_("数据库 {database} 尚未用 server setup 设置，请先运行 server setup")
MSG_ADMIN_HALF = N_(
    "登录角色 {login} 与用户 {username} 只有其一存在：请先处理后再运行（未做任何改动）"
)


@dataclass(frozen=True)
class Step:
    message: str  # one of the MSG_ constants (to translate)
    params: dict[str, Any]
    changed: bool
    warning: bool = False


@dataclass
class Report:
    database: str
    prefix: str
    steps: list[Step] = field(default_factory=list)

    def add(self, message: str, changed: bool, *, warning: bool = False, **params: Any) -> None:
        self.steps.append(Step(message, params, changed, warning))

    @property
    def changed(self) -> bool:
        return any(step.changed for step in self.steps)


def with_role(url: str, role: str) -> str:
    """``url`` whose sessions act as ``role`` from the start (libpq ``options``)."""
    parsed = urlparse(url)
    query = dict(parse_qsl(parsed.query))
    escaped = role.replace("\\", "\\\\").replace(" ", "\\ ")
    query["options"] = (query.get("options", "") + f" -c role={escaped}").strip()
    return parsed._replace(query=urlencode(query, quote_via=quote)).geturl()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextlib.contextmanager
def _connection(url: str) -> Iterator[Any]:
    import psycopg2

    from hotline.pg.connection import connect_params, refusal

    try:
        conn = psycopg2.connect(**connect_params(url))
    except psycopg2.Error as exc:
        from hotline.db import describe

        raise refusal(exc, url, describe(url)) from exc
    try:
        yield conn
    finally:
        conn.close()


class _Session:
    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.cur = conn.cursor()

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        self.cur.execute(sql, params)
        row = self.cur.fetchone()
        return row[0] if row else None

    def run(self, sql: str, params: tuple[Any, ...] | None = None) -> None:
        self.cur.execute(sql, params)

    @contextlib.contextmanager
    def as_role(self, role: str) -> Iterator[None]:
        self.run(f"SET ROLE {_q(role)}")
        try:
            yield
        finally:
            self.run("RESET ROLE")


def _facts(s: _Session) -> tuple[bool, bool, bool, str, str]:
    s.run(
        "SELECT r.rolsuper, r.rolcreaterole, pg_has_role(current_user, d.datdba, 'MEMBER'), "
        "pg_encoding_to_char(d.encoding), current_user::text "
        "FROM pg_roles r, pg_database d WHERE r.rolname = current_user "
        "AND d.datname = current_database()"
    )
    superuser, createrole, owns, encoding, user = s.cur.fetchone()
    return bool(superuser), bool(createrole), bool(owns), str(encoding), str(user)


def _ensure_roles(s: _Session, names: RoleNames, report: Report, superuser: bool) -> None:
    wanted = [(names.owner, "owner", ""), (names.user_admin, "useradmin", " CREATEROLE")]
    wanted += [(group, "group", "") for group in names.groups().values()]
    for role, what, extra in wanted:
        s.run("SELECT rolcanlogin OR rolsuper FROM pg_roles WHERE rolname = %s", (role,))
        row = s.cur.fetchone()
        if row is None:
            s.run(f"CREATE ROLE {_q(role)} NOLOGIN NOINHERIT{extra}")
            report.add(MSG_ROLE_CREATED, True, role=role, what=WHAT[what])
        elif row[0]:
            raise DatabaseRefused(MSG_ROLE_CLASH, role=role)
        else:
            report.add(MSG_ROLE_EXISTS, False, role=role, what=WHAT[what])
    if not superuser:  # to act as them (SET ROLE) while setting up
        for role in (names.owner, names.user_admin):
            if not s.one("SELECT pg_has_role(current_user, %s, 'MEMBER')", (role,)):
                s.run(f"GRANT {_q(role)} TO CURRENT_USER")


def _acl(s: _Session) -> tuple[str, str]:
    s.run(
        "SELECT coalesce(d.datacl::text, ''), coalesce(n.nspacl::text, '') "
        "FROM pg_database d, pg_namespace n "
        "WHERE d.datname = current_database() AND n.nspname = 'public'"
    )
    row = s.cur.fetchone()
    return str(row[0]), str(row[1])


def _restrict_database(s: _Session, names: RoleNames, database: str, report: Report) -> None:
    before = _acl(s)
    s.run(f"REVOKE ALL ON DATABASE {_q(database)} FROM PUBLIC")
    groups = ", ".join(_q(g) for g in names.groups().values())
    s.run(f"GRANT CONNECT ON DATABASE {_q(database)} TO {groups}")
    s.run("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    s.run(f"GRANT USAGE, CREATE ON SCHEMA public TO {_q(names.owner)}, {_q(names.user_admin)}")
    changed = _acl(s) != before
    report.add(
        MSG_DATABASE_ACCESS if changed else MSG_DATABASE_ACCESS_DONE, changed, database=database
    )


def _tables(s: _Session) -> dict[str, str]:
    s.run(
        "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')"
    )
    return {str(t): str(o) for t, o in s.cur.fetchall()}


def _migrate(url: str, names: RoleNames, report: Report) -> None:
    from hotline import db, migrations

    target = with_role(url, names.owner)
    database = db.connect(target)
    try:
        before = migrations.check_not_newer(database)
        after = migrations.upgrade(database, target)
    finally:
        db.close()
    if before == 0:
        report.add(MSG_SCHEMA_CREATED, True, owner=names.owner, version=after)
    elif before < after:
        report.add(MSG_SCHEMA_UPGRADED, True, owner=names.owner, old=before, new=after)
    else:
        report.add(MSG_SCHEMA_CURRENT, False, version=after)


def _function_source(s: _Session, name: str) -> str | None:
    s.run(
        "SELECT pg_get_functiondef(p.oid) FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = 'public' AND p.proname = %s",
        (name,),
    )
    row = s.cur.fetchone()
    return str(row[0]) if row else None


def _install_functions(s: _Session, owner: str, items: dict[str, str], report: Report) -> None:
    with s.as_role(owner):
        for name, statement in items.items():
            before = _function_source(s, name)
            s.run(statement)
            changed = _function_source(s, name) != before
            report.add(
                MSG_FUNCTION_CREATED if changed else MSG_FUNCTION_CURRENT, changed, name=name
            )
            s.run(f"REVOKE ALL ON FUNCTION public.{name} FROM PUBLIC")


def _install_triggers(s: _Session, names: RoleNames, report: Report) -> None:
    tables = set(_tables(s))
    wanted = audit_sql.triggers(tables) | policies.triggers(tables)
    s.run(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND NOT t.tgisinternal"
    )
    present = {(str(t), str(n)) for t, n in s.cur.fetchall()}
    missing = [key for key in wanted if key not in present]
    with s.as_role(names.owner):
        for key in missing:
            s.run(wanted[key])
        # Triggers the owner disabled would be enabled again.
        for table in sorted({table for table, _ in wanted}):
            s.run(f"ALTER TABLE {_q(table)} ENABLE TRIGGER USER")
    if missing:
        report.add(MSG_TRIGGERS_CREATED, True, count=len(missing))
    else:
        report.add(MSG_TRIGGERS_CURRENT, False, count=len(wanted))


def _grant(s: _Session, names: RoleNames, report: Report) -> None:
    columns = grants.table_columns(s.cur)
    with s.as_role(names.owner):
        for code, group in names.groups().items():
            role = Role(code) if code in {r.value for r in Role} else None
            wanted = grants.expected(role, columns)
            if grants.actual(s.cur, group, columns) == wanted:
                report.add(MSG_GRANTS_CURRENT, False, role=group)
                continue
            for statement in grants.statements(group, role, columns):
                s.run(statement)
            report.add(MSG_GRANTS_SET, True, role=group)
        # The people functions read and write users (and only users).
        s.run(f'GRANT SELECT, INSERT, UPDATE ON "user" TO {_q(names.user_admin)}')
        s.run(f"GRANT USAGE ON SEQUENCE user_id_seq TO {_q(names.user_admin)}")
        all_groups = ", ".join(_q(g) for g in names.groups().values())
        s.run(f"GRANT EXECUTE ON FUNCTION public.hotline_audit_append TO {all_groups}")
        s.run(f"GRANT EXECUTE ON FUNCTION public.hotline_audit_hash TO {all_groups}")
        # The policies ask it as whoever reads (row-level security).
        s.run(f"GRANT EXECUTE ON FUNCTION public.hotline_my_department TO {all_groups}")
        s.run(f"GRANT EXECUTE ON FUNCTION public.hotline_my_user TO {all_groups}")
        s.run(f"GRANT EXECUTE ON FUNCTION public.hotline_assisted_cases TO {all_groups}")
        s.run(f"GRANT EXECUTE ON FUNCTION public.hotline_case_department TO {all_groups}")
        # Imports move the id sequences past the ids they wrote (forward only).
        s.run(f"GRANT EXECUTE ON FUNCTION public.hotline_sequence_past_ids TO {all_groups}")
        # A department's return (退回): its members only.
        s.run(f"GRANT EXECUTE ON FUNCTION public.hotline_return_case TO {_q(names.department)}")
        # The search index through its GIN index: the groups that read cases.
        searching = ", ".join(
            _q(group)
            for code, group in names.groups().items()
            if Action.CASE_VIEW in PERMISSIONS[Role(code)]
        )
        if searching:
            s.run(f"GRANT EXECUTE ON FUNCTION public.hotline_search_cases TO {searching}")
    with s.as_role(names.user_admin):
        admin = _q(names.group(Role.ADMIN))
        for name in people.functions(names):
            grantee = all_groups if name in people.EVERY_PERSON else admin
            s.run(f"GRANT EXECUTE ON FUNCTION public.{name} TO {grantee}")


def _install_policies(s: _Session, names: RoleNames, report: Report) -> None:
    """Row-level security (:mod:`hotline.pg.server.policies`): put back the generated set
    when any policy is missing, changed or added, or a table's row security is off."""
    wanted = policies.policies(names, set(_tables(s)))
    s.run(
        "SELECT c.relname, p.polname, coalesce(obj_description(p.oid, 'pg_policy'), '') "
        "FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
    )
    present = {(str(t), str(n)): str(d) for t, n, d in s.cur.fetchall()}
    s.run(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relrowsecurity"
    )
    secured = {str(row[0]) for row in s.cur.fetchall()}
    tables = sorted({p.table for p in wanted})
    if present == {(p.table, p.name): p.digest for p in wanted} and set(tables) <= secured:
        report.add(MSG_POLICIES_CURRENT, False, count=len(wanted))
        return
    with s.as_role(names.owner):
        for table, name in sorted(present):
            s.run(f"DROP POLICY {_q(name)} ON public.{_q(table)}")
        for policy in wanted:
            s.run(policy.sql)
            s.run(
                f"COMMENT ON POLICY {policy.name} ON public.{_q(policy.table)} IS %s",
                (policy.digest,),
            )
        for table in tables:
            s.run(f"ALTER TABLE public.{_q(table)} ENABLE ROW LEVEL SECURITY")
    report.add(MSG_POLICIES_SET, True, count=len(wanted))


def _check_settings(s: _Session, report: Report) -> None:
    encryption = s.one("SHOW password_encryption")
    if encryption == "scram-sha-256":
        report.add(MSG_SETTING_OK, False, name="password_encryption", value=encryption)
    else:
        report.add(
            MSG_SETTING_ADVICE, False, warning=True, name="password_encryption",
            value=encryption, advice="scram-sha-256",
        )  # fmt: skip
    s.run("SAVEPOINT settings")
    try:
        libraries = str(s.one("SHOW shared_preload_libraries") or "")
    except Exception:  # only superusers and pg_read_all_settings may read it
        s.run("ROLLBACK TO SAVEPOINT settings")
        report.add(MSG_SETTING_UNKNOWN, False, warning=True, name="shared_preload_libraries")
        return
    if "auth_delay" in [part.strip() for part in libraries.split(",")]:
        delay = s.one("SELECT current_setting('auth_delay.milliseconds', true)")
        report.add(MSG_SETTING_OK, False, name="auth_delay.milliseconds", value=delay)
    else:
        report.add(
            MSG_SETTING_ADVICE, False, warning=True, name="shared_preload_libraries",
            value=libraries or "''", advice="auth_delay, auth_delay.milliseconds = 500",
        )  # fmt: skip


def _first_admin(
    s: _Session, names: RoleNames, username: str, display_name: str, password: str, report: Report
) -> None:
    from hotline import clock
    from hotline.storable import visible_text

    login = names.login(username)
    has_role = bool(s.one("SELECT count(*) FROM pg_roles WHERE rolname = %s", (login,)))
    with s.as_role(names.owner):
        has_user = bool(s.one('SELECT count(*) FROM "user" WHERE username = %s', (username,)))
    if has_role and has_user:
        report.add(MSG_ADMIN_EXISTS, False, username=username, login=login)
        return
    if has_role or has_user:
        raise DatabaseRefused(MSG_ADMIN_HALF, login=login, username=username)
    name = visible_text(display_name)
    secret = people.verifier(s.conn, password, login)
    s.run(
        f"CREATE ROLE {_q(login)} LOGIN INHERIT PASSWORD %s IN ROLE {_q(names.group(Role.ADMIN))}",
        (secret,),
    )
    with s.as_role(names.owner):
        s.run(
            'INSERT INTO "user" (username, display_name, role, password_hash, active, '
            "failed_attempts, must_change_password, created_at) "
            "VALUES (%s, %s, %s, %s, true, 0, false, %s)",
            (username, name, Role.ADMIN.value, people.NO_APP_PASSWORD, clock.now()),
        )
    report.add(MSG_ADMIN_CREATED, True, username=username, login=login)


def _move_ownership(s: _Session, names: RoleNames, report: Report) -> None:
    """Give every table, sequence, view and function of ``public`` to the owner role (the
    single login that created them keeps none of them)."""
    s.run(
        "SELECT c.relkind, c.relname, pg_get_userbyid(c.relowner) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
        "AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) <> %s "
        "ORDER BY c.relkind DESC",  # tables first: their sequences follow them
        (names.owner,),
    )
    objects = s.cur.fetchall()
    s.run(
        "SELECT p.oid::regprocedure::text, pg_get_userbyid(p.proowner) FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' "
        "AND pg_get_userbyid(p.proowner) NOT IN (%s, %s)",
        (names.owner, names.user_admin),
    )
    functions = s.cur.fetchall()
    old = sorted({str(row[2]) for row in objects} | {str(row[1]) for row in functions})
    moved = 0
    for kind, name, _owner in objects:
        if (
            kind == "S"
            and s.one(
                "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass(%s)",
                ("public." + _q(name),),
            )
            == names.owner
        ):
            continue  # moved with its table
        what = {"S": "SEQUENCE", "v": "VIEW", "m": "MATERIALIZED VIEW"}.get(kind, "TABLE")
        s.run(f"ALTER {what} public.{_q(name)} OWNER TO {_q(names.owner)}")
        moved += 1
    for signature, _owner in functions:
        s.run(f"ALTER FUNCTION {signature} OWNER TO {_q(names.owner)}")
        moved += 1
    if moved:
        report.add(MSG_OWNERSHIP_MOVED, True, count=moved, old=", ".join(old), owner=names.owner)
    else:
        report.add(MSG_OWNERSHIP_CURRENT, False, owner=names.owner)


def one_time_password() -> str:
    """A password to read out or hand over on paper: letters, a hyphen, digits (no 0/O, 1/l/I)."""
    import secrets

    letters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
    digits = "23456789"
    return (
        "".join(secrets.choice(letters) for _ in range(6))
        + "-"
        + "".join(secrets.choice(digits) for _ in range(4))
    )


def _convert_people(s: _Session, names: RoleNames, report: Report) -> int:
    """A login role for every user of the single-login database, with a one-time password
    (printed once; the person must change it at first sign-in). Returns how many users."""
    with s.as_role(names.owner):
        s.run('SELECT id, username, display_name, role, active FROM "user" ORDER BY username')
        users = s.cur.fetchall()
    for user_id, username, display_name, role, active in users:
        login = names.login(username)
        group = names.group(role)
        exists = s.one("SELECT count(*) FROM pg_roles WHERE rolname = %s", (login,))
        if exists:
            if not s.one("SELECT pg_has_role(%s, %s, 'MEMBER')", (login, group)):
                report.add(MSG_PERSON_CLASH, False, warning=True, login=login, username=username)
            else:
                report.add(MSG_PERSON_EXISTS, False, username=username, login=login)
            continue
        password = one_time_password()
        secret = people.verifier(s.conn, password, login)
        can_log_in = "LOGIN" if active else "NOLOGIN"
        s.run(
            f"CREATE ROLE {_q(login)} {can_log_in} INHERIT PASSWORD %s IN ROLE {_q(group)}",
            (secret,),
        )
        with s.as_role(names.owner):
            s.run(
                'UPDATE "user" SET password_hash = %s, must_change_password = true, '
                "failed_attempts = 0, locked_until = NULL WHERE id = %s",
                (people.NO_APP_PASSWORD, user_id),
            )
        report.add(
            MSG_PERSON_CREATED, True, username=username, name=display_name, login=login,
            password=password,
        )  # fmt: skip
    return len(users)


def _verify_conversion(
    url: str, s: _Session, names: RoleNames, people_count: int, report: Report
) -> None:
    from hotline import audit, db

    foreign = sorted({o for o in _tables(s).values() if o != names.owner})
    if foreign:
        raise DatabaseRefused(
            MSG_FOREIGN_TABLES, database=report.database, found=", ".join(foreign)
        )
    missing = s.one(
        'SELECT count(*) FROM "user" u WHERE NOT EXISTS (SELECT 1 FROM pg_roles r '
        "WHERE r.rolname = %s || u.username)",
        (names.prefix + ".",),
    )
    if missing:
        raise DatabaseRefused(MSG_PEOPLE_MISSING, count=missing)
    db.connect(with_role(url, names.owner))
    try:
        result = audit.verify()
    finally:
        db.close()
    if result.ok:
        report.add(
            MSG_CONVERT_VERIFIED, False, owner=names.owner, people=people_count,
            count=result.checked,
        )  # fmt: skip
    else:
        report.add(MSG_CONVERT_AUDIT_BROKEN, False, warning=True, problem=audit.describe(result))


def check_admin(username: str, display_name: str, password: str) -> None:
    """The first administrator's details, checked before anything is done."""
    from hotline.auth import USERNAME, password_problems
    from hotline.permissions import MSG_NAME_CHARACTERS, has_unsafe_name_characters
    from hotline.storable import MSG_CONTROL, has_control_characters, is_blank, visible_text

    problems = Problems()
    if not USERNAME.match(username or ""):
        problems.add("username", N_("用户名须为 2–40 位字母、数字或 _ . -"))
    if is_blank(display_name):
        problems.add("display_name", N_("请填写姓名"))
    elif has_control_characters(display_name):
        problems.add("display_name", MSG_CONTROL)
    elif has_unsafe_name_characters(visible_text(display_name)):
        problems.add("display_name", MSG_NAME_CHARACTERS)
    else:
        problems.too_long("display_name", visible_text(display_name), 40)
    for message in password_problems(password or ""):
        problems.add("password", message)
    problems.raise_if_any()


def _has_admin(s: _Session, names: RoleNames) -> bool:
    return bool(
        s.one(
            "SELECT count(*) FROM pg_roles r WHERE r.rolcanlogin "
            "AND pg_has_role(r.oid, (SELECT oid FROM pg_roles WHERE rolname = %s), 'MEMBER')",
            (names.group(Role.ADMIN),),
        )
    )


def run(
    url: str,
    *,
    admin: tuple[str, str, str] | None = None,
    upgrade_only: bool = False,
    convert: bool = False,
) -> Report:
    """Set up (or, ``upgrade_only``, upgrade) the database of ``url``; ``admin`` is the first
    administrator's (user name, display name, password). ``convert``: a single-login database
    (tables of one login that everyone used) becomes owned by the owner role, its users login
    roles with one-time passwords; run again, it changes nothing."""
    if admin is not None and not upgrade_only:
        check_admin(*admin)
    with _connection(url) as conn:
        s = _Session(conn)
        database = str(s.one("SELECT current_database()"))
        names = RoleNames.for_database(database)
        report = Report(database, names.prefix)
        superuser, createrole, owns, encoding, user = _facts(s)
        if not (superuser or (createrole and owns)):
            raise DatabaseRefused(MSG_NOT_ALLOWED, user=user, database=database)
        if encoding != "UTF8":
            raise DatabaseRefused(MSG_ENCODING, database=database, encoding=encoding)
        tables = _tables(s)
        foreign = sorted({o for o in tables.values() if o != names.owner})
        if foreign and not convert:
            raise DatabaseRefused(MSG_FOREIGN_TABLES, database=database, found=", ".join(foreign))
        if convert and "schema_version" not in tables:
            raise DatabaseRefused(MSG_NOTHING_TO_CONVERT, database=database)
        if upgrade_only and not tables:
            raise DatabaseRefused(MSG_NOT_SET_UP, database=database)
        _ensure_roles(s, names, report, superuser)
        _restrict_database(s, names, database, report)
        if convert:
            _move_ownership(s, names, report)
        conn.commit()
        _migrate(url, names, report)
        _install_functions(s, names.owner, audit_sql.FUNCTIONS, report)
        _install_functions(s, names.owner, policies.functions(names), report)
        _install_functions(
            s, names.user_admin, {k: v for k, (_, v) in people.functions(names).items()}, report
        )
        _install_triggers(s, names, report)
        _grant(s, names, report)
        _install_policies(s, names, report)
        conn.commit()
        if admin is not None and not upgrade_only:
            _first_admin(s, names, *admin, report)
            conn.commit()
        if convert:
            count = _convert_people(s, names, report)
            conn.commit()
            _verify_conversion(url, s, names, count, report)
        if not _has_admin(s, names):
            report.add(MSG_NO_ADMIN, False, warning=True)
        _check_settings(s, report)
        if report.changed:
            with s.as_role(names.owner):
                s.run(
                    "SELECT public.hotline_audit_append(%s, 'server', %s, %s)",
                    (
                        "server.convert"
                        if convert
                        else ("server.upgrade" if upgrade_only else "server.setup"),
                        database,
                        json.dumps({"changed": sum(1 for step in report.steps if step.changed)}),
                    ),
                )
            conn.commit()
        return report
