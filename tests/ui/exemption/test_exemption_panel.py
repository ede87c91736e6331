"""The exemption panel: a case taken through it to a saved assessment and a dispatch; the
decision following the facts; history, override, invalid facts, a conflicting save."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMainWindow

from hotline import cases, workflow
from hotline.enums import Role, Status
from hotline.exemption import service
from hotline.exemption.outcome import Outcome
from hotline.exemption.schema import Assessment
from hotline.models import AuditEntry, Case, CaseEvent, Department
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import commit_text, press, type_text
from ui.common.session import Session
from ui.exemption.decision_view import tone_of
from ui.exemption.panel import ExemptionPanel

ACT = QDate(2026, 9, 1)
OTHER = Actor("值班长乙", Role.SHIFT_LEAD, None)


def open_panel(qtbot, session: Session, case_id: int) -> ExemptionPanel:
    """The panel in a plain window (the case window adds it as a tab), loaded."""
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = ExemptionPanel(session, case_id)
    window.setCentralWidget(panel)
    window.resize(1280, 860)
    window.show()
    panel.host = window  # type: ignore[attr-defined]  (qtbot keeps only a weak reference)
    qtbot.waitUntil(lambda: panel.view is not None, timeout=5000)
    return panel


def choose_item(qtbot, panel: ExemptionPanel, query: str) -> None:
    type_text(panel.picker.search, query)
    press(panel.picker.search, Qt.Key.Key_Return)  # takes the first match
    assert panel.picker.chosen is not None
    # the enterprise's history for the item is read off the GUI thread
    qtbot.waitUntil(lambda: panel.check is not None, timeout=5000)


def answer_dates(qtbot, panel: ExemptionPanel, act: QDate, found: QDate) -> None:
    form = panel.form
    form.act_date.unknown.click()
    form.act_date.date.setDate(act)
    form.act_end.button_for("one_off").click()
    form.discovered.unknown.click()
    form.discovered.date.setDate(found)
    qtbot.waitUntil(lambda: panel.check is not None, timeout=5000)


def test_a_case_through_the_panel_to_a_saved_assessment_and_a_dispatch(
    qtbot, operator_session, cli_actor
) -> None:
    case = cases.register(cli_actor, sample_case(category="enforcement"))
    panel = open_panel(qtbot, operator_session, case.id)
    assert panel.decision_view.banner.text() == Outcome.NEEDS_FACTS.label
    assert not panel.dispatch_button.isEnabled()

    choose_item(qtbot, panel, "营业执照")
    item = panel.picker.chosen
    assert item.code == "SC-001"
    detail = panel.picker.detail.text()
    assert "市场监督管理部门" in detail and "第四十八条第一款" in detail  # body and provisions
    assert list(panel.form.conditions) == ["licence_valid"]
    assert "未发现" in panel.form.history.text()  # nothing in the enterprise's history

    form = panel.form
    form.corrected.button_for(True).click()
    form.harm.button_for("none").click()
    form.conditions["licence_valid"].button_for(True).click()
    # mandatory 轻微不罚 holds once corrected, harmless and the item's condition met
    assert panel.decision.outcome is Outcome.NO_PENALTY_MINOR
    assert tone_of(panel.decision) == "mandatory"
    assert "应当不予处罚" in panel.decision_view.nature.text()
    assert "第三十三条第一款" in panel.decision_view.reasons.text()

    form.harm.button_for("minor").click()  # live: minor harm rules out the mandatory ground
    assert panel.decision.outcome is Outcome.NEEDS_FACTS
    assert "是否初次违法" in panel.decision_view.missing.text()
    form.first_offense.button_for(True).click()
    assert panel.decision.outcome is Outcome.NO_PENALTY_FIRST_OFFENSE
    assert not panel.decision.mandatory
    answer_dates(qtbot, panel, ACT, ACT.addDays(2))
    form.no_fault.button_for(False).click()
    assert panel.decision.outcome is Outcome.NO_PENALTY_FIRST_OFFENSE

    with qtbot.waitSignal(panel.assessment_saved, timeout=5000) as saved:
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [case.id]
    row = Assessment.get()
    assert (row.case_id, row.item_code, row.outcome) == (
        case.id,
        "SC-001",
        Outcome.NO_PENALTY_FIRST_OFFENSE.value,
    )
    assert json.loads(row.facts)["act_date"] == "2026-09-01"
    assert CaseEvent.select().where(CaseEvent.action == "exemption").count() == 1

    qtbot.waitUntil(lambda: panel.dispatch_button.isEnabled(), timeout=5000)
    assert "已保存" in panel.save_state.text()
    dialog = panel.open_dispatch()
    assert dialog is not None
    assert "市市场监督管理局" in dialog.target.text()
    note = dialog.note.toPlainText()
    assert "SC-001" in note and "可以不予行政处罚" in note
    with qtbot.waitSignal(panel.dispatched, timeout=5000):
        dialog.accept()
    stored = Case.get_by_id(case.id)
    assert stored.status == Status.DISPATCHED.value
    assert stored.department_id == Department.get(code="SCJG").id
    assert CaseEvent.get(CaseEvent.action == "dispatch").text == note
    qtbot.waitUntil(lambda: panel.view.status is Status.DISPATCHED, timeout=5000)
    assert not panel.dispatch_button.isEnabled()


def test_items_are_found_by_words_pinyin_and_body(qtbot, operator_session, cli_actor) -> None:
    case = cases.register(cli_actor, sample_case())
    panel = open_panel(qtbot, operator_session, case.id)
    picker = panel.picker
    type_text(picker.search, "yyzz")
    assert picker.model.items[0].code == "SC-001"
    picker.search.clear()
    commit_text(picker.search, "发票")
    assert picker.model.items and all(i.body == "税务机关" for i in picker.model.items[:3])
    picker.body.setCurrentIndex(picker.body.findData("市场监督管理部门"))
    assert {i.body for i in picker.model.items} <= {"市场监督管理部门"}
    picker.search.clear()
    assert len(picker.model.items) == len(panel.view.catalogue.by_body("市场监督管理部门"))


def test_history_found_and_an_override_with_a_reason(
    qtbot, operator_session, cli_actor, warnings
) -> None:
    earlier = cases.register(cli_actor, sample_case(category="approval"))
    granted = {
        "item": "SC-001",
        "first_offense": True,
        "corrected": True,
        "harm": "minor",
        "conditions": {"licence_valid": True},
        "act_date": "2026-03-02",
    }
    assert service.assess(cli_actor, earlier.id, granted, save=True).exempt
    case = cases.register(cli_actor, sample_case(category="enforcement"))
    panel = open_panel(qtbot, operator_session, case.id)
    choose_item(qtbot, panel, "yyzz")
    form = panel.form
    assert earlier.case_no in form.history.text()
    form.corrected.button_for(True).click()
    form.harm.button_for("minor").click()
    form.conditions["licence_valid"].button_for(True).click()
    assert panel.decision.grounds["no_penalty_first_offense"] is False
    assert panel.decision.first_offense_source == earlier.case_no

    form.first_offense.button_for(True).click()  # against the record: a reason is needed
    assert form.override_reason.isVisible()
    assert panel.decision is None and not panel.save_button.isEnabled()
    reason = "前案为企业另一门店，不是同一违法行为"
    commit_text(form.override_reason, reason)
    assert panel.decision.outcome is Outcome.NO_PENALTY_FIRST_OFFENSE
    with qtbot.waitSignal(panel.assessment_saved, timeout=5000):
        panel.save()
    entry = AuditEntry.get(AuditEntry.action == "exemption.override")
    assert json.loads(entry.detail)["reason"] == reason
    assert Assessment.get(Assessment.case == case.id).override_reason == reason
    assert not warnings


def test_contradictory_facts_are_marked_and_cannot_be_saved(
    qtbot, operator_session, cli_actor
) -> None:
    case = cases.register(cli_actor, sample_case())
    panel = open_panel(qtbot, operator_session, case.id)
    choose_item(qtbot, panel, "yyzz")
    answer_dates(qtbot, panel, ACT, ACT.addDays(-3))  # found before the act
    assert panel.decision is None
    assert panel.decision_view.tone == "invalid"
    assert "发现日期不能早于" in panel.decision_view.reasons.text()
    assert panel.form.marks.marked.keys() == {"discovered_date"}
    assert not panel.save_button.isEnabled()
    panel.form.discovered.date.setDate(ACT.addDays(3))
    assert panel.decision is not None and panel.save_button.isEnabled()
    assert not panel.form.marks.marked


def test_a_case_changed_meanwhile_is_not_overwritten(
    qtbot, operator_session, cli_actor, warnings
) -> None:
    case = cases.register(cli_actor, sample_case())
    panel = open_panel(qtbot, operator_session, case.id)
    choose_item(qtbot, panel, "yyzz")
    workflow.dispatch(OTHER, case.id, Department.get(code="SCJG").id)  # another workstation
    panel.save()
    qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    assert "修改" in warnings[0][0] + warnings[0][1]
    assert Assessment.select().count() == 0
    qtbot.waitUntil(lambda: panel.view.status is Status.DISPATCHED, timeout=5000)


def test_a_manager_reads_the_saved_assessment_but_cannot_save(
    qtbot, database, database_target, cli_actor
) -> None:
    case = cases.register(cli_actor, sample_case())
    facts = {
        "item": "SC-001",
        "corrected": True,
        "harm": "none",
        "conditions": {"licence_valid": True},
    }
    service.assess(cli_actor, case.id, facts, save=True)
    manager = Session(make_user("chief", Role.MANAGER, "科长"), database_target)
    panel = open_panel(qtbot, manager, case.id)
    assert panel.picker.chosen is not None and panel.picker.chosen.code == "SC-001"
    assert panel.decision.outcome is Outcome.NO_PENALTY_MINOR
    assert not panel.save_button.isEnabled()
    assert not panel.dispatch_button.isEnabled()
    assert "无权" in panel.dispatch_hint.text()
    assert "无权保存" in panel.save_button.toolTip()  # why it cannot be pressed
    from ui.common.theme import STYLE

    panel.host.setStyleSheet(STYLE)  # the app's theme: the blue button looks disabled
    image = panel.save_button.grab().toImage()
    color = image.pixelColor(6, image.height() // 2)
    assert (
        max(color.red(), color.green(), color.blue())
        - min(color.red(), color.green(), color.blue())
        < 16
    ), color.name()


def test_the_assessment_saved_before_is_shown_again(qtbot, operator_session, cli_actor) -> None:
    case = cases.register(cli_actor, sample_case())
    facts = {
        "item": "SC-001",
        "corrected": True,
        "harm": "minor",
        "first_offense": True,
        "act_date": "2026-09-01",
        "act_end_date": "2026-09-05",
        "conditions": {"licence_valid": None},
    }
    service.assess(cli_actor, case.id, facts, save=True)
    panel = open_panel(qtbot, operator_session, case.id)
    form = panel.form
    assert form.first_offense.value() is True and form.harm.value() == "minor"
    assert form.facts()["act_end_date"] == "2026-09-05"
    assert form.conditions["licence_valid"].value() is None
    assert panel.decision.outcome is Outcome.NEEDS_FACTS
    assert not panel.dirty and "已保存" in panel.save_state.text()
    assert dt.date.fromisoformat(form.facts()["act_date"]) == dt.date(2026, 9, 1)


def test_the_panel_is_a_tab_of_the_case_window(qtbot, operator_session, cli_actor) -> None:
    from ui.case.detail import CaseDetailWindow

    case = cases.register(cli_actor, sample_case())
    window = CaseDetailWindow(operator_session, case.id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=5000)
    titles = [window.panels.tabText(i) for i in range(window.panels.count())]
    assert "首错免罚" in titles
    panel = window.panels.widget(titles.index("首错免罚"))
    assert isinstance(panel, ExemptionPanel)
    qtbot.waitUntil(lambda: panel.view is not None, timeout=5000)
    assert panel.view.case_no == case.case_no


def test_the_checklist_is_one_scroll_area_and_the_matches_drop_down(
    qtbot, operator_session, cli_actor
) -> None:
    from PySide6.QtWidgets import QAbstractScrollArea, QPlainTextEdit, QTextEdit

    from ui.case.detail import CaseDetailWindow

    case = cases.register(cli_actor, sample_case())
    window = CaseDetailWindow(operator_session, case.id)
    qtbot.addWidget(window)
    window.show()
    panel = window.findChild(ExemptionPanel)
    window.panels.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.view is not None, timeout=5000)
    for width in (1280, 700):  # side by side, and the decision below the facts
        window.resize(width, 840)
        qtbot.waitUntil(lambda: panel.page_scroll.isVisible())
        scrolling = [
            area
            for area in panel.findChildren(QAbstractScrollArea)
            if area.isVisible() and not isinstance(area, (QPlainTextEdit, QTextEdit))
        ]
        assert scrolling == [panel.page_scroll]
    assert panel.save_button.isVisible()  # below the scroll area, always in sight

    picker = panel.picker
    picker.search.setFocus()
    type_text(picker.search, "发票")
    assert picker.list_shown()  # the matches drop down as a popup, outside the page
    assert not panel.isAncestorOf(picker.list)
    second = picker.model.items[1]
    press(picker.search, Qt.Key.Key_Down)  # into the list: the first match highlighted
    qtbot.keyClick(picker.list, Qt.Key.Key_Down)
    qtbot.keyClick(picker.list, Qt.Key.Key_Return)
    assert picker.chosen is second
    assert not picker.list_shown()
    qtbot.waitUntil(lambda: panel.check is not None, timeout=5000)
