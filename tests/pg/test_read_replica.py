"""Reports, search and exports read from a real streaming replica, and from the primary when
it is down (hotline/read_replica.py).

The module starts its own primary (initdb, pg_ctl) and a hot standby made from it with
``pg_basebackup -R``, as README's replica section does by hand.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline import cases, clock, db, read_replica
from hotline.db import write_transaction
from hotline.reports import gather
from hotline.reports.weeks import IsoWeek
from hotline.search import search
from hotline.transfer import exporting
from tests import backends
from tests.conftest import sample_case


@pytest.fixture(scope="module")
def pair(cluster: backends.Cluster) -> Iterator[tuple[str, str, backends.Cluster]]:
    """(primary URL, replica URL, the replica's server) of a migrated database ``hotline``."""
    cluster._run("psql", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
                 "-d", f"postgresql://postgres:{cluster.password}@127.0.0.1:{cluster.port}/postgres",
                 "-c", "CREATE DATABASE hotline")  # fmt: skip
    primary = cluster.url("hotline")
    db.open_database(primary)
    db.close()
    replica_dir = cluster.datadir.parent / "replica"
    backup = cluster._run(
        "pg_basebackup", "-d", cluster.url(), "-D", str(replica_dir), "-R", "-X", "stream",
        "--no-sync", check=False,
    )  # fmt: skip
    if backup.returncode != 0:
        pytest.fail(f"pg_basebackup failed: {backup.stderr.strip()[:500]}")
    standby = backends.Cluster(
        cluster.bindir, replica_dir, backends.free_port(), cluster.run_as, cluster.password
    )
    standby.start()
    try:
        yield primary, standby.url("hotline"), standby
    finally:
        standby.stop()


@pytest.fixture
def on_primary(pair: tuple[str, str, backends.Cluster]) -> Iterator[tuple[str, str]]:
    primary, replica, _ = pair
    db.open_database(primary)
    try:
        yield primary, replica
    finally:
        read_replica.reset()
        db.close()


def _in_recovery() -> bool:
    """Whether the queries of this moment go to a standby server."""
    return bool(db.current().execute_sql("SELECT pg_is_in_recovery()").fetchone()[0])


def _this_week_report(monkeypatch) -> tuple[int, bool]:  # type: ignore[no-untyped-def]
    """The received count of this week's report, and whether it was read on the standby."""
    seen: list[bool] = []
    real = gather._gather_period

    def spying(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(_in_recovery())
        return real(*args, **kwargs)

    monkeypatch.setattr(gather, "_gather_period", spying)
    report = gather.gather_weekly(IsoWeek.containing(clock.today()))
    return report.received_total, seen[-1]


def test_a_report_read_on_the_replica_sees_a_case_saved_on_the_primary(
    on_primary, monkeypatch, cli_actor
) -> None:
    read_replica.configure(on_primary[1])
    before, on_standby = _this_week_report(monkeypatch)
    assert on_standby
    saved = cases.register(cli_actor, sample_case(subject="副本同步测试案件"))
    assert backends.wait_until(lambda: _this_week_report(monkeypatch)[0] == before + 1)
    assert _this_week_report(monkeypatch)[1]
    # Search reads there too, and finds it once it has arrived.
    assert backends.wait_until(lambda: saved.id in search("副本同步测试").case_ids)


def test_nothing_about_to_be_written_is_read_there(on_primary) -> None:
    read_replica.configure(on_primary[1])
    assert read_replica.read(_in_recovery)
    with write_transaction():  # a write's own reads stay with the write
        assert not read_replica.read(_in_recovery)
    assert not _in_recovery()  # and outside read() everything is on the primary


def test_an_export_is_read_there_and_audited_on_the_primary(on_primary, cli_actor) -> None:
    read_replica.configure(on_primary[1])
    saved = cases.register(cli_actor, sample_case(subject="导出副本测试"))
    assert backends.wait_until(
        lambda: read_replica.read(lambda: db.current().execute_sql(
            'SELECT count(*) FROM "case" WHERE id = %s', (saved.id,)
        ).fetchone()[0]) == 1
    )  # fmt: skip
    out = io.StringIO()
    count = exporting.export(cli_actor, out, "json")
    assert count >= 1 and "导出副本测试" in out.getvalue()
    entry = (
        db.current()
        .execute_sql("SELECT action FROM audit_entry ORDER BY id DESC LIMIT 1")
        .fetchone()
    )
    assert entry[0] == "case.export"
    assert json.loads(out.getvalue())  # one whole document


def test_the_primary_answers_while_the_replica_is_down(
    on_primary, pair, monkeypatch, caplog, cli_actor
) -> None:
    _, _, standby = pair
    read_replica.configure(on_primary[1])
    standby.stop()
    try:
        caplog.set_level(logging.WARNING, logger="hotline.read_replica")
        before, on_standby = _this_week_report(monkeypatch)
        assert not on_standby
        assert any("reading from the primary" in r.getMessage() for r in caplog.records)
        cases.register(cli_actor, sample_case(subject="副本停机时的案件"))
        assert _this_week_report(monkeypatch) == (before + 1, False)  # at once: the primary
        assert search("副本停机时").case_ids
    finally:
        standby.start()
    # Tried again after the pause: reading there again.
    monkeypatch.setattr(read_replica, "_down_until", 0.0)
    assert backends.wait_until(lambda: read_replica.read(_in_recovery))


def test_a_replica_of_another_database_is_not_used(on_primary, caplog) -> None:
    if not backends.PG_URL:
        backends.unavailable(backends.SKIP_REASON)  # fails in CI, which has a server
    read_replica.configure(backends.PG_URL)  # a server, but not a copy of this one
    caplog.set_level(logging.WARNING, logger="hotline.read_replica")
    assert not read_replica.read(_in_recovery)
    assert any("is not a copy" in r.getMessage() for r in caplog.records)


def test_the_setting_comes_from_the_option_or_the_environment(monkeypatch) -> None:
    read_replica.reset()
    monkeypatch.setenv(read_replica.ENV, "postgresql://u@127.0.0.1:1/x")
    assert read_replica.url() == "postgresql://u@127.0.0.1:1/x"
    read_replica.configure(None)
    assert read_replica.url() is None
    read_replica.reset()
    from hotline.cli import runner

    args = runner.parse_args(["--read-db", "postgresql://u@127.0.0.1:2/y", "audit", "verify"])
    assert args.read_db == "postgresql://u@127.0.0.1:2/y"
    with pytest.raises(SystemExit):
        runner.parse_args(["--read-db", str(Path("/tmp/x.sqlite3")), "audit", "verify"])
