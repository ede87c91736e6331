"""What the main window's menu entries open: case windows, enterprise, handover, admin, settings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from hotline import db, version
from hotline.errors import HotlineError
from hotline.i18n import N_, _
from hotline.permissions import Action
from ui.common.linked_windows import LINKED, bring_forward, existing_window
from ui.common.messages import show_error
from ui.common.tasks import run_task
from ui.links import follow_links

if TYPE_CHECKING:
    from hotline.calls import IncomingCall
    from ui.intake.form import IntakeWindow
    from ui.main_window.window import MainWindow

log = logging.getLogger(__name__)

MSG_NO_INTAKE = N_("当前登录的角色无权登记来电，未弹屏。")


class WindowActions(QObject):
    """The slots of the main window's menus; the window owns one (``window.menu_actions``), a
    child that goes with it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.open_windows: dict[tuple[str, int], QWidget] = {}
        self._spare_intake: IntakeWindow | None = None  # made ahead, not shown yet

    def _open(
        self, key: tuple[str, int], class_name: str, make: Callable[[], QWidget]
    ) -> QWidget | None:
        """Show the window for ``key`` (raising it when already open), else create it.

        A case or enterprise window opened from elsewhere (intake, a linked case) counts as
        open too: the operator never has two copies of a case to confuse.
        """
        existing = self.open_windows.get(key)
        if existing is None and class_name in LINKED:
            existing = existing_window(class_name, key[1])
        if existing is not None:
            bring_forward(existing)
            return existing
        try:
            window = make()
        except Exception as exc:  # a core error while loading the window's data
            show_error(self.window, exc)
            return None
        if class_name in LINKED:
            follow_links(window, self.session)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        window.destroyed.connect(lambda *_a, key=key: self.open_windows.pop(key, None))
        self.open_windows[key] = window
        bring_forward(window)
        return window

    def new_case(self) -> None:
        if not self.window.actions_by_name["newCase"].isEnabled():
            return

        key = ("intake", 0)
        known = key in self.open_windows
        window = self._open(key, "IntakeWindow", self._intake_form)
        if window is not None and not known:
            self._connect_intake(window)

    def prepare_intake(self) -> None:
        """Make the intake form ahead, hidden, once the window is idle: the first call's pop
        (and the first Ctrl+N) then only shows it."""
        from ui.intake.form import IntakeWindow

        if self._spare_intake is not None or not self.session.can(Action.CASE_REGISTER):
            return
        if self.intake_windows():
            return
        self._spare_intake = IntakeWindow(self.session, parent=self.window)

    def _intake_form(self) -> QWidget:
        from ui.intake.form import IntakeWindow

        spare, self._spare_intake = self._spare_intake, None
        if spare is not None:
            spare.restore_banner.refresh()  # a draft may have been left since it was made
            return spare
        return IntakeWindow(self.session, parent=self.window)

    def intake_windows(self) -> list[QWidget]:
        return [w for key, w in self.open_windows.items() if key[0] == "intake"]

    def incoming_call(self, call: IncomingCall) -> str:
        """Show a ringing call in an intake form: one nobody is typing in (a new one when none
        is open), else a banner in the active form offering another form for it."""
        from ui.intake.form import IntakeWindow

        if not self.session.can(Action.CASE_REGISTER):
            raise HotlineError(MSG_NO_INTAKE)
        forms = [w for w in self.intake_windows() if isinstance(w, IntakeWindow)]
        free = next((w for w in forms if w.untouched()), None)
        if free is None and not forms:
            self.new_case()
            free = self.open_windows.get(("intake", 0))  # type: ignore[assignment]
            if free is None:
                raise HotlineError(MSG_NO_INTAKE)
        if isinstance(free, IntakeWindow):
            bring_forward(free)
            return free.incoming_call(call)
        active = QApplication.activeWindow()
        target = active if isinstance(active, IntakeWindow) and active in forms else forms[0]
        bring_forward(target)
        return target.incoming_call(call)

    def open_call_form(self, call: IncomingCall) -> None:
        """Another intake form for ``call`` (the one being filled stays as it is)."""
        from ui.intake.form import IntakeWindow

        number = max((key[1] for key in self.open_windows if key[0] == "intake"), default=0) + 1
        window = self._open(
            ("intake", number), "IntakeWindow", lambda: IntakeWindow(self.session, self.window)
        )
        if isinstance(window, IntakeWindow):
            self._connect_intake(window)
            window.incoming_call(call)

    def _connect_intake(self, window: QWidget) -> None:
        window.case_registered.connect(self.window.sync.case_registered)  # type: ignore[attr-defined]
        window.new_form_for_call.connect(self.open_call_form)  # type: ignore[attr-defined]

    def open_current_case(self) -> None:
        case_id = self.window.current_case_id()
        if case_id is not None:
            self.open_case(case_id)

    def open_case(self, case_id: int) -> None:
        from ui.case.detail import CaseDetailWindow

        self._open(
            ("case", case_id),
            "CaseDetailWindow",
            lambda: CaseDetailWindow(self.session, case_id, parent=self.window),
        )

    def open_enterprise(self) -> None:
        case_id = self.window.current_case_id()
        if case_id is None:
            return
        from hotline import cases  # not needed to show the list

        run_task(
            self,
            lambda: cases.enterprise_of(case_id),
            on_done=self._open_enterprise_of,
            on_error=lambda exc: show_error(self.window, exc),
        )

    def _open_enterprise_of(self, enterprise_id: int | None) -> None:
        if enterprise_id is None:
            self.window.statusBar().showMessage(_("该案件没有关联企业"), 5000)
            return
        from ui.enterprise.window import EnterpriseWindow

        self._open(
            ("enterprise", enterprise_id),
            "EnterpriseWindow",
            lambda: EnterpriseWindow(self.session, enterprise_id, parent=self.window),
        )

    def open_enterprise_directory(self) -> None:
        """The enterprise directory (one per main window); it opens enterprises as the menu
        entry does."""
        from ui.enterprise.directory import EnterpriseDirectory

        def make() -> QWidget:
            directory = EnterpriseDirectory(self.session, parent=self.window)
            directory.enterprise_requested.connect(self._open_enterprise_of)
            return directory

        self._open(("enterprise_directory", 0), "EnterpriseDirectory", make)

    def open_reply_texts(self) -> None:
        """The reply texts page (one per main window)."""
        from ui.reply_texts.manager import ReplyTextsWindow

        self._open(
            ("reply_texts", 0),
            "ReplyTextsWindow",
            lambda: ReplyTextsWindow(self.session, parent=self.window),
        )

    def open_handover(self) -> None:
        from ui.handover.dialog import HandoverDialog

        self._open(
            ("handover", 0),
            "HandoverDialog",
            lambda: HandoverDialog(self.session, parent=self.window),
        )

    def open_admin(self, page: str) -> None:
        from ui.admin.window import AdminWindow

        window = self.open_windows.get(("admin", 0))
        if window is None:
            window = AdminWindow(self.session, parent=self.window)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            window.destroyed.connect(lambda *_a: self.open_windows.pop(("admin", 0), None))
            self.open_windows[("admin", 0)] = window
        window.show_page(page)  # type: ignore[attr-defined]
        bring_forward(window)

    def open_audit_window(self) -> None:
        from ui.admin.audit_window import AuditWindow

        window = AuditWindow(self.session, self.window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()

    def open_catalogue_dialog(self) -> None:
        from ui.exemption.catalogue_dialog import open_catalogue_dialog

        open_catalogue_dialog(self.session, self.window)

    def open_weekly_report(self) -> None:
        from ui.reports import actions as report_actions

        report_actions.open_weekly_report(self.window, self.session)

    def open_knowledge(self) -> None:
        from ui.knowledge.window import open_knowledge

        open_knowledge(self.session, self.window)

    def open_statistics(self) -> None:
        from ui.statistics.window import StatisticsWindow

        self._open(
            ("statistics", 0),
            "StatisticsWindow",
            lambda: StatisticsWindow(self.session, open_case=self.open_case, parent=self.window),
        )

    def open_selected_case_pdf(self) -> None:
        if len(self.window.list_actions.selected_positions()) > 1:
            self.window.list_actions.print_selected()  # several: one PDF or a folder
            return
        case_id = self.window.current_case_id()
        if case_id is None:
            return
        from hotline import cases
        from ui.reports import actions as report_actions

        run_task(
            self,
            lambda: cases.get(case_id).case_no,
            on_done=lambda case_no: report_actions.open_case_pdf(
                self.window, self.session, case_no
            ),
            on_error=lambda exc: show_error(self.window, exc),
        )

    def open_settings(self) -> None:
        from ui.start.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_idle_lock()

    def apply_idle_lock(self) -> None:
        lock = getattr(self.window, "idle_lock", None)
        if lock is not None:
            from ui.common.settings import AppSettings

            lock.choose(AppSettings().idle_lock_minutes)  # capped by the centre's policy

    def lock_now(self) -> None:
        lock = getattr(self.window, "idle_lock", None)
        if lock is not None:
            lock.lock()

    def sign_out(self) -> None:
        """Sign out and let another user sign in, without quitting (the shift change)."""
        switch = self.window.user_switch
        if switch is not None:
            switch.sign_out()

    def show_shortcuts(self) -> None:
        from ui.common.shortcuts_dialog import show_shortcuts

        show_shortcuts(self.window)

    def show_about(self) -> None:
        QMessageBox.about(
            self.window,
            _("关于"),
            _("{program}\n数据库：{database}").format(
                program=version.version_line(), database=db.describe(self.session.db_target)
            ),
        )
