"""The case window: every field, the deadline, the timeline, linked cases, and the actions the
case's state and the user's role allow.

The case is read off the GUI thread (``reload``) and shown from a snapshot. Each action opens
its dialog with the version that was shown; when someone else changed the case meanwhile the
core refuses, the user is told, and the window shows the current state. The checklist
(首错免罚) and the documents (附件, :mod:`ui.case.attachments`) are tabs beside the timeline and
the case summary PDF a tool. A link to another case or to the
enterprise is asked for through ``case_requested`` / ``enterprise_requested`` (see
:mod:`ui.links`).
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hotline import cases
from hotline.attachments.records import CaseAttachments
from hotline.case_view import CaseWindowView, load_case_window
from hotline.i18n import _
from hotline.permissions import Action
from ui.case.action_dialogs import ActionDialog
from ui.case.actions import ACTIONS, ASSISTING_PRIMARY, PRIMARY, label_for, make_dialog
from ui.case.attachments import AttachmentsPanel
from ui.case.fields import CaseFieldsPanel, CaseHeader
from ui.case.relations import RelationsPanel
from ui.case.timeline import TimelineView
from ui.common import shortcuts
from ui.common.events import app_events
from ui.common.latest_request import LatestRequest
from ui.common.messages import show_error
from ui.common.session import Session
from ui.common.shortcuts_dialog import show_shortcuts
from ui.common.tasks import run_task
from ui.exemption.panel import ExemptionPanel

log = logging.getLogger(__name__)


class CaseDetailWindow(QWidget):
    case_loaded = Signal(object)  # CaseWindowView, after every load and reload
    action_done = Signal(str)  # the action that changed the case
    case_requested = Signal(int)  # a linked case's window is asked for
    enterprise_requested = Signal(int)  # the enterprise's window is asked for

    def __init__(self, session: Session, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("caseDetailWindow")
        self.setWindowTitle(_("案件详情"))
        self.resize(1280, 840)
        self.session = session
        self.case_id = case_id
        self.snapshot: CaseWindowView | None = None
        self.active_dialog: ActionDialog | None = None
        self._latest = LatestRequest()

        self.header = CaseHeader()
        self.fields = CaseFieldsPanel()
        self.timeline = TimelineView()
        self.relations = RelationsPanel()
        self.status = QLabel(_("正在加载…"))
        self.status.setStyleSheet("color: palette(placeholder-text);")
        self.panels = QTabWidget(objectName="casePanels")
        self.panels.addTab(self.timeline, _("时间线"))
        self.panels.addTab(self.relations, _("关联案件"))
        self.tool_row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        self._build_layout()
        self._add_checklist_and_pdf()

        self.fields.open_enterprise.connect(self.enterprise_requested)
        self.fields.open_article.connect(self._open_article)
        self.relations.open_case.connect(self.case_requested)
        app_events().case_saved.connect(self._case_saved)
        shortcuts.bind("refresh", self, self.reload)
        shortcuts.bind("close_window", self, self.close)
        shortcuts.bind("cancel", self, self.close)
        shortcuts.bind("enterprise", self, self.open_enterprise)
        shortcuts.bind("shortcuts", self, lambda: show_shortcuts(self))
        self.reload()

    def _build_layout(self) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.fields)
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(self.panels)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 700])

        action_row = QHBoxLayout()
        for spec in ACTIONS:
            button = QPushButton(
                label_for(spec, self.session.actor), objectName=f"action_{spec.name}"
            )
            button.clicked.connect(lambda _checked=False, name=spec.name: self.perform(name))
            if spec.shortcut:
                shortcuts.bind(spec.shortcut, self, partial(self.perform, spec.name))
                button.setToolTip(
                    _("{action}（{shortcut}）").format(
                        action=label_for(spec, self.session.actor),
                        shortcut=shortcuts.shown(spec.shortcut),
                    )
                )
            button.hide()
            self.buttons[spec.name] = button
            action_row.addWidget(button)
        action_row.addStretch(1)
        action_row.addWidget(self.status)
        action_row.addLayout(self.tool_row)
        refresh = QPushButton(_("刷新（{key}）").format(key=shortcuts.shown("refresh")))
        refresh.clicked.connect(self.reload)
        action_row.addWidget(refresh)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        layout.addLayout(action_row)

    def _add_checklist_and_pdf(self) -> None:
        """The exemption checklist as a tab beside the timeline; the case summary PDF as a tool."""
        self.panels.addTab(ExemptionPanel(self.session, self.case_id, self), _("首错免罚"))
        self.attachments = AttachmentsPanel(self.session, self.case_id, self)
        self.panels.addTab(self.attachments, _("附件"))
        self.attachments.loaded.connect(self._count_attachments)
        shortcuts.bind("add_attachment", self, self.add_attachments)
        pdf = QAction(_("案件摘要 PDF…"), self)
        pdf.setObjectName("casePdf")
        pdf.setShortcuts(shortcuts.sequences("print"))
        pdf.setEnabled(self.session.can(Action.REPORT_VIEW))
        pdf.triggered.connect(lambda _checked=False: self.open_case_pdf())
        button = QToolButton()
        button.setDefaultAction(pdf)
        self.tool_row.addWidget(button)

    def _open_article(self, article_id: int, version: int) -> None:
        """The article as the case used it (that version, even when retired since)."""
        from ui.knowledge.article_window import open_article

        open_article(self.session, article_id, self, version)

    def open_enterprise(self) -> None:
        """The case's enterprise (the shortcut of the main window's 所属企业档案 too)."""
        if self.snapshot is not None and self.snapshot.enterprise is not None:
            self.enterprise_requested.emit(self.snapshot.enterprise.id)

    def add_attachments(self) -> None:
        """Ctrl+Shift+A: the 附件 tab, and the file dialog to add documents."""
        self.panels.setCurrentWidget(self.attachments)
        self.attachments.add_files()

    def _count_attachments(self, state: CaseAttachments) -> None:
        live = sum(1 for item in state.items if not item.removed)
        self.panels.setTabText(
            self.panels.indexOf(self.attachments), _("附件（{count}）").format(count=live)
        )

    def open_case_pdf(self) -> None:
        from ui.reports import actions as report_actions

        if self.snapshot is not None:
            report_actions.open_case_pdf(self, self.session, self.snapshot.case.case_no)
            return
        case_id = self.case_id
        run_task(
            self,
            lambda: cases.get(case_id).case_no,
            on_done=lambda case_no: report_actions.open_case_pdf(self, self.session, case_no),
            on_error=lambda exc: show_error(self, exc),
        )

    # Loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the case again (off the GUI thread) and show it."""
        ticket = self._latest.start()
        actor = self.session.actor
        case_id = self.case_id
        self.status.setText(_("正在加载…"))
        for button in self.buttons.values():
            button.setEnabled(False)
        run_task(
            self,
            lambda: load_case_window(case_id, actor),
            on_done=lambda snapshot: self._show(ticket, snapshot),
            on_error=self._load_failed,
        )

    def _show(self, ticket: int, snapshot: CaseWindowView) -> None:
        if not self._latest.is_current(ticket):
            return
        self.snapshot = snapshot
        case = snapshot.case
        self.setWindowTitle(_("案件 {case_no}").format(case_no=case.case_no))
        self.header.show_snapshot(snapshot)
        self.fields.show_snapshot(snapshot)
        self.timeline.set_events(snapshot.events)
        self.relations.show_snapshot(snapshot)
        self.panels.setTabText(
            self.panels.indexOf(self.relations),
            _("关联案件（{count}）").format(count=self.relations.count()),
        )
        primary_done = False
        for name, button in self.buttons.items():
            allowed = name in snapshot.allowed
            button.setVisible(allowed)
            button.setEnabled(allowed)
            primary = name == ASSISTING_PRIMARY if snapshot.assisting else name in PRIMARY
            is_primary = allowed and primary and not primary_done
            button.setDefault(is_primary)
            button.setAutoDefault(is_primary)
            primary_done = primary_done or is_primary
        self.status.setText("")
        self.case_loaded.emit(snapshot)

    def _load_failed(self, exc: BaseException) -> None:
        self.status.setText(_("无法读取案件"))
        if self.isVisible():
            show_error(self, exc)

    def _case_saved(self, case_id: int) -> None:
        """Another window (or an add-on panel) changed this case: show the new state."""
        if case_id == self.case_id and self.isVisible():
            self.reload()

    # Actions ----------------------------------------------------------------------------------

    def perform(self, name: str) -> ActionDialog | None:
        """Open the dialog of an action the case allows now; None when it does not."""
        snapshot = self.snapshot
        if snapshot is None or name not in snapshot.allowed or not self.buttons[name].isEnabled():
            return None
        if self.active_dialog is not None and self.active_dialog.isVisible():
            self.active_dialog.raise_()
            return self.active_dialog
        dialog = make_dialog(name, snapshot, self.session.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(lambda name=name: self._changed(name, self.case_id))
        dialog.failed.connect(self._action_failed)
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def _changed(self, name: str, case_id: int) -> None:
        log.info("case %s: %s done", case_id, name)
        self.active_dialog = None
        app_events().case_saved.emit(case_id)  # this window reloads through it too
        self.action_done.emit(name)

    def _action_failed(self, exc: BaseException) -> None:
        """Refused (someone else changed the case, a permission…): tell, then show the truth."""
        self.active_dialog = None
        self.reload()
        show_error(self, exc)
