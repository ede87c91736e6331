"""Today's figures under the case list: intake today, open, overdue, due today; and the
user's reminders (callbacks due, returned cases, …), each a link to its view.

Recounted off the GUI thread when anything changes (debounced) and once a minute, so changes
made at other workstations and the turn of the day show up too.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from hotline import case_queries
from hotline.case_queries import VIEWS, TodayFigures
from hotline.i18n import _, format_number
from hotline.reminders import DUE_TODAY, Reminders
from ui.common.events import app_events
from ui.common.tasks import run_task

PERIOD_MS = 60_000
DEBOUNCE_MS = 300


class StatusStrip(QWidget):
    view_requested = Signal(str)  # a reminder's link was clicked: show that view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures: TodayFigures | None = None
        self.received = self._figure("received")
        self.open = self._figure("open")
        self.overdue = self._figure("overdue")
        self.due_today = self._figure("dueToday")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(18)
        self.reminders = self._figure("reminders")
        self.reminders.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.reminders.linkActivated.connect(self.view_requested)
        self.reminders.setToolTip(_("您的待办提醒，点击查看"))
        self.reminders.hide()
        # What the last reminder check found new (a case dispatched, a notice, a return …),
        # until the user follows it or the next news replaces it.
        self.news = self._figure("news")
        self.news.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.news.linkActivated.connect(self._news_followed)
        self.news.hide()
        for label in (
            self.received,
            self.open,
            self.overdue,
            self.due_today,
            self.reminders,
            self.news,
        ):
            layout.addWidget(label)
        self._show(None)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self._period = QTimer(self)
        self._period.setInterval(PERIOD_MS)
        self._period.timeout.connect(self.refresh)
        self._period.start()
        events = app_events()
        events.case_saved.connect(self.schedule)
        events.cases_changed.connect(self.schedule)
        self._busy = False

    def _figure(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(f"figure_{name}")
        return label

    def schedule(self, *_args: object) -> None:
        self._debounce.start()

    def refresh(self) -> None:
        if self._busy:
            self._debounce.start()
            return
        self._busy = True
        run_task(self, case_queries.today_figures, self._done, self._failed)

    def _done(self, figures: TodayFigures) -> None:
        self._busy = False
        self._show(figures)

    def _failed(self, _exc: BaseException) -> None:
        self._busy = False

    def _show(self, figures: TodayFigures | None) -> None:
        self.figures = figures

        def number(value: int | None) -> str:
            return "…" if value is None else format_number(value)

        def rich(text: str, value: int | None, colour: str | None = None) -> str:
            style = f' style="color:{colour}"' if colour and value else ""
            return f"{text} <b{style}>{number(value)}</b>"

        f = figures
        self.received.setText(rich(_("今日受理"), f.received_today if f else None))
        self.open.setText(rich(_("未办结"), f.open if f else None))
        self.overdue.setText(rich(_("已超期"), f.overdue if f else None, "#b3261e"))
        self.due_today.setText(rich(_("今日到期"), f.due_today if f else None, "#8a5a00"))

    def show_news(self, text: str, view: str) -> None:
        """What is new since the last check, as one line linking to its view."""
        shown = "；".join(line for line in text.splitlines() if line)
        self.news.setText(
            f'<a href="{view}" style="color:#b3261e;text-decoration:none"><b>'
            f"{html.escape(_('新：{news}').format(news=shown))}</b></a>"
        )
        self.news.setToolTip(_("点击查看：{view}").format(view=_(VIEWS[view])))
        self.news.show()

    def _news_followed(self, view: str) -> None:
        self.news.hide()
        self.view_requested.emit(view)

    def show_reminders(self, found: Reminders) -> None:
        """The user's reminders after today's figures; due today is already among those."""
        parts = []
        for kind, count in found.counts.items():
            if kind == DUE_TODAY or not count:
                continue
            parts.append(
                f'<a href="{kind}" style="color:#1a73e8;text-decoration:none">'
                f"{_(VIEWS[kind])} <b>{format_number(count)}</b></a>"
            )
        self.reminders.setText(" · ".join(parts))
        self.reminders.setVisible(bool(parts))
