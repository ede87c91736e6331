"""Shared fixtures: a fresh database per test, a cheap password hash, a frozen-able clock."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HOTLINE_LANG"] = "zh_CN"

from argon2 import PasswordHasher  # noqa: E402

from hotline import auth, db, i18n  # noqa: E402
from hotline.permissions import Actor  # noqa: E402
from tests import backends  # noqa: E402

# Real Argon2, cheaper parameters: the tests create many users.
auth.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOTLINE_HOME", str(home))
    monkeypatch.delenv("HOTLINE_DB", raising=False)
    i18n.set_locale("zh_CN")
    yield
    from hotline import access

    access.end_session()  # a department's sign-in restricts the lists of this process only


@pytest.fixture(params=backends.BACKENDS)
def database_target(request: pytest.FixtureRequest, tmp_path: Path):
    """Where a new database lives: an SQLite path, or a PostgreSQL URL (tests/backends.py);
    with ``HOTLINE_TEST_PG_PERSON=1`` a database set up by ``server setup`` (tests/pg_person.py)
    unless the test is marked ``single_login``."""
    from tests import pg_person

    single = request.node.get_closest_marker("single_login") is not None
    if pg_person.ENABLED and request.param == "postgresql" and not single:
        with pg_person.target() as target:
            yield target
        return
    with backends.fresh_target(request.param, tmp_path) as target:
        yield target


@pytest.fixture
def database(database_target: str, monkeypatch: pytest.MonkeyPatch):
    """A new, migrated database bound to the models: SQLite, and PostgreSQL when configured
    (set up per person with ``HOTLINE_TEST_PG_PERSON=1``: tests/pg_person.py)."""
    from tests import pg_person

    if pg_person.made_here(database_target):
        with pg_person.database(database_target, monkeypatch) as handle:
            yield handle
        return
    handle = db.open_database(database_target)
    yield handle
    db.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): about the SQLite file itself; the test has no PostgreSQL variant",
    )
    config.addinivalue_line(
        "markers",
        "single_login(reason): with HOTLINE_TEST_PG_PERSON=1 the PostgreSQL variant still runs on "
        "a database of one login (what it tests is the program's own rule there)",
    )
    if os.environ.get("CI") and not backends.PG_URL:
        raise pytest.UsageError(f"CI must test PostgreSQL too: {backends.SKIP_REASON}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A ``sqlite_only`` test is collected for SQLite alone (not run-and-skipped on PostgreSQL)."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        postgres = callspec is not None and callspec.params.get("database_target") == "postgresql"
        (dropped if postgres and item.get_closest_marker("sqlite_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_report_header(config: pytest.Config) -> str:
    if backends.PG_URL:
        return f"database backends: sqlite, postgresql ({db.describe(backends.PG_URL)})"
    return f"database backends: sqlite only; {backends.SKIP_REASON}"


def pytest_sessionfinish(session: pytest.Session) -> None:
    backends.shutdown()


@pytest.fixture
def cli_actor() -> Actor:
    return Actor.command_line("tester")


def sample_case(**overrides: object) -> dict[str, object]:
    """A valid intake record; override any key."""
    data: dict[str, object] = {
        "channel": "hotline",
        "kind": "complaint",
        "category": "approval",
        "urgency": "normal",
        "district": "410611",
        "enterprise": {"name": "鹤壁市华联商贸有限公司", "uscc": "91410600MA44XKQ35C"},
        "contact": {"name": "张伟", "phone": "13812345678"},
        "subject": "施工许可审批拖延",
        "description": "企业反映施工许可证申请已提交45个工作日仍未办理，窗口答复等待领导签字。",
        "request": "请尽快办理施工许可证",
    }
    data.update(overrides)
    return data
