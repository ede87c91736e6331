"""Start-up: the first administrator is signed in at once; a registration a crash left
unsaved is offered right after sign-in, not at the next Ctrl+N."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox

from hotline import drafts
from tests.conftest import sample_case
from tests.pg_person import PROGRAM_SIGN_IN
from tests.ui.typing_helpers import type_text
from ui import app as ui_app
from ui.intake import draft as intake_draft
from ui.intake.form import IntakeWindow
from ui.start.first_run_dialog import FirstRunDialog


@PROGRAM_SIGN_IN
def test_the_first_administrator_is_signed_in_without_signing_in_again(
    qtbot, database, database_target, monkeypatch
):
    def create(dialog: FirstRunDialog) -> int:
        qtbot.addWidget(dialog)
        type_text(dialog.password, "Admin#2026")
        type_text(dialog.confirm, "Admin#2026")
        dialog._create()  # the account is made off the GUI thread
        qtbot.waitUntil(lambda: dialog.admin is not None)
        return dialog.result()

    def no_second_sign_in(target: str) -> None:
        raise AssertionError("asked to sign in again")

    monkeypatch.setattr(FirstRunDialog, "exec", create)
    monkeypatch.setattr(ui_app, "sign_in", no_second_sign_in)
    session = ui_app.start_session(database_target)
    assert session is not None
    assert session.user.username == "admin" and session.user.role == "admin"
    assert session.db_target == database_target


@PROGRAM_SIGN_IN
def test_quitting_the_first_run_starts_nothing(qtbot, database, database_target, monkeypatch):
    monkeypatch.setattr(FirstRunDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert ui_app.start_session(database_target) is None


def _offer(window) -> QMessageBox | None:  # type: ignore[no-untyped-def]
    return window.findChild(QMessageBox, "draftOffer")


def test_a_crash_draft_is_offered_right_after_sign_in(qtbot, operator_session, monkeypatch):
    user = operator_session.user.username
    drafts.save(user, drafts.new_id(), {**sample_case(), "subject": "来电中断的登记"})
    shown: list[object] = []
    real = intake_draft.offer_drafts_at_start
    monkeypatch.setattr(intake_draft, "offer_drafts_at_start", lambda w: shown.append(w) or real(w))
    window = ui_app.show_main_window(operator_session)
    qtbot.addWidget(window)
    # Offered at start, before any Ctrl+N: right after the window's first paint.
    qtbot.waitUntil(lambda: shown == [window])
    qtbot.waitUntil(lambda: _offer(window) is not None and _offer(window).isVisible())
    box = _offer(window)
    assert "来电中断的登记" in box.text()
    restore = box.defaultButton()
    assert restore.text() == "恢复草稿"
    restore.click()
    intake = window.menu_actions.open_windows.get(("intake", 0))
    assert isinstance(intake, IntakeWindow)
    qtbot.addWidget(intake)
    assert intake.fields.subject.text() == "来电中断的登记"
    assert intake.restore_banner.isHidden()


def test_later_leaves_the_draft_for_the_next_new_case(qtbot, operator_session):
    from ui.main_window.window import MainWindow

    user = operator_session.user.username
    drafts.save(user, drafts.new_id(), {**sample_case(), "subject": "稍后再说"})
    window = MainWindow(operator_session)
    qtbot.addWidget(window)
    window.show()
    intake_draft.offer_drafts_at_start(window)
    qtbot.waitUntil(lambda: _offer(window) is not None and _offer(window).isVisible())
    later = next(b for b in _offer(window).buttons() if b.text() == "稍后")
    later.click()
    assert ("intake", 0) not in window.menu_actions.open_windows
    assert [d.data["subject"] for d in drafts.pending(user)] == ["稍后再说"]


def test_no_offer_without_a_draft(qtbot, session):
    from ui.main_window.window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    intake_draft.offer_drafts_at_start(window)
    from ui.common.tasks import wait_for_tasks

    wait_for_tasks()
    qtbot.waitUntil(lambda: not window.menu_actions.open_windows)
    assert _offer(window) is None
