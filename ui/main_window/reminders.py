"""Keeping the user's reminders current and announcing what is new, in the background.

The check (:func:`hotline.reminders.check`) runs on the thread pool once a minute, after this
workstation's changes and when the change watcher sees other workstations' ones (within a
few seconds). What is new (``news``) is shown in the status strip; while the window is in
the background it is also announced by one tray message per check (when the settings allow
it); cases this workstation changed itself are not news to its user. Nothing here opens a dialog or activates
a window: a reminder never takes the focus from a form being typed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from hotline import reminders
from hotline.case_queries import VIEWS
from hotline.enums import Role
from hotline.i18n import _
from hotline.reminders import ReminderMarks, Reminders
from ui.common.events import app_events
from ui.common.settings import AppSettings
from ui.common.tasks import run_task
from ui.common.tray import TrayNotifier

log = logging.getLogger(__name__)

PERIOD_MS = 60_000
DEBOUNCE_MS = 500


def message_text(found: Reminders) -> str:
    """The lines of a notification: one per kind with news, in the reminders' order."""
    lines = [
        _(reminders.NEW_LINES[kind]).format(count=len(ids))
        for kind, ids in found.new.items()
        if ids
    ]
    return "\n".join(lines)


class ReminderWatch(QObject):
    updated = Signal(object)  # the latest hotline.reminders.Reminders
    announced = Signal(object)  # Reminders whose news a message was shown (or asked) for
    news = Signal(str, str)  # the lines of what is new, and the view to show (status strip)

    def __init__(
        self,
        role: Role | str,
        parent: QObject | None = None,
        *,
        notifier: TrayNotifier | None = None,
        enabled: Callable[[], bool] | None = None,
        in_background: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.role = Role(role)
        self.notifier = notifier if notifier is not None else TrayNotifier(self)
        self._enabled = enabled or (lambda: AppSettings().reminder_messages)
        # Whether the user is elsewhere (another window in front, minimised): then the news
        # goes to the tray too; in front, the status strip is in sight.
        self.in_background = in_background or (lambda: True)
        self.latest: Reminders | None = None
        self.first_new_view: str | None = None  # where a click on the message leads
        self._marks: ReminderMarks | None = None
        self._own: set[int] = set()  # cases this workstation changed since the last check
        self._busy = False
        self._again = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.check)
        self._period = QTimer(self)
        self._period.setInterval(PERIOD_MS)
        self._period.timeout.connect(self.check)
        events = app_events()
        events.case_saved.connect(self._own_change)
        events.cases_changed.connect(self.schedule)

    def start(self) -> None:
        self.check()
        self._period.start()

    def stop(self) -> None:
        self._period.stop()
        self._debounce.stop()
        self.notifier.hide()

    def _own_change(self, case_id: int) -> None:
        self._own.add(case_id)
        self.schedule()

    def schedule(self, *_args: object) -> None:
        self._debounce.start()

    def check(self) -> None:
        """Check now off the GUI thread; a request while checking runs once more afterwards."""
        if self._busy:
            self._again = True
            return
        self._busy = True
        role, marks = self.role, self._marks
        own, self._own = self._own, set()

        def work() -> Reminders:
            return reminders.check(role, marks).without(own)

        run_task(self, work, self._done, self._failed)

    def _done(self, found: Reminders) -> None:
        self._busy = False
        self._marks = found.marks
        self.latest = found
        self.updated.emit(found)
        if found.any_new:
            self._announce(found)
        if self._again:
            self._again = False
            self.check()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._again = False
        log.warning("could not check the reminders: %s", exc)

    def _announce(self, found: Reminders) -> None:
        self.first_new_view = next(kind for kind, ids in found.new.items() if ids)
        self.news.emit(message_text(found), self.first_new_view)
        if not self._enabled() or not self.in_background():
            return
        title = _("新提醒：{view}").format(view=_(VIEWS[self.first_new_view]))
        self.notifier.show_message(title, message_text(found))
        self.announced.emit(found)
