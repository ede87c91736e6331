"""The main window's menus and keyboard shortcuts, built from its slots and the user's role."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from hotline import case_queries
from hotline.i18n import _
from hotline.permissions import Action
from ui.common import shortcuts

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[[], object],
    shortcut: str | None = None,
    *,
    name: str,
    enabled: bool = True,
) -> QAction:
    """``shortcut`` names a row of the shortcut table (ui.common.shortcuts)."""
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcuts(shortcuts.sequences(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    action.setEnabled(enabled)
    window.addAction(action)
    return action


def build_menus(window: MainWindow) -> dict[str, QAction]:
    """Create every action, add them to the menu bar; returns them by object name."""
    s = window.session
    slots = window.menu_actions
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
        slots.new_case,
        "new_case",
        name="newCase",
        enabled=s.can(Action.CASE_REGISTER),
    )
    open_case = add(case_menu, _("打开案件"), slots.open_current_case, "open_case", name="openCase")
    open_case.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    window.table.addAction(open_case)
    add(case_menu, _("所属企业档案"), slots.open_enterprise, "enterprise", name="openEnterprise")
    add(case_menu, _("企业名录…"), slots.open_enterprise_directory, name="enterpriseDirectory")
    _add_list_actions(window, case_menu, add)
    case_menu.addSeparator()
    add(case_menu, _("交接班…"), slots.open_handover, "handover", name="handover")
    case_menu.addSeparator()
    add(case_menu, _("锁定屏幕"), slots.lock_now, "lock", name="lock")
    add(
        case_menu,
        _("注销并切换用户…"),
        slots.sign_out,
        "sign_out",
        name="signOut",
        enabled=window.user_switch is not None,
    )
    add(case_menu, _("退出"), window.close, "quit", name="quit")

    view_menu = bar.addMenu(_("查看(&V)"))
    add(view_menu, _("搜索"), window.focus_search, "search", name="search")
    add(view_menu, _("刷新"), window.refresh, "refresh", name="refresh")
    add(view_menu, _("清除筛选"), window.clear_filters, name="clearFilters")
    view_menu.addSeparator()
    # Ctrl+n: the n-th view of the role's panel (the centre's views keep their numbers: the
    # ones a role is not offered come last).
    for number, view in enumerate(window.views.model.views, start=1):
        add(
            view_menu,
            _(case_queries.VIEWS[view]),
            lambda view=view: window.show_view(view),
            f"view_{number}" if number <= 9 else None,
            name=f"view_{view}",
        )

    window.reports_menu = bar.addMenu(_("报表(&R)"))
    _fill_reports_menu(window, window.reports_menu)

    if s.can(Action.USER_MANAGE) or s.can(Action.SETTINGS_MANAGE):
        admin_menu = bar.addMenu(_("管理(&A)"))
        admin_menu.setObjectName("adminMenu")
        pages = (
            ("users", _("用户…"), Action.USER_MANAGE),
            ("departments", _("承办单位…"), Action.SETTINGS_MANAGE),
            ("districts", _("区县…"), Action.SETTINGS_MANAGE),
            ("policy", _("办理时限与节假日…"), Action.SETTINGS_MANAGE),
            ("backup", _("备份与恢复…"), Action.BACKUP),
        )
        for page, text, permission in pages:
            add(
                admin_menu,
                text,
                lambda page=page: slots.open_admin(page),
                name=f"admin_{page}",
                enabled=s.can(permission),
            )
        _add_audit_and_catalogue(window, admin_menu)

    tools_menu = bar.addMenu(_("工具(&T)"))
    add(tools_menu, _("知识库…"), slots.open_knowledge, "knowledge", name="knowledge")
    add(
        tools_menu,
        _("设置…"),
        slots.open_settings,
        "settings",
        name="settings",
    )
    add(tools_menu, _("常用语…"), slots.open_reply_texts, name="replyTexts")
    help_menu = bar.addMenu(_("帮助(&H)"))
    add(help_menu, _("键盘快捷键"), slots.show_shortcuts, "shortcuts", name="shortcuts")
    add(help_menu, _("关于"), slots.show_about, name="about")
    return actions


def _add_list_actions(window: MainWindow, menu: QMenu, add: Callable[..., QAction]) -> None:
    """The list's own actions (its context menu has them too): copy, dispatch, export."""
    s = window.session
    bulk = window.list_actions
    copy = add(menu, _("复制案件编号"), bulk.copy_case_numbers, name="copyCaseNo")
    copy.setShortcuts(shortcuts.sequences("copy_case_no"))
    copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    window.table.addAction(copy)
    menu.addSeparator()
    add(
        menu,
        _("派单…"),
        bulk.dispatch_selected,
        "dispatch",
        name="dispatchSelected",
        enabled=s.can(Action.CASE_DISPATCH),
    )
    add(
        menu,
        _("导出当前列表…"),
        bulk.export_view,
        name="exportView",
        enabled=s.can(Action.CASE_EXPORT),
    )
    add(
        menu,
        _("导出所选案件…"),
        bulk.export_selected,
        name="exportSelected",
        enabled=s.can(Action.CASE_EXPORT),
    )


def _fill_reports_menu(window: MainWindow, menu: QMenu) -> None:
    """The Reports menu: the weekly report, the statistics window (any period, its PDF) and
    the selected case's summary."""
    slots = window.menu_actions
    weekly = menu.addAction(_("营商环境周报…"))
    weekly.setObjectName("weeklyReport")
    weekly.setShortcuts(shortcuts.sequences("weekly_report"))
    weekly.triggered.connect(lambda _checked=False: slots.open_weekly_report())
    statistics = menu.addAction(_("统计…"))
    statistics.setObjectName("statistics")
    statistics.setShortcuts(shortcuts.sequences("statistics"))
    statistics.triggered.connect(lambda _checked=False: slots.open_statistics())
    summary = menu.addAction(_("所选案件摘要 PDF…"))
    summary.setObjectName("selectedCasePdf")
    summary.setShortcuts(shortcuts.sequences("print"))
    summary.triggered.connect(lambda _checked=False: slots.open_selected_case_pdf())
    for action in (weekly, statistics, summary):
        action.setEnabled(window.session.can(Action.REPORT_VIEW))
        window.addAction(action)


def _add_audit_and_catalogue(window: MainWindow, menu: QMenu) -> None:
    slots = window.menu_actions
    if window.session.can(Action.AUDIT_VIEW):
        log_entry = menu.addAction(_("审计日志…"))
        log_entry.setObjectName("admin_audit")
        log_entry.triggered.connect(lambda _checked=False: slots.open_audit_window())
    if not window.session.can(Action.CATALOGUE_MANAGE):
        return
    entry = menu.addAction(_("首错免罚清单…"))
    entry.setObjectName("admin_catalogue")
    entry.triggered.connect(lambda _checked=False: slots.open_catalogue_dialog())
