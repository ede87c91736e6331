"""What the main window's menu entries open: case windows, enterprise, handover, admin, settings."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from hotline import __version__, db
from hotline.i18n import _
from hotline.models import Case
from ui import windows
from ui.common.linked_windows import LINKED, existing_window
from ui.common.messages import show_error

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

    _Base = MainWindow
else:
    _Base = object

log = logging.getLogger(__name__)


class WindowActions(_Base):
    """Mixin of :class:`ui.main_window.window.MainWindow`: the slots of its menus."""

    def _open(self, target: tuple[str, str], key: tuple[str, int], *args: Any) -> QWidget | None:
        """Show the window for ``key`` (raising it when already open), else create it.

        A case or enterprise window opened from elsewhere (intake, a linked case) counts as
        open too: the operator never has two copies of a case to confuse.
        """
        existing = self._open_windows.get(key)
        if existing is None and target[1] in LINKED:
            existing = existing_window(target[1], key[1])
        if existing is not None:
            windows.show_window(existing)
            return existing
        cls = windows.window_class(target)
        if cls is None:
            QMessageBox.information(self, _("暂不可用"), _("此功能尚未安装。"))
            return None
        try:
            window = cls(self.session, *args, parent=self)
        except Exception as exc:  # a core error while loading the window's data
            show_error(self, exc)
            return None
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        window.destroyed.connect(lambda *_a, key=key: self._open_windows.pop(key, None))
        self._open_windows[key] = window
        windows.show_window(window)
        return window

    def new_case(self) -> None:
        if not self.actions_by_name["newCase"].isEnabled():
            return
        window = self._open(windows.INTAKE, ("intake", 0))
        signal = getattr(window, "case_registered", None)
        if window is not None and signal is not None and not getattr(window, "_hooked", False):
            signal.connect(self._case_registered)
            window._hooked = True  # type: ignore[attr-defined]

    def open_current_case(self) -> None:
        case_id = self.current_case_id()
        if case_id is not None:
            self.open_case(case_id)

    def open_case(self, case_id: int) -> None:
        self._open(windows.CASE_DETAIL, ("case", case_id), case_id)

    def open_enterprise(self) -> None:
        case_id = self.current_case_id()
        if case_id is None:
            return
        enterprise_id = (
            Case.select(Case.enterprise).where(Case.id == case_id).scalar()
        )  # one row by primary key
        if enterprise_id is None:
            self.statusBar().showMessage(_("该案件没有关联企业"), 5000)
            return
        self._open(windows.ENTERPRISE, ("enterprise", enterprise_id), enterprise_id)

    def open_handover(self) -> None:
        self._open(windows.HANDOVER, ("handover", 0))

    def open_admin(self, page: str) -> None:
        from ui.admin.window import AdminWindow

        window = self._open_windows.get(("admin", 0))
        if window is None:
            window = AdminWindow(self.session, parent=self)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            window.destroyed.connect(lambda *_a: self._open_windows.pop(("admin", 0), None))
            self._open_windows[("admin", 0)] = window
        window.show_page(page)  # type: ignore[attr-defined]
        windows.show_window(window)

    def open_settings(self) -> None:
        from ui.start.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_idle_lock()

    def apply_idle_lock(self) -> None:
        lock = getattr(self, "idle_lock", None)
        if lock is not None:
            from ui.common.settings import AppSettings

            lock.set_minutes(AppSettings().idle_lock_minutes)

    def lock_now(self) -> None:
        lock = getattr(self, "idle_lock", None)
        if lock is not None:
            lock.lock()

    def show_shortcuts(self) -> None:
        lines = []
        for action in self.actions_by_name.values():
            shortcut = action.shortcut().toString(action.shortcut().SequenceFormat.NativeText)
            if shortcut and action.isEnabled():
                lines.append(
                    f"<tr><td>{action.text().replace('&', '')}</td><td><b>{shortcut}</b></td></tr>"
                )
        table = "<table cellspacing=6>" + "".join(lines) + "</table>"
        QMessageBox.information(self, _("键盘快捷键"), table)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            _("关于"),
            _("营商环境投诉热线工作台 {version}\n数据库：{database}").format(
                version=__version__, database=db.describe(self.session.db_target)
            ),
        )
