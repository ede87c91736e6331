"""The preview beside a case's attachment list: an image scaled to fit, a PDF in Qt's own
PDF viewer (QtPdf), otherwise a line saying there is no preview and a button to open it with
the system viewer. The content comes from a private copy the core wrote (checked against its
SHA-256); images are decoded off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hotline.i18n import _

try:  # QtPdf ships with PySide6 on the supported platforms; without it: no PDF preview
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    HAVE_PDF = True
except ImportError:  # pragma: no cover - depends on the PySide6 build
    HAVE_PDF = False

DECODE_LIMIT = 2400  # pixels: a big photo is decoded at most this large for the preview


def decode_image(path: Path) -> QImage:
    """The image at ``path``, decoded at a preview size (runs on a worker thread: QImage is
    safe there, QPixmap is not)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # a phone photo's orientation
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > DECODE_LIMIT:
        reader.setScaledSize(
            size.scaled(DECODE_LIMIT, DECODE_LIMIT, Qt.AspectRatioMode.KeepAspectRatio)
        )
    image = reader.read()
    return image


class AttachmentPreview(QStackedWidget):
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentPreview")
        self.setMinimumHeight(160)
        self.hint = QLabel(
            _("选择一个附件查看预览"), objectName="hint", alignment=Qt.AlignmentFlag.AlignCenter
        )
        self.hint.setWordWrap(True)
        self.image = QLabel(objectName="attachmentImage", alignment=Qt.AlignmentFlag.AlignCenter)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.pixmap = QPixmap()
        self.no_preview = QWidget()
        self.no_preview_text = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.open_button = QPushButton(_("用系统程序打开"), objectName="previewOpen")
        self.open_button.clicked.connect(self.open_requested)
        column = QVBoxLayout(self.no_preview)
        column.addStretch(1)
        column.addWidget(self.no_preview_text)
        column.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignCenter)
        column.addStretch(1)
        self.addWidget(self.hint)
        self.addWidget(self.image)
        self.addWidget(self.no_preview)
        self.pdf_document: QPdfDocument | None = None
        self.pdf_view: QPdfView | None = None
        if HAVE_PDF:
            self.pdf_document = QPdfDocument(self)
            self.pdf_view = QPdfView(self)
            self.pdf_view.setObjectName("attachmentPdf")
            self.pdf_view.setDocument(self.pdf_document)
            self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.addWidget(self.pdf_view)

    def show_hint(self, text: str | None = None) -> None:
        self.hint.setText(text or _("选择一个附件查看预览"))
        self._close_pdf()
        self.setCurrentWidget(self.hint)

    def show_no_preview(self, text: str, *, can_open: bool) -> None:
        self._close_pdf()
        self.no_preview_text.setText(text)
        self.open_button.setVisible(can_open)
        self.setCurrentWidget(self.no_preview)

    def show_image(self, image: QImage) -> None:
        self._close_pdf()
        if image.isNull():
            self.show_no_preview(_("无法显示这张图片的预览"), can_open=True)
            return
        self.pixmap = QPixmap.fromImage(image)
        self._fit()
        self.setCurrentWidget(self.image)

    def show_pdf(self, path: Path) -> bool:
        """Show the PDF at ``path``; False when QtPdf is missing or cannot read it."""
        if self.pdf_document is None or self.pdf_view is None:
            self.show_no_preview(_("本机无法预览 PDF，请用系统程序打开"), can_open=True)
            return False
        self.pdf_document.close()
        self.pdf_document.load(str(path))
        if (
            self.pdf_document.status() != QPdfDocument.Status.Ready
            or not self.pdf_document.pageCount()
        ):
            self.show_no_preview(_("无法预览这个 PDF，请用系统程序打开"), can_open=True)
            return False
        self.setCurrentWidget(self.pdf_view)
        return True

    def showing_image(self) -> bool:
        return self.currentWidget() is self.image and not self.pixmap.isNull()

    def showing_pdf(self) -> bool:
        return self.pdf_view is not None and self.currentWidget() is self.pdf_view

    def _close_pdf(self) -> None:
        if self.pdf_document is not None:
            self.pdf_document.close()  # the private copy is not held open

    def _fit(self) -> None:
        if self.pixmap.isNull():
            return
        room = self.size() - QSize(8, 8)
        self.image.setPixmap(
            self.pixmap.scaled(
                room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.currentWidget() is self.image:
            self._fit()
