"""The PDF preview window: the report is made off the GUI thread, then shown with QtPdf.

From here the user prints it (Ctrl+P, the system print dialog), saves a copy (Ctrl+S) or
opens it in the system's PDF viewer (Ctrl+Shift+O). The window owns a temporary folder for
the files it makes and removes it when closed.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from hotline.errors import HotlineError
from hotline.i18n import _
from ui.common import shortcuts
from ui.common.latest_request import LatestRequest
from ui.common.messages import error_text, show_error
from ui.common.settings import PreserveGeometry
from ui.common.tasks import run_task
from ui.reports.busy import BusyPanel
from ui.reports.output import ask_save_path, open_copy, save_copy
from ui.reports.printing import PrintRun, ask_printer

log = logging.getLogger(__name__)

ZOOM_STEP = 1.25


@dataclass(frozen=True)
class ReportJob:
    """What to make: ``make(path)`` writes the PDF to ``path``; it runs off the GUI thread."""

    title: str
    file_name: str
    make: Callable[[Path], Any]


class ReportPreviewWindow(PreserveGeometry, QMainWindow):
    generated = Signal(str)  # the path of the PDF now shown
    failed = Signal(str)  # the message shown
    printed = Signal(int)  # pages sent to the printer
    saved = Signal(str)

    layout_key = "ReportPreviewWindow"

    def __init__(self, job: ReportJob, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setObjectName("reportPreview")
        self.resize(980, 1000)
        self.job = job
        self.pdf_path: Path | None = None
        self._folder = Path(tempfile.mkdtemp(prefix="hotline-report-"))
        self._latest = LatestRequest()

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)

        self.busy = BusyPanel()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.busy)
        self.stack.addWidget(self.view)
        self.setCentralWidget(self.stack)

        self.toolbar = QToolBar(_("报告"), self)
        self.toolbar.setObjectName("reportToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self.toolbar)
        self.print_action = self._action(_("打印…"), self.print_report, "print")
        self.save_action = self._action(_("另存为…"), lambda: self.save_as(), "save")
        self.open_action = self._action(_("用系统程序打开"), self.open_external, "open_external")
        self.toolbar.addSeparator()
        self.zoom_out_action = self._action(_("缩小"), lambda: self.zoom(1 / ZOOM_STEP), "zoom_out")
        self.zoom_in_action = self._action(_("放大"), lambda: self.zoom(ZOOM_STEP), "zoom_in")
        self.fit_action = self._action(_("适合宽度"), self.fit_width, "fit_width")
        self.toolbar.addSeparator()
        self.page_label = QLabel()
        self._page_items = [
            self.toolbar.addWidget(self.page_label),
            self.toolbar.addSeparator(),
        ]
        self._document_actions = [
            self.print_action,
            self.save_action,
            self.open_action,
            self.zoom_out_action,
            self.zoom_in_action,
            self.fit_action,
        ]
        close = QAction(_("关闭"), self)
        close.setShortcuts(shortcuts.sequences("cancel") + shortcuts.sequences("close_window"))
        close.triggered.connect(self.close)
        self.addAction(close)

        self.status_bar = self.statusBar()
        self.print_bar = QProgressBar()
        self.print_bar.setMaximumWidth(220)
        self.printing = PrintRun(self)
        self.printing.progress.connect(self._print_step)
        self.printing.finished.connect(self._printed)
        self.printing.failed.connect(self._print_failed)
        self.cancel_print = QPushButton(_("取消打印"))
        self.cancel_print.clicked.connect(self.printing.cancel)
        self.status_bar.addPermanentWidget(self.print_bar)
        self.status_bar.addPermanentWidget(self.cancel_print)
        self._show_printing(False)
        self.restore_layout()
        self.set_job(job)

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str,
    ) -> QAction:
        """``shortcut`` names a row of the shortcut table (ui.common.shortcuts)."""
        action = QAction(text, self)
        action.setShortcuts(shortcuts.sequences(shortcut))
        action.setToolTip(f"{text} ({shortcuts.shown(shortcut)})")
        action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        return action

    def add_option(self, widget: QWidget) -> None:
        """Put ``widget`` (a check box that changes the report…) at the end of the toolbar."""
        self.toolbar.addWidget(widget)

    # --- making the PDF -------------------------------------------------------------------

    def set_job(self, job: ReportJob) -> None:
        """Make ``job``'s PDF (again) and show it when ready."""
        self.job = job
        self.setWindowTitle(job.title)
        ticket = self._latest.start()
        path = self._folder / f"{ticket}-{job.file_name}"
        self.busy.start(_("正在生成 {title}…").format(title=job.title))
        self.stack.setCurrentIndex(0)
        self._enable(False)
        run_task(
            self,
            lambda: job.make(path),
            on_done=lambda _made: self._generated(ticket, path),
            on_error=lambda exc: self._generation_failed(ticket, exc),
        )

    def is_busy(self) -> bool:
        return self.stack.currentIndex() == 0

    def _generated(self, ticket: int, path: Path) -> None:
        if not self._latest.is_current(ticket):
            return
        self.busy.stop()
        self.document.close()
        status = self.document.load(str(path))
        if status != QPdfDocument.Error.None_:
            self._fail(_("无法显示生成的 PDF（{status}）").format(status=status.name))
            return
        self._discard(self.pdf_path)
        self.pdf_path = path
        self.stack.setCurrentIndex(1)
        self._enable(True)
        self._show_page(self.view.pageNavigator().currentPage())
        self.status_bar.showMessage(
            _("已生成，共 {pages} 页").format(pages=self.document.pageCount()), 5000
        )
        self.generated.emit(str(path))

    def _generation_failed(self, ticket: int, exc: BaseException) -> None:
        if not self._latest.is_current(ticket):
            return
        self._fail(error_text(exc))
        show_error(self, exc, _("报告未能生成"))

    def _fail(self, message: str) -> None:
        self.busy.fail(message)
        self.stack.setCurrentIndex(0)
        self._enable(False)
        self.failed.emit(message)

    def _enable(self, ready: bool) -> None:
        for action in self._document_actions:
            action.setEnabled(ready)
        for item in self._page_items:
            item.setVisible(ready)

    def _show_page(self, page: int) -> None:
        self.page_label.setText(
            _("第 {page} 页 / 共 {pages} 页").format(page=page + 1, pages=self.document.pageCount())
        )

    # --- viewing ----------------------------------------------------------------------------

    def zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        if self.view.zoomMode() != QPdfView.ZoomMode.Custom:
            # The fitted zoom is not reported: estimate it from the widths.
            page_width = self.document.pagePointSize(0).width() * self.logicalDpiX() / 72
            current = max(0.1, (self.view.viewport().width() - 20) / max(page_width, 1))
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(6.0, current * factor)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # --- save, open, print --------------------------------------------------------------

    def save_as(self, target: Path | None = None) -> Path | None:
        """Copy the PDF to a file the user picks (or ``target``); None if cancelled."""
        if self.pdf_path is None:
            return None
        target = target or ask_save_path(self, self.job.file_name)
        if target is None:
            return None
        try:
            save_copy(self.pdf_path, target)
        except HotlineError as exc:
            show_error(self, exc)
            return None
        self.status_bar.showMessage(_("已保存到 {path}").format(path=target), 8000)
        self.saved.emit(str(target))
        return target

    def open_external(self) -> Path | None:
        """Open a copy in the system's PDF viewer; returns the copy."""
        if self.pdf_path is None:
            return None
        try:
            copy = open_copy(self.pdf_path, self.job.file_name)
        except HotlineError as exc:
            show_error(self, exc)
            return None
        self.status_bar.showMessage(_("已在系统程序中打开"), 5000)
        return copy

    def print_report(self) -> None:
        if self.pdf_path is None or self.printing.active:
            return
        printer = ask_printer(self, self.job.title, self.document.pageCount())
        if printer is not None:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Send the PDF to ``printer`` (set up already) off the GUI thread."""
        if self.pdf_path is None or self.printing.active:
            return
        total = self.printing.start(self.pdf_path, printer, self.document.pageCount())
        self._show_printing(True, total)

    def _print_step(self, done: int, total: int) -> None:
        self.print_bar.setValue(done)
        self.status_bar.showMessage(
            _("正在打印：第 {done} 页 / 共 {total} 页").format(done=done, total=total)
        )

    def _printed(self, pages: int, cancelled: bool) -> None:
        self._show_printing(False)
        if cancelled:
            self.status_bar.showMessage(_("已取消打印"), 5000)
        else:
            self.status_bar.showMessage(_("已发送到打印机：{pages} 页").format(pages=pages), 8000)
        self.printed.emit(pages)

    def _print_failed(self, exc: BaseException) -> None:
        self._show_printing(False)
        self.status_bar.clearMessage()
        show_error(self, exc, _("打印未完成"))

    def _show_printing(self, active: bool, total: int = 0) -> None:
        self.print_bar.setRange(0, max(total, 1))
        self.print_bar.setValue(0)
        self.print_bar.setVisible(active)
        self.cancel_print.setVisible(active)
        self.print_action.setEnabled(not active and self.pdf_path is not None)

    # --- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.printing.cancel()
        self._latest.drop()  # late results are dropped
        self.busy.stop()
        self.document.close()
        super().closeEvent(event)
        # A report still being made finishes into the removed folder and fails quietly.
        shutil.rmtree(self._folder, ignore_errors=True)

    def _discard(self, path: Path | None) -> None:
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()
