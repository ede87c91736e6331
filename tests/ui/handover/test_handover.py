"""The handover dialog: the previous note, the urgent and overdue cases, writing a new note."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline import cases, clock, handover, workflow
from hotline.enums import Role
from hotline.models import Department, HandoverNote
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import type_text
from ui.common.session import Session
from ui.handover.dialog import HandoverDialog

MONDAY = dt.datetime(2026, 11, 23, 9, 30)
NIGHT = Actor("夜班坐席", Role.OPERATOR, None)


@pytest.fixture
def shift(database, cli_actor):
    with clock.frozen(MONDAY):
        urgent = cases.register(cli_actor, sample_case(urgency="urgent", subject="停电影响生产"))
        late = cases.register(
            cli_actor, sample_case(enterprise={"name": "另一家公司"}, subject="退税逾期")
        )
        workflow.dispatch(cli_actor, late.id, Department.select().first().id)
        handover.write_note(NIGHT, "夜班：停电企业需早上回电")
    return urgent, late


def open_dialog(qtbot, session) -> HandoverDialog:
    dialog = HandoverDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=5000)
    return dialog


def test_shows_the_previous_note_and_what_to_watch(qtbot, shift, operator_session):
    urgent, late = shift
    with clock.frozen(MONDAY + dt.timedelta(days=30)):
        dialog = open_dialog(qtbot, operator_session)
    assert dialog.previous.text() == "夜班：停电企业需早上回电"
    assert "夜班坐席" in dialog.previous_meta.text()
    assert [dialog.urgent_model.case_id(r) for r in range(dialog.urgent_model.rowCount())] == [
        urgent.id
    ]
    assert [dialog.overdue_model.case_id(r) for r in range(dialog.overdue_model.rowCount())] == [
        late.id
    ]
    assert dialog.tabs.tabText(0) == "已超期（1）"


def test_writing_a_note_saves_it_and_shows_it_as_the_latest(qtbot, shift, operator_session):
    dialog = open_dialog(qtbot, operator_session)
    type_text(dialog.editor, "早班：华联商贸案件已回电")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.save()
    latest = HandoverNote.select().order_by(HandoverNote.id.desc()).first()
    assert latest.text == "早班：华联商贸案件已回电"
    assert latest.author_name == "坐席一"
    assert dialog.previous.text() == "早班：华联商贸案件已回电"
    assert dialog.editor.toPlainText() == ""


def test_an_empty_note_is_refused(qtbot, shift, operator_session):
    dialog = open_dialog(qtbot, operator_session)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.status.text() == "此项必填", timeout=5000)
    assert HandoverNote.select().count() == 1


def test_a_manager_reads_but_does_not_write(qtbot, shift, tmp_path):
    manager = Session(make_user("boss", Role.MANAGER), str(tmp_path / "db"))
    dialog = open_dialog(qtbot, manager)
    assert dialog.editor.isHidden() or not dialog.editor.isVisibleTo(dialog)
    dialog.save()
    assert HandoverNote.select().count() == 1


def test_earlier_notes_are_shown_newest_first(qtbot, shift, operator_session):
    lead = Actor("值班长乙", Role.SHIFT_LEAD, None)
    with clock.frozen(MONDAY + dt.timedelta(hours=8)):
        handover.write_note(lead, "早班：\n华联商贸已回电，满意")
    with clock.frozen(MONDAY + dt.timedelta(hours=16)):
        dialog = open_dialog(qtbot, operator_session)
    assert dialog.tabs.tabText(2) == "交接记录历史（2）"
    history = dialog.history
    rows = [
        [history.model.index(r, c).data() for c in range(3)]
        for r in range(history.model.rowCount())
    ]
    assert [row[1:] for row in rows] == [
        ["值班长乙", "早班："],
        ["夜班坐席", "夜班：停电企业需早上回电"],
    ]
    assert rows[0][0] > rows[1][0]  # newest first
    assert "华联商贸已回电，满意" in history.text.toPlainText()  # the selected note in full
    assert "值班长乙" in history.text.toPlainText()
    history.table.setCurrentIndex(history.model.index(1, 0))
    assert "夜班：停电企业需早上回电" in history.text.toPlainText()
    # A note written here joins the history at once.
    type_text(dialog.editor, "中班：无")
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.save()
    qtbot.waitUntil(lambda: dialog.tabs.tabText(2) == "交接记录历史（3）")
    assert history.model.index(0, 2).data() == "中班：无"
