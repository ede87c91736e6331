"""Administration: backing the database up to a chosen file and restoring it from one.

Both run on a worker with a progress dialog (SQLite's online backup reports the pages
copied). A backup is checked after it is made and its audit anchor written beside it, as
the ``backup`` command does. A restore is checked first (the core refuses a damaged file, a
foreign schema, a broken audit chain, a database another program has open, a PostgreSQL
database), then confirmed; the app closes its database connections for it and restarts after.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hotline import clock, db
from hotline.errors import HotlineError
from hotline.i18n import _
from ui.common.dialog_parts import hint_label, left_row
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.tasks import release_connections, run_task

log = logging.getLogger(__name__)

FILE_FILTER = "SQLite (*.sqlite3 *.db *.sqlite *.bak);;*"


def ask_save_path(parent: QWidget, suggested: str) -> str:
    """Where to write a backup ("" when cancelled); tests replace this function."""
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        _("备份数据库到文件"),
        suggested,
        _("数据库文件 ({patterns})").format(patterns="*.sqlite3 *.db"),
    )
    return path


def ask_open_path(parent: QWidget) -> str:
    """Which backup to restore ("" when cancelled); tests replace this function."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("选择要恢复的备份文件"), str(Path.home()), FILE_FILTER
    )
    return path


def restart_program() -> None:
    """Start the program again on the restored database (tests replace this function)."""
    from ui.start.settings_dialog import restart

    restart()


class _Progress(QObject):
    """Carries (done, total) pages from the worker to the progress dialog (queued)."""

    step = Signal(int, int)


@dataclass(frozen=True)
class BackupMade:
    path: Path
    ok: bool
    cases: int
    anchor: str
    problem: str


def _make_backup(target: str, output: Path, progress: _Progress) -> BackupMade:
    from hotline import audit, backup

    made = backup.backup_to(output, target, progress=progress.step.emit)
    check = backup.check_backup(made)
    if not check.ok:
        return BackupMade(made, False, 0, "", _(check.problem).format(**(check.params or {})))
    backup.record_anchor(made)
    anchor = audit.anchor_text(entry=check.audit_last_id, digest=check.audit_last_hash)
    return BackupMade(made, True, check.cases, anchor, "")


@dataclass(frozen=True)
class RestoreCandidate:
    path: Path
    cases: int
    schema_version: int


def _check_restore(target: str, source: Path) -> RestoreCandidate:
    from hotline import backup

    backup.check_restore_target(target)  # PostgreSQL, or opened by another program
    check = backup.check_backup(source)
    if not check.ok:
        raise HotlineError(check.problem, **(check.params or {}))
    return RestoreCandidate(source, check.cases, check.schema_version)


class BackupPage(QWidget):
    backup_done = Signal(object)  # BackupMade
    restore_checked = Signal(object)  # RestoreCandidate, before the confirmation
    restore_done = Signal(object)  # where the replaced database was kept (Path or None)
    failed = Signal(str)  # the message shown

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("backupPage")
        self.progress: QProgressDialog | None = None
        self.confirmation: QMessageBox | None = None
        self.message: QMessageBox | None = None
        self._paused: list[QObject] = []  # watchers and timers stopped for a restore
        self.backup_button = QPushButton(_("备份到文件…"), self)
        self.backup_button.setObjectName("backupButton")
        self.restore_button = QPushButton(_("从备份恢复…"), self)
        self.restore_button.setObjectName("restoreButton")
        self.backup_button.clicked.connect(self.start_backup)
        self.restore_button.clicked.connect(self.start_restore)
        self.result = QLabel(self)
        self.result.setObjectName("backupResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        about = hint_label(
            _(
                "备份：程序运行中也能得到一致的副本，备份后立即检查，并在旁边写下审计锚点"
                "（<备份>.audit.json），恢复时据此核对。\n"
                "恢复：先检查备份文件（完整性、数据库结构、审计链），确认后关闭本程序的数据库连接，"
                "用备份替换数据库（原数据库保留在旁边，不会删除），然后重新启动程序。"
                "其他电脑上的热线程序须先退出。\n"
                "PostgreSQL 数据库请用 pg_dump 备份与恢复，见 README。"
            ),
            self,
        )
        layout = QVBoxLayout(self)
        layout.addLayout(left_row(self.backup_button, self.restore_button))
        layout.addWidget(about)
        layout.addWidget(self.result)
        layout.addStretch(1)

    # Progress ------------------------------------------------------------------------------

    def _start_progress(self, title: str, text: str) -> _Progress:
        dialog = QProgressDialog(text, "", 0, 0, self)
        dialog.setObjectName("backupProgress")
        dialog.setWindowTitle(title)
        dialog.setCancelButton(None)  # a copy half made is thrown away; nothing to cancel
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.show()
        self.progress = dialog
        relay = _Progress(self)
        relay.step.connect(self._step)
        return relay

    def _step(self, done: int, total: int) -> None:
        if self.progress is not None and total > 0:
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _end_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.backup_button.setEnabled(True)
        self.restore_button.setEnabled(True)

    def _fail(self, exc: BaseException) -> None:
        self._end_progress()
        text = error_text(exc)
        self.result.setText(text)
        self._tell(QMessageBox.Icon.Warning, text)
        self.failed.emit(text)

    def _tell(self, icon: QMessageBox.Icon, text: str) -> QMessageBox:
        """A message that does not block the event loop (the worker's results keep coming)."""
        box = QMessageBox(icon, _("备份与恢复"), text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("backupMessage")
        box.finished.connect(box.deleteLater)
        self.message = box
        box.open()
        return box

    # Backup --------------------------------------------------------------------------------

    def start_backup(self) -> None:
        target = self.session.db_target
        suggested = str(Path.home() / f"hotline-backup-{clock.now():%Y%m%d-%H%M}.sqlite3")
        chosen = ask_save_path(self, suggested)
        if not chosen:
            return
        output = Path(chosen)
        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)
        relay = self._start_progress(_("正在备份"), _("正在备份到 {path}…").format(path=output))
        run_task(self, lambda: _make_backup(target, output, relay), self._backed_up, self._fail)

    def _backed_up(self, made: BackupMade) -> None:
        self._end_progress()
        if made.ok:
            text = _("已备份到 {path}：{cases} 件案件，审计链完整。审计锚点：{anchor}").format(
                path=made.path, cases=made.cases, anchor=made.anchor
            )
        else:
            text = _("备份 {path} 未通过检查：{problem}").format(
                path=made.path, problem=made.problem
            )
        self.result.setText(text)
        self.backup_done.emit(made)

    # Restore -------------------------------------------------------------------------------

    def start_restore(self) -> None:
        chosen = ask_open_path(self)
        if not chosen:
            return
        target, source = self.session.db_target, Path(chosen)
        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)
        self._start_progress(_("正在检查备份"), _("正在检查 {path}…").format(path=source))
        run_task(self, lambda: _check_restore(target, source), self._checked, self._fail)

    def _checked(self, candidate: RestoreCandidate) -> None:
        self._end_progress()
        self.restore_checked.emit(candidate)
        question = QMessageBox(
            QMessageBox.Icon.Warning,
            _("从备份恢复"),
            _(
                "用备份 {path}（{cases} 件案件，架构版本 {version}）替换当前数据库吗？\n\n"
                "当前数据库不会删除，保留在它旁边（文件名加 .replaced-时间）。\n"
                "恢复时程序会关闭所有其他窗口和数据库连接，恢复完成后自动重新启动；"
                "请先保存正在填写的内容。"
            ).format(path=candidate.path, cases=candidate.cases, version=candidate.schema_version),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        question.setObjectName("restoreConfirmation")
        yes = question.addButton(_("恢复并重新启动"), QMessageBox.ButtonRole.AcceptRole)
        no = question.addButton(_("取消"), QMessageBox.ButtonRole.RejectRole)
        question.setDefaultButton(no)
        self.confirmation = question
        question.buttonClicked.connect(
            lambda button: self._confirmed(candidate) if button is yes else None
        )
        question.finished.connect(question.deleteLater)
        question.open()

    def _confirmed(self, candidate: RestoreCandidate) -> None:
        if not self._close_other_windows():
            self.result.setText(_("有窗口未关闭，未恢复；数据库没有改动。"))
            return
        self._pause_background_work()
        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)
        relay = self._start_progress(
            _("正在恢复"), _("正在从 {path} 恢复…").format(path=candidate.path)
        )
        release_connections(self)
        current = db.bound()
        if current is not None and not current.is_closed():
            current.close()  # the GUI thread's own connection, if it has one
        target = self.session.db_target
        run_task(
            self,
            lambda: _restore(target, candidate.path, relay),
            self._restored,
            self._restore_failed,
        )

    def _close_other_windows(self) -> bool:
        """Close case, intake and other windows (each keeps its work as it does on closing)."""
        keep = {self.window(), self.window().parentWidget()}
        for widget in QApplication.topLevelWidgets():
            if widget in keep or not widget.isVisible() or isinstance(widget, QProgressDialog):
                continue
            if widget.objectName() == "mainWindow" or widget is self.confirmation:
                continue
            if not widget.close():
                return False
        return True

    def _pause_background_work(self) -> None:
        """Stop what polls the database on a timer (changes, automatic backups, idle lock)."""
        from ui.common.change_watcher import ChangeWatcher
        from ui.start.auto_backup import AutoBackup

        for widget in QApplication.topLevelWidgets():
            for watcher in widget.findChildren(ChangeWatcher):
                if watcher._timer.isActive():
                    watcher.stop()
                    self._paused.append(watcher)
            for auto in widget.findChildren(AutoBackup):
                if auto.timer.isActive():
                    auto.timer.stop()
                    self._paused.append(auto.timer)

    def _resume_background_work(self) -> None:
        from ui.common.change_watcher import ChangeWatcher

        for paused in self._paused:
            if isinstance(paused, ChangeWatcher | QTimer):
                paused.start()
        self._paused.clear()

    def _restored(self, kept: Path | None) -> None:
        self._end_progress()
        self.restore_done.emit(kept)
        text = _("已从备份恢复。程序将重新启动。")
        if kept is not None:
            text += "\n" + _("原数据库已保留在 {path}").format(path=kept)
        self.result.setText(text)
        box = self._tell(QMessageBox.Icon.Information, text)
        box.finished.connect(lambda _result: restart_program())

    def _restore_failed(self, exc: BaseException) -> None:
        target = self.session.db_target
        self._fail(exc)
        # Nothing was replaced: this program holds the database again and works on.
        run_task(self, lambda: _reopen(target))
        self._resume_background_work()


def _restore(target: str, source: Path, relay: _Progress) -> Path | None:
    from hotline import backup

    return backup.restore_from(source, target, progress=relay.step.emit)


def _reopen(target: str) -> None:
    from hotline import holders

    if not db.is_url(target):
        holders.hold(Path(target))
