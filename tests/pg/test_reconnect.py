"""The server going away: a clear message, nothing half-saved, reconnecting by itself."""

from __future__ import annotations

import psycopg2
import pytest

from hotline import cases, db
from hotline.errors import DatabaseRefused, DatabaseUnavailable
from hotline.models import Case
from hotline.search import search
from tests import backends
from tests.conftest import sample_case


def _kill_my_connection() -> None:
    """What a server restart or a network cut does to the workstation's connection."""
    (pid,) = db.current().execute_sql("SELECT pg_backend_pid()").fetchone()
    backends.server().execute(f"SELECT pg_terminate_backend({int(pid)})")


def test_a_read_after_the_connection_died_reconnects_silently(pg_database, cli_actor) -> None:
    case = cases.register(cli_actor, sample_case(contact={"name": "王芳", "phone": "13812345678"}))
    _kill_my_connection()
    assert search("王芳").case_ids == [case.id]
    assert db.ping()


def test_a_transaction_cut_off_saves_nothing_and_says_so(pg_database, cli_actor) -> None:
    case = cases.register(cli_actor, sample_case(subject="原来的主题"))
    with pytest.raises(DatabaseUnavailable) as info, db.write_transaction():
        Case.update(subject="改过的主题").where(Case.id == case.id).execute()
        _kill_my_connection()
        Case.select().count()
    assert "自动重新连接" in info.value.text
    assert Case.get_by_id(case.id).subject == "原来的主题"  # rolled back; reconnected
    assert cases.register(cli_actor, sample_case()).id > case.id


def test_a_write_on_a_dead_connection_is_not_repeated_blindly(pg_database, cli_actor) -> None:
    case = cases.register(cli_actor, sample_case(subject="原来的主题"))
    _kill_my_connection()
    with pytest.raises(DatabaseUnavailable):
        db.current().execute_sql(
            'UPDATE "case" SET subject = %s WHERE id = %s', ("改过的主题", case.id)
        )
    assert Case.get_by_id(case.id).subject == "原来的主题"


def test_a_change_starting_on_a_dead_connection_goes_through(pg_database, cli_actor) -> None:
    """BEGIN is the first thing a change sends: it is safe to repeat on a new connection."""
    _kill_my_connection()
    case = cases.register(cli_actor, sample_case())
    assert Case.get_by_id(case.id).case_no == case.case_no


def test_a_commit_without_an_answer_says_the_outcome_is_unknown(
    pg_database, cli_actor, monkeypatch
) -> None:
    database = db.current()
    real_commit = type(database).__mro__[1].commit  # PostgresqlDatabase.commit

    def commit_after_a_cut(self) -> None:  # type: ignore[no-untyped-def]
        _kill_my_connection()
        real_commit(self)

    monkeypatch.setattr(type(database).__mro__[1], "commit", commit_after_a_cut)
    with pytest.raises(DatabaseUnavailable) as info:
        cases.register(cli_actor, sample_case(subject="提交时断线"))
    monkeypatch.undo()
    assert "无法确认" in info.value.text
    assert search("提交时断线").case_ids == []  # here the server had not committed it


def test_missing_database_is_named(pg_url: str) -> None:
    with pytest.raises(DatabaseRefused) as info:
        db.open_database(backends.with_database(pg_url, "hotline_no_such_database"))
    assert "hotline_no_such_database" in info.value.text and "README" in info.value.text


def test_server_stopped_and_started_again(cluster: backends.Cluster, cli_actor) -> None:
    admin = psycopg2.connect(cluster.url())
    admin.autocommit = True
    admin.cursor().execute("CREATE DATABASE hotline")
    admin.close()
    db.open_database(cluster.url("hotline"))
    try:
        saved = cases.register(cli_actor, sample_case(subject="停机前保存的案件"))
        cluster.stop()
        assert not db.ping()
        with pytest.raises(DatabaseUnavailable) as info:
            search("停机前")
        assert "暂时无法连接" in info.value.text
        with pytest.raises(DatabaseUnavailable):
            cases.register(cli_actor, sample_case(subject="停机时输入的案件"))
        cluster.start()
        assert backends.wait_until(db.ping)
        assert search("停机前").case_ids == [saved.id]
        assert search("停机时").case_ids == []  # the refused registration left nothing
        again = cases.register(cli_actor, sample_case(subject="停机时输入的案件"))
        assert search("停机时").case_ids == [again.id]
    finally:
        db.close()


def test_password_comes_from_the_password_file(
    cluster: backends.Cluster, tmp_path, monkeypatch
) -> None:
    url = cluster.url(password=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    with pytest.raises(DatabaseRefused) as info:
        db.open_database(url)
    assert "密码" in info.value.text and cluster.password not in info.value.text
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{cluster.port}:*:postgres:{cluster.password}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    db.open_database(url)
    db.close()


def test_wrong_password_is_refused_clearly(cluster: backends.Cluster) -> None:
    url = cluster.url().replace(cluster.password, "wrong-password")
    with pytest.raises(DatabaseRefused) as info:
        db.open_database(url)
    assert "用户名或密码不对" in info.value.text and "wrong-password" not in info.value.text


def test_background_workers_reconnect_after_losing_their_connections(
    qtbot, pg_database, cli_actor
) -> None:
    """The app's worker threads keep a connection for hours (ui/common/tasks.py): after the server
    dropped them, the next reads and changes on those threads go through."""
    from PySide6.QtCore import QObject

    from ui.common import tasks

    first = cases.register(cli_actor, sample_case(subject="断线之前"))
    owner = QObject()
    for _ in range(2 * tasks.WORKERS):  # every worker has opened its connection
        tasks.run_task(owner, lambda: Case.select().count())
    assert tasks.wait_for_tasks(10_000)
    mine, name = db.current().execute_sql("SELECT pg_backend_pid(), current_database()").fetchone()
    with backends.server().conn.cursor() as cur:  # what a server restart does to them
        cur.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> %s",
            (name, mine),
        )
        (dropped,) = cur.fetchone()
    assert dropped >= 1, "the workers had no connections to drop"
    results: list[object] = []
    failures: list[BaseException] = []
    for n in range(2 * tasks.WORKERS):
        tasks.run_task(
            owner,
            lambda n=n: (
                Case.select().count(),
                cases.register(cli_actor, sample_case(subject=f"断线之后{n}")).id,
            ),
            on_done=results.append,
            on_error=failures.append,
        )
    qtbot.waitUntil(lambda: len(results) + len(failures) == 2 * tasks.WORKERS, timeout=20_000)
    assert failures == []
    assert all(new_id > first.id for _count, new_id in results)
