"""The case window's 附件 tab: adding with the file dialog (several files, progress), the image
and PDF previews, opening with the system viewer, saving, removal by a shift lead with a
reason (refused to an operator), a refused file named, a confidential case's documents."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from hotline import cases
from hotline.attachments import service
from hotline.enums import Role
from hotline.models import CaseEvent
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.hotline.attachments.files import ELF, big_pdf, sha256_of
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import type_text
from ui.case import attachments as attachments_module
from ui.case.attachment_preview import HAVE_PDF
from ui.case.detail import CaseDetailWindow
from ui.common.session import Session

OPERATOR = Actor("坐席甲", Role.OPERATOR, None)


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """Files handed to the system viewer, recorded instead of opened."""
    seen: list[Path] = []
    monkeypatch.setattr(attachments_module, "open_with_system", lambda p: seen.append(p) or True)
    return seen


def _photo(folder: Path) -> Path:
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e7d32"))
    path = folder / "现场照片.png"
    assert image.save(str(path), "PNG")
    return path


def _pdf(folder: Path) -> Path:
    from reportlab.pdfgen import canvas

    path = folder / "处罚决定书.pdf"
    page = canvas.Canvas(str(path))
    page.drawString(72, 720, "Decision 2026-118")
    page.showPage()
    page.save()
    return path


def _window(qtbot, session: Session, case_id: int) -> CaseDetailWindow:
    window = CaseDetailWindow(session, case_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.attachments.state is not None, timeout=5000)
    window.panels.setCurrentWidget(window.attachments)
    return window


def _add(qtbot, monkeypatch, panel, paths: list[Path]) -> None:
    monkeypatch.setattr(attachments_module, "choose_files", lambda parent: [str(p) for p in paths])
    with qtbot.waitSignal(panel.loaded, timeout=20_000):
        panel.add_button.click()


def test_files_chosen_in_the_dialog_are_added_and_previewed(
    qtbot, monkeypatch, operator_session, tmp_path, opened
) -> None:
    case = cases.register(OPERATOR, sample_case())
    window = _window(qtbot, operator_session, case.id)
    panel = window.attachments
    assert panel.preview.hint.text() == "此案件还没有附件"
    photo, pdf = _photo(tmp_path), _pdf(tmp_path)
    _add(qtbot, monkeypatch, panel, [pdf, photo])
    assert [item.name for item in panel.model.rows] == ["处罚决定书.pdf", "现场照片.png"]
    assert window.panels.tabText(window.panels.indexOf(panel)) == "附件（2）"
    # The newest is selected and its image shown, scaled to the preview.
    qtbot.waitUntil(panel.preview.showing_image, timeout=5000)
    shown = panel.preview.image.pixmap()
    assert not shown.isNull() and shown.width() <= panel.preview.width()
    if HAVE_PDF:
        with qtbot.waitSignal(panel.preview_shown, timeout=5000):
            panel.table.selectRow(0)
        assert panel.preview.showing_pdf() and panel.preview.pdf_document.pageCount() == 1
    panel.open_selected()
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=5000)
    assert opened[0].read_bytes() == pdf.read_bytes() and opened[0].stat().st_mode & 0o777 == 0o600
    actions = [e.action for e in CaseEvent.select().where(CaseEvent.case == case.id)]
    assert actions.count("attach") == 2 and "attachment_view" in actions


def test_a_big_file_shows_progress_and_saves_back_whole(
    qtbot, monkeypatch, operator_session, tmp_path
) -> None:
    case = cases.register(OPERATOR, sample_case())
    window = _window(qtbot, operator_session, case.id)
    panel = window.attachments
    path, digest = big_pdf(tmp_path, size=6 * 1024 * 1024)
    seen: list[int] = []
    panel._relay.moved.connect(seen.append)
    _add(qtbot, monkeypatch, panel, [path])
    assert seen and seen[-1] == 6 * 1024 * 1024 and seen == sorted(seen)
    assert panel.progress.isHidden()
    target = tmp_path / "saved" / "copy.pdf"
    target.parent.mkdir()
    with qtbot.waitSignal(panel.saved, timeout=10_000):
        panel.save_selected(str(target))
    assert sha256_of(target) == digest


def test_a_renamed_executable_is_refused_with_its_name(
    qtbot, monkeypatch, operator_session, tmp_path, warnings
) -> None:
    case = cases.register(OPERATOR, sample_case())
    window = _window(qtbot, operator_session, case.id)
    panel = window.attachments
    bad = tmp_path / "营业执照.pdf"
    bad.write_bytes(ELF)
    monkeypatch.setattr(attachments_module, "choose_files", lambda parent: [str(bad)])
    panel.add_button.click()
    qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    assert "营业执照.pdf" in warnings[0][1] and "可执行程序" in warnings[0][1]
    assert panel.model.rows == [] and panel.add_button.isEnabled()


def test_a_shift_lead_removes_with_a_reason_and_an_operator_cannot(
    qtbot, database, database_target, tmp_path
) -> None:
    case = cases.register(OPERATOR, sample_case())
    service.add(OPERATOR, case.id, _photo(tmp_path))
    operator = Session(make_user("seat2", Role.OPERATOR, "坐席二"), database_target)
    window = _window(qtbot, operator, case.id)
    panel = window.attachments
    qtbot.waitUntil(lambda: panel.selected() is not None, timeout=5000)
    assert panel.remove_button.isHidden() and panel.remove_selected() is None
    window.close()

    lead = Session(make_user("lead1", Role.SHIFT_LEAD, "值班长一"), database_target)
    window = _window(qtbot, lead, case.id)
    panel = window.attachments
    qtbot.waitUntil(lambda: panel.selected() is not None, timeout=5000)
    assert panel.remove_button.isVisible() and panel.remove_button.isEnabled()
    dialog = panel.remove_selected()
    assert dialog is not None
    dialog.submit()  # no reason: refused, the dialog stays
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=5000)
    assert "删除理由" in dialog.error.text() and dialog.isVisible()
    type_text(dialog.reason, "与本案无关")
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        dialog.submit()
    item = panel.model.rows[0]
    assert item.removed and item.removed_by == "值班长一" and item.removed_reason == "与本案无关"
    assert panel.model.data(panel.model.index(0, 0)) == "现场照片.png（已删除）"
    assert not panel.open_button.isEnabled() and not panel.remove_button.isEnabled()
    assert window.panels.tabText(window.panels.indexOf(panel)) == "附件（0）"


def test_a_confidential_case_lists_documents_it_will_not_open(
    qtbot, database, database_target
) -> None:
    case = cases.register(OPERATOR, sample_case(confidential=True))
    service.add(OPERATOR, case.id, io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "张伟的申请.pdf")
    manager = Session(make_user("chief", Role.MANAGER, "科长"), database_target)
    window = _window(qtbot, manager, case.id)
    panel = window.attachments
    qtbot.waitUntil(lambda: panel.selected() is not None, timeout=5000)
    assert "张伟" not in panel.model.rows[0].name
    assert "保密案件" in panel.summary.text()
    assert not panel.open_button.isEnabled() and not panel.add_button.isEnabled()
    assert "保密案件" in panel.preview.no_preview_text.text()
    assert panel.preview.open_button.isHidden()


def test_ctrl_shift_a_in_the_case_window_adds_attachments(
    qtbot, monkeypatch, operator_session, tmp_path
) -> None:
    from PySide6.QtCore import Qt

    case = cases.register(OPERATOR, sample_case())
    window = _window(qtbot, operator_session, case.id)
    window.panels.setCurrentWidget(window.timeline)
    photo = _photo(tmp_path)
    monkeypatch.setattr(attachments_module, "choose_files", lambda parent: [str(photo)])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    with qtbot.waitSignal(window.attachments.added, timeout=10_000):
        qtbot.keyClick(
            window,
            Qt.Key.Key_A,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert window.panels.currentWidget() is window.attachments


def test_reloading_the_list_keeps_the_preview_without_another_look(
    qtbot, monkeypatch, operator_session, tmp_path
) -> None:
    """A reload (another workstation's change) must not preview again: that would record
    another look, which other workstations would see, and so on."""
    from hotline.models import AuditEntry

    case = cases.register(OPERATOR, sample_case())
    service.add(OPERATOR, case.id, _photo(tmp_path))
    window = _window(qtbot, operator_session, case.id)
    panel = window.attachments
    qtbot.waitUntil(panel.preview.showing_image, timeout=5000)
    looks = AuditEntry.select().where(AuditEntry.action == "attachment.view").count()
    assert looks == 1
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.reload()
    assert panel.preview.showing_image() and panel.selected() is not None
    assert AuditEntry.select().where(AuditEntry.action == "attachment.view").count() == looks
