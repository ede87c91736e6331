"""``main.py server setup URL`` / ``server upgrade URL``: what they print, idempotence, and
the databases they refuse to touch."""

from __future__ import annotations

import io
import json

import pytest

from hotline.cli import main
from hotline.enums import Role
from hotline.pg.server import setup
from hotline.pg.server.names import RoleNames, prefix_for
from tests import backends
from tests.hotline.pg_server.conftest import Centre, empty_database


def _roles(prefix: str) -> list[str]:
    with backends.server().conn.cursor() as cur:
        cur.execute("SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (prefix,))
        return sorted(row[0] for row in cur.fetchall())


def test_setup_prints_what_it_did_and_a_second_run_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with empty_database() as (url, names):
        code = main(
            ["server", "setup", url, "--admin", "chief", "--display-name", "总管理员",
             "--password-stdin"],
            stdin=io.StringIO("Chief-pass-1\n"),
        )  # fmt: skip
        out = capsys.readouterr().out
        assert code == 0, out
        assert f"+ 已创建角色 {names.owner}（表的属主，不能登录）" in out
        assert f"+ 已按权限表为角色组 {names.group(Role.OPERATOR)} 授权" in out
        assert f"+ 已创建管理员 chief（登录角色 {names.login('chief')}）" in out
        assert "Chief-pass-1" not in out
        assert main(["server", "setup", url]) == 0
        again = capsys.readouterr().out
        assert "已全部完成过，没有改动" in again
        assert "+ " not in again and "= 管理员" not in again
        assert main(["server", "upgrade", url, "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["changed"] is False and report["role_prefix"] == names.prefix
        # The owner cannot sign in; neither can any group.
        with backends.server().conn.cursor() as cur:
            cur.execute(
                "SELECT rolname FROM pg_roles WHERE rolcanlogin AND starts_with(rolname, %s)",
                (names.prefix,),
            )
            assert [row[0] for row in cur.fetchall()] == [names.login("chief")]


def test_the_password_is_never_an_argument() -> None:
    assert main(["server", "setup", "postgresql://x@127.0.0.1/db", "--password", "x"]) == 2


def test_a_single_login_database_is_refused_untouched(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Today's setup (tables owned by the one login): setup leaves it alone, naming convert."""
    from urllib.parse import urlparse

    with backends.server().fresh() as pg_url:
        prefix = prefix_for(urlparse(pg_url).path.lstrip("/"))
        assert main(["server", "setup", pg_url]) == 1
        assert "请用 server convert 转为按人登录（未做任何改动）" in capsys.readouterr().err
        assert _roles(prefix + "_") == []


def test_upgrade_of_a_database_never_set_up_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with empty_database() as (url, names):
        assert main(["server", "upgrade", url]) == 1
        assert "尚未用 server setup 设置" in capsys.readouterr().err
        assert _roles(names.prefix + "_") == []


def test_a_person_cannot_run_setup(centre: Centre, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["server", "upgrade", centre.login_url(Role.ADMIN)]) == 1
    assert "不能设置服务器" in capsys.readouterr().err


def test_role_names_are_per_database_and_fit_the_actor_column() -> None:
    assert prefix_for("hotline") == "hotline"
    long_a = prefix_for("hl_t_gw0_5bce_15047_cf07_1")
    long_b = prefix_for("hl_t_gw0_5bce_15047_cf07_2")
    assert long_a != long_b and len(long_a) <= 19
    assert prefix_for("Hotline") != prefix_for("hotline")
    names = RoleNames.for_database("热线" * 20)
    assert len(names.login("a" * 40)) <= 60
    assert names.group(Role.ADMIN).startswith(names.prefix + "_")


def test_a_workstation_url_acts_as_a_role_from_the_start() -> None:
    url = setup.with_role("postgresql://u@h:5432/db?sslmode=require", "db_owner")
    assert url == "postgresql://u@h:5432/db?sslmode=require&options=-c%20role%3Ddb_owner"


def test_a_workstation_never_migrates_a_shared_database(centre: Centre) -> None:
    """Signed in as a person, an older schema is refused with the command that upgrades it."""
    import psycopg2

    from hotline import db, migrations
    from hotline.errors import DatabaseRefused

    latest = migrations.latest_version()
    previous = sorted(m.version for m in migrations.MIGRATIONS)[-2]  # numbers may have gaps
    owner = psycopg2.connect(centre.owner_url())
    centre.opened.append(owner)
    with owner, owner.cursor() as cur:
        cur.execute("DELETE FROM schema_version WHERE version = %s", (latest,))
    with pytest.raises(DatabaseRefused, match="server upgrade") as refused:
        db.open_database(centre.login_url(Role.ADMIN))
    db.close()
    assert f"架构版本是 {previous}" in refused.value.text
    with owner.cursor() as cur:
        cur.execute("SELECT max(version) FROM schema_version")
        assert cur.fetchone()[0] == previous
    owner.rollback()
    # server upgrade brings it back (the migration is idempotent).
    report = setup.run(centre.url, upgrade_only=True)
    assert (setup.MSG_SCHEMA_UPGRADED, True) in [(s.message, s.changed) for s in report.steps]
    db.open_database(centre.login_url(Role.ADMIN))
    db.close()


@pytest.mark.parametrize(
    ("username", "display", "password", "field"),
    [
        ("chief", "总管理员", "short", "password"),
        ("总管", "总管理员", "Chief-pass-1", "username"),
        ("chief", "总\u202e管理员", "Chief-pass-1", "display_name"),
        ("chief", "  ", "Chief-pass-1", "display_name"),
    ],
)
def test_bad_administrator_details_are_refused_before_anything_is_done(
    capsys: pytest.CaptureFixture[str], username: str, display: str, password: str, field: str
) -> None:
    with empty_database() as (url, names):
        code = main(
            ["server", "setup", url, "--admin", username, "--display-name", display,
             "--password-stdin"],
            stdin=io.StringIO(password + "\n"),
        )  # fmt: skip
        assert code == 1
        assert f"  {field}: " in capsys.readouterr().err
        assert _roles(names.prefix + "_") == []
