"""The PDF preview: made off the GUI thread, shown with QtPdf, saved, opened, printed."""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QCheckBox, QFileDialog

from hotline import cases, workflow
from hotline.errors import HotlineError
from hotline.reports import service
from tests.conftest import sample_case
from tests.hotline.reports.conftest import pdf_pages, squeeze
from ui.reports import actions as report_actions
from ui.reports import output as report_output
from ui.reports import preview as report_preview
from ui.reports.preview import ReportJob, ReportPreviewWindow
from ui.reports.printing import pages_to_print
from ui.reports.week_dialog import WeeklyReportDialog

NOTE = "内部沟通：审批局称材料缺项"
WAIT_MS = 30_000


@pytest.fixture
def case_no(database, cli_actor) -> str:
    case = cases.register(cli_actor, sample_case(confidential=True))
    workflow.add_note(cli_actor, case.id, NOTE, internal=True)
    return case.case_no


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error boxes shown, instead of modal message boxes."""
    shown: list[str] = []
    monkeypatch.setattr(
        report_preview, "show_error", lambda parent, exc, title=None: shown.append(str(exc))
    )
    return shown


def _ready(qtbot, window: ReportPreviewWindow) -> ReportPreviewWindow:
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.generated, timeout=WAIT_MS):
        pass
    return window


def _text(path: Path | str) -> str:
    return squeeze("".join(pdf_pages(Path(path))))


def test_the_case_pdf_is_made_in_the_background_then_shown(qtbot, session, case_no) -> None:
    window = report_actions.open_case_pdf(None, session, case_no)
    assert window is not None
    assert window.is_busy() and not window.save_action.isEnabled()
    assert "正在生成" in window.busy.label.text()
    _ready(qtbot, window)
    assert not window.is_busy()
    assert window.document.pageCount() >= 1
    assert window.page_label.text() == f"第 1 页 / 共 {window.document.pageCount()} 页"
    assert all(a.isEnabled() for a in (window.print_action, window.save_action, window.open_action))
    text = _text(window.pdf_path)
    assert case_no in text and NOTE in text
    assert "13812345678" not in text and "138****5678" in text
    assert case_no in window.windowTitle()


def test_the_outward_copy_leaves_internal_notes_out(qtbot, session, case_no) -> None:
    window = _ready(qtbot, report_actions.open_case_pdf(None, session, case_no))
    first = window.pdf_path
    outward = window.findChild(QCheckBox, "outwardCopy")
    with qtbot.waitSignal(window.generated, timeout=WAIT_MS):
        outward.setChecked(True)
    assert window.pdf_path != first and not first.exists()
    assert NOTE not in _text(window.pdf_path)
    assert "对外版" in window.windowTitle()


def test_generation_runs_off_the_gui_thread(qtbot, session, case_no) -> None:
    threads: list[threading.Thread] = []

    def make(path: Path) -> object:
        threads.append(threading.current_thread())
        return service.make_case_pdf(session.actor, case_no, path)

    _ready(qtbot, ReportPreviewWindow(ReportJob("t", "t.pdf", make)))
    assert threads and threads[0] is not threading.main_thread()


def test_a_failure_is_shown_in_the_window(qtbot, errors) -> None:
    def make(path: Path) -> object:
        raise HotlineError("没有编号为 {case_no} 的案件", case_no="YS1")

    window = ReportPreviewWindow(ReportJob("t", "t.pdf", make))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.failed, timeout=WAIT_MS) as blocker:
        pass
    assert "YS1" in blocker.args[0] and "YS1" in window.busy.label.text()
    assert errors and not window.save_action.isEnabled()


def test_save_as_copies_the_pdf_and_remembers_the_folder(
    qtbot, session, case_no, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _ready(qtbot, report_actions.open_case_pdf(None, session, case_no))
    asked: list[str] = []

    def pick(parent, title, suggested, filters):
        asked.append(suggested)
        return str(tmp_path / "摘要"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", pick)
    with qtbot.waitSignal(window.saved) as blocker:
        window.save_action.trigger()  # Ctrl+S
    saved = tmp_path / "摘要.pdf"
    assert blocker.args == [str(saved)]
    assert asked[0].endswith(service.case_file_name(case_no))
    assert case_no in _text(saved)
    assert str(saved) in window.status_bar.currentMessage()
    window.save_as()
    assert asked[1] == str(tmp_path / service.case_file_name(case_no))


def test_a_copy_that_cannot_be_saved_is_reported(qtbot, session, case_no, tmp_path, errors) -> None:
    window = _ready(qtbot, report_actions.open_case_pdf(None, session, case_no))
    assert window.save_as(tmp_path / "missing" / "x.pdf") is None
    assert errors and "无法写入" in errors[0]


def test_open_in_the_system_viewer(qtbot, session, case_no, monkeypatch) -> None:
    window = _ready(qtbot, report_actions.open_case_pdf(None, session, case_no))
    opened: list[QUrl] = []
    monkeypatch.setattr(
        report_output.QDesktopServices, "openUrl", lambda url: opened.append(url) or True
    )
    copy = window.open_external()
    assert len(opened) == 1
    path = Path(opened[0].toLocalFile())
    assert path == copy
    assert path.name == service.case_file_name(case_no)
    assert path.read_bytes() == window.pdf_path.read_bytes()


def test_the_viewer_copy_is_private_to_the_user(qtbot, session, case_no, monkeypatch) -> None:
    """The copy of a (possibly confidential) case goes inside the user's own data folder,
    owner-only, never into the shared temporary folder where another user could plant it."""
    window = _ready(qtbot, report_actions.open_case_pdf(None, session, case_no))
    monkeypatch.setattr(report_output.QDesktopServices, "openUrl", lambda url: True)
    copy = window.open_external()
    home = Path(os.environ["HOTLINE_HOME"]).resolve()
    assert copy.resolve().is_relative_to(home)
    assert not copy.resolve().is_relative_to(
        Path(tempfile.gettempdir()).resolve() / "hotline-reports"
    )
    if os.name == "posix":
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700


def test_printing_sends_every_page_to_the_printer(qtbot, session, case_no, tmp_path) -> None:
    window = _ready(qtbot, report_actions.open_case_pdf(None, session, case_no))
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(window.printed, timeout=WAIT_MS) as blocker:
        window.print_to(printer)
        assert window.print_bar.isVisible() or window.print_bar.isVisibleTo(window)
    assert blocker.args == [window.document.pageCount()]
    assert len(pdf_pages(tmp_path / "printed.pdf")) == window.document.pageCount()
    assert not window.cancel_print.isVisibleTo(window)
    assert "打印机" in window.status_bar.currentMessage()


def test_the_print_range_of_the_dialog_is_respected() -> None:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    assert pages_to_print(printer, 3) == [0, 1, 2]
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert pages_to_print(printer, 5) == [1, 2]


def test_closing_removes_the_temporary_files(qtbot, session, case_no) -> None:
    window = _ready(qtbot, report_actions.open_case_pdf(None, session, case_no))
    folder = window.pdf_path.parent
    assert folder.is_dir()
    window.close()
    assert not folder.exists()


def test_the_week_dialog_defaults_to_the_last_complete_week(qtbot) -> None:
    dialog = WeeklyReportDialog(today=dt.date(2026, 11, 25))
    qtbot.addWidget(dialog)
    assert dialog.week().code == "2026-W47"
    assert "2026-11-16 至 2026-11-22" in dialog.week_box.currentText()
    assert "尚未结束" in dialog.week_box.itemText(0)
    dialog.week_box.setEditText("2025-W30")
    assert dialog.week().code == "2025-W30"
    dialog.week_box.setEditText("第三十周")
    dialog.accept()
    assert dialog.result() != WeeklyReportDialog.DialogCode.Accepted
    assert "2026-W47" in dialog.message.text()


def test_the_weekly_report_is_previewed_after_choosing_the_week(
    qtbot, session, case_no, monkeypatch
) -> None:
    dialog = WeeklyReportDialog()
    qtbot.addWidget(dialog)
    dialog.week_box.setCurrentIndex(0)  # this week: the case was registered just now
    dialog.with_cases.setChecked(True)
    monkeypatch.setattr(dialog, "exec", lambda: WeeklyReportDialog.DialogCode.Accepted)
    window = report_actions.open_weekly_report(None, session, dialog)
    assert window is not None
    _ready(qtbot, window)
    week = dialog.week()
    assert week.code in window.windowTitle()
    text = _text(window.pdf_path)
    assert "营商环境投诉热线周报" in text and case_no in text  # this week's case, summary appended
    assert "附：案件摘要" in text


def test_cancelling_the_week_dialog_opens_nothing(qtbot, session, monkeypatch) -> None:
    dialog = WeeklyReportDialog()
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog, "exec", lambda: WeeklyReportDialog.DialogCode.Rejected)
    assert report_actions.open_weekly_report(None, session, dialog) is None
