"""Where a previewed PDF goes besides the printer: a copy the user saves, or a copy opened in
the system's PDF viewer. Errors are raised as :class:`HotlineError` for the window to show."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from hotline import paths
from hotline.errors import HotlineError
from hotline.i18n import N_, _
from hotline.output_files import CANNOT_WRITE, copy_file
from hotline.private_files import private_folder
from ui.common.settings import qsettings

SAVE_DIR_KEY = "reports/save_dir"
OPEN_FOLDER = "opened-reports"
NO_VIEWER = N_("系统中没有可以打开 PDF 的程序：{path}")


def ask_save_path(parent: QWidget | None, file_name: str) -> Path | None:
    """The file the user picks for a copy (starting in the folder used last time), with
    ``.pdf`` added when missing; None if cancelled."""
    folder = str(qsettings().value(SAVE_DIR_KEY, "") or "") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    )
    target, _filter = QFileDialog.getSaveFileName(
        parent, _("保存 PDF"), str(Path(folder) / file_name), _("PDF 文件 (*.pdf)")
    )
    if not target:
        return None
    path = Path(target)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def save_copy(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` and remember its folder for the next time."""
    copy_file(source, target)  # never over the database, complete or not at all
    qsettings().setValue(SAVE_DIR_KEY, str(target.parent))
    return target


def open_copy(source: Path, file_name: str) -> Path:
    """Open a copy of ``source`` in the system's PDF viewer; the copy outlives the preview
    window, since the viewer may keep reading it. It goes to a folder inside the user's own
    data folder, not the shared temporary folder, where another user could make the folder
    (or a link in it) first and read or redirect the copy of a confidential case."""
    folder = paths.data_dir() / OPEN_FOLDER
    copy = folder / file_name
    try:
        private_folder(folder)
    except OSError as exc:
        raise HotlineError(CANNOT_WRITE, path=str(copy), reason=exc.strerror or str(exc)) from exc
    try:
        copy_file(source, copy)
    except HotlineError:  # Windows: a viewer still has the previous copy open
        copy = folder / f"{int(time.time())}-{file_name}"
        copy_file(source, copy)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy))):
        raise HotlineError(NO_VIEWER, path=str(copy))
    return copy
