"""The search index under row-level security (issue 15, docs/server-security.md 4c): the
function ``hotline_search_cases`` runs as the owner so that the GIN index is used, and returns
only what the caller's own role may read. Tried as each person's login role with psycopg2
directly (no program in between), and through the program beside the query it asked before.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg2
import psycopg2.errors
import pytest

from hotline import access, cases, db, workflow
from hotline.enums import Role
from hotline.models import database_proxy
from hotline.permissions import Action, Actor
from hotline.pg import search as pg_search
from hotline.pg.server import setup
from hotline.search import search
from hotline.search.query import parse_query
from tests.conftest import sample_case
from tests.hotline.pg_server.conftest import Centre, department_people, sign_in_person
from tests.hotline.pg_server.refusals import allowed, refused, rows
from tests.hotline.pg_server.test_row_security import _department

CLI = Actor.command_line("search-test")
SECRET_CALLER = "欧阳娜娜"  # a confidential caller's name: only in the private index
SEARCH = "SELECT f.id FROM hotline_search_cases(%s::text[], %s, %s, %s) AS f(id)"


@dataclass(frozen=True)
class Made:
    mine: list[int]  # department 1 (dept_a)
    theirs: list[int]  # department 2 (dept_b)
    assisted: int  # department 2 leads, department 1 assists
    secret: int  # confidential, department 1, SECRET_CALLER
    secret_theirs: int  # confidential, department 2, SECRET_CALLER
    undispatched: list[int]


def _tokens(text: str) -> list[str]:
    return pg_search.query_tokens(parse_query(text))


def _jump(step: int) -> None:
    """The next case's id ``step`` higher (cases spread over many windows of the function)."""
    database_proxy.obj.execute_sql(
        "SELECT setval('case_id_seq', (SELECT max(id) FROM \"case\") + %s)", (step,)
    )


def _make(centre: Centre) -> Made:
    """A mix of cases by the program acting as the table owner, spread over ids 1 … ~90,000
    so that the function walks several of its windows (2,000, 8,000, 32,000 …)."""
    db.connect(centre.owner_url())
    try:

        def new(department: int | None, assisting: tuple[int, ...] = (), **fields: object) -> int:
            case = cases.register(CLI, sample_case(**fields))
            if department is not None:
                workflow.dispatch(CLI, case.id, department, assisting=list(assisting))
            return int(case.id)

        mine, theirs, undispatched = [], [], []
        subjects = ["施工许可审批拖延", "消防验收许可拖延", "税务发票申领困难", "许可证到期未续"]
        for round_, step in enumerate((0, 3_000, 9_000, 40_000, 35_000)):
            if step:
                _jump(step)
            for i, subject in enumerate(subjects):
                mine.append(new(1, subject=f"{subject}{round_}{i}"))
                theirs.append(new(2, subject=f"{subject}{round_}{i}"))
            undispatched.append(new(None, subject=f"许可咨询{round_}"))
        confidential = {
            "confidential": True,
            "contact": {"name": SECRET_CALLER, "phone": "13900001111"},
        }
        secret = new(1, subject="许可被刁难", **confidential)
        secret_theirs = new(2, subject="许可被刁难", **confidential)
        assisted = new(2, assisting=(1,), subject="联合审批许可拖延")
        _jump(2_500)
        mine.append(new(1, subject="最新的许可案件"))
        theirs.append(new(2, subject="最新的许可案件"))
        return Made(mine, theirs, assisted, secret, secret_theirs, undispatched)
    finally:
        access.end_session()
        db.close()


@pytest.fixture
def made(centre: Centre) -> Iterator[Made]:
    department_people(centre)  # dept_a in department 1, dept_b in department 2
    yield _make(centre)
    access.end_session()
    db.close()


def _found(conn: psycopg2.extensions.connection, text: str, *, private: bool = False,
           before: int | None = None, limit: int = 1000) -> list[int]:  # fmt: skip
    with conn.cursor() as cur:
        cur.execute(SEARCH, (_tokens(text), before, limit, private))
        found = [int(row[0]) for row in cur.fetchall()]
    conn.commit()
    return found


# -- the function asked directly, as each person's own role ----------------------------------


def test_the_function_gives_a_department_only_what_it_may_read(centre: Centre, made: Made) -> None:
    dept_a = _department(centre)
    found = _found(dept_a, "许可")
    assert set(found) == {*made.mine, made.secret, made.assisted}  # every text says 许可
    assert not set(found) & {*made.theirs, made.secret_theirs, *made.undispatched}
    assert found == sorted(found, reverse=True)
    # Another department's case by its own words, by its number, page by page: never.
    assert _found(dept_a, "联合审批") == [made.assisted]  # led by dept_b, assisted (会办)
    number = _case_no(centre, made.theirs[0])
    assert _found(dept_a, number) == []
    assert _found(_department(centre, "dept_b"), number) == [made.theirs[0]]
    pages: list[int] = []
    before = None
    while page := _found(dept_a, "许可", before=before, limit=3):
        pages += page
        before = page[-1]
    assert pages == found
    # The same as the index itself gives the role under row-level security (slowly).
    with dept_a.cursor() as cur:
        cur.execute(
            "SELECT case_id FROM case_search WHERE tokens @> %s::text[] ORDER BY case_id DESC",
            (_tokens("许可"),),
        )
        assert [row[0] for row in cur.fetchall()] == found
    dept_a.commit()


def test_the_private_index_only_with_the_right(centre: Centre, made: Made) -> None:
    """A confidential caller's real name is only in the private index: an operator (who may
    see confidential callers) finds both such cases by it; a manager and a department are
    refused the private index, as their SELECT of its tokens is; without it, nobody finds
    them by the name."""
    operator = centre.as_role(Role.OPERATOR)
    assert _found(operator, SECRET_CALLER, private=True) == [made.secret_theirs, made.secret]
    for conn in (operator, centre.as_role(Role.MANAGER), _department(centre)):
        assert _found(conn, SECRET_CALLER) == []  # the shared index holds the masked name
    for conn in (centre.as_role(Role.MANAGER), _department(centre)):
        refused(conn, SEARCH, (_tokens(SECRET_CALLER), None, 50, True))
        refused(conn, "SELECT tokens FROM case_private_search")


def test_a_role_without_a_group_or_the_search_right_is_refused(centre: Centre, made: Made) -> None:
    """EXECUTE is granted to the groups that read cases only, not to PUBLIC: a login of no
    group is refused by PostgreSQL; the function itself refuses a caller who may not read
    the index (here a role given EXECUTE by hand)."""
    server = psycopg2.connect(centre.url)
    centre.opened.append(server)
    server.autocommit = True
    stranger = f"{centre.names.prefix}.stranger"
    with server.cursor() as cur:
        cur.execute(f"CREATE ROLE \"{stranger}\" LOGIN PASSWORD 'Stranger-pass-1'")
        cur.execute(f'GRANT CONNECT ON DATABASE "{_database(centre)}" TO "{stranger}"')
        cur.execute(f'GRANT USAGE ON SCHEMA public TO "{stranger}"')
    conn = centre.connect(stranger, "Stranger-pass-1")
    assert "hotline_search_cases" in refused(conn, SEARCH, (_tokens("许可"), None, 50, False))
    owner = psycopg2.connect(centre.owner_url())
    centre.opened.append(owner)
    allowed(owner, f'GRANT EXECUTE ON FUNCTION hotline_search_cases TO "{stranger}"')
    assert "case_search" in refused(conn, SEARCH, (_tokens("许可"), None, 50, False))


def test_setup_grants_it_and_upgrade_puts_it_back(centre: Centre, made: Made) -> None:
    owner = psycopg2.connect(centre.owner_url())
    centre.opened.append(owner)
    allowed(
        owner,
        "CREATE OR REPLACE FUNCTION hotline_search_cases(p_tokens text[], p_before integer, "
        "p_limit integer, p_private boolean) RETURNS SETOF integer LANGUAGE sql "
        "SECURITY DEFINER AS 'SELECT id FROM \"case\"'",
    )
    assert set(made.theirs) <= set(_found(_department(centre), "许可"))  # the tampered one
    setup.run(centre.url, upgrade_only=True)
    assert not set(made.theirs) & set(_found(_department(centre), "许可"))
    allowed(owner, "DROP FUNCTION hotline_search_cases")
    setup.run(centre.url, upgrade_only=True)
    assert made.mine[0] in _found(_department(centre), "许可")  # made and granted again


# -- through the program ---------------------------------------------------------------------


WORDS = ["许可", "拖延", "许可 拖延", "审批", "税务发票", "案", "刁难", SECRET_CALLER, "最新",
         "鹤壁市华联", "91410600MA44XKQ35C", "5678", "联合审批"]  # fmt: skip


def _every_page(text: str, reveal: bool, limit: int) -> list[int]:
    out: list[int] = []
    before = None
    while True:
        page = search(text, limit=limit, before_id=before, reveal_confidential=reveal)
        out += page.case_ids
        if page.next_before is None:
            return out
        before = page.next_before


@pytest.mark.parametrize("username", ["boss1", "dept_a", "op1"])
def test_the_program_finds_what_it_found_before(
    centre: Centre, made: Made, username: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same ids in the same order, page by page, through the function as through the
    query the program asked before (which row-level security makes slow)."""
    actor = sign_in_person(centre, username)
    access.begin_session(actor)
    reveal = actor.can(Action.CASE_VIEW_CONFIDENTIAL)
    # Only a department's rule needs the function; the centre's policy lets every row through
    # and the index is asked directly. Either way the same ids:
    uses = pg_search.uses_search_function(database_proxy.obj)
    assert uses == (actor.role is Role.DEPARTMENT)
    monkeypatch.setattr(pg_search, "uses_search_function", lambda _db: True)
    new = {(w, limit): _every_page(w, reveal, limit) for w in WORDS for limit in (2, 50)}
    monkeypatch.setattr(pg_search, "uses_search_function", lambda _db: False)
    old = {(w, limit): _every_page(w, reveal, limit) for w in WORDS for limit in (2, 50)}
    assert new == old
    assert new[("许可", 50)]  # not an empty comparison
    if actor.role is Role.DEPARTMENT:
        assert made.assisted in new[("联合审批", 50)]  # the case it assists (会办)
        assert not set(new[("许可", 50)]) & set(made.theirs)
    if reveal:
        assert new[(SECRET_CALLER, 50)] == [made.secret_theirs, made.secret]
    else:
        assert new[(SECRET_CALLER, 50)] == []


def test_the_owner_asks_the_index_directly(centre: Centre, made: Made) -> None:
    """No row security for the table owner (the server's administrator, ``migrate-to``): the
    query is asked as before; a person's connection goes through the function."""
    db.connect(centre.owner_url())
    try:
        assert not pg_search.uses_search_function(database_proxy.obj)
        assert made.theirs[0] in search("许可", limit=1000).case_ids
    finally:
        db.close()


@pytest.mark.parametrize("username", ["boss1", "dept_a"])
def test_a_login_without_the_private_index_asks_the_shared_one(
    centre: Centre, made: Made, username: str, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """The command line acts as an administrator where the server is the gate, so it asks
    for the private index: a manager's or a department's login searches the shared one (it
    stopped with 'permission denied for table case_private_search')."""
    import io

    from hotline.cli import main

    for name in ("PGPASSWORD", "PGUSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    sign_in_person(centre, username)  # a password of their own first, where one must be chosen
    access.end_session()
    db.close()
    password = centre.passwords[centre.names.login(username)]
    out = io.StringIO()
    args = ["--db", _bare(centre), "--user", username, "--sign-in-stdin", "--json"]
    code = main([*args, "search", "许可"], stdin=io.StringIO(password + "\n"), stdout=out,
                stderr=out)  # fmt: skip
    assert code == 0, out.getvalue()
    shown = out.getvalue()
    hidden = made.theirs if username == "dept_a" else []
    assert _case_no(centre, made.mine[0]) in shown
    assert not any(_case_no(centre, case_id) in shown for case_id in hidden)
    out = io.StringIO()
    code = main([*args, "search", SECRET_CALLER], stdin=io.StringIO(password + "\n"),
                stdout=out, stderr=out)  # fmt: skip
    assert code == 0, out.getvalue()
    assert _case_no(centre, made.secret) not in out.getvalue()


def _bare(centre: Centre) -> str:
    """The server's URL without a login (the command line signs in as ``--user``)."""
    from urllib.parse import urlparse

    parsed = urlparse(centre.url)
    return f"postgresql://{parsed.hostname}:{parsed.port}{parsed.path}"


def _case_no(centre: Centre, case_id: int) -> str:
    owner = psycopg2.connect(centre.owner_url())
    centre.opened.append(owner)
    with owner.cursor() as cur:
        cur.execute('SELECT case_no FROM "case" WHERE id = %s', (case_id,))
        return str(cur.fetchone()[0])


def _database(centre: Centre) -> str:
    from urllib.parse import urlparse

    return urlparse(centre.url).path.lstrip("/")


@pytest.mark.parametrize("limit", [1, 50, 200, 1000])
def test_a_centre_role_takes_the_programs_windows(centre: Centre, limit: int) -> None:
    """A role that reads every row gets the program's windows (hotline.pg.search.next_window)
    in the function: a word in one row of ten, one in a few old rows, one in none; whatever
    the windows, the newest ``limit`` matches below ``before``, as a plain SELECT finds them."""
    owner = psycopg2.connect(centre.owner_url())
    centre.opened.append(owner)
    allowed(
        owner,
        "INSERT INTO case_search (case_id, tokens) SELECT g, CASE "
        "WHEN g %% 10 = 0 THEN '{甲乙,乙}' WHEN g %% 9973 = 0 THEN '{丙丁,丁}' ELSE '{戊}' END::text[] "
        "FROM generate_series(100000, 140000) AS g",
    )
    operator = centre.as_role(Role.OPERATOR)
    for tokens in (["甲乙"], ["丙丁"], ["己庚"]):
        for before in (None, 139_990, 120_001, 100_050):
            with operator.cursor() as cur:
                cur.execute(SEARCH, (tokens, before, limit, False))
                got = [int(row[0]) for row in cur.fetchall()]
            operator.commit()
            expected = [
                int(row[0])
                for row in rows(
                    owner,
                    "SELECT case_id FROM case_search WHERE tokens @> %s::text[] "
                    "AND case_id < coalesce(%s, 2147483647) ORDER BY case_id DESC LIMIT %s",
                    (tokens, before, limit),
                )
            ]
            assert got == expected, (tokens, before)
