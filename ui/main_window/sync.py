"""Keeping the main window current: after this window's writes and other workstations' ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotline.changes import Changes
from ui.common.change_watcher import ChangeWatcher
from ui.common.events import app_events
from ui.common.linked_windows import existing_window

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

    _Base = MainWindow
else:
    _Base = object

REFERENCE_ENTITIES = {"department", "district"}


class WindowSync(_Base):
    """Mixin of :class:`ui.main_window.window.MainWindow`: refreshes and the change watcher."""

    stale = False  # other workstations changed cases the list does not show yet
    _local: set[int]

    def start_watching(self) -> None:
        self._local = set()
        self.change_watcher = ChangeWatcher(self)
        self.change_watcher.changed.connect(self._remote_changes)
        self.change_watcher.unavailable.connect(self._show_status_error)
        self.change_watcher.start()

    def refresh(self) -> None:
        self.stale = False
        self.model.forget_names()
        self.model.refresh()
        self.views.refresh_counts()
        self.strip.refresh()
        self.filters.load_options()
        self._update_footer()

    def _case_saved(self, case_id: int) -> None:
        """This workstation changed or registered a case."""
        self._local.add(case_id)
        if self.model.row_of_case(case_id) is not None:
            self.model.update_case(case_id)
        else:
            self.model.refresh()
        self._recount.start()

    def _case_registered(self, case_id: int) -> None:
        self._local.add(case_id)
        self._keep_selection = None
        self.model.refresh()
        self._recount.start()

    def _remote_changes(self, changes: Changes) -> None:
        """Rows shown are updated in place; others are loaded at once when the list is
        scrolled to its top, else the footer says that the list has news (F5)."""
        unseen = False
        for case_id in changes.case_ids - self._local:
            if self.model.row_of_case(case_id) is not None:
                self.model.update_case(case_id)
            else:
                unseen = True
            if existing_window("CaseDetailWindow", case_id) is not None:
                app_events().case_saved.emit(case_id)
        self._local.clear()
        if changes.entities & REFERENCE_ENTITIES:
            self.model.forget_names()
            self.filters.load_options()
        if changes.reload_all or unseen:
            if self.table.verticalScrollBar().value() == 0:
                self.model.refresh()
            else:
                self.stale = True
        self._recount.start()
        self.strip.schedule()
        self._update_footer()
