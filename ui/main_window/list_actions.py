"""What can be done from the case list itself: its context menu (open, enterprise, copy the
case number, PDF, dispatch, export) and the bulk actions on the selected rows.

Only what the role may do is offered, and dispatch only for cases whose state allows it,
checked as the case window checks them (:func:`hotline.transitions.may_take`); the services
check again. Rows are read from the list's cache; any database work runs on the pool.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QProgressDialog

from hotline import transitions
from hotline.bulk_records import BulkResult, ChosenCase
from hotline.case_queries import CaseFilter, CaseRow
from hotline.errors import HotlineError
from hotline.i18n import _, format_number
from hotline.permissions import Action
from ui.common.dialog_parts import refusal_text
from ui.common.events import app_events
from ui.common.messages import show_error
from ui.common.settings import qsettings
from ui.common.tasks import run_task

if TYPE_CHECKING:
    from ui.main_window.bulk_dialogs import BulkResultsDialog
    from ui.main_window.window import MainWindow

log = logging.getLogger(__name__)

EXPORT_DIR_KEY = "export/save_dir"
XLSX_FILTER = "Excel (*.xlsx)"
CSV_FILTER = "CSV (*.csv)"


class _Progress(QObject):
    moved = Signal(int, int)  # done, total (emitted from a worker thread)


class _Cancelled(Exception):
    """Raised in a worker's progress callback when the user cancelled."""


class ListActions(QObject):
    """Owned by the main window (``window.list_actions``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.table = window.table
        self.model = window.model
        self.last_results: BulkResultsDialog | None = None  # the last results shown
        self.table.context_menu_requested.connect(self._popup)

    # What is selected

    def selected_positions(self) -> list[int]:
        rows = self.table.selected_rows()
        current = self.table.currentIndex()
        if not rows and current.isValid():
            rows = [current.row()]
        return rows

    def selected_ids(self) -> list[int]:
        return [self.model.case_id_at(row) for row in self.selected_positions()]

    def selected_rows(self) -> list[CaseRow]:
        """The selected rows the list has in its cache (those in view always are)."""
        found = (self.model.cached_row(row) for row in self.selected_positions())
        return [row for row in found if row is not None]

    def dispatchable(self, rows: list[CaseRow]) -> list[CaseRow]:
        actor = self.session.actor
        return [row for row in rows if transitions.may_take("dispatch", row.status, actor)]

    # The context menu

    def build_menu(self) -> QMenu:
        """The menu for the selected rows, with only what the role (and the state) allows."""
        s = self.session
        rows = self.selected_rows()
        count = len(self.selected_positions())
        menu = QMenu(self.table)
        menu.setObjectName("caseListMenu")

        def add(
            name: str, text: str, slot: Callable[[], object], shortcut: str = "", *, on: bool = True
        ) -> QAction:
            action = menu.addAction(text)
            action.setObjectName(name)
            # Shown as a hint: the window's own action (same name) has the shortcut.
            hint = self._shortcut_of(shortcut) if shortcut else QKeySequence()
            if not hint.isEmpty():
                action.setShortcut(hint)
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setEnabled(on)
            action.triggered.connect(lambda _checked=False: slot())
            return action

        single = count == 1
        open_action = add("menuOpen", _("打开案件"), self.window.menu_actions.open_current_case)
        open_action.setShortcut(QKeySequence(Qt.Key.Key_Return))
        open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        font = open_action.font()
        font.setBold(True)
        open_action.setFont(font)
        menu.setDefaultAction(open_action)
        has_enterprise = single and bool(rows) and bool(rows[0].enterprise_name)
        add(
            "menuEnterprise",
            _("所属企业档案"),
            self.window.menu_actions.open_enterprise,
            "openEnterprise",
            on=has_enterprise,
        )
        copy_text = _("复制案件编号") if single else _("复制 {count} 个案件编号")
        add(
            "menuCopy",
            copy_text.format(count=format_number(count)),
            self.copy_case_numbers,
            "copyCaseNo",
        )
        if s.can(Action.CASE_DISPATCH):
            menu.addSeparator()
            ready = self.dispatchable(rows)
            text = _("派单…") if single else _("派单所选 {count} 个案件…")
            action = add(
                "menuDispatch",
                text.format(count=format_number(count)),
                self.dispatch_selected,
                "dispatchSelected",
                on=bool(ready),
            )
            if not ready:
                action.setToolTip(_("所选案件的状态不能派单（只有已受理或被退回的案件可以派单）"))
        if s.can(Action.REPORT_VIEW) or s.can(Action.CASE_EXPORT):
            menu.addSeparator()
        if s.can(Action.REPORT_VIEW):
            if single:
                add(
                    "menuPdf",
                    _("案件摘要 PDF…"),
                    self.window.menu_actions.open_selected_case_pdf,
                    "selectedCasePdf",
                )
            else:
                add(
                    "menuPdf",
                    _("打印所选 {count} 个案件的摘要…").format(count=format_number(count)),
                    self.print_selected,
                    "selectedCasePdf",
                )
        if s.can(Action.CASE_EXPORT):
            export_text = _("导出所选案件…") if single else _("导出所选 {count} 个案件…")
            add("menuExport", export_text.format(count=format_number(count)), self.export_selected)
        for action in menu.actions():
            action.setShortcutVisibleInContextMenu(True)
        return menu

    def _shortcut_of(self, action_name: str) -> QKeySequence:
        """The shortcut of the main window's action ``action_name`` (empty when none)."""
        found = self.window.findChild(QAction, action_name)
        return found.shortcut() if found is not None else QKeySequence()

    def _popup(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        if not self.table.selectionModel().isRowSelected(index.row()):
            self.table.selectRow(index.row())
        self.table.setCurrentIndex(index)
        menu = self.build_menu()
        self.exec_menu(menu, self.table.viewport().mapToGlobal(point))
        menu.deleteLater()

    def exec_menu(self, menu: QMenu, at: QPoint) -> None:
        """Show ``menu`` at the screen point ``at`` until it closes."""
        menu.exec(at)

    # The actions

    def copy_case_numbers(self) -> None:
        positions = self.selected_positions()
        if not positions:
            return
        rows = {row.id: row.case_no for row in self.selected_rows()}
        ids = self.selected_ids()
        missing = [case_id for case_id in ids if case_id not in rows]
        if missing:  # rows scrolled far out of the cache: read their numbers first

            def read() -> dict[int, str]:
                from ui.case_list.pages import read_ids

                return {row.id: row.case_no for row in read_ids(missing, reveal=False)}

            run_task(self, read, lambda found: self._copy(ids, {**rows, **found}))
            return
        self._copy(ids, rows)

    def _copy(self, ids: list[int], numbers: dict[int, str]) -> None:
        text = "\n".join(numbers[case_id] for case_id in ids if case_id in numbers)
        QGuiApplication.clipboard().setText(text)
        self.window.statusBar().showMessage(
            _("已复制 {count} 个案件编号").format(count=format_number(len(ids))), 4000
        )

    def dispatch_selected(self) -> None:
        if not self.session.can(Action.CASE_DISPATCH):
            return
        positions = self.selected_positions()
        if len(positions) == 1:  # one case: the case window's own dialog, with its preview
            rows = self.selected_rows()
            if rows and transitions.may_take("dispatch", rows[0].status, self.session.actor):
                self.window.menu_actions.open_case(rows[0].id)
                self._dispatch_in_window(rows[0].id)
            else:
                self.window.statusBar().showMessage(
                    _("所选案件的状态不能派单（只有已受理或被退回的案件可以派单）"), 6000
                )
            return
        rows = self.selected_rows()
        if len(rows) == len(positions) and not self.dispatchable(rows):
            self.window.statusBar().showMessage(
                _("所选案件的状态不能派单（只有已受理或被退回的案件可以派单）"), 6000
            )
            return
        self._ask_department(positions)

    def _dispatch_in_window(self, case_id: int) -> None:
        """Open the case window's dispatch dialog once the window has its case."""
        from ui.common.linked_windows import existing_window

        window: Any = self.window.menu_actions.open_windows.get(("case", case_id))
        window = window or existing_window("CaseDetailWindow", case_id)
        if window is None or not hasattr(window, "perform"):
            return
        if getattr(window, "snapshot", None) is not None:
            window.perform("dispatch")
            return
        window.case_loaded.connect(
            lambda _snapshot: window.perform("dispatch"), Qt.ConnectionType.SingleShotConnection
        )

    def _ask_department(self, positions: list[int]) -> None:
        from hotline import admin

        def show(choices: tuple[list[tuple[str, str]], list[tuple[int, str]]]) -> None:
            from ui.main_window.bulk_dialogs import BulkDispatchDialog  # when first used

            dialog = BulkDispatchDialog(choices[1], len(positions), self.window)
            # Kept until the batch is done: a batch refused as a whole (an assisting
            # department deactivated meanwhile) opens it again with what was chosen.
            dialog.rejected.connect(dialog.deleteLater)
            dialog.accepted.connect(
                lambda: self.dispatch_many(
                    self._chosen(),
                    dialog.department_id() or 0,
                    dialog.note.toPlainText(),
                    assisting=dialog.assisting_ids(),
                    assist_workdays=dialog.assist_days.value(),
                    chosen_in=dialog,
                )
            )
            dialog.open()
            self.dispatch_dialog = dialog

        run_task(self, admin.filter_choices, show, lambda exc: show_error(self.window, exc))

    def _chosen(self) -> list[ChosenCase]:
        """The selected cases with the version the list showed (None: not in the cache)."""
        rows = {row.id: row for row in self.selected_rows()}
        chosen = []
        for case_id in self.selected_ids():
            row = rows.get(case_id)
            chosen.append(
                ChosenCase(case_id, row.case_no, row.version)
                if row
                else ChosenCase(case_id, "", None)
            )
        return chosen

    def dispatch_many(
        self,
        chosen: list[ChosenCase],
        department_id: int,
        note: str,
        *,
        assisting: Sequence[int] = (),
        assist_workdays: int | None = None,
        chosen_in: Any = None,
    ) -> None:
        """Dispatch each of ``chosen``; ``chosen_in`` is the dialog the choices were made in,
        opened again with the reason if the batch is refused before any case."""
        actor = self.session.actor
        helpers = list(assisting)

        def work(progress: Callable[[int, int], None]) -> list[BulkResult]:
            from hotline import (
                bulk_actions,  # the services load with the first bulk action
                cohandling,
            )

            days = cohandling.DEFAULT_WORKDAYS if assist_workdays is None else assist_workdays
            return bulk_actions.dispatch_many(
                actor,
                _numbered(chosen),
                department_id,
                note=note,
                assisting=helpers,
                assist_workdays=days,
                progress=progress,
            )

        def done(results: list[BulkResult]) -> None:
            ok = sum(result.ok for result in results)
            summary = _("已派单 {ok} 个案件，{failed} 个未能派单。").format(
                ok=format_number(ok), failed=format_number(len(results) - ok)
            )
            if ok == len(results):
                summary = _("已派单 {ok} 个案件。").format(ok=format_number(ok))
            self._show_results(_("派单结果"), summary, results)
            app_events().cases_changed.emit()
            if chosen_in is not None:
                chosen_in.deleteLater()

        def refused(exc: BaseException) -> bool:
            if chosen_in is None or not isinstance(exc, HotlineError):
                return False
            chosen_in.show_problem(refusal_text(exc))
            chosen_in.open()
            return True

        self._with_progress(_("正在派单…"), len(chosen), work, done, refused)

    def print_selected(self, target: str | None = None, one_file: bool | None = None) -> None:
        if not self.session.can(Action.REPORT_VIEW):
            return
        ids = self.selected_ids()
        if len(ids) == 1 and target is None:
            self.window.menu_actions.open_selected_case_pdf()
            return
        if one_file is None:
            from ui.main_window.bulk_dialogs import ask_one_file  # when first used

            one_file = ask_one_file(self.window, len(ids))
            if one_file is None:
                return
        if target is None:
            target = self._ask_pdf_target(one_file)
            if not target:
                return
        actor = self.session.actor
        chosen = self._chosen()
        out = target

        def work(progress: Callable[[int, int], None]) -> list[BulkResult]:
            from hotline import bulk_actions

            numbers = [case.case_no for case in _numbered(chosen)]
            return bulk_actions.print_summaries(
                actor, numbers, out, one_file=bool(one_file), progress=progress
            )

        def done(results: list[BulkResult]) -> None:
            ok = sum(result.ok for result in results)
            summary = _("已生成 {ok} 个案件的摘要，保存到 {path}").format(
                ok=format_number(ok), path=out
            )
            if ok < len(results):
                self._show_results(_("打印摘要的结果"), summary, results)
            else:
                self.window.statusBar().showMessage(summary, 8000)

        self._with_progress(_("正在生成案件摘要…"), len(chosen), work, done)

    def _ask_pdf_target(self, one_file: bool) -> str:
        folder = _start_folder()
        if one_file:
            path, _filter = QFileDialog.getSaveFileName(
                self.window,
                _("保存案件摘要"),
                str(Path(folder) / "case-summaries.pdf"),
                _("PDF 文件 (*.pdf)"),
            )
            if path and not path.lower().endswith(".pdf"):
                path += ".pdf"
        else:
            path = QFileDialog.getExistingDirectory(self.window, _("选择保存摘要的文件夹"), folder)
        if path:
            qsettings().setValue(EXPORT_DIR_KEY, str(Path(path).parent if one_file else path))
        return path

    # Export

    def export_selected(self, path: str | None = None) -> None:
        ids = tuple(self.selected_ids())
        if ids:
            self.export(CaseFilter(case_ids=ids), path, what=len(ids))

    def export_view(self, path: str | None = None) -> None:
        """What the list shows now: its view, filters and search, in its order."""
        self.export(self.window.current_filter(), path, what=None)

    def export(self, flt: CaseFilter, path: str | None, *, what: int | None) -> None:
        if not self.session.can(Action.CASE_EXPORT):
            return
        if path is None:
            chosen, selected = QFileDialog.getSaveFileName(
                self.window,
                _("导出案件") if what is None else _("导出所选案件"),
                str(Path(_start_folder()) / "cases.xlsx"),
                f"{XLSX_FILTER};;{CSV_FILTER}",
            )
            if not chosen:
                return
            suffix = ".csv" if selected == CSV_FILTER else ".xlsx"
            path = chosen if Path(chosen).suffix.lower() in (".xlsx", ".csv") else chosen + suffix
            qsettings().setValue(EXPORT_DIR_KEY, str(Path(path).parent))
        from hotline.transfer import exporting

        actor = self.session.actor
        sort, descending = self.model.sort_key, self.model.descending
        target = path

        def work(progress: Callable[[int, int], None]) -> int:
            # In the app a file is for reading: labels, CSV as well as XLSX.
            return exporting.export_file(
                actor,
                target,
                case_filter=flt,
                sort=sort,
                descending=descending,
                labels=True,
                progress=progress,
            )

        def done(count: int) -> None:
            self.window.statusBar().showMessage(
                _("已导出 {count} 个案件到 {path}").format(count=format_number(count), path=target),
                10_000,
            )
            self.exported.emit(target)

        self._with_progress(_("正在导出…"), what or self.model.total or 0, work, done)

    exported = Signal(str)  # the file written

    # Helpers

    def _with_progress(
        self,
        label: str,
        total: int,
        work: Callable[[Callable[[int, int], None]], Any],
        done: Callable[[Any], None],
        refused: Callable[[BaseException], bool] | None = None,
    ) -> None:
        """Run ``work(progress)`` on the pool with a progress dialog that can cancel it
        (a cancelled export leaves no file; cases dispatched before stay dispatched).
        ``refused`` may take a failure itself (True) instead of the error box."""
        dialog = QProgressDialog(label, _("取消"), 0, max(total, 1), self.window)
        dialog.setObjectName("bulkProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        relay = _Progress(self)
        cancelled = {"flag": False}

        def moved(at: int, of: int) -> None:
            dialog.setMaximum(max(of, 1))
            dialog.setValue(at)

        relay.moved.connect(moved)
        dialog.canceled.connect(lambda: cancelled.update(flag=True))

        def progress(at: int, of: int) -> None:
            if cancelled["flag"]:
                raise _Cancelled
            relay.moved.emit(at, of)

        def finished(result: Any) -> None:
            dialog.close()
            relay.deleteLater()
            done(result)

        def failed(exc: BaseException) -> None:
            dialog.close()
            relay.deleteLater()
            if isinstance(exc, _Cancelled):
                self.window.statusBar().showMessage(_("已取消"), 4000)
                return
            if refused is not None and refused(exc):
                return
            show_error(self.window, exc)

        run_task(self, lambda: work(progress), finished, failed)

    def _show_results(self, title: str, summary: str, results: list[BulkResult]) -> None:
        from ui.main_window.bulk_dialogs import BulkResultsDialog  # when first used

        dialog = BulkResultsDialog(title, summary, results, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_a: setattr(self, "last_results", None))
        self.last_results = dialog
        dialog.open()


def _numbered(chosen: list[ChosenCase]) -> list[ChosenCase]:
    """Case numbers for those the list had not cached (read on the worker thread)."""
    missing = [case.id for case in chosen if not case.case_no]
    if not missing:
        return chosen
    from ui.case_list.pages import read_ids

    numbers = {row.id: row.case_no for row in read_ids(missing, reveal=False)}
    return [
        case if case.case_no else ChosenCase(case.id, numbers.get(case.id, str(case.id)), None)
        for case in chosen
    ]


def _start_folder() -> str:
    return str(qsettings().value(EXPORT_DIR_KEY, "") or "") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    )
