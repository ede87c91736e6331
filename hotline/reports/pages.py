"""Page furniture: a canvas that knows the page count, and QR codes drawn as vector runs."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from hotline import version

# Draws the header and footer of page ``number`` of ``count`` on the canvas.
Decorator = Callable[[Canvas, int, int], None]


def numbered_canvas(decorate: Decorator) -> type[Canvas]:
    """A canvas class that holds every page until the end, then decorates each one knowing
    the page count (第 N 页 / 共 M 页) in a single pass over the document."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own, not in its stubs

        def save(self) -> None:
            count = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, count)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def a4_document(
    out: Any, *, margin: float, top: float, bottom: float, title: str, author: str = ""
) -> BaseDocTemplate:
    """An A4 document with one frame and no frame padding, so tables span the text width.

    ``out`` is a path (``str`` or ``os.PathLike``) or a binary file object."""
    if isinstance(out, os.PathLike):
        out = os.fspath(out)
    width, height = A4
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=author,
        creator=version.pdf_creator(),
    )
    frame = Frame(
        margin,
        bottom,
        width - 2 * margin,
        height - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    return doc


@functools.lru_cache(maxsize=256)
def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of a QR code (medium error correction, no quiet zone)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of ``data`` as a ``size`` square with its lower-left corner at (x, y).

    Each document draws it once into a form and reuses the form on later pages.
    """
    form = "qr-" + "".join(ch if ch.isalnum() else "_" for ch in data)
    if not canvas.hasForm(form):
        matrix = qr_matrix(data)
        n = len(matrix)
        canvas.beginForm(form)
        canvas.setFillColor(colors.black)
        path = canvas.beginPath()
        for row, cells in enumerate(matrix):
            col = 0
            while col < n:
                if cells[col]:
                    start = col
                    while col < n and cells[col]:
                        col += 1
                    path.rect(start, n - row - 1, col - start, 1)
                else:
                    col += 1
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.endForm(bbox=(0, 0, n, n))
    n = len(qr_matrix(data))
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / n, size / n)
    canvas.doForm(form)
    canvas.restoreState()


class QrFlowable(Flowable):
    """A QR code as a flowable (the appended case summaries of the weekly report)."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.data, 0, 0, self.size)
