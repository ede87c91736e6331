"""Printing a PDF file on a QPrinter: each page rendered by QtPdf and drawn on the paper.

:class:`PrintRun` asks nothing and runs :func:`print_pdf` off the GUI thread (Qt allows
painting on a QPrinter from a worker thread), reporting progress by signal; ``print_pdf``
opens its own QPdfDocument there, so the preview's document is never shared.
:func:`ask_printer` is the system print dialog.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSize, QSizeF, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from hotline.errors import HotlineError
from hotline.i18n import N_, _
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

# Pages are rendered as images at most at this resolution: sharp on paper, modest in memory.
MAX_DPI = 300

Progress = Callable[[int, int], None]


def ask_printer(parent: QWidget | None, title: str, page_count: int) -> QPrinter | None:
    """The system print dialog (printer, page range, copies); None if cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("打印 {title}").format(title=title))
    dialog.setMinMax(1, page_count)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return printer


class PrintRun(QObject):
    """One print job at a time, off the GUI thread. Signals arrive on the GUI thread."""

    progress = Signal(int, int)  # pages done, pages in all
    finished = Signal(int, bool)  # pages printed, whether it was cancelled
    failed = Signal(object)  # the exception

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel: threading.Event | None = None

    @property
    def active(self) -> bool:
        return self._cancel is not None

    def start(self, path: Path, printer: QPrinter, page_count: int) -> int:
        """Send ``path`` to ``printer`` (set up by the dialog); returns the pages to print."""
        if self._cancel is not None:
            raise RuntimeError("a print job is already running")
        pages = pages_to_print(printer, page_count)
        cancel = self._cancel = threading.Event()
        step = self.progress.emit  # emitted from the worker: queued to the GUI thread
        run_task(
            self,
            lambda: print_pdf(path, printer, pages, step, cancel),
            on_done=lambda done: self._end(self.finished.emit, done, cancel.is_set()),
            on_error=lambda exc: self._end(self.failed.emit, exc),
        )
        return len(pages)

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _end(self, emit: Callable[..., None], *args: object) -> None:
        self._cancel = None
        emit(*args)


def pages_to_print(printer: QPrinter, page_count: int) -> list[int]:
    """The 0-based pages the print dialog asked for, copies included where the printer cannot
    make them itself."""
    first, last = 1, page_count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(page_count, printer.toPage() or page_count)
    pages = list(range(first - 1, last))
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    return pages * copies


def print_pdf(
    path: str | Path,
    printer: QPrinter,
    pages: list[int] | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Print ``pages`` (0-based; default all) of the PDF at ``path``; returns how many pages
    went to the printer. ``progress(done, total)`` is called after each page."""
    document = QPdfDocument()
    try:
        status = document.load(str(path))
        if status != QPdfDocument.Error.None_:
            raise HotlineError(N_("无法读取 PDF 文件 {path}"), path=str(path))
        todo = pages if pages is not None else list(range(document.pageCount()))
        return _paint(document, printer, todo, progress, cancel)
    finally:
        document.close()


def _paint(
    document: QPdfDocument,
    printer: QPrinter,
    pages: list[int],
    progress: Progress | None,
    cancel: threading.Event | None,
) -> int:
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise HotlineError(N_("无法开始打印，请检查打印机设置"))
    dpi = min(printer.resolution(), MAX_DPI)
    scale = printer.resolution() / dpi
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    done = 0
    try:
        for position, page in enumerate(pages):
            if cancel is not None and cancel.is_set():
                printer.abort()
                break
            if position:
                printer.newPage()
            points: QSizeF = document.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(page, size)
            target = _fit(QSizeF(size.width() * scale, size.height() * scale), paper)
            painter.drawImage(target, image)
            done += 1
            if progress is not None:
                progress(done, len(pages))
    finally:
        painter.end()
    log.info("printed %s of %s pages", done, len(pages))
    return done


def _fit(page: QSizeF, paper: QRectF) -> QRectF:
    """``page`` scaled to fit ``paper`` with its proportions kept, centred."""
    factor = min(paper.width() / page.width(), paper.height() / page.height())
    width, height = page.width() * factor, page.height() * factor
    return QRectF(
        paper.x() + (paper.width() - width) / 2,
        paper.y() + (paper.height() - height) / 2,
        width,
        height,
    )
