"""The case window's 附件 tab: the case's documents, added, previewed, opened, saved, removed.

- 添加 (Ctrl+Shift+A anywhere in the case window; or drop files on the tab): several files at once; they are stored
  together on a worker thread with a progress bar; a refused file is named and nothing of the
  batch is kept.
- Selecting a row previews it: images scaled to fit, PDFs with QtPdf. Every preview is
  recorded (audit; the timeline once per half hour and person).
- 打开 (Enter or double-click): the system viewer, on a private temporary copy (0600) that
  the core wrote through :mod:`hotline.output_files`.
- 另存为: the usual output rules (never over the database, complete or not at all).
- 删除 (shift leads and above): with a reason; a tombstone stays in the list.

On a confidential case a role that may not see the caller sees the list (names masked) and
no document; the tab says why. All database and file work runs off the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hotline.attachments import service
from hotline.attachments.records import AttachmentInfo, CaseAttachments, file_size
from hotline.i18n import _
from ui.case.attachment_model import HASH, NAME, AttachmentTableModel
from ui.case.attachment_preview import AttachmentPreview, decode_image
from ui.case.attachment_remove import RemoveAttachmentDialog
from ui.common import shortcuts
from ui.common.events import app_events
from ui.common.latest_request import LatestRequest
from ui.common.messages import show_error
from ui.common.session import Session
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

FILE_FILTER = "*.pdf *.ofd *.jpg *.jpeg *.png *.docx *.xlsx *.txt"


def choose_files(parent: QWidget) -> list[str]:
    """The files to attach (a module function, so tests can stand in for the dialog)."""
    files, _filter = QFileDialog.getOpenFileNames(
        parent,
        _("选择要添加的附件"),
        "",
        _("常见文档（{patterns}）;;所有文件（*）").format(patterns=FILE_FILTER),
    )
    return files


def choose_save_path(parent: QWidget, name: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(parent, _("附件另存为"), name)
    return path


def open_with_system(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class _Progress(QObject):
    """Bytes done, emitted from a worker thread, delivered on the GUI thread."""

    moved = Signal(int)


class AttachmentsPanel(QWidget):
    loaded = Signal(object)  # CaseAttachments, after every load
    preview_shown = Signal(int)  # the attachment whose preview is on screen
    added = Signal(list)  # [AttachmentInfo]
    opened = Signal(object)  # Path of the private copy handed to the system viewer
    saved = Signal(object)  # Path saved to

    def __init__(self, session: Session, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentsPanel")
        self.setAcceptDrops(True)
        self.session = session
        self.case_id = case_id
        self.state: CaseAttachments | None = None
        self._latest = LatestRequest()
        self._preview_ticket = LatestRequest()
        self._previewed: int | None = None  # the attachment whose preview is shown
        self.busy = False

        self.model = AttachmentTableModel()
        self.table = QTableView(objectName="attachmentTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(HASH, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._selected())
        self.table.doubleClicked.connect(lambda *_a: self.open_selected())
        self.preview = AttachmentPreview(self)
        self.preview.open_requested.connect(self.open_selected)

        self.add_button = QPushButton(_("添加…"), objectName="attachmentAdd")
        self.add_button.setToolTip(
            _("添加附件（{shortcut}），也可以把文件拖到这里").format(
                shortcut=shortcuts.shown("add_attachment")
            )
        )
        self.open_button = QPushButton(_("打开"), objectName="attachmentOpen")
        self.save_button = QPushButton(_("另存为…"), objectName="attachmentSave")
        self.remove_button = QPushButton(_("删除…"), objectName="attachmentRemove")
        self.add_button.clicked.connect(lambda: self.add_files())
        self.open_button.clicked.connect(self.open_selected)
        self.save_button.clicked.connect(lambda: self.save_selected())
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.summary = QLabel(objectName="hint", wordWrap=True)
        self.progress = QProgressBar(objectName="attachmentProgress")
        self.progress.setTextVisible(True)
        self.progress.hide()
        self._relay = _Progress(self)
        self._relay.moved.connect(self._moved)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setSizes([200, 320])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(splitter, 1)

        shortcuts.bind(
            "open_case", self.table, self.open_selected, Qt.ShortcutContext.WidgetShortcut
        )
        app_events().case_saved.connect(self._case_saved)
        self._update_buttons()
        self.reload()

    # Loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        ticket = self._latest.start()
        actor, case_id = self.session.actor, self.case_id
        run_task(
            self,
            lambda: service.case_attachments(case_id, actor),
            on_done=lambda state: self._show(ticket, state),
            on_error=lambda exc: self._failed(exc),
        )

    def _show(self, ticket: int, state: CaseAttachments) -> None:
        if not self._latest.is_current(ticket):
            return
        kept = self.selected()
        self.state = state
        self.model.set_rows(state.items)
        live = [a for a in state.items if not a.removed]
        text = _(
            "{count} 个附件，共 {used}；单个文件不超过 {file} MB，每个案件合计不超过 {case} MB"
        ).format(
            count=len(live),
            used=file_size(state.used_bytes),
            file=state.file_limit_mb,
            case=state.case_limit_mb,
        )
        if state.confidential_hidden:
            text += "\n" + _("保密案件：当前角色不能打开其附件（文件名中的来电人信息已隐去）")
        self.summary.setText(text)
        row = self.model.row_of(kept.id) if kept is not None else -1
        if row < 0 and live:
            row = self.model.row_of(live[-1].id)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.preview.show_hint(_("此案件还没有附件") if not state.items else None)
        self._update_buttons()
        self.loaded.emit(state)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(_("无法读取附件"))
        if self.isVisible():
            show_error(self, exc)

    def _case_saved(self, case_id: int) -> None:
        if case_id == self.case_id:
            self.reload()

    def selected(self) -> AttachmentInfo | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.item(index.row())

    def _update_buttons(self) -> None:
        state, item = self.state, self.selected()
        ready = not self.busy
        self.add_button.setEnabled(ready and state is not None and state.may_add)
        openable = ready and item is not None and not item.removed and item.may_open
        self.open_button.setEnabled(openable)
        self.save_button.setEnabled(openable)
        removable = ready and state is not None and state.may_remove
        self.remove_button.setEnabled(removable and item is not None and not item.removed)
        self.remove_button.setVisible(state is None or state.may_remove)

    # Preview --------------------------------------------------------------------------------

    def _selected(self) -> None:
        self._update_buttons()
        item = self.selected()
        if item is not None and item.id == self._previewed and not item.removed:
            return  # the list was reloaded around it: the preview stands
        self._previewed = None
        ticket = self._preview_ticket.start()
        if item is None:
            self.preview.show_hint()
            return
        if item.removed:
            self.preview.show_no_preview(
                _("{who} 已删除此附件：{reason}").format(
                    who=item.removed_by, reason=item.removed_reason
                ),
                can_open=False,
            )
            return
        if not item.may_open:
            self.preview.show_no_preview(_("保密案件：当前角色不能查看此附件"), can_open=False)
            return
        if not (item.is_image or item.is_pdf):
            self.preview.show_no_preview(
                _("{kind}没有预览，可用系统程序打开").format(kind=item.type_label), can_open=True
            )
            return
        self.preview.show_hint(_("正在读取 {name}…").format(name=item.name))
        actor, attachment_id, image = self.session.actor, item.id, item.is_image

        def work() -> tuple[Path, Any]:
            path = service.private_copy(actor, attachment_id, how="preview")
            return path, decode_image(path) if image else None

        run_task(
            self,
            work,
            on_done=lambda result: self._preview_ready(ticket, attachment_id, *result),
            on_error=lambda exc: self._preview_failed(ticket, exc),
        )

    def _preview_ready(self, ticket: int, attachment_id: int, path: Path, image: Any) -> None:
        if not self._preview_ticket.is_current(ticket):
            return
        if image is not None:
            self.preview.show_image(image)
        else:
            self.preview.show_pdf(path)
        self._previewed = attachment_id
        self.preview_shown.emit(attachment_id)

    def _preview_failed(self, ticket: int, exc: BaseException) -> None:
        if not self._preview_ticket.is_current(ticket):
            return
        from ui.common.messages import error_text

        self.preview.show_no_preview(error_text(exc), can_open=False)

    # Actions --------------------------------------------------------------------------------

    def add_files(self, paths: Sequence[str] | None = None) -> None:
        """Attach ``paths`` (asked for with the file dialog when None)."""
        if self.state is None or not self.state.may_add or self.busy:
            return
        chosen = list(paths) if paths is not None else choose_files(self)
        if not chosen:
            return
        files = [service.NewFile(Path(p).name, path=Path(p)) for p in chosen]
        total = sum(Path(p).stat().st_size for p in chosen if Path(p).is_file())
        actor, case_id, relay = self.session.actor, self.case_id, self._relay
        self._start(_("正在添加 {count} 个文件…").format(count=len(files)), total)
        self._run(
            lambda: service.add_files(actor, case_id, files, relay.moved.emit),
            self._added,
        )

    def _added(self, infos: list[AttachmentInfo]) -> None:
        self.added.emit(infos)
        app_events().case_saved.emit(self.case_id)  # the timeline, this list, other windows

    def open_selected(self) -> None:
        item = self.selected()
        if item is None or item.removed or not item.may_open or self.busy:
            return
        actor, attachment_id = self.session.actor, item.id
        self._start(_("正在打开 {name}…").format(name=item.name), 0)
        self._run(lambda: service.private_copy(actor, attachment_id, how="open"), self._open_copy)

    def _open_copy(self, path: Path) -> None:
        if not open_with_system(path):
            show_error(self, OSError(2, _("没有可以打开此类文件的程序"), str(path)))
        self.opened.emit(path)

    def save_selected(self, target: str | None = None) -> None:
        item = self.selected()
        if item is None or item.removed or not item.may_open or self.busy:
            return
        chosen = target if target is not None else choose_save_path(self, item.name)
        if not chosen:
            return
        actor, attachment_id, relay = self.session.actor, item.id, self._relay
        self._start(_("正在保存 {name}…").format(name=item.name), item.size)
        self._run(
            lambda: service.save_as(actor, attachment_id, chosen, relay.moved.emit),
            self.saved.emit,
        )

    def remove_selected(self) -> RemoveAttachmentDialog | None:
        item = self.selected()
        if item is None or item.removed or self.state is None or not self.state.may_remove:
            return None
        dialog = RemoveAttachmentDialog(self.session.actor, item, self)
        dialog.removed.connect(lambda _tombstone: app_events().case_saved.emit(self.case_id))
        dialog.open()
        return dialog

    # Busy state -----------------------------------------------------------------------------

    def _start(self, text: str, total: int) -> None:
        self.busy = True
        self.progress.setRange(0, max(total, 0) // 1024 if total else 0)
        self.progress.setValue(0)
        self.progress.setFormat(text + " %p%")
        self.progress.show()
        self._update_buttons()

    def _moved(self, done: int) -> None:
        if self.progress.maximum():
            self.progress.setValue(min(done // 1024, self.progress.maximum()))

    def _run(self, fn: Callable[[], Any], on_done: Callable[[Any], object]) -> None:
        def finished(result: Any) -> None:
            self._stop()
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._stop()
            show_error(self, exc)

        run_task(self, fn, on_done=finished, on_error=failed)

    def _stop(self) -> None:
        self.busy = False
        self.progress.hide()
        self._update_buttons()

    # Dropping files -------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.state is not None and self.state.may_add and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)
