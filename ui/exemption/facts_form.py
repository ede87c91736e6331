"""The facts of the case, each answered with a control where "not known" is a choice.

The form gives the facts as the JSON :func:`hotline.exemption.facts.parse_facts` reads. Beside
"first offense" it shows what the enterprise's history says; answering "yes" against a record
found asks for a written reason (an override, audited when saved).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hotline.errors import Problem
from hotline.exemption.history import HistoryCheck, Override
from hotline.exemption.items import CatalogueItem
from hotline.i18n import _
from ui.common.field_marks import FieldMarks
from ui.exemption.widgets import DateFact, EndDateFact, HarmChoice, TriState

STYLE = """
QLabel#historyNote { padding: 4px 6px; border-radius: 4px; background: #f1f3f4; color: #3c4043; }
QLabel#historyNote[found="true"] { background: #fce8e6; color: #8c1d18; }
QLabel#historyNote[found="false"] { background: #e6f4ea; color: #0d652d; }
QLabel#factHint { color: #5f6368; }
QLabel#conditionText { color: #202124; font-weight: 600; }
"""


def _restyle(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class FactsForm(QWidget):
    changed = Signal()

    def __init__(self, can_override: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.can_override = can_override
        self.item: CatalogueItem | None = None
        self.check: HistoryCheck | None = None
        self.fields: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self.marks = FieldMarks(self.fields, self.messages)

        self.first_offense = TriState(_("不清楚（按历史记录）"))
        self.history = QLabel(objectName="historyNote", wordWrap=True)
        self.override_label = QLabel(wordWrap=True)
        self.override_reason = QPlainTextEdit(objectName="overrideReason")
        self.override_reason.setTabChangesFocus(True)
        self.override_reason.setPlaceholderText(
            _("例如：前案为企业另一经营场所，与本案不是同一违法行为")
        )
        self.override_reason.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 16)
        self.minor = TriState()
        self.corrected = TriState()
        self.harm = HarmChoice()
        self.no_fault = TriState()
        self.act_date = DateFact()
        self.act_end = EndDateFact()
        self.discovered = DateFact()
        self.involves = TriState()

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(8)
        self.form = form
        self.minor_row = self._row("minor", _("违法行为是否轻微"), self.minor)
        first_cell = self._row("first_offense", _("是否初次违法"), self.first_offense)
        column = first_cell.layout()
        assert isinstance(column, QVBoxLayout)
        column.insertWidget(1, self.history)
        column.insertWidget(2, self.override_label)
        column.insertWidget(3, self.override_reason)
        self.fields["override_reason"] = self.override_reason
        self.messages["override_reason"] = self.messages["first_offense"]
        self._row(
            "corrected",
            _("是否及时改正"),
            self.corrected,
            _("发现前主动改正，或在执法机关责令改正的期限内改正"),
        )
        self.harm_row = self._row("harm", _("危害后果"), self.harm)
        self.conditions: dict[str, TriState] = {}
        self.condition_rows: list[QWidget] = []
        self._row(
            "no_fault_proven",
            _("能证明没有主观过错"),
            self.no_fault,
            _("当事人有证据足以证明没有主观过错的，不予行政处罚"),
        )
        self._row("act_date", _("违法行为发生日期"), self.act_date)
        self._row("act_end_date", _("违法行为终了"), self.act_end)
        self._row("discovered_date", _("被发现日期"), self.discovered)
        self._row(
            "involves_life_health_or_financial_safety",
            _("涉及生命健康或金融安全"),
            self.involves,
            _("涉及公民生命健康安全、金融安全且有危害后果的，追责期限为五年"),
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)

        for widget in (
            self.first_offense,
            self.minor,
            self.corrected,
            self.harm,
            self.no_fault,
            self.act_date,
            self.act_end,
            self.discovered,
            self.involves,
        ):
            widget.changed.connect(self._edited)
        self.override_reason.textChanged.connect(self._edited)
        self.set_item(None)
        self.set_history(None)

    def _row(
        self,
        key: str,
        label: str,
        widget: QWidget,
        hint: str = "",
        *,
        question: str = "",
        at: int = -1,
    ) -> QWidget:
        """A form row: ``question`` above the control, ``hint`` and the problem message below."""
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if question:
            column.addWidget(QLabel(question, objectName="conditionText", wordWrap=True))
        column.addWidget(widget)
        if hint:
            column.addWidget(QLabel(hint, objectName="factHint", wordWrap=True))
        message = QLabel(objectName="fieldMessage", wordWrap=True)
        message.hide()
        column.addWidget(message)
        self.form.insertRow(at, label, cell)
        self.fields[key] = widget
        self.messages[key] = message
        return cell

    def _edited(self) -> None:
        self._update_override()
        self.changed.emit()

    # The item and its conditions ---------------------------------------------------------------

    def set_item(self, item: CatalogueItem | None) -> None:
        """Ask the item's own conditions (answers kept for ids the new item shares)."""
        kept = {cid: w.value() for cid, w in self.conditions.items()}
        for cell in self.condition_rows:
            self.form.removeRow(cell)
        for key in [k for k in self.fields if k.startswith("conditions.")]:
            self.fields.pop(key)
            self.messages.pop(key)
        self.conditions = {}
        self.condition_rows = []
        self.item = item
        # (row, role); the stubs type the pair as object.
        at = self.form.getWidgetPosition(self.harm_row)[0] + 1  # type: ignore[index]
        for number, condition in enumerate(item.conditions if item else (), start=1):
            choice = TriState()
            choice.set_value(kept.get(condition.id))
            choice.changed.connect(self._edited)
            cell = self._row(
                f"conditions.{condition.id}",
                _("适用条件 {number}").format(number=number),
                choice,
                question=condition.text,
                at=at,
            )
            at += 1
            self.condition_rows.append(cell)
            self.conditions[condition.id] = choice
        self.form.setRowVisible(self.minor_row, item is None)

    # History and override -------------------------------------------------------------------------

    def set_history(self, check: HistoryCheck | None, *, pending: bool = False) -> None:
        self.check = check
        if pending:
            self.history.setText(_("正在查询该企业的历史记录…"))
            self.history.setProperty("found", None)
        elif check is None:
            self.history.setText(_("选择清单事项后，将按企业的历史记录判断是否初次违法"))
            self.history.setProperty("found", None)
        else:
            self.history.setText(check.text)
            self.history.setProperty("found", check.found if check.checked else None)
        _restyle(self.history)
        self._update_override()

    def override_needed(self) -> bool:
        return bool(self.check and self.check.found and self.first_offense.value() is True)

    def _update_override(self) -> None:
        needed = self.override_needed()
        if needed:
            source = self.check.earlier.source if self.check and self.check.earlier else ""
            if self.can_override:
                text = _(
                    "历史记录显示不是初次违法（{source}）。如认定为初次违法，请写明理由（记入审计日志）："
                )
            else:
                text = _("历史记录显示不是初次违法（{source}）。当前角色无权改变这一认定。")
            self.override_label.setText(text.format(source=source))
        self.override_label.setVisible(needed)
        self.override_reason.setVisible(needed)
        self.override_reason.setEnabled(self.can_override)

    def override(self) -> Override | None:
        if not self.override_needed() or not self.can_override:
            return None
        return Override(self.override_reason.toPlainText())

    # Reading and writing the facts ---------------------------------------------------------------

    def facts(self) -> dict[str, Any]:
        act = self.act_date.value()
        data: dict[str, Any] = {
            "item": self.item.code if self.item else None,
            "first_offense": self.first_offense.value(),
            "harm": self.harm.value(),
            "corrected": self.corrected.value(),
            "no_fault_proven": self.no_fault.value(),
            "act_date": act,
            "act_end_date": self.act_end.end_date(act),
            "discovered_date": self.discovered.value(),
            "involves_life_health_or_financial_safety": self.involves.value(),
            "conditions": {cid: w.value() for cid, w in self.conditions.items()},
        }
        if self.item is None:
            data["minor"] = self.minor.value()
        return data

    def set_facts(self, data: dict[str, Any], override_reason: str | None = None) -> None:
        """Fill the form from stored facts (the item is set separately, first)."""
        first = data.get("first_offense")
        if data.get("first_offense_source") and not override_reason:
            first = None  # came from the history: let the history decide again
        self.first_offense.set_value(first)
        self.minor.set_value(data.get("minor"))
        self.harm.set_value(data.get("harm"))
        self.corrected.set_value(data.get("corrected"))
        self.no_fault.set_value(data.get("no_fault_proven"))
        self.act_date.set_value(data.get("act_date"))
        self.act_end.set_end(data.get("act_date"), data.get("act_end_date"))
        self.discovered.set_value(data.get("discovered_date"))
        self.involves.set_value(data.get("involves_life_health_or_financial_safety"))
        for cid, value in (data.get("conditions") or {}).items():
            if cid in self.conditions:
                self.conditions[cid].set_value(value)
        self.override_reason.blockSignals(True)
        self.override_reason.setPlainText(override_reason or "")
        self.override_reason.blockSignals(False)
        self._update_override()

    def show_problems(self, problems: list[Problem]) -> list[Problem]:
        """Mark the fields with problems; returns those no field shows."""
        return self.marks.show(problems)

    def clear_marks(self) -> None:
        self.marks.clear()
