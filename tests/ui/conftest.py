"""UI fixtures: a signed-in session on a fresh database, quick case rows, clean teardown."""

from __future__ import annotations

import datetime as dt
import threading
import traceback
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox

from hotline import auth, clock, contacts, db
from hotline.enums import Role
from hotline.models import Case, User
from hotline.permissions import Actor
from ui.common import gui_gc
from ui.common.session import Session
from ui.common.tasks import wait_for_tasks

ADMIN_PASSWORD = "Admin#2026"
USER_PASSWORD = "Seat#2026a"


@pytest.fixture(autouse=True, scope="session")
def _gc_on_the_gui_thread(qapp) -> None:
    """As the app does (ui.common.gui_gc): no collection on the background tasks' threads."""
    gui_gc.install(qapp)


@pytest.fixture(autouse=True)
def _drain_tasks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Background queries finish before the test's database goes away."""
    yield
    if "qapp" in request.fixturenames or "qtbot" in request.fixturenames:
        wait_for_tasks(10_000)


class GuiThreadSql:
    """The statements sent to the database from the GUI thread, each with where it came from."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, str]] = []

    def __bool__(self) -> bool:
        return bool(self.statements)

    def __repr__(self) -> str:
        return "\n\n".join(f"{sql}\n{where}" for sql, where in self.statements)

    def clear(self) -> None:
        self.statements.clear()


@pytest.fixture
def gui_thread_sql(database, monkeypatch: pytest.MonkeyPatch) -> GuiThreadSql:
    """Records every statement the open database runs on the GUI (main) thread from now on:
    a screen must read and write through ui.common.tasks, so a test asserts it stays empty."""
    recorded = GuiThreadSql()
    handle = db.current()
    execute_sql = handle.execute_sql

    def recording(sql, *args, **kwargs):  # type: ignore[no-untyped-def]
        if threading.current_thread() is threading.main_thread():
            where = "".join(traceback.format_stack(limit=12)[:-1])
            recorded.statements.append((str(sql), where))
        return execute_sql(sql, *args, **kwargs)

    monkeypatch.setattr(handle, "execute_sql", recording)
    return recorded


@pytest.fixture
def admin_user(database) -> User:
    return auth.create_first_admin("admin", "系统管理员", ADMIN_PASSWORD)


@pytest.fixture
def session(database, database_target: str, admin_user: User) -> Session:
    """The administrator, signed in."""
    return Session(admin_user, database_target)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every warning box shown, as (title, text), recorded instead of blocking."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text))
    )
    return shown


def make_user(username: str, role: Role, display_name: str = "") -> User:
    admin = Actor("管理员", Role.ADMIN, None)
    user = auth.create_user(
        admin, username, display_name or username, role.value, USER_PASSWORD, must_change=False
    )
    return User.get_by_id(user.id)


@pytest.fixture
def operator_session(database, database_target: str) -> Session:
    """An operator (坐席), signed in."""
    return Session(make_user("seat1", Role.OPERATOR, "坐席一"), database_target)


KINDS = ("complaint", "consultation", "help", "report", "suggestion")
CATEGORIES = ("approval", "enforcement", "policy", "arrears", "tax_fees")


def insert_cases(count: int, *, start: int = 1, **fields: object) -> list[int]:
    """``count`` plain case rows written straight to the table (fast; not in the search index).

    Row ``i`` was received ``i`` minutes before now, so higher ids are older; ``fields``
    override any column for every row.
    """
    now = clock.now()
    rows = []
    for i in range(start, start + count):
        row: dict[str, object] = {
            "case_no": f"T{now:%Y%m%d}{i:06d}",
            "channel": "hotline",
            "kind": KINDS[i % len(KINDS)],
            "category": CATEGORIES[i % len(CATEGORIES)],
            "urgency": "normal",
            "district": "410611",
            "contact_name_masked": "王*",  # the caller apart (hotline.contacts)
            "contact_phone_masked": "139****5678",
            "subject": f"测试案件 {i}",
            "description": "测试用的案件内容。",
            "status": "registered",
            "received_at": now - dt.timedelta(minutes=i),
            "registered_at": now,
            "registered_by_name": "测试",
            "version": 1,
            "updated_at": now,
        }
        row.update(fields)
        rows.append(row)
    ids: list[int] = []
    for chunk in range(0, len(rows), 500):
        Case.insert_many(rows[chunk : chunk + 500]).execute()
    ids = sorted(c.id for c in Case.select(Case.id).order_by(Case.id.desc()).limit(count))
    flags = {
        c.id: c.confidential
        for c in Case.select(Case.id, Case.confidential).where(Case.id.in_(ids))
    }
    contacts.insert_many(
        {"id": i, "confidential": flags[i], "contact_name": "王芳", "contact_phone": "13912345678"}
        for i in ids
    )
    return ids
