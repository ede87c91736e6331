"""Start-up: what the main window loads and queries before its first page is shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import insert_cases
from ui.case_list import pages as case_pages
from ui.case_list.table_model import COL_DEADLINE, CaseTableModel
from ui.main_window.status_strip import StatusStrip
from ui.main_window.views_panel import ViewsPanel
from ui.main_window.window import MainWindow

ROOT = Path(__file__).resolve().parents[3]

# Modules the first page does not need: each is loaded when first used.
NOT_AT_START = [
    "psycopg2",  # SQLite users never need the PostgreSQL driver
    "psycopg",
    "argon2",  # needed to check a password, not to show the login dialog or the list
    "reportlab",
    "hotline.exemption.catalogue",
    "hotline.cases",
    "hotline.search",
    "hotline.backup",
]

SHOW_MAIN_WINDOW = r"""
import json, sys
from PySide6.QtCore import QTimer
from hotline import db
from hotline.models import User
from ui.app import create_application, show_main_window
from ui.common.session import Session

target, watched = sys.argv[1], json.loads(sys.argv[2])
app = create_application(sys.argv[:1])
db.open_database(target)
window = show_main_window(Session(User.get(), target))
found = []

def check():
    if window.model.rowCount() == 0:
        QTimer.singleShot(20, check)
        return
    found.extend(name for name in watched if name in sys.modules)
    app.quit()

check()
QTimer.singleShot(30_000, app.quit)
app.exec()
print("LOADED", json.dumps(found), window.model.rowCount())
"""


@pytest.mark.sqlite_only("the SQLite start-up must not load the PostgreSQL driver")
def test_main_window_shows_its_first_page_without_loading_what_it_does_not_need(
    session, database_target: str, tmp_path: Path
) -> None:
    insert_cases(3)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOTLINE_HOME=str(tmp_path / "home2"))
    out = subprocess.run(
        [sys.executable, "-c", SHOW_MAIN_WINDOW, database_target, json.dumps(NOT_AT_START)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("LOADED ")), None)
    assert line is not None, out.stderr[-3000:]
    loaded, rows = line.removeprefix("LOADED ").rsplit(" ", 1)
    assert rows == "3"
    assert json.loads(loaded) == []


def _record_page_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pages: list[int] = []
    read_page = case_pages.read_page

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        pages.append(1)
        return read_page(*args, **kwargs)

    monkeypatch.setattr(case_pages, "read_page", recording)
    return pages


def _record_count_starts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """For every count started (the list's total, the views', today's figures): how many rows
    the list showed then."""
    shown: list[int] = []

    def record(owner, name: str, rows) -> None:  # type: ignore[no-untyped-def]
        real = getattr(owner, name)

        def recording(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            shown.append(rows(self))
            return real(self, *args, **kwargs)

        monkeypatch.setattr(owner, name, recording)

    record(CaseTableModel, "_start_count", lambda model: model.rowCount())
    record(ViewsPanel, "refresh_counts", lambda panel: panel.window().model.rowCount())
    record(StatusStrip, "refresh", lambda strip: strip.window().model.rowCount())
    return shown


def _opened(qtbot, session) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.total is not None and "all" in window.views.model.counts)
    return window


def test_the_list_is_read_once_at_start_and_counted_after_its_first_page(
    qtbot, session, monkeypatch
) -> None:
    insert_cases(5)
    pages = _record_page_reads(monkeypatch)
    counted_with = _record_count_starts(monkeypatch)
    window = _opened(qtbot, session)
    assert len(pages) == 1
    assert len(counted_with) == 3 and min(counted_with) == 5  # none before the rows were in
    assert window.model.total == 5 and window.views.model.counts["all"] == 5
    qtbot.waitUntil(lambda: window.strip.figures is not None)


def test_a_remembered_sort_order_is_applied_with_the_one_first_query(
    qtbot, session, monkeypatch
) -> None:
    insert_cases(5)
    first = _opened(qtbot, session)
    first.table.horizontalHeader().setSortIndicator(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not first.model.loading)
    assert first.model.sort_column == COL_DEADLINE
    first.close()  # remembers the layout, sort order included
    pages = _record_page_reads(monkeypatch)
    second = _opened(qtbot, session)
    assert len(pages) == 1
    assert second.model.sort_column == COL_DEADLINE
    assert not second.model.descending


def test_the_application_carries_the_programs_icon_version_and_desktop_entry(qapp) -> None:
    from hotline import __version__, paths
    from ui.app import create_application

    app = create_application([])
    assert app is qapp
    assert paths.ICON.is_file()
    icon = app.windowIcon()
    assert not icon.isNull()
    assert not icon.pixmap(48, 48).isNull()
    assert app.applicationVersion() == __version__
    assert app.desktopFileName() == "hotline-desk"
