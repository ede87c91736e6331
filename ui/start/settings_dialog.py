"""The workstation settings: language, idle lock; where the database and settings are."""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QProcess, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hotline import db, i18n, paths
from hotline.i18n import _
from hotline.lock_policy import IdleLockPolicy
from ui.common.events import app_events
from ui.common.messages import error_text
from ui.common.session import Session
from ui.common.settings import AppSettings
from ui.common.tasks import run_task

log = logging.getLogger(__name__)

LANGUAGES = {"zh_CN": "中文（简体）", "en": "English"}  # each in its own language


class SettingsDialog(QDialog):
    policy_loaded = Signal()  # the centre's idle-lock policy was read (or could not be)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = AppSettings()
        self.setWindowTitle(_("设置"))
        self.setMinimumWidth(520)
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(self.settings.language)))
        self.language_note = QLabel(self, objectName="hint", wordWrap=True)
        self.language_note.setObjectName("languageNote")
        self._explain_language()
        self.language.currentIndexChanged.connect(self._explain_language)
        self.idle = QSpinBox(self)
        self.idle.setObjectName("idleLock")
        self.idle.setRange(0, 240)
        self.idle.setSuffix(_(" 分钟"))
        self.idle.setSpecialValueText(_("从不锁定"))
        self.idle.setValue(self.settings.idle_lock_minutes)
        self.idle.setEnabled(False)  # until the centre's policy is read
        self.idle_policy = QLabel(_("正在读取本中心的锁定策略…"), self)
        self.idle_policy.setObjectName("hint")
        self.idle_policy.setWordWrap(True)
        self.reminders = QCheckBox(_("有新的待回访、退回等提醒时在系统托盘通知"), self)
        self.reminders.setObjectName("reminderMessages")
        self.reminders.setChecked(self.settings.reminder_messages)
        database = self._path_label(db.describe(session.db_target))
        settings_file = self._path_label(str(paths.data_dir() / "settings.ini"))
        form = QFormLayout()
        form.addRow(_("界面语言"), self.language)
        form.addRow("", self.language_note)
        form.addRow(_("无操作自动锁定"), self.idle)
        form.addRow("", self.idle_policy)
        form.addRow(_("提醒"), self.reminders)
        form.addRow(_("数据库"), database)
        form.addRow(_("设置文件"), settings_file)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        from hotline import lock_policy

        run_task(self, lock_policy.load, self.apply_policy, self._policy_failed)

    def apply_policy(self, policy: IdleLockPolicy) -> None:
        """Cap the idle-lock choice by the centre's policy, saying so."""
        chosen = self.idle.value()
        self.idle.setRange(0 if policy.allow_off else 1, policy.max_minutes)
        self.idle.setValue(policy.effective(chosen))
        self.idle.setEnabled(True)
        if policy.allow_off:
            text = _("本中心规定：最长 {minutes} 分钟无操作即锁定；可以选择从不锁定。")
        else:
            text = _("本中心规定：最长 {minutes} 分钟无操作即锁定，不能关闭自动锁定。")
        self.idle_policy.setText(text.format(minutes=policy.max_minutes))
        self.policy_loaded.emit()

    def _policy_failed(self, exc: BaseException) -> None:
        log.warning("idle-lock policy could not be read: %s", exc)
        self.idle_policy.setText(
            _("无法读取本中心的锁定策略：{reason}。自动锁定时间暂不能修改。").format(
                reason=error_text(exc)
            )
        )
        self.policy_loaded.emit()

    def _explain_language(self) -> None:
        """The language in use now, and why it differs from the choice when it does."""
        effective = i18n.current_locale()
        chosen = str(self.language.currentData())
        forced = os.environ.get("HOTLINE_LANG")
        lines = [_("当前界面语言：{language}").format(language=LANGUAGES[effective])]
        if forced:
            lines.append(
                _(
                    "环境变量 HOTLINE_LANG={value} 决定了界面语言，这里的选择只在不设置"
                    "该变量启动时生效。"
                ).format(value=forced)
            )
        elif chosen != effective:
            lines.append(_("重新启动程序后切换为 {language}。").format(language=LANGUAGES[chosen]))
        self.language_note.setText("\n".join(lines))
        self.language_note.setVisible(bool(forced) or chosen != effective)

    def _path_label(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        return label

    def save(self) -> None:
        old_language = self.settings.language
        new_language = str(self.language.currentData())
        self.settings.language = new_language
        if self.idle.isEnabled():  # never a value the policy was not checked against
            self.settings.idle_lock_minutes = self.idle.value()
        self.settings.reminder_messages = self.reminders.isChecked()
        self.settings.sync()
        self.accept()
        if new_language != old_language:
            app_events().language_changed.emit(new_language)
            if not os.environ.get("HOTLINE_LANG"):  # else a restart would not change it
                offer_restart(self.parentWidget())


def offer_restart(parent: QWidget | None) -> None:
    """Ask once whether to restart now so that the new language takes effect."""
    answer = QMessageBox.question(
        parent,
        _("切换语言"),
        _("界面语言将在程序重新启动后切换。现在重新启动吗？"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer == QMessageBox.StandardButton.Yes:
        restart()


def restart() -> None:
    """Start a new instance with the same arguments, then close this one."""
    arguments = sys.argv[1:] if getattr(sys, "frozen", False) else sys.argv
    if QProcess.startDetached(sys.executable, arguments):
        app = QApplication.instance()
        for widget in QApplication.topLevelWidgets():
            widget.close()
        if app is not None:
            app.quit()
    else:
        log.error("could not restart %s %s", sys.executable, arguments)
