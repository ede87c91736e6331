"""The intake window on a database that refuses the write (full disk, read-only server):
a message names the problem, the form keeps every typed value and the draft stays."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode, urlparse

from PySide6.QtWidgets import QMessageBox

from hotline import db, drafts
from hotline.models import Case
from tests import small_disk
from tests.conftest import sample_case
from ui.common.tasks import wait_for_tasks
from ui.intake.form import IntakeWindow

BIG = "企业反映审批拖延。" * 800


def _refuse_writes(target: str, monkeypatch) -> str:
    """Reopen ``target`` so that every connection (the workers' too) is refused writes:
    SQLite may not grow the file by a page (a full disk), PostgreSQL is read-only."""
    db.close()
    if db.is_url(target):
        parsed = urlparse(target)
        query = dict(parse_qsl(parsed.query))
        query["options"] = (
            query.get("options", "") + " -cdefault_transaction_read_only=on"
        ).strip()
        db.connect(parsed._replace(query=urlencode(query, quote_via=quote)).geturl())  # no +
        return "只读"
    handle = db.connect(target)
    (pages,) = handle.execute_sql("PRAGMA page_count").fetchone()
    db.close()
    monkeypatch.setitem(db.SQLITE_PRAGMAS, "max_page_count", pages)
    db.connect(target)  # a new database object: the workers drop their old connections
    return "磁盘已满"


def test_a_refused_save_names_the_problem_and_keeps_the_form_and_the_draft(
    qtbot, operator_session, database_target, monkeypatch
):
    window = IntakeWindow(operator_session)
    qtbot.addWidget(window)
    window.show()
    user = operator_session.user.username
    window.fields.set_values(sample_case(description=BIG))
    typed = window.fields.values()
    window.keeper.mark_dirty()
    window.keeper.save_if_dirty()
    qtbot.waitUntil(lambda: bool(drafts.pending(user)), timeout=5000)
    problem = _refuse_writes(database_target, monkeypatch)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text))
    )

    window.save()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)

    ((_title, text),) = shown
    assert problem in text
    assert "cannot rollback" not in text and "意外" not in text
    assert window.fields.values() == typed  # every typed value is still there
    assert window.save_button.isEnabled()
    wait_for_tasks()
    (draft,) = drafts.pending(user)
    assert draft.data["description"] == BIG
    monkeypatch.delitem(db.SQLITE_PRAGMAS, "max_page_count", raising=False)
    db.close()
    db.connect(database_target)
    assert Case.select().count() == 0


def test_a_draft_the_full_disk_refuses_is_said_and_the_last_one_kept(
    qtbot, operator_session, tmp_path, monkeypatch
):
    with small_disk.mounted(tmp_path / "disk", size="1m") as disk:
        monkeypatch.setenv("HOTLINE_HOME", str(disk))
        window = IntakeWindow(operator_session)
        qtbot.addWidget(window)
        window.show()
        user = operator_session.user.username
        window.fields.set_values(sample_case(subject="第一稿"))
        window.keeper.mark_dirty()
        window.keeper.save_if_dirty()
        qtbot.waitUntil(lambda: bool(drafts.pending(user)), timeout=5000)
        small_disk.fill(disk)

        window.fields.set_values(sample_case(subject="第二稿", description=BIG))
        window.keeper.mark_dirty()
        with qtbot.waitSignal(window.keeper.failed, timeout=5000):
            window.keeper.save_if_dirty()

        assert "草稿保存失败" in window.draft_status.text()
        assert "磁盘已满" in window.draft_status.text()
        assert window.fields.subject.text() == "第二稿"
        (draft,) = drafts.pending(user)
        assert draft.data["subject"] == "第一稿"  # the last draft written is whole
        wait_for_tasks()
