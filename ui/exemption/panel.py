"""The first-offense exemption panel of a case: find the item, answer the facts, read the
decision as it updates, save it to the case, and send an eligible case to its enforcement body.

The decision is recomputed on the GUI thread at every change (:func:`hotline.exemption.
service.preview` is pure and fast); the case, the catalogue and the enterprise's history are
read off the GUI thread. Saving goes through :func:`hotline.exemption.service.assess` with the
case version that was shown, so a case someone else changed meanwhile is not overwritten.

    panel = ExemptionPanel(session, case_id)
    panel.assessment_saved.connect(...)   # the case id, after each save
"""

from __future__ import annotations

import logging
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import ConflictError, ValidationError
from hotline.exemption import service
from hotline.exemption.case_view import ExemptionCaseView, load_case_view
from hotline.exemption.history import NOT_CHECKED, HistoryCheck
from hotline.exemption.items import CatalogueItem
from hotline.exemption.outcome import Decision
from hotline.exemption.validation import parse_date
from hotline.i18n import _, format_datetime
from hotline.permissions import Action
from ui.common import shortcuts
from ui.common.events import app_events
from ui.common.field_marks import STYLE as MARKS_STYLE
from ui.common.latest_request import LatestRequest
from ui.common.messages import error_text, show_error
from ui.common.session import Session
from ui.common.tasks import run_task
from ui.exemption.decision_view import DecisionView
from ui.exemption.dispatch_dialog import (
    ExemptionDispatchDialog,
    dispatch_blocker,
    make_dispatch_dialog,
)
from ui.exemption.facts_form import FactsForm
from ui.exemption.item_picker import ItemPicker

log = logging.getLogger(__name__)

STYLE = """
QLabel#stepHeading { font-weight: 600; color: #174ea6; padding: 6px 0 2px 0; }
QLabel#caseLine { color: #3c4043; padding: 2px 0 6px 0; }
QLabel#saveState, QLabel#dispatchHint { color: #5f6368; }
QLabel#saveState[dirty="true"] { color: #b06000; }
QScrollArea#exemptionScroll, QWidget#exemptionColumn, QWidget#decisionView,
QScrollArea#exemptionScroll > QWidget#qt_scrollarea_viewport { background: transparent; }
"""


SIDE_BY_SIDE_WIDTH = 1000


def _heading(text: str) -> QLabel:
    heading: QLabel = QLabel(text, objectName="stepHeading")
    return heading


class ExemptionPanel(QWidget):
    assessment_saved = Signal(int)  # the case id
    dispatched = Signal(int)  # the case id
    loaded = Signal(object)  # ExemptionCaseView, after every load
    decision_changed = Signal(object)  # Decision, or None while the facts are invalid

    def __init__(self, session: Session, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exemptionPanel")
        self.setStyleSheet(MARKS_STYLE + STYLE)
        self.session = session
        self.case_id = case_id
        self.view: ExemptionCaseView | None = None
        self.check: HistoryCheck | None = None
        self.decision: Decision | None = None
        self.dirty = False
        self.busy = False
        self.dispatch_dialog: ExemptionDispatchDialog | None = None
        self._latest_load = LatestRequest()
        self._latest_history = LatestRequest()
        self._filling = False

        self.case_line = QLabel(objectName="caseLine", wordWrap=True)
        self.picker = ItemPicker()
        self.form = FactsForm(can_override=session.can(Action.EXEMPTION_OVERRIDE))
        self.decision_view = DecisionView()
        self.save_button = QPushButton(_("保存评估到案件"), objectName="primaryButton")
        self.save_button.setToolTip(_("保存评估（{key}）").format(key=shortcuts.shown("save")))
        self.dispatch_button = QPushButton(_("按评估派单至实施主体…"))
        self.save_state = QLabel(objectName="saveState", wordWrap=True)
        self.dispatch_hint = QLabel(objectName="dispatchHint", wordWrap=True)
        self._build_layout()

        self.picker.item_chosen.connect(self._item_chosen)
        self.form.changed.connect(self._facts_changed)
        self.form.act_date.changed.connect(self._request_history)
        self.save_button.clicked.connect(self.save)
        self.dispatch_button.clicked.connect(self.open_dispatch)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        shortcuts.bind("save", self, self.save, context)
        shortcuts.bind("search", self, self.picker.search.setFocus, context)
        app_events().case_saved.connect(self._case_saved)
        self._update_buttons()
        self.reload()

    def _build_layout(self) -> None:
        """One scroll area for the whole page (the matches drop down as a popup); the save
        and dispatch buttons stay in sight below it."""
        left = QWidget(objectName="exemptionColumn")
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(_heading(_("① 查找清单事项")))
        column.addWidget(self.picker)
        column.addWidget(_heading(_("② 案件事实（不清楚的选“不清楚”）")))
        column.addWidget(self.form)
        column.addStretch(1)

        right = QWidget(objectName="exemptionColumn")
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(_heading(_("③ 评估结论")))
        side.addWidget(self.decision_view)
        side.addStretch(1)

        page = QWidget(objectName="exemptionColumn")
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, page)
        self.columns.setSpacing(16)
        self.columns.addWidget(left, 3)
        self.columns.addWidget(right, 2)
        self.page_scroll = QScrollArea(objectName="exemptionScroll")
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.page_scroll.setWidget(page)

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.dispatch_button)
        buttons.addWidget(self.save_state, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.case_line)
        layout.addWidget(self.page_scroll, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.dispatch_hint)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Side by side when there is room; in a narrow tab the decision goes below."""
        super().resizeEvent(event)
        wanted = (
            QBoxLayout.Direction.LeftToRight
            if event.size().width() >= SIDE_BY_SIDE_WIDTH
            else QBoxLayout.Direction.TopToBottom
        )
        if self.columns.direction() != wanted:
            self.columns.setDirection(wanted)

    # Loading ------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the case, the catalogue in force and the latest assessment again."""
        ticket = self._latest_load.start()
        actor, case_id = self.session.actor, self.case_id
        run_task(
            self,
            lambda: load_case_view(case_id, actor),
            on_done=lambda view: self._show_view(ticket, view),
            on_error=self._load_failed,
        )

    def _show_view(self, ticket: int, view: ExemptionCaseView) -> None:
        if not self._latest_load.is_current(ticket):
            return
        first = self.view is None
        self.view = view
        enterprise = view.enterprise_name or _("（未填写企业）")
        uscc = view.uscc or _("无统一社会信用代码")
        self.case_line.setText(
            _("案件 <b>{case_no}</b>　{enterprise}（{uscc}）　状态：{status}").format(
                case_no=escape(view.case_no),
                enterprise=escape(enterprise),
                uscc=escape(uscc),
                status=escape(view.status.label),
            )
        )
        if first:
            self._fill_from(view)
        self._update_buttons()
        self.loaded.emit(view)

    def _fill_from(self, view: ExemptionCaseView) -> None:
        """Start from the case's latest assessment (or from nothing)."""
        self._filling = True
        try:
            self.picker.set_catalogue(view.catalogue)
            latest = view.latest
            item = view.catalogue.get(latest.item_code) if latest else None
            self.picker.choose(item)
            if latest is not None:
                self.form.set_facts(latest.facts, latest.override_reason)
        finally:
            self._filling = False
        self.dirty = False
        self._request_history()
        self._recompute()

    def _load_failed(self, exc: BaseException) -> None:
        self.decision_view.show_empty(_("无法读取案件：{error}").format(error=error_text(exc)))
        self._update_buttons()

    def _case_saved(self, case_id: int) -> None:
        if case_id == self.case_id:
            self.reload()

    # Item, history, facts ------------------------------------------------------------------------

    def _item_chosen(self, item: CatalogueItem | None) -> None:
        self.form.set_item(item)
        if not self._filling:
            self.dirty = True
            self._request_history()
            self._recompute()

    def _request_history(self) -> None:
        """Look the enterprise up for the chosen item and act date (off the GUI thread)."""
        if self._filling or self.view is None:
            return
        item = self.picker.chosen
        if item is None:
            self.check = None
            self.form.set_history(None)
            return
        ticket = self._latest_history.start()
        act = self.form.facts().get("act_date")
        self.check = None
        self.form.set_history(None, pending=True)
        case_id, code = self.case_id, item.code
        run_task(
            self,
            lambda: service.history_for_case(case_id, code, parse_date(act)),
            on_done=lambda check: self._history_found(ticket, check),
            on_error=self._history_failed,
        )

    def _history_found(self, ticket: int, check: HistoryCheck) -> None:
        if not self._latest_history.is_current(ticket):
            return
        self.check = check
        self.form.set_history(check)
        self._recompute()

    def _history_failed(self, exc: BaseException) -> None:
        self.form.history.setText(_("无法查询历史记录：{error}").format(error=error_text(exc)))

    def _facts_changed(self) -> None:
        if self._filling:
            return
        self.dirty = True
        self._recompute()

    def _recompute(self) -> None:
        """Decide again from what the form shows now (pure, on the GUI thread)."""
        if self.view is None or self._filling:
            return
        self.form.clear_marks()
        try:
            result = service.preview(
                self.form.facts(),
                self.view.catalogue,
                self.check or NOT_CHECKED,
                self.form.override(),
            )
        except ValidationError as exc:
            self.decision = None
            self.form.show_problems(exc.problems)
            self.decision_view.show_problems(exc.problems)
        else:
            self.decision = result.decision
            item = result.item
            source = (
                _("{catalogue}（{version} 版）· 事项 {code}").format(
                    catalogue=self.view.catalogue.name,
                    version=self.view.catalogue.version,
                    code=item.code,
                )
                if item
                else _("未选择清单事项：只按《行政处罚法》的一般规定评估")
            )
            self.decision_view.show_decision(result.decision, source)
        self._update_buttons()
        self.decision_changed.emit(self.decision)

    # Saving and dispatching -------------------------------------------------------------------

    def _dispatch_blocker(self) -> str | None:
        """Why the case cannot be dispatched on its assessment now (None: it can)."""
        return dispatch_blocker(self.view, self.session, dirty=self.dirty)

    def _update_buttons(self) -> None:
        can_assess = self.session.can(Action.EXEMPTION_ASSESS)
        self.save_button.setEnabled(
            can_assess and self.view is not None and self.decision is not None and not self.busy
        )
        if not can_assess:
            self.save_button.setToolTip(_("当前角色无权保存免罚评估"))
        blocker = self._dispatch_blocker()
        self.dispatch_button.setEnabled(blocker is None and not self.busy)
        self.dispatch_hint.setText(blocker or "")
        self.dispatch_hint.setVisible(bool(blocker))
        view = self.view
        latest = view.latest if view else None
        if latest is None:
            state = _("尚未保存评估")
        else:
            state = _("已保存：{outcome}（{who}，{at}）").format(
                outcome=latest.decision.outcome.label,
                who=latest.assessed_by,
                at=format_datetime(latest.assessed_at),
            )
        if self.dirty:
            state += _("；有未保存的修改")
        self.save_state.setText(state)
        self.save_state.setProperty("dirty", self.dirty)
        self.save_state.style().unpolish(self.save_state)
        self.save_state.style().polish(self.save_state)

    def save(self) -> None:
        """Store the assessment on the case (off the GUI thread)."""
        if self.view is None or self.busy or not self.save_button.isEnabled():
            return
        self.busy = True
        self._update_buttons()
        actor, case_id, version = self.session.actor, self.case_id, self.view.version
        facts, override = self.form.facts(), self.form.override()
        run_task(
            self,
            lambda: service.assess(
                actor, case_id, facts, override=override, save=True, expected_version=version
            ),
            on_done=self._saved,
            on_error=self._save_failed,
        )

    def _saved(self, decision: Decision) -> None:
        self.busy = False
        self.dirty = False
        log.info("case %s: exemption assessment saved (%s)", self.case_id, decision.outcome)
        self.assessment_saved.emit(self.case_id)
        app_events().case_saved.emit(self.case_id)  # reloads this panel and the case window

    def _save_failed(self, exc: BaseException) -> None:
        self.busy = False
        if isinstance(exc, ValidationError):
            self.form.show_problems(exc.problems)
            self.decision_view.show_problems(exc.problems)
            self._update_buttons()
            return
        if isinstance(exc, ConflictError):
            self.reload()
        self._update_buttons()
        show_error(self, exc)

    def open_dispatch(self) -> ExemptionDispatchDialog | None:
        """The dispatch dialog with the recommendation filled in; None when not possible."""
        if self.view is None or self._dispatch_blocker() is not None:
            return None
        dialog = make_dispatch_dialog(self.view, self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.succeeded.connect(self._dispatched)
        dialog.failed.connect(self._dispatch_failed)
        self.dispatch_dialog = dialog
        dialog.open()
        return dialog

    def _dispatched(self) -> None:
        self.dispatch_dialog = None
        self.dispatched.emit(self.case_id)
        app_events().case_saved.emit(self.case_id)

    def _dispatch_failed(self, exc: BaseException) -> None:
        self.dispatch_dialog = None
        self.reload()
        show_error(self, exc)
