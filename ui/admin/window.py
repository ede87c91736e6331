"""The administration window: users, departments, districts, deadline policy, holidays,
backup and restore."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from hotline.i18n import _
from hotline.permissions import Action
from ui.common.session import Session
from ui.common.settings import PreserveGeometry

PAGES = ("users", "departments", "districts", "policy", "holidays", "backup")


class AdminWindow(PreserveGeometry, QWidget):
    layout_key = "admin_window"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ui.admin.backup_page import BackupPage
        from ui.admin.departments import DepartmentsPage, DistrictsPage
        from ui.admin.holidays import HolidaysPage
        from ui.admin.policy import PolicyPage
        from ui.admin.users import UsersPage

        self.session = session
        self.setObjectName("adminWindow")
        self.setWindowTitle(_("系统管理"))
        self.tabs = QTabWidget(self)
        self.pages: dict[str, QWidget] = {}
        can_users = session.can(Action.USER_MANAGE)
        can_settings = session.can(Action.SETTINGS_MANAGE)
        specs = (
            ("users", _("用户"), UsersPage, can_users),
            ("departments", _("承办单位"), DepartmentsPage, can_settings),
            ("districts", _("区县"), DistrictsPage, can_settings),
            ("policy", _("办理时限"), PolicyPage, can_settings),
            ("holidays", _("节假日"), HolidaysPage, can_settings),
            ("backup", _("备份与恢复"), BackupPage, session.can(Action.BACKUP)),
        )
        for name, title, page_class, allowed in specs:
            if allowed:
                page = page_class(session, self.tabs)
                self.pages[name] = page
                self.tabs.addTab(page, title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        if not self.restore_layout():
            self.resize(820, 560)

    def show_page(self, name: str) -> None:
        page = self.pages.get(name)
        if page is not None:
            self.tabs.setCurrentWidget(page)
