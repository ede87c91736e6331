"""The intake window: registering a call while on the phone, keyboard first.

Ctrl+S saves, Ctrl+N starts a new case, Esc cancels (asking first when something was typed).
Files to attach (附件) are chosen beside the form and stored with the case in the same save.
Typing an enterprise suggests those on file; the side panel shows the enterprise's history
and warns of a likely repeat. The form is kept as a draft while it is filled, and a draft left
behind by a crash is offered for restoring when the window opens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hotline import admin, callers, cases
from hotline.callers import CallerCase, CallerHistory, KnownCaller
from hotline.calls import IncomingCall
from hotline.case_calls import CallRecord
from hotline.cases import RegisteredCase
from hotline.enterprises import EnterpriseNameMismatch
from hotline.errors import Problem, ValidationError
from hotline.i18n import _, format_datetime
from hotline.intake import parse_intake
from hotline.permissions import Action
from ui.common import shortcuts
from ui.common.events import app_events
from ui.common.field_marks import STYLE, FieldMarks
from ui.common.messages import show_error
from ui.common.session import Session
from ui.common.shortcuts_dialog import show_shortcuts
from ui.common.tasks import run_task
from ui.intake.attachments import DRAFT_KEY, IntakeAttachments
from ui.intake.banners import Banner, CallBanner, RestoreBanner, SavedBanner
from ui.intake.caller_panel import CallerPanel, call_title
from ui.intake.context import IntakeContext
from ui.intake.draft import DraftKeeper
from ui.intake.fields import IntakeFields
from ui.intake.side import IntakeSidePanel
from ui.intake.suggest import EnterpriseSuggester
from ui.knowledge.suggestions import KnowledgeSuggestions
from ui.links import open_case, open_enterprise

log = logging.getLogger(__name__)


def draft_functions(
    fields: IntakeFields, attachments: IntakeAttachments
) -> tuple[Callable[[], dict[str, Any]], Callable[[], bool]]:
    """What the draft keeps (the form and the paths of the files chosen to attach) and
    whether there is anything to keep."""

    def values() -> dict[str, Any]:
        return {**fields.values(), DRAFT_KEY: list(attachments.paths)}

    def blank() -> bool:
        return fields.is_blank() and not attachments.paths

    return values, blank


class IntakeWindow(QWidget):
    case_registered = Signal(int)
    context_shown = Signal()  # the side panel was refreshed (enterprise, history, repeat)
    caller_shown = Signal()  # a call's history is shown: the form is ready for the call
    new_form_for_call = Signal(object)  # IncomingCall: the operator asked for another form
    followed_up = Signal(int)  # a follow-up note was added to this case

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("登记来电"))
        self.setObjectName("intakeWindow")
        self.setStyleSheet(STYLE)
        self.resize(1280, 860)
        self.session = session
        self.last_case: RegisteredCase | None = None
        self._saving = False
        self._pending: dict[str, Any] | None = None  # what is being saved (asked about again)
        self.name_question: QWidget | None = None  # the credit-code question, while shown
        self._leaving = False
        self.call: IncomingCall | None = None  # the call this form is being filled for
        self._call_snapshot: dict[str, Any] | None = None  # the form as the pop left it

        self.fields = IntakeFields()
        run_task(self, admin.district_choices, on_done=self.fields.set_districts)
        self.marks = FieldMarks(self.fields.widgets, self.fields.messages)
        self.side = IntakeSidePanel()
        self.knowledge = KnowledgeSuggestions(session)
        self._article: tuple[int, int] | None = None  # answering with it (id, version)
        self.suggester = EnterpriseSuggester(
            self.fields.enterprise_name, self.fields.enterprise_uscc, self
        )
        self.attachments = IntakeAttachments()
        # Closures over the fields, not the window: the keeper must not keep the window alive.
        values, blank = draft_functions(self.fields, self.attachments)
        self.keeper = DraftKeeper(session.user.username, values, blank, self)
        self.saved_banner = SavedBanner()
        self.restore_banner = RestoreBanner(session.user.username)
        self.problem_banner = Banner("problemBanner")
        self.call_banner = CallBanner()
        self.caller_panel = CallerPanel()
        self._build_layout()

        self.context = IntakeContext(self.fields, self.side, self.keeper, self)
        self.context.shown.connect(self.context_shown)
        self.fields.edited.connect(self._edited)
        self.attachments.changed.connect(self.keeper.mark_dirty)
        self.attachments.setEnabled(session.can(Action.ATTACHMENT_ADD))
        self.suggester.chosen.connect(self.context.enterprise_chosen)
        self.side.open_case.connect(lambda case_id: open_case(self.session, case_id))
        self.side.open_enterprise.connect(lambda eid: open_enterprise(self.session, eid))
        self.saved_banner.open_case.connect(lambda case_id: open_case(self.session, case_id))
        self.knowledge.open_requested.connect(self._open_article)
        self.knowledge.answer_requested.connect(self.answer_with_article)
        self.restore_banner.restore.connect(self.restore_draft)
        self.call_banner.new_form.connect(self.new_form_for_call)
        self.caller_panel.take.connect(self.take_caller)
        self.caller_panel.follow_up.connect(self.follow_up)
        self.caller_panel.open_case.connect(lambda case_id: open_case(self.session, case_id))
        self.keeper.saved.connect(self._draft_saved)
        self.keeper.failed.connect(
            lambda reason: self.draft_status.setText(
                _("草稿保存失败：{reason}").format(reason=reason)
            )
        )
        QApplication.instance().focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]
        shortcuts.bind("save", self, self.save)
        shortcuts.bind("confirm", self, self.save)
        shortcuts.bind("new_case", self, self.new_case)
        shortcuts.bind("cancel", self, self.cancel)
        shortcuts.bind("shortcuts", self, lambda: show_shortcuts(self))
        shortcuts.bind("take_caller", self, self.caller_panel.take_current)
        shortcuts.bind("follow_up", self, self.caller_panel.follow_up_current)
        shortcuts.bind("call_new_form", self, self.call_banner.take)
        shortcuts.bind("confidential", self, self._toggle_confidential)
        shortcuts.bind("urgency", self, self._go_to_urgency)
        shortcuts.bind("knowledge_best", self, self.knowledge.open_best)

        if not session.can(Action.CASE_REGISTER):
            self.save_button.setEnabled(False)
            self.problem_banner.show_text(_("当前角色无权登记案件，只能查看。"))
        self.restore_banner.refresh()
        self.fields.first_widget().setFocus()

    def _build_layout(self) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(scroll, 1)
        column.addWidget(self.attachments)
        splitter = QSplitter()
        splitter.addWidget(left)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.caller_panel)
        right.addWidget(self.side)
        right.addWidget(self.knowledge)
        right.setSizes([300, 240, 300])
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 480])

        self.save_button = QPushButton(_("保存登记（{key}）").format(key=shortcuts.shown("save")))
        self.save_button.setDefault(True)
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(self.save)
        self.new_button = QPushButton(_("新登记（{key}）").format(key=shortcuts.shown("new_case")))
        self.new_button.clicked.connect(self.new_case)
        self.cancel_button = QPushButton(_("取消（{key}）").format(key=shortcuts.shown("cancel")))
        self.cancel_button.clicked.connect(self.cancel)
        for button in (self.save_button, self.new_button, self.cancel_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.draft_status = QLabel()
        self.draft_status.setStyleSheet("color: palette(placeholder-text);")
        # Once the next call is being typed the green banner goes; the number stays here.
        self.last_case_label = QLabel(objectName="lastCase")
        self.last_case_label.setStyleSheet("color: palette(placeholder-text);")
        self.last_case_label.linkActivated.connect(
            lambda _href: (
                self.saved_banner.case_id is not None
                and open_case(self.session, self.saved_banner.case_id)
            )
        )
        self.last_case_label.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.last_case_label)
        buttons.addWidget(self.draft_status, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.saved_banner)
        layout.addWidget(self.call_banner)
        layout.addWidget(self.restore_banner)
        layout.addWidget(self.problem_banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(list(self.fields.widgets.values())[-1], self.save_button)

    # Editing ------------------------------------------------------------------------------

    def _is_blank(self) -> bool:
        return self.fields.is_blank() and not self.attachments.paths

    def _edited(self, key: str) -> None:
        self._next_call_started()
        self.keeper.mark_dirty()
        self.marks.unmark(key)
        if not self.marks.marked:
            self.problem_banner.hide()
        self.context.edited(key)
        if key in ("subject", "description"):
            self.knowledge.query(self.fields.subject.text(), self.fields.description.toPlainText())

    def _next_call_started(self) -> None:
        """The saved case's green banner goes as soon as the next call is typed (its number
        stays beside the buttons, as a link)."""
        if self.saved_banner.isHidden() or self.saved_banner.case_id is None:
            return
        self.saved_banner.hide()
        self.last_case_label.setText(
            _("上一件已登记：{link}").format(
                link=f'<a href="case">{self.saved_banner.number.text()}</a>'
            )
        )
        self.last_case_label.show()

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        """Leaving a field writes the draft at once (not only every few seconds)."""
        if old is not None and self.fields.isAncestorOf(old):
            self.keeper.save_if_dirty()

    def _draft_saved(self, when: object) -> None:
        self.draft_status.setText(
            _("草稿已自动保存（{time}）").format(time=format_datetime(when, "medium"))  # type: ignore[arg-type]
        )

    # Saving -------------------------------------------------------------------------------

    def save(self) -> None:
        if self._saving or not self.save_button.isEnabled():
            return
        self.marks.clear()
        self.problem_banner.hide()
        self._article = None
        self._register(self.fields.values())

    def answer_with_article(self, article_id: int, version: int) -> None:
        """Register the call and close it at once, answered with the article (the version the
        operator read); a call typed without a type is a consultation."""
        if self._saving or not self.save_button.isEnabled():
            return
        if not self.fields.kind.value():
            self.fields.kind.set_value("consultation")
        self.marks.clear()
        self.problem_banner.hide()
        self._article = (article_id, version)
        self._register(self.fields.values())

    def _register(self, values: dict[str, Any], name_choice: str | None = None) -> None:
        """Check and save what was typed (``name_choice``: the answer to the question about
        an enterprise name that differs from the one on file for its credit code)."""
        self._saving = True
        self._pending = values
        self.save_button.setEnabled(False)
        self.draft_status.setText(_("正在保存…"))
        actor = self.session.actor
        files = self.attachments.files()
        call = self._call_record()
        if files:
            self.draft_status.setText(_("正在保存登记和 {count} 个附件…").format(count=len(files)))

        article = self._article

        def work() -> RegisteredCase:
            draft = parse_intake(values)
            if name_choice is not None:
                draft = replace(draft, enterprise_name_choice=name_choice)
            if article is not None:
                from hotline.knowledge import usage

                return RegisteredCase.of(
                    usage.register_and_answer(
                        actor, draft, article[0], article[1], files, call=call
                    )
                )
            return RegisteredCase.of(cases.register(actor, draft, files, call=call))

        # Checking the form reads departments and districts: it runs with the save, off the
        # GUI thread; its problems come back to _save_failed.
        run_task(self, work, on_done=self._saved, on_error=self._save_failed)

    def _show_problems(self, problems: list[Problem]) -> None:
        """Mark every wrong field at once and go to the first; nothing typed is changed."""
        unplaced = self.marks.show(problems)
        marked = [
            self.fields.titles[key] for key in self.fields.widgets if key in self.marks.marked
        ]
        lines = [
            _("有 {count} 处需要修改（已用红框标出）：{fields}").format(
                count=len(marked) + len(unplaced), fields=_("、").join(marked)
            )
        ]
        lines += [p.text for p in unplaced]
        self._next_call_started()  # never a green “saved” beside a red error
        self.problem_banner.show_text("\n".join(lines))
        first = self.marks.first_marked(self.fields.widgets)
        if first is not None:
            self.fields.widgets[first].setFocus()

    def _saved(self, case: RegisteredCase) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.last_case = case
        self.keeper.start_new()  # the draft goes only now that the case is safely stored
        self.saved_banner.show_case(case)
        self.last_case_label.hide()
        self.case_registered.emit(case.id)
        app_events().case_saved.emit(case.id)
        log.info("case %s registered", case.case_no)
        self._reset_form()
        if self._article is not None:
            self._article = None
            self.draft_status.setText(
                _("案件 {case_no} 已用知识当场答复并办结").format(case_no=case.case_no)
            )

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.draft_status.setText(_("未保存，内容仍在表单中。"))
        if isinstance(exc, EnterpriseNameMismatch) and self._pending is not None:
            self._ask_name(exc, self._pending)  # the answer saves again, with the article
            return
        self._article = None
        if isinstance(exc, ValidationError):
            self._show_problems(exc.problems)
        else:
            show_error(self, exc)

    def _open_article(self, article_id: int) -> None:
        from ui.knowledge.article_window import open_article

        open_article(self.session, article_id, self)

    def _ask_name(self, mismatch: EnterpriseNameMismatch, values: dict[str, Any]) -> None:
        """The credit code is on file under another name: ask which is right, then save."""
        from ui.intake.name_question import NameQuestion

        question = NameQuestion(mismatch, self)
        self.name_question = question
        question.answered.connect(lambda choice: self._register(values, name_choice=choice))
        question.finished.connect(question.deleteLater)
        question.open()

    def _reset_form(self) -> None:
        self.call = None
        self._call_snapshot = None
        self.caller_panel.clear()
        self.fields.clear()
        self.attachments.clear()
        self.marks.clear()
        self.problem_banner.hide()
        self.context.clear()
        self.knowledge.clear()
        self.draft_status.clear()
        self.fields.first_widget().setFocus()

    # New, cancel, close, restore ----------------------------------------------------------

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def new_case(self) -> None:
        if not self._is_blank() and not self._confirm(
            _("开始新的登记？"), _("当前填写的内容将被丢弃，且不保留草稿。")
        ):
            return
        self.keeper.start_new()
        self.saved_banner.hide()
        self._reset_form()

    def cancel(self) -> None:
        if not self._is_blank() and not self._confirm(
            _("放弃本次登记？"), _("已填写的内容将被丢弃，且不保留草稿。")
        ):
            return
        self.keeper.discard()
        self._leaving = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window keeps what was typed as a draft (offered next time)."""
        if not self._leaving:
            self.keeper.mark_dirty()
            self.keeper.flush()
        self.keeper.release()
        super().closeEvent(event)

    def restore_draft(self, draft_id: str | None) -> bool:
        """Put a saved draft into the form and keep writing to it; False if it is gone."""
        from hotline import drafts

        draft = drafts.load(self.session.user.username, draft_id) if draft_id else None
        if draft is None or draft_id is None:
            self.restore_banner.refresh()
            return False
        self.keeper.adopt(draft_id, keep_current=not self.fields.is_blank())
        self.fields.set_values(draft.data)
        self.attachments.set_paths(draft.data.get(DRAFT_KEY))
        self.marks.clear()
        self.problem_banner.hide()
        self.restore_banner.refresh(exclude={draft_id})
        self.context.refresh()
        self.knowledge.query(self.fields.subject.text(), self.fields.description.toPlainText())
        self.fields.first_widget().setFocus()
        self.draft_status.setText(
            _("已恢复 {time} 的草稿").format(time=format_datetime(draft.saved_at))
        )
        return True

    # Incoming calls (the screen pop) ------------------------------------------------------

    def untouched(self) -> bool:
        """Nothing the operator typed would be lost: a blank form, or one the last call's pop
        filled that nobody has changed since."""
        if self._saving or self.attachments.paths:
            return False
        if self.fields.is_blank():
            return True
        return self._call_snapshot is not None and self.fields.values() == self._call_snapshot

    def incoming_call(self, call: IncomingCall) -> str:
        """Show ``call``: in this form when nothing typed would be touched ("form"), else as a
        banner offering a new form ("banner"); the form being filled is never changed."""
        if not self.untouched():
            self.call_banner.show_call(call, call_title(call))
            return "banner"
        # The number's history is read at once, on a worker, while the form is filled here.
        actor, phone = self.session.actor, call.phone
        self.call = call

        def show(history: CallerHistory) -> None:
            if self.call is not call:  # another call, or the form was reset meanwhile
                return
            self.caller_panel.show_history(history)
            if history.known and self.untouched():
                self.caller_panel.callers.setFocus()  # Enter takes the highlighted caller
            self.caller_shown.emit()

        def failed(exc: BaseException) -> None:
            log.warning("caller history: %s", exc)
            if self.call is call:
                self.caller_panel.show_history(CallerHistory(phone, [], [], False))
                self.caller_shown.emit()

        run_task(self, lambda: callers.history(actor, phone), on_done=show, on_error=failed)
        self.call_banner.hide()
        self.saved_banner.hide()
        self.marks.clear()
        self.problem_banner.hide()
        self.context.clear()
        self.fields.set_values({"received_at": call.at.isoformat()})
        self.fields.contact_phone.setText(call.phone or call.number)
        self._call_snapshot = self.fields.values()
        self.keeper.mark_dirty()
        self.caller_panel.show_call(call)
        self.fields.first_widget().setFocus()
        return "form"

    def _call_record(self) -> CallRecord | None:
        call = self.call
        if call is None:
            return None
        return CallRecord(
            call_at=call.at, call_id=call.call_id, line=call.line, extension=call.extension
        )

    def take_caller(self, caller: KnownCaller) -> None:
        """The caller and enterprise the operator confirmed go into the form (the phone is
        the call's); then on to the first field still empty."""
        fields = self.fields
        if caller.contact_name:
            fields.contact_name.setText(caller.contact_name)
        if caller.enterprise is not None:
            self.context.enterprise_chosen(caller.enterprise)
        self.keeper.mark_dirty()
        empty = next(
            (
                widget
                for key, widget in fields.widgets.items()
                if key in ("enterprise.name", "district", "contact.name", "kind", "category")
                and not str(self._value_of(key)).strip()
            ),
            fields.subject,
        )
        empty.setFocus()

    def _value_of(self, key: str) -> object:
        values = self.fields.values()
        head, _dot, tail = key.partition(".")
        return values[head][tail] if tail else values[head]

    def follow_up(self, case: CallerCase) -> None:
        """The caller chases an open case: a follow-up note on it (催办), not a new case."""
        from ui.case.action_dialogs import TextActionDialog

        if not self.session.can(Action.CASE_ADD_NOTE):
            return
        actor, call = self.session.actor, self._call_record()
        dialog = TextActionDialog(
            _("来电催办"),
            _("为案件 {case_no}（{subject}）记录来电人的催办，不新建案件。").format(
                case_no=case.brief.case_no, subject=case.brief.subject
            ),
            "note",
            _("催办内容"),
            lambda values: callers.follow_up(actor, case.brief.id, values["text"], call),
            self,
            placeholder=_("来电人催问的内容，如：企业询问办理进度"),
            ok=_("记录催办（{key}）").format(key=shortcuts.shown("confirm")),
        )
        dialog.setObjectName("followUpDialog")
        dialog.succeeded.connect(lambda: self._followed_up(case))
        dialog.failed.connect(lambda exc: show_error(self, exc))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _followed_up(self, case: CallerCase) -> None:
        app_events().case_saved.emit(case.brief.id)
        self.followed_up.emit(case.brief.id)
        if self.untouched():  # the call is dealt with: the form is free for the next one
            self.keeper.start_new()
            self._reset_form()
        self.draft_status.setText(
            _("已在案件 {case_no} 上记录来电催办").format(case_no=case.brief.case_no)
        )

    def _toggle_confidential(self) -> None:
        box = self.fields.confidential
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        box.toggle()

    def _go_to_urgency(self) -> None:
        urgency = self.fields.urgency
        urgency.setFocus(Qt.FocusReason.ShortcutFocusReason)
        line_edit = urgency.lineEdit()
        if line_edit is not None:
            line_edit.selectAll()  # typing 紧 replaces it; Alt+Down opens the list
