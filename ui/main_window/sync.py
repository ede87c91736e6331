"""Keeping the main window current: after this window's writes and other workstations' ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from hotline.changes import Changes
from ui.common.change_watcher import ChangeWatcher
from ui.common.events import app_events
from ui.common.linked_windows import existing_window

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

REFERENCE_ENTITIES = {"department", "district"}


class WindowSync(QObject):
    """The main window's refreshes and its change watcher; the window owns one
    (``window.sync``), a child that goes with it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.stale = False  # other workstations changed cases the list does not show yet
        self._local: set[int] = set()
        self.watcher = ChangeWatcher(window)
        self.watcher.changed.connect(self.remote_changes)
        self.watcher.unavailable.connect(window._show_status_error)

    def start(self) -> None:
        self.watcher.start()

    def case_saved(self, case_id: int) -> None:
        """This workstation changed or registered a case."""
        window = self.window
        self._local.add(case_id)
        if window.model.row_of_case(case_id) is not None:
            window.model.update_case(case_id)
        else:
            window.model.refresh()
        window._recount.start()

    def case_registered(self, case_id: int) -> None:
        window = self.window
        self._local.add(case_id)
        window._keep_selection = None
        window.model.refresh()
        window._recount.start()

    def remote_changes(self, changes: Changes) -> None:
        """Rows shown are updated in place; others are loaded at once when the list is
        scrolled to its top, else the footer says that the list has news (F5)."""
        window = self.window
        unseen = False
        for case_id in changes.case_ids - self._local:
            if window.model.row_of_case(case_id) is not None:
                window.model.update_case(case_id)
            else:
                unseen = True
            if existing_window("CaseDetailWindow", case_id) is not None:
                app_events().case_saved.emit(case_id)
        self._local.clear()
        if changes.entities & REFERENCE_ENTITIES:
            window.model.forget_names()
            window.filters.load_options()
        if changes.reload_all or unseen:
            if window.table.verticalScrollBar().value() == 0:
                window.model.refresh()
            else:
                self.stale = True
        window._recount.start()
        window.strip.schedule()
        window.reminders.schedule()
        window._update_footer()
