"""The main window's menus and keyboard shortcuts, built from its slots and the user's role."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from hotline import case_queries
from hotline.i18n import _
from hotline.permissions import Action
from ui import windows

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    *,
    name: str,
    enabled: bool = True,
) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    action.setEnabled(enabled)
    window.addAction(action)
    return action


def build_menus(window: MainWindow) -> dict[str, QAction]:
    """Create every action, add them to the menu bar; returns them by object name."""
    s = window.session
    actions: dict[str, QAction] = {}

    def add(menu: QMenu, *args, **kwargs) -> QAction:  # type: ignore[no-untyped-def]
        action = _action(window, *args, **kwargs)
        menu.addAction(action)
        actions[action.objectName()] = action
        return action

    bar = window.menuBar()
    case_menu = bar.addMenu(_("案件(&C)"))
    add(
        case_menu,
        _("新建案件…"),
        window.new_case,
        "Ctrl+N",
        name="newCase",
        enabled=s.can(Action.CASE_REGISTER) and windows.available(windows.INTAKE),
    )
    open_case = add(case_menu, _("打开案件"), window.open_current_case, name="openCase")
    open_case.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
    open_case.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    window.table.addAction(open_case)
    add(
        case_menu,
        _("所属企业档案"),
        window.open_enterprise,
        "Ctrl+E",
        name="openEnterprise",
        enabled=windows.available(windows.ENTERPRISE),
    )
    case_menu.addSeparator()
    add(
        case_menu,
        _("交接班…"),
        window.open_handover,
        "Ctrl+Shift+H",
        name="handover",
        enabled=windows.available(windows.HANDOVER),
    )
    case_menu.addSeparator()
    add(case_menu, _("锁定屏幕"), window.lock_now, "Ctrl+L", name="lock")
    add(case_menu, _("退出"), window.close, QKeySequence.StandardKey.Quit, name="quit")

    view_menu = bar.addMenu(_("查看(&V)"))
    add(view_menu, _("搜索"), window.focus_search, QKeySequence.StandardKey.Find, name="search")
    add(view_menu, _("刷新"), window.refresh, QKeySequence.StandardKey.Refresh, name="refresh")
    add(view_menu, _("清除筛选"), window.clear_filters, name="clearFilters")
    view_menu.addSeparator()
    for number, view in enumerate(case_queries.VIEWS, start=1):
        add(
            view_menu,
            _(case_queries.VIEWS[view]),
            lambda view=view: window.views.select_view(view),
            f"Ctrl+{number}",
            name=f"view_{view}",
        )

    window.reports_menu = bar.addMenu(_("报表(&R)"))
    window._build_reports_menu()
    if window.reports_menu.isEmpty():
        window.reports_menu.menuAction().setVisible(False)

    if s.can(Action.USER_MANAGE) or s.can(Action.SETTINGS_MANAGE):
        admin_menu = bar.addMenu(_("管理(&A)"))
        admin_menu.setObjectName("adminMenu")
        pages = (
            ("users", _("用户…"), Action.USER_MANAGE),
            ("departments", _("承办单位…"), Action.SETTINGS_MANAGE),
            ("districts", _("区县…"), Action.SETTINGS_MANAGE),
            ("policy", _("办理时限与节假日…"), Action.SETTINGS_MANAGE),
        )
        for page, text, permission in pages:
            add(
                admin_menu,
                text,
                lambda page=page: window.open_admin(page),
                name=f"admin_{page}",
                enabled=s.can(permission),
            )
        from ui.extensions import add_catalogue_entry

        add_catalogue_entry(window, admin_menu)

    tools_menu = bar.addMenu(_("工具(&T)"))
    add(
        tools_menu,
        _("设置…"),
        window.open_settings,
        "Ctrl+,",
        name="settings",
    )
    help_menu = bar.addMenu(_("帮助(&H)"))
    add(help_menu, _("键盘快捷键"), window.show_shortcuts, "F1", name="shortcuts")
    add(help_menu, _("关于"), window.show_about, name="about")
    return actions


def reports_available() -> bool:
    try:
        return importlib.util.find_spec("hotline.reports") is not None
    except (ImportError, ValueError):
        return False
