"""Files to attach to the case being registered: chosen while the call goes on, stored with the
case in the same save (a refused file is named and nothing is saved), remembered by the draft
(their paths) so a restored draft still has them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hotline.attachments.records import file_size
from hotline.attachments.service import NewFile
from hotline.i18n import _
from ui.case import attachments as case_attachments

DRAFT_KEY = "attachments"


class IntakeAttachments(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeAttachments")
        self.setAcceptDrops(True)
        self.paths: list[str] = []
        self.title = QLabel(_("附件"))
        self.list = QListWidget(objectName="intakeAttachmentList")
        self.list.setMaximumHeight(90)
        self.add_button = QPushButton(_("添加附件…"), objectName="intakeAttachmentAdd")
        self.remove_button = QPushButton(_("移除"), objectName="intakeAttachmentRemove")
        self.add_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.add_button.clicked.connect(lambda: self.choose())
        self.remove_button.clicked.connect(self.remove_current)
        self.hint = QLabel(
            _("保存登记时一并保存；也可以把文件拖到这里"), objectName="hint", wordWrap=True
        )
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        self._refresh()

    def choose(self) -> None:
        self.add_paths(case_attachments.choose_files(self))

    def add_paths(self, paths: Iterable[str]) -> None:
        added = False
        for path in paths:
            if path and path not in self.paths:
                self.paths.append(path)
                added = True
        if added:
            self._refresh()
            self.changed.emit()

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.paths):
            del self.paths[row]
            self._refresh()
            self.changed.emit()

    def set_paths(self, paths: object) -> None:
        """The paths a draft remembered (anything else is ignored)."""
        self.paths = (
            [str(p) for p in paths if isinstance(p, str)] if isinstance(paths, list) else []
        )
        self._refresh()

    def clear(self) -> None:
        self.set_paths([])

    def files(self) -> list[NewFile]:
        return [NewFile(Path(p).name, path=Path(p)) for p in self.paths]

    def _refresh(self) -> None:
        self.list.clear()
        for path in self.paths:
            file = Path(path)
            try:
                text = _("{name}（{size}）").format(
                    name=file.name, size=file_size(file.stat().st_size)
                )
            except OSError:
                text = _("{name}（文件已不在原处）").format(name=file.name)
            item = QListWidgetItem(text)
            item.setToolTip(path)
            self.list.addItem(item)
        self.title.setText(
            _("附件（{count}）").format(count=len(self.paths)) if self.paths else _("附件")
        )
        self.remove_button.setEnabled(bool(self.paths))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)
